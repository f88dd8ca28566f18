#!/usr/bin/env python3
"""Build this repository's documents, in parallel: the reference report
(build/bao-cao-dak-glei-2024.docx) and the 2026-2030 plan (examples/ke-hoach-2026-2030/build/).

Every directory below this one with data/document.yaml and content/ is built, except the
test fixtures (what `vanban batch . --exclude tests` does); -j, --strict and --collect as there.
"""

import argparse
import sys
from pathlib import Path

from vanban.batch import batch_command
from vanban.reuse import add_batch_arguments

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_batch_arguments(parser)
    args = parser.parse_args()
    sys.exit(
        batch_command(
            [Path(__file__).resolve().parent],
            jobs=args.jobs,
            exclude=["tests", *args.exclude],
            collect_into=Path(args.collect) if args.collect else None,
            strict=args.strict,
            pdf=args.pdf,
            pdfa=args.pdfa,
        )
    )
