#!/usr/bin/env python3
"""Time the build of a report against a bare pandoc run of the same rendered Markdown.

Usage: python benchmarks/build_speed.py [REPORT_DIR] [--runs N]

Prints the median of N runs (after one warm-up run) of:
- bare pandoc: the pandoc binary converting the report's rendered Markdown to DOCX, no filter,
  no reference document (the floor any Markdown-to-DOCX tool pays);
- build, warm cache: `pipeline.build` in one process (load, render, pandoc with the ND30
  filter, validate, assemble, write) with unchanged sources, the cache of parsed sources
  filled, i.e. a rebuild;
- build, one figure edited: the same after changing one figure in the largest data file,
  the edit loop of a drafter (that file is parsed and validated again);
- build, cold cache: the same with an empty cache every run, i.e. the first build;
- build, new process: `vanban build` as a fresh process, Python start-up and imports included
  (warm cache);
- check: `vanban check`'s work alone in one process, when the package provides it.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from vanban.pandoc import pandoc_path
from vanban.pipeline import build, gather
from vanban.project import open_project


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
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("project", nargs="?", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--edit-key",
        default="beneficiaries",
        help="the whole-number fact the edit loop changes (one no check rule covers)",
    )
    args = parser.parse_args()
    project = open_project(Path(args.project))
    results: dict[str, float] = {}

    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        out = scratch / "out.docx"
        markdown = scratch / "body.md"
        markdown.write_text(gather(project).narrative.markdown, encoding="utf-8")
        os.environ["VANBAN_CACHE_DIR"] = str(scratch / "cache")

        def bare_pandoc() -> None:
            subprocess.run(
                [pandoc_path(), "-f", "markdown", "-t", "docx", "-o", str(out), str(markdown)],
                check=True,
                capture_output=True,
            )

        def warm() -> None:
            build(project.root, out)

        cold_runs = iter(range(10**6))

        def cold() -> None:
            os.environ["VANBAN_CACHE_DIR"] = str(scratch / f"cold-{next(cold_runs)}")
            build(project.root, out)

        # A normal installation keeps compiled bytecode; some sandboxes switch it off.
        process_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

        def process() -> None:
            subprocess.run(
                [sys.executable, "-m", "vanban.cli", "build", str(project.root), "-o", str(out)],
                check=True,
                capture_output=True,
                env=process_env,
            )

        results["bare pandoc"] = median_time(bare_pandoc, args.runs)
        results["build, warm cache"] = median_time(warm, args.runs)
        results["build, new process"] = median_time(process, args.runs)

        # The edit loop: one figure of the largest data file changes between builds.
        copy = scratch / "edited"
        shutil.copytree(project.root, copy, ignore=shutil.ignore_patterns("build", ".*"))
        data = max((copy / "data").glob("*.yaml"), key=lambda p: p.stat().st_size)
        original = data.read_text(encoding="utf-8")
        figure = re.search(rf"(?m)^(\s*{args.edit_key}: )(\d+)(\s*(#.*)?)$", original)
        assert figure is not None, f"no whole-number figure in {data}"
        edits = iter(range(10**6))

        def edited() -> None:
            value = int(figure.group(2)) + next(edits) + 1
            data.write_text(
                original[: figure.start(2)] + str(value) + original[figure.end(2) :],
                encoding="utf-8",
            )
            build(copy, out)

        results["build, one figure edited"] = median_time(edited, args.runs)
        results["build, cold cache"] = median_time(cold, args.runs)
        os.environ["VANBAN_CACHE_DIR"] = str(scratch / "cache")
        try:
            from vanban.check.command import run_checks
        except ImportError:
            pass
        else:
            sources = gather(project)
            results["check alone"] = median_time(lambda: run_checks(project, sources), args.runs)
        size = len(markdown.read_text(encoding="utf-8"))

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}"
    )
    print(f"report: {project.root.name}, {size} characters of rendered Markdown")
    print(f"median of {args.runs} runs:")
    bare = results["bare pandoc"]
    for name, seconds in results.items():
        print(f"  {name:<22} {seconds * 1000:7.0f} ms  {seconds / bare:5.2f} x bare pandoc")
    return 0


if __name__ == "__main__":
    sys.exit(main())
