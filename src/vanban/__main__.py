"""`python -m vanban …`: the `vanban` command."""

import sys

from .launch import main

sys.exit(main())
