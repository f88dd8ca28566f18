#!/usr/bin/env python3
"""Time `vanban diff` of two drafts against one build of the report.

Usage: python benchmarks/diff_speed.py [REPORT_DIR] [--runs N]

The report's sources are committed into a scratch git repository; then two figures and one
footnote are changed in its work tree (the edit of the issue's example) and the script prints
the median of N runs (after one warm-up run) of:
- build: `pipeline.build` of the edited draft in one process (warm cache);
- diff + redline: `vanban diff HEAD . --docx` in one process: both drafts read, built and
  compared, and the Word redline written;
- the same two as new processes (`python -m vanban build`, `python -m vanban.diff diff`),
  Python start-up and imports included;
- diff, text only: `vanban diff HEAD .` as a new process.
The runs take turns, so that a change in the machine's load weighs on all of them alike.
The target is diff + redline ≤ 3 × build.
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

from vanban.diff.compare import compare
from vanban.diff.redline import redline_docx
from vanban.diff.revisions import Author
from vanban.diff.sides import Workspace
from vanban.pipeline import build
from vanban.project import open_project

SOURCES = ("content", "data", "schema", "templates", "checks")
# Two figures of the reference report that no rule ties to another (the checks still pass).
FIGURES = (
    (
        "data/von.yaml",
        "      models: 13  # III.2.b năm 2022",
        "      models: 14  # III.2.b năm 2022",
    ),
    (
        "data/von.yaml",
        "      beneficiaries: 232  # III.2.b năm 2022",
        "      beneficiaries: 240  # III.2.b năm 2022",
    ),
)


def median_times(actions: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Return the median wall time of each action over runs, after one warm-up run each.

    The actions take turns, so that a change in the machine's load weighs on all of them.
    """
    times: dict[str, list[float]] = {name: [] for name in actions}
    for action in actions.values():
        action()
    for _ in range(runs):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(found) for name, found in times.items()}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def make_drafts(report: Path, scratch: Path) -> Path:
    """Commit the report's sources into a new repository, then edit two figures and a note."""
    repo = scratch / "report"
    repo.mkdir()
    for name in SOURCES:
        if (report / name).is_dir():
            shutil.copytree(report / name, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=bench", "-c", "user.email=bench@example.vn", "commit", "-qm", "1")
    edited = 0
    for name, old, new in FIGURES:
        path = repo / name
        if path.exists() and old in path.read_text(encoding="utf-8"):
            path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), "utf-8")
            edited += 1
    if edited < 2:  # another report: the first whole-number figures of its largest data file
        data = max((repo / "data").glob("*.yaml"), key=lambda p: p.stat().st_size)
        text = data.read_text(encoding="utf-8")
        for match in list(re.finditer(r"(?m)^(\s*\w+: )(\d+)(\s*(#.*)?)$", text))[: 2 - edited]:
            text = text.replace(match.group(0), match.group(1) + str(int(match.group(2)) + 1), 1)
        data.write_text(text, encoding="utf-8")
    for content in sorted((repo / "content").glob("*.md")):
        text = content.read_text(encoding="utf-8")
        note = re.search(r"(?m)^\[\^[^\]]+\]: ", text)
        if note:
            content.write_text(text[: note.end()] + "Sửa đổi: " + text[note.end() :], "utf-8")
            break
    return repo


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("project", nargs="?", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    report = open_project(Path(args.project)).root
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        repo = make_drafts(report, scratch)
        out = scratch / "out.docx"
        review = scratch / "review.docx"
        author = Author("vanban", "2024-06-01T00:00:00Z")

        def diff_in_process() -> None:
            with Workspace() as workspace:
                comparison = compare("HEAD", ".", repo, workspace)
                review.write_bytes(redline_docx(comparison, author).docx)

        def run(*command: str) -> Callable[[], None]:
            def action() -> None:
                subprocess.run(
                    [sys.executable, "-m", *command],
                    cwd=repo,
                    check=True,
                    capture_output=True,
                    env=environment,
                )

            return action

        results = median_times(
            {
                "build": lambda: build(repo, out),
                "diff + redline": diff_in_process,
                "build, new process": run("vanban", "build", ".", "-o", str(out)),
                "diff + redline, new process": run(
                    "vanban.diff", "diff", "HEAD", ".", "--docx", str(review)
                ),
                "diff, text only, new process": run("vanban.diff", "diff", "HEAD", "."),
            },
            args.runs,
        )
        summary = subprocess.run(
            [sys.executable, "-m", "vanban.diff", "diff", "HEAD", "."],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
            env=environment,
        ).stdout
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}"
    )
    print(f"report: {report.name}; the edit:")
    print("  " + "\n  ".join(line for line in summary.splitlines() if line.strip()))
    print(f"median of {args.runs} runs, taking turns:")
    for name, seconds in results.items():
        base = results["build, new process" if "new process" in name else "build"]
        print(f"  {name:<30} {seconds * 1000:7.0f} ms  {seconds / base:5.2f} x one build")
    return 0


if __name__ == "__main__":
    sys.exit(main())
