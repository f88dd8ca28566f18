"""`vanban batch ROOT...`: build every report of a directory tree in one run.

A province collects its districts' reports: each directory with data/document.yaml and
content/ below a root is a report. They are built in a pool of processes (one per core by
default), each into its own build/; a line is printed as each finishes, and a failure is
kept for the summary while the others go on. The exit status is 1 when any failed.
"""

from __future__ import annotations

import concurrent.futures
import fnmatch
import multiprocessing
import os
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from .classes import dataclass, replace
from .errors import ProblemsError, VanbanError, relpath

# Directories never searched for reports: hidden ones, outputs, environments.
SKIPPED = ("build", "__pycache__", "node_modules", "venv", "site-packages")
# A report's own parts: a report may hold other reports, but not inside these.
REPORT_PARTS = ("content", "data", "schema", "checks", "templates", "build")


def is_report(path: Path) -> bool:
    """Return True for a report directory: it has data/document.yaml and content/."""
    return (path / "data" / "document.yaml").is_file() and (path / "content").is_dir()


def find_reports(roots: Iterable[Path], exclude: Sequence[str] = ()) -> list[Path]:
    """Return every report directory under the roots (a root may be one), sorted.

    exclude holds shell patterns matched against a directory's path relative to its root
    and against its name ("tests", "archive/*")."""
    found: set[Path] = set()
    for root in roots:
        root = root.resolve()
        if not root.is_dir():
            raise VanbanError(f"{root}: not a directory")
        for directory in _walk(root, exclude):
            if is_report(directory):
                found.add(directory)
    return sorted(found)


def _walk(root: Path, exclude: Sequence[str]) -> Iterator[Path]:
    for here, dirs, _files in os.walk(root):
        path = Path(here)
        yield path
        report = is_report(path)
        kept = []
        for name in sorted(dirs):
            relative = (path / name).relative_to(root).as_posix()
            if name.startswith(".") or name in SKIPPED or (report and name in REPORT_PARTS):
                continue
            if any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(name, p) for p in exclude):
                continue
            kept.append(name)
        dirs[:] = kept


@dataclass(frozen=True)
class Outcome:
    """How one report's build went: its output, or the problems that stopped it."""

    report: str  # the report directory, as given to the worker
    output: str | None = None
    seconds: float = 0.0
    warnings: int = 0
    problems: tuple[str, ...] = ()  # the failure, as the build would print it
    attachments: tuple[str, ...] = ()  # the appendices' own files (appendix_files: separate)

    @property
    def ok(self) -> bool:
        return self.output is not None


def build_one(report: str) -> Outcome:
    """Build one report (in a worker process); never raise, return the outcome."""
    from .pipeline import build_report

    started = time.perf_counter()
    root = Path(report)
    try:
        built = build_report(root)
    except ProblemsError as exc:
        lines = [str(_placed(p, root)) for p in exc.problems]
        errors = sum(p.severity == "error" for p in exc.problems)
        lines.append(f"{errors} error{'s' if errors != 1 else ''}; nothing was written")
        return Outcome(report, None, time.perf_counter() - started, 0, tuple(lines))
    except VanbanError as exc:
        return Outcome(report, None, time.perf_counter() - started, 0, (f"error: {exc}",))
    except Exception:  # noqa: BLE001 - one report's crash must not stop the others
        detail = traceback.format_exc().rstrip().splitlines()
        return Outcome(report, None, time.perf_counter() - started, 0, tuple(detail))
    warnings = sum(f.status == "warning" for f in built.findings)
    attachments = tuple(str(path) for path in built.attachments)
    return Outcome(
        report, str(built.path), time.perf_counter() - started, warnings, (), attachments
    )


def _placed(problem: object, root: Path) -> object:
    """Return a problem whose path is relative to root as seen from here ("huyen-a/data/…")."""
    from .errors import Problem

    if not isinstance(problem, Problem) or Path(problem.path).is_absolute():
        return problem
    return replace(problem, path=relpath(root / problem.path, Path.cwd()))


