#!/usr/bin/env python3
"""Time `vanban absorb` of a handful of a reviewer's edits against one build of the report.

Usage: python benchmarks/absorb_speed.py [REPORT_DIR] [--runs N]

The report's sources are committed into a scratch git repository and built; the document is
edited with python-docx (one figure of the text, one word of a footnote, one appendix cell,
the signer's name, one computed total) and the script prints the median of N runs (after
one warm-up run) of, in one process with a warm cache:
- build: `pipeline.build` of the report as the reviewer got it (its pandoc units and parsed
  sources from the cache, but never the kept result of an identical build);
- absorb: `vanban absorb EDITED.docx` (the base built in memory, compared, mapped, the
  sources written, the check run on them);
- build after: `pipeline.build` of the absorbed sources (the build that follows);
the sources are restored after each round, untimed. The runs take turns. The target is
absorb ≤ 2 × one build.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

from vanban import results
from vanban.cli import main as vanban
from vanban.pipeline import build

# (text to find, replacement) in the body, a footnote, an appendix table and the closing.
EDITS = (
    ("346 người lao động", "350 người lao động"),
    ("23.328.000", "23.400.000"),
    ("4.977,08", "5.000,00"),
    ("Y Thanh", "Nguyễn Văn Bình"),
)
NOTE_EDIT = ("về phê duyệt Chương trình", "về ban hành Chương trình")


def _replace(root, old: str, new: str) -> bool:
    for t in root.iter(qn("w:t")):
        if t.text and old in t.text:
            t.text = t.text.replace(old, new, 1)
            return True
    return False


def edit(source: Path, target: Path) -> None:
    """Write the reviewer's copy: EDITS in the body, NOTE_EDIT in the footnotes."""
    from docx.oxml import parse_xml
    from lxml import etree

    document = Document(str(source))
    for old, new in EDITS:
        if not _replace(document.element.body, old, new):
            for old_part, new_part in zip(old.split(" "), new.split(" "), strict=True):
                if old_part != new_part:
                    assert _replace(document.element.body, old_part, new_part), old
    for part in document.part.package.iter_parts():
        if part.partname.endswith("footnotes.xml"):
            root = parse_xml(part.blob)
            old, new = NOTE_EDIT
            assert _replace(root, old, new) or _replace(root, "phê duyệt", "ban hành")
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    document.save(str(target))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", default=".", help="report directory")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    # Every build here does its work: a build of sources built before would otherwise be
    # answered from its kept result (vanban.results), which says nothing of its cost.
    results.lookup = lambda cache, root, by_units: None
    with tempfile.TemporaryDirectory(prefix="vanban-absorb-speed-") as tmp:
        root = Path(tmp) / "report"
        shutil.copytree(
            args.report,
            root,
            ignore=shutil.ignore_patterns(
                "build", ".git", "src", "tests", ".venv", "examples", "benchmarks", "review"
            ),
        )
        git = ["git", "-C", str(root), "-c", "user.name=b", "-c", "user.email=b@e"]
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "draft"], check=True)
        built = build(root)
        edited = Path(tmp) / "gop-y.docx"
        edit(built, edited)

        def run_build() -> None:
            build(root, Path(tmp) / "again.docx")

        def run_absorb() -> None:
            with contextlib.redirect_stdout(io.StringIO()) as out:
                vanban(["absorb", str(edited), str(root)])
            assert "wrote " in out.getvalue(), out.getvalue()

        def run_build_after() -> None:
            build(root, Path(tmp) / "after.docx")

        def restore() -> None:
            subprocess.run([*git, "checkout", "-q", "--", "."], check=True)
            shutil.rmtree(root / "review", ignore_errors=True)

        times: dict[str, list[float]] = {"build": [], "absorb": [], "build after": []}
        actions = (("build", run_build), ("absorb", run_absorb), ("build after", run_build_after))
        for index in range(args.runs + 1):
            for name, action in actions:
                started = time.perf_counter()
                action()
                elapsed = time.perf_counter() - started
                if index:
                    times[name].append(elapsed)
            restore()
        medians = {name: statistics.median(values) for name, values in times.items()}
        ratio = medians["absorb"] / medians["build"]
        for name, value in medians.items():
            spread = f"{min(times[name]) * 1000:.0f}–{max(times[name]) * 1000:.0f}"
            print(f"{name:11} {value * 1000:6.0f} ms (runs: {spread} ms)")
        after = medians["absorb"] / medians["build after"]
        print(f"absorb / build = {ratio:.2f}; absorb / build after = {after:.2f} (target ≤ 2)")
        return 0 if min(ratio, after) <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
