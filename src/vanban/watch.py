"""`vanban watch [DIR]`: one warm process that rebuilds the document on every save of a source.

It polls the modification times and sizes of the files under content/, data/, schema/,
checks/ and templates/ (no extra dependency, any editor, any file system); a change starts
a rebuild once the files have stopped changing. Each rebuild prints its findings in the
compiler format and how long it took. A rebuild that fails writes nothing: the last good
document stays in build/.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from .errors import ProblemsError, VanbanError
from .project import open_project

WATCHED = ("content", "data", "schema", "checks", "templates")
INTERVAL = 0.25  # seconds between two looks at the files

Snapshot = dict[str, tuple[int, int]]


def _ignored(path: Path) -> bool:
    """Editors' lock, swap and backup files, which change while a file is edited."""
    name = path.name
    return name.startswith((".", "~", "#")) or name.endswith(("~", ".swp", ".tmp"))


def snapshot(root: Path) -> Snapshot:
    """Return each watched source file's (modification time, size) by relative path."""
    found: Snapshot = {}
    for folder in WATCHED:
        for path in (root / folder).rglob("*"):
            if _ignored(path):
                continue
            try:
                stat = path.stat()
            except OSError:  # deleted between the listing and the look
                continue
            if path.is_file():
                found[path.relative_to(root).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed(before: Snapshot, after: Snapshot) -> list[str]:
    """Return the paths added, removed or changed between two snapshots, sorted."""
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


def rebuild(root: Path, *, pdf: bool = False, out: TextIO, err: TextIO) -> bool:
    """Build once; print the findings and the time taken. True if a document was written."""
    from .check import summary_line
    from .pipeline import build_report

    started = time.perf_counter()
    try:
        built = build_report(root, pdf=pdf)
    except ProblemsError as exc:
        for problem in exc.problems:
            print(problem, file=err)
        errors = sum(p.severity == "error" for p in exc.problems)
        elapsed = time.perf_counter() - started
        print(
            f"{errors} error{'s' if errors != 1 else ''} in {elapsed:.2f} s; nothing was "
            "written: the last good document stays",
            file=err,
            flush=True,
        )
        return False
    except VanbanError as exc:
        print(f"error: {exc}; the last good document stays", file=err, flush=True)
        return False
    except Exception as exc:  # noqa: BLE001 - a watch never stops on an unforeseen failure
        print(f"error: the build failed unexpectedly: {exc!r}", file=err, flush=True)
        return False
    elapsed = time.perf_counter() - started
    for finding in built.findings:
        if finding.status == "warning":
            print(finding.problem(), file=err)
    print(f"built {built.path} in {elapsed:.2f} s; {summary_line(built.findings)}", file=out)
    for path in built.attachments:
        print(f"wrote {path}", file=out)
    if built.pdf is not None:
        from .pdf import font_warning

        print(f"wrote {built.pdf.path}: {built.pdf.summary()}", file=out)
        for converted in built.attachment_pdfs:
            print(f"wrote {converted.path}: {converted.summary()}", file=out)
        warning = font_warning([built.pdf, *built.attachment_pdfs])
        if warning is not None:
            print(warning, file=err)
    out.flush()
    return True


def watch(
    root: Path,
    *,
    pdf: bool = False,
    interval: float = INTERVAL,
    stop: threading.Event | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    on_build: Callable[[bool], None] | None = None,
) -> None:
    """Build the report at root, then rebuild it after every change of its sources until
    stop is set (or the process is interrupted)."""
    out = out or sys.stdout
    err = err or sys.stderr
    stop = stop or threading.Event()
    root = open_project(root).root
    print(f"watching {', '.join(f'{d}/' for d in WATCHED)} in {root} (Ctrl-C stops)", file=out)
    seen = snapshot(root)
    ok = rebuild(root, pdf=pdf, out=out, err=err)
    if on_build is not None:
        on_build(ok)
    while not stop.wait(interval):
        now = snapshot(root)
        if now == seen:
            continue
        while not stop.wait(interval):  # let a save (or a checkout) finish
            settled = snapshot(root)
            if settled == now:
                break
            now = settled
        names = changed(seen, now)
        seen = now
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        print(f"changed: {shown}", file=out, flush=True)
        ok = rebuild(root, pdf=pdf, out=out, err=err)
        if on_build is not None:
            on_build(ok)


def add_watch_command(commands: Any) -> None:
    """Add `watch` to the subparsers of the vanban command."""
    command = commands.add_parser(
        "watch",
        help="rebuild the document on every save of a source",
        description="Build the report, then rebuild it whenever a file under content/, data/, "
        "schema/, checks/ or templates/ is saved; print the findings and the time each "
        "rebuild took. A failed rebuild leaves the last good document in place.",
    )
    command.add_argument("project", nargs="?", default=".", help="report directory (default: .)")
    command.add_argument(
        "--pdf",
        action="store_true",
        help="render build/<output>.pdf with LibreOffice after each good rebuild",
    )
    command.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    if args.pdf:
        from .pdf import office

        office()  # fails at once if LibreOffice is absent
    try:
        watch(Path(args.project), pdf=args.pdf)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return 0
