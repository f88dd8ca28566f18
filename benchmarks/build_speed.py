#!/usr/bin/env python3
"""Time the build of a report against a bare pandoc run of the same rendered Markdown.

Usage: python benchmarks/build_speed.py [REPORT_DIR] [--runs N]

Prints the median of N runs for: the whole build in one process (load, validate, render,
pandoc, assemble, write), the same build as a fresh `vanban build` process (with Python's
start-up and imports), and bare pandoc converting the rendered Markdown to DOCX.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from vanban.pandoc import pandoc_path
from vanban.pipeline import gather, open_project, render_docx, write_atomic


def median_time(action: Callable[[], object], runs: int) -> float:
    """Return the median wall time of action over runs, after one warm-up run."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    project = open_project(Path(args.project))

    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out.docx"
        markdown = Path(scratch) / "body.md"
        markdown.write_text(gather(project).narrative.markdown, encoding="utf-8")

        def build() -> None:
            write_atomic(out, render_docx(gather(project)))

        def gather_only() -> None:
            gather(project)

        def process() -> None:
            subprocess.run(
                [sys.executable, "-m", "vanban.cli", "build", str(project.root), "-o", str(out)],
                check=True,
                capture_output=True,
            )

        def bare_pandoc() -> None:
            subprocess.run(
                [pandoc_path(), "-f", "markdown", "-t", "docx", "-o", str(out), str(markdown)],
                check=True,
                capture_output=True,
            )

        results = {
            "build (in process)": median_time(build, args.runs),
            "build (new process)": median_time(process, args.runs),
            "bare pandoc": median_time(bare_pandoc, args.runs),
            "load+validate+render (no pandoc)": median_time(gather_only, args.runs),
        }

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}"
    )
    print(
        f"report: {project.root.name}, {len(markdown.read_text(encoding='utf-8'))} chars "
        f"of rendered Markdown; median of {args.runs} runs"
    )
    for name, seconds in results.items():
        print(f"  {name:<34} {seconds * 1000:8.1f} ms")
    bare = results["bare pandoc"]
    print(f"  ratio build (in process) / bare pandoc:  {results['build (in process)'] / bare:.2f}")
    print(f"  ratio build (new process) / bare pandoc: {results['build (new process)'] / bare:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