def run_batch(
    reports: Sequence[Path],
    jobs: int | None = None,
    on_done: Callable[[int, Outcome], None] | None = None,
) -> list[Outcome]:
    """Build the reports, jobs at a time (default: one per core); on_done(count, outcome) is
    called as each finishes. Returns the outcomes in the order of reports."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(reports) or 1))
    outcomes: dict[str, Outcome] = {}

    def done(outcome: Outcome) -> None:
        outcomes[outcome.report] = outcome
        if on_done is not None:
            on_done(len(outcomes), outcome)

    names = [str(report) for report in reports]
    if jobs == 1:
        for name in names:
            done(build_one(name))
    else:
        # spawn: a fresh interpreter per worker, the same on every platform, and no fork of
        # a process whose threads (pandoc feeders) may hold locks.
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=context) as pool:
            futures = {pool.submit(build_one, name): name for name in names}
            for future in concurrent.futures.as_completed(futures):
                try:
                    done(future.result())
                except Exception as exc:  # noqa: BLE001 - a worker died (killed, out of memory)
                    done(
                        Outcome(
                            futures[future], problems=(f"error: the build process died: {exc}",)
                        )
                    )
    return [outcomes[name] for name in names]


def collect(outcomes: Iterable[Outcome], dest: Path, base: Path) -> list[Path]:
    """Copy every built document (and its appendices' own files) into dest; a name two
    reports share gets its report's path."""
    dest.mkdir(parents=True, exist_ok=True)
    files = [
        (outcome, path)
        for outcome in outcomes
        if outcome.output is not None
        for path in (outcome.output, *outcome.attachments)
    ]
    names = [Path(path).name for _, path in files]
    copied = []
    for (outcome, path), name in zip(files, names, strict=True):
        if names.count(name) > 1:
            prefix = relpath(Path(outcome.report), base).replace("/", "--").strip(".-") or "goc"
            name = f"{prefix}--{name}"
        shutil.copyfile(path, dest / name)
        copied.append(dest / name)
    return copied


def batch_command(
    roots: Sequence[Path],
    jobs: int | None = None,
    exclude: Sequence[str] = (),
    collect_into: Path | None = None,
    strict: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
    *,
    pdf: bool = False,
    pdfa: bool = False,
) -> int:
    """Find, build and summarise; return the exit status (1 when any report failed).

    With pdf (or pdfa), every built document is then converted by one LibreOffice run."""
    out = out or sys.stdout
    err = err or sys.stderr
    started = time.perf_counter()
    reports = find_reports(roots, exclude)
    if not reports:
        print(
            f"error: no report directory (data/document.yaml and content/) under "
            f"{', '.join(map(str, roots))}",
            file=err,
        )
        return 1
    here = Path.cwd()
    workers = max(1, min(jobs or os.cpu_count() or 1, len(reports)))
    print(f"batch: {len(reports)} reports, {workers} at a time", file=out, flush=True)

    def progress(count: int, outcome: Outcome) -> None:
        name = relpath(Path(outcome.report), here)
        if outcome.ok:
            assert outcome.output is not None
            notes = f"{outcome.seconds:.1f} s"
            if outcome.warnings:
                notes += f", {outcome.warnings} warning{'s' if outcome.warnings != 1 else ''}"
            if outcome.attachments:
                files = len(outcome.attachments)
                notes += f", {files} appendix file{'s' if files != 1 else ''}"
            line = f"ok    {name} → {relpath(Path(outcome.output), here)} ({notes})"
        else:
            line = f"FAIL  {name} ({outcome.problems[-1] if outcome.problems else 'failed'})"
        print(f"[{count}/{len(reports)}] {line}", file=out, flush=True)

    outcomes = run_batch(reports, jobs, progress)
    failed = [o for o in outcomes if not o.ok]
    if failed:
        print("", file=err)
        for outcome in failed:
            print(f"{relpath(Path(outcome.report), here)}: failed", file=err)
            for line in outcome.problems:
                print(f"  {line}", file=err)
    pdf_failed = False
    if (pdf or pdfa) and len(failed) < len(outcomes):
        from .pdf import PdfError, convert, font_warning

        documents = [
            (Path(path), Path(path).with_suffix(".pdf"))
            for o in outcomes
            if o.output
            for path in (o.output, *o.attachments)
        ]
        try:
            made = convert(documents, pdfa=pdfa)
            for converted in made:
                print(f"pdf   {relpath(converted.path, here)}: {converted.summary()}", file=out)
            warning = font_warning(made)
            if warning is not None:
                print(warning, file=err)
        except PdfError as exc:
            print(f"error: {exc}", file=err)
            pdf_failed = True
    if collect_into is not None:
        copied = collect(outcomes, collect_into, here)
        print(f"collected {len(copied)} documents in {collect_into}", file=out)
    warned = sum(o.warnings > 0 for o in outcomes)
    elapsed = time.perf_counter() - started
    print(
        f"batch: {len(outcomes) - len(failed)} built, {len(failed)} failed, "
        f"{warned} with warnings, in {elapsed:.1f} s",
        file=out,
    )
    return 1 if failed or pdf_failed or (strict and warned) else 0
