#!/usr/bin/env python3
"""Build this repository's report: build/bao-cao-dak-glei-2024.docx."""

import sys
from pathlib import Path

from vanban.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", str(Path(__file__).resolve().parent), *sys.argv[1:]]))
