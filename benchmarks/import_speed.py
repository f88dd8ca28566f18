#!/usr/bin/env python3
"""Time `vanban import` on a real 30-page document (the target: under 5 s).

Usage: python benchmarks/import_speed.py [SOURCE.docx] [--runs N]

Prints the median of N runs (after one warm-up run) of:
- import, one process: `import_document` (read the DOCX, recognise its parts, write the
  report directory, run the check once to acknowledge the original's findings);
- import, new process: `vanban import` as a fresh process, Python start-up included;
- build of the imported directory, new process, for comparison.

The default source is tests/import/bc-ubnd-lamdong-cchc-2025.docx: 36 pages in LibreOffice
(35 by Word's count), 17 footnotes, nine appendix tables.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from vanban.importer import import_document

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO / "tests" / "import" / "bc-ubnd-lamdong-cchc-2025.docx"


def median_time(action: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Return the median, fastest and slowest time of runs calls, after one warm-up call."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default=str(DEFAULT))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    source = Path(args.source)
    scratch = Path(tempfile.mkdtemp(prefix="vanban-import-speed-"))
    counter = iter(range(10**6))

    def in_process() -> None:
        import_document(source, scratch / f"a{next(counter)}")

    def new_process() -> None:
        command = ["vanban", "import", str(source), str(scratch / f"b{next(counter)}")]
        subprocess.run(command, check=True, capture_output=True)

    built = scratch / "built"
    import_document(source, built)

    def build_new_process() -> None:
        subprocess.run(["vanban", "build", str(built)], check=True, capture_output=True)

    try:
        print(
            f"{source.name}, {platform.machine()}, Python {platform.python_version()}, "
            f"median of {args.runs} runs (fastest–slowest)"
        )
        for label, action in (
            ("import, one process", in_process),
            ("import, new process", new_process),
            ("build of the import, new process", build_new_process),
        ):
            median, low, high = median_time(action, args.runs)
            print(f"  {label:<34} {median * 1000:7.0f} ms  ({low * 1000:.0f}–{high * 1000:.0f})")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
