"""The two sides of a diff: a git revision or a report directory, read without touching the tree.

A revision is exported with `git archive` into a temporary directory; a directory (the
working tree, ".") is mirrored there with symbolic links. Each side is gathered as a build
gathers it (so what a build kept, its rendering and its check, serve the diff too); its
rendered Markdown then gets a section marker after each content file's part (an HTML
comment that pandoc reads as a raw block and the DOCX writer drops), so that pandoc's tree
can be cut back into its content files.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shlex
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..cache import Cache
from ..classes import dataclass, field, replace
from ..errors import Problem, ProblemsError, VanbanError
from ..pipeline import Sources, gather
from ..project import Project, open_project
from ..rendered import Narrative

SECTION_MARKER = "<!-- vanban-diff-section {index} -->"
SECTION_PATTERN = re.compile(r"<!-- vanban-diff-section (\d+) -->")

# Top-level entries of a report directory that a build never reads: its output, and what a
# repository holding the engine beside its report keeps there. Skipping them only saves time.
_NOT_SOURCES = frozenset(
    {"build", ".git", "src", "tests", "benchmarks", "docs", ".ci", ".github", ".venv", "venv"}
)


class DiffError(VanbanError):
    """Raised when a side of a diff cannot be read: unknown revision, not a report, git failed."""


@dataclass(frozen=True)
class Side:
    """One side of the diff: where it came from and the report directory it was read into."""

    spec: str
    label: str
    project: Project
    revision: str | None = None
    date: dt.datetime | None = None


@dataclass
class Workspace:
    """Temporary directories holding the materialised sides; removed by close()."""

    directories: list[tempfile.TemporaryDirectory[str]] = field(default_factory=list)

    def new(self, prefix: str) -> Path:
        directory = tempfile.TemporaryDirectory(prefix=f"vanban-diff-{prefix}-")
        self.directories.append(directory)
        return Path(directory.name)

    def close(self) -> None:
        for directory in self.directories:
            directory.cleanup()
        self.directories.clear()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def run_git(cwd: Path, *args: str, binary: bool = False) -> bytes:
    """Run git in cwd; raise with the command, exit code and message when it fails."""
    command = ["git", "-C", str(cwd), *args]
    try:
        result = subprocess.run(command, capture_output=True, check=False)
    except OSError as exc:
        raise DiffError(f"cannot run git: {shlex.join(command)}: {exc}") from exc
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise DiffError(
            f"git failed (exit code {result.returncode}): {shlex.join(command)}\n{message}"
        )
    return result.stdout


def is_directory_spec(spec: str, base: Path) -> bool:
    """Return True when spec names a directory ("." is the working tree), not a revision."""
    return spec in (".", "./") or (base / spec).is_dir()


@dataclass(frozen=True)
class SidePlace:
    """Where a side comes from, known to exist: a report directory, or a commit of a
    repository (its top, the report's folder in it, the commit and its date)."""

    spec: str
    directory: Project | None = None
    top: Path | None = None
    prefix: str = ""
    sha: str = ""
    iso: str = ""


def locate_side(spec: str, base: Path) -> SidePlace:
    """Find the side spec names (a directory, or a revision of base's repository) without
    materialising it; raise when it names neither."""
    if is_directory_spec(spec, base):
        return SidePlace(spec, directory=open_project(base / spec))
    try:
        top = Path(run_git(base, "rev-parse", "--show-toplevel").decode().strip())
    except DiffError:
        raise DiffError(
            f"{spec}: not a directory, and {base} is not inside a git repository"
        ) from None
    prefix = run_git(base, "rev-parse", "--show-prefix").decode().strip()
    try:
        info = run_git(base, "log", "-1", "--format=%H%x00%cI", f"{spec}^{{commit}}", "--")
    except DiffError as exc:
        raise DiffError(f"{spec}: not a directory, and not a revision of {top}\n{exc}") from None
    sha, iso = info.decode().strip().split("\0")
    return SidePlace(spec, top=top, prefix=prefix, sha=sha, iso=iso)


def open_side(spec: str, base: Path, workspace: Workspace, name: str) -> Side:
    """Materialise one side: the revision spec of base's repository, or the directory spec."""
    return materialise(locate_side(spec, base), workspace, name)


def materialise(place: SidePlace, workspace: Workspace, name: str) -> Side:
    """Read a located side into a directory of the workspace: a directory's entries linked,
    a revision's source files taken out of git."""
    spec = place.spec
    root = workspace.new(name)
    if place.directory is not None:
        _mirror(place.directory.root, root)
        label = "working tree" if spec in (".", "./") else spec
        return Side(spec, label, open_project(root))
    assert place.top is not None  # a revision's place
    tree = f"{place.sha}:{place.prefix}" if place.prefix else place.sha
    entries = run_git(place.top, "ls-tree", "--name-only", "-z", tree).decode().split("\0")
    wanted = [entry for entry in entries if entry and entry not in _NOT_SOURCES]
    archive = run_git(place.top, "archive", "--format=tar", tree, "--", *wanted)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        try:
            tar.extractall(root, filter="data")
        except TypeError:  # pragma: no cover - Python before 3.10.12 / 3.11.4
            tar.extractall(root)  # noqa: S202 - our own repository's archive
    try:
        project = open_project(root)
    except VanbanError as exc:
        where = f"{place.prefix or './'} at {spec}"
        raise DiffError(f"{where}: not a vanban report directory ({exc})") from None
    date = dt.datetime.fromisoformat(place.iso)
    return Side(spec, f"{spec} ({place.sha[:7]})", project, place.sha, date)


def _mirror(source: Path, target: Path) -> None:
    """Link every top-level entry of source into target."""
    for entry in source.iterdir():
        if entry.name not in _NOT_SOURCES:
            os.symlink(entry.resolve(), target / entry.name)


_NOTE_NAME = re.compile(r"\[\^([^\]\s]+)\]:")


@dataclass(frozen=True)
class NotePlace:
    """Where a footnote of the compared Markdown is printed: its name as written in its
    source, its number in the document, and the attached text it is in (None: the body)."""

    name: str
    number: int
    source: str | None = None


def _attached_note_names(narrative: Narrative) -> list[dict[str, str]]:
    """Return, for each attached text, its notes' names in the compared Markdown by their
    names as written: the same, or set apart from a name the body or an earlier text has
    (`qd-30` of the Quy chế is compared as `qd-30-quy-che`)."""
    taken = set(_NOTE_NAME.findall(narrative.markdown))
    found = []
    for text in narrative.attached:
        written = list(dict.fromkeys(_NOTE_NAME.findall(text.markdown)))
        names = {}
        for name in written:
            compared, count = name, 1
            while compared in taken or (compared != name and compared in written):
                compared = f"{name}-{text.name}" + (f"-{count}" if count > 1 else "")
                count += 1
            names[name] = compared
        taken |= set(names.values())
        found.append(names)
    return found


def note_places(narrative: Narrative) -> dict[str, NotePlace]:
    """Return every footnote by its name in the compared Markdown, with where it prints:
    the body's first, numbered in order of reference, then each attached text's, numbered
    on after them as the document numbers them."""
    places = {name: NotePlace(name, n) for n, name in enumerate(narrative.footnotes, 1)}
    number = len(narrative.footnotes)
    for text, names in zip(narrative.attached, _attached_note_names(narrative), strict=True):
        for name in text.footnotes:
            number += 1
            places[names.get(name, name)] = NotePlace(name, number, text.source)
    return places


def marked_parts(side: Side, narrative: Narrative) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return a side's rendered Markdown in parts, each closed by a section marker (joined
    with blank lines they are the Markdown), and the names of the parts: its content files,
    or the content folder as one part when the rendering could not tell the files apart."""
    files = tuple(side.project.display(p) for p in side.project.content_files())
    sections = narrative.sections
    if len(sections) != len(files):
        sections, files = (narrative.markdown,), (side.project.display(side.project.content_dir),)
    # The appendices' own texts (an attached Quy chế) are compared as parts of their own,
    # their notes named apart from the body's where the names are the same.
    for text, names in zip(narrative.attached, _attached_note_names(narrative), strict=True):
        markdown = text.markdown
        for name, compared in names.items():
            if compared != name:
                markdown = markdown.replace(f"[^{name}]", f"[^{compared}]")
        sections, files = (*sections, markdown), (*files, text.source)
    parts = tuple(
        section.rstrip("\n") + "\n\n" + SECTION_MARKER.format(index=index) + "\n"
        for index, section in enumerate(sections)
    )
    return parts, files


def gather_side(
    side: Side,
    cache: Cache,
    on_narrative: Callable[[Narrative], None] | None = None,
    check_later: bool = False,
) -> Sources:
    """Load, render and validate one side; problems name the side ("HEAD~1:data/von.yaml:…").

    A draft whose only problems are findings of the check (a total that no longer adds up
    after a figure changed) is still compared: that is when a reviewer needs the diff most.
    Its findings stay in `Sources.checked` (with check_later, once checked_now() ran it).
    """
    try:
        return gather(
            side.project,
            cache,
            stop_on_findings=False,
            on_narrative=on_narrative,
            check_later=check_later,
        )
    except ProblemsError as exc:
        prefix = f"{side.spec}:" if side.revision else ""
        raise ProblemsError([_on_side(p, prefix) for p in exc.problems]) from None


def _on_side(problem: Problem, prefix: str) -> Problem:
    return replace(problem, path=prefix + problem.path)
