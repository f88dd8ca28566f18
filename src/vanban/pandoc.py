"""Run the pandoc that ships with pypandoc-binary: Markdown body to DOCX, by parts."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import json
import os
import re
import shlex
import subprocess
import threading
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from .cache import NO_CACHE, Cache, value_key
from .classes import dataclass
from .errors import PandocError, TemplateError

# The pandoc binary and its command line live apart (no lxml to load); re-exported here.
from .pandoc_command import MARKDOWN as MARKDOWN
from .pandoc_command import command_identity, pandoc_environment
from .pandoc_command import docx_command as docx_command
from .pandoc_command import pandoc_path as pandoc_path
from .parts import (
    DAMAGED_DATA,
    DOCUMENT_PART,
    FOOTNOTES_PART,
    R_NS,
    STYLES_PART,
    W_NS,
    not_a_document,
    read_parts,
    write_parts,
)


def _failure(command: list[str], code: int | None, stderr: bytes) -> PandocError:
    message = stderr.decode("utf-8", "replace").strip() or "no output"
    return PandocError(f"pandoc failed (exit code {code}): {shlex.join(command)}\n{message}")


def _writes_docx(command: list[str]) -> bool:
    return "--to" in command and command[command.index("--to") + 1 :][:1] == ["docx"]


def _complete(command: list[str], output: bytes, docx: bool) -> bytes:
    """Return pandoc's output; raise when a DOCX it wrote is cut short or damaged."""
    if not docx:
        return output
    try:
        with zipfile.ZipFile(io.BytesIO(output)) as archive:
            damaged = archive.testzip()
            complete = "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        damaged, complete = "the archive", False
    if damaged is None and complete:
        return output
    raise PandocError(
        f"pandoc exited with 0 but wrote an incomplete document ({len(output):,}".replace(",", ".")
        + f" bytes, not a whole DOCX): {shlex.join(command)}"
    )


def run(command: list[str], data: bytes = b"") -> bytes:
    """Run pandoc to the end and return what it wrote; raise with its message if it failed."""
    try:
        result = subprocess.run(
            command,
            input=data,
            capture_output=True,
            check=False,
            env=pandoc_environment(len(data)),
        )
    except OSError as exc:
        raise PandocError(f"cannot run pandoc: {shlex.join(command)}: {exc}") from exc
    if result.returncode != 0 or not result.stdout:
        raise _failure(command, result.returncode, result.stderr)
    return _complete(command, result.stdout, _writes_docx(command))


class Conversion:
    """A pandoc run going on in the background while the build checks its sources.

    pandoc starts at once, so its start-up overlaps the loading of the sources; the
    Markdown is fed to it when rendered. By default it converts to DOCX with the
    reference document; `command` runs another pandoc command line the same way (docx:
    whether it writes a DOCX, when its arguments do not say so). `size`,
    the input's length when known, chooses pandoc's runtime options (pandoc_environment).
    """

    def __init__(
        self,
        reference_doc: Path | None = None,
        *,
        command: list[str] | None = None,
        size: int = 0,
        docx: bool | None = None,
    ):
        self._docx = docx if docx is not None else command is None or _writes_docx(command)
        if command is None:
            assert reference_doc is not None, "a reference document or a command"
            command = docx_command(reference_doc)
        self.command = command
        self._output: tuple[bytes, bytes] = (b"", b"")
        try:
            self._process = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=pandoc_environment(size),  # the input's length, when known
            )
        except OSError as exc:
            raise PandocError(f"cannot run pandoc: {shlex.join(self.command)}: {exc}") from exc
        self._thread: threading.Thread | None = None

    @property
    def fed(self) -> bool:
        """True once the input was given."""
        return self._thread is not None

    def feed(self, markdown: str) -> None:
        """Give pandoc its input; it works on it in the background."""
        self._thread = threading.Thread(
            target=self._communicate, args=(markdown.encode("utf-8"),), daemon=True
        )
        self._thread.start()

    def _communicate(self, data: bytes) -> None:
        self._output = self._process.communicate(data)

    def result(self) -> bytes:
        """Wait for pandoc and return what it wrote; raise with its message if it failed."""
        if self._thread is None:
            self.cancel()
            raise PandocError(f"no input was given to pandoc: {shlex.join(self.command)}")
        self._thread.join()
        stdout, stderr = self._output
        if self._process.returncode != 0 or not stdout:
            raise _failure(self.command, self._process.returncode, stderr)
        return _complete(self.command, stdout, self._docx)

    def cancel(self) -> None:
        """Stop pandoc: the build found problems and will write nothing."""
        if self._process.poll() is None:
            self._process.kill()
        if self._thread is not None:
            self._thread.join()
        else:
            self._process.communicate()


# ------------------------------------------------------------------ the body by parts
#
# pandoc converts one document on one core. The body is cut into units at top-level
# headings (where every heading's section, and so every bookmark pandoc puts around one,
# ends); the units not in the cache are converted in parallel, a few to a pandoc run with
# a mark between them, and each unit's blocks and footnotes are kept by the hash of its
# Markdown, the reference document and the pandoc binary. The document is put together
# from the units with footnote and bookmark ids numbered in document order, so that it is
# the same whether its units came from one pandoc run, from several or from the cache:
# a build of the whole body in one run goes through the same numbering.

_MARK_STYLE = "VanbanUnitBoundary"
_MARK = f'\n\n```{{=openxml}}\n<w:p><w:pPr><w:pStyle w:val="{_MARK_STYLE}"/></w:pPr></w:p>\n```\n\n'
_MARK_BLOCK = {"t": "RawBlock", "c": ["openxml", _MARK.strip().split("\n")[1]]}
_HEADING_1 = re.compile(r"#[ \t]")
_NOTE_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_NOTE_DEFINITION = re.compile(r"(?m)^\[\^([^\]\s]+)\]:")
CORE_PART = "docProps/core.xml"
_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)")


@dataclass(frozen=True)
class Piece:
    """A unit's converted body: its blocks and footnotes as markup (no namespace
    declarations), footnote ids 0… and bookmark ids 0… in order, and its bookmarks' names."""

    blocks: str
    notes: tuple[str, ...]
    bookmarks: tuple[str, ...]


@dataclass(frozen=True)
class Skeleton:
    """What every conversion with one reference document shares: all its parts, with an
    empty body, no footnotes but the separators, and blank dates."""

    parts: dict[str, bytes]


def units_of(sections: Sequence[str]) -> list[str]:
    """Group the sections into units that pandoc converts alone as in the whole body: each
    starts with a top-level heading (or the document), and defines the notes it cites."""
    units: list[str] = []
    for section in sections:
        if units and not _HEADING_1.match(section):
            units[-1] += "\n\n" + section
        else:
            units.append(section)
    for unit in units:
        defined = set(_NOTE_DEFINITION.findall(unit))
        if not set(_NOTE_REFERENCE.findall(unit)) <= defined:
            return ["\n\n".join(units)]
    return units


def _identity(command: Sequence[str], reference_doc: Path, extra: bytes = b"") -> bytes:
    """Return what a converted unit depends on besides its text: the command line, the
    pandoc binary, the reference document's bytes, not its place (a side that `vanban diff`
    takes from git into a temporary directory finds the units built in the report), and
    extra, what else the input carries."""
    placeless = [reference_doc.name if a == str(reference_doc) else a for a in command]
    text = command_identity(placeless)
    digest = hashlib.sha256(text.encode() + b"\0" + reference_doc.read_bytes() + b"\0" + extra)
    return digest.hexdigest().encode() + b"\0"


def check_reference(reference_doc: Path) -> None:
    """Refuse a reference document whose zip archive is cut short or damaged, or that has no
    styles: pandoc would stop with its own backtrace, or build from the damaged part or with
    its own styles without a word."""
    import zlib

    try:
        with zipfile.ZipFile(reference_doc) as archive:
            bad = archive.testzip()
            names = set(archive.namelist())
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise TemplateError(not_a_document(reference_doc, exc)) from None
    if bad is not None:
        raise TemplateError(not_a_document(reference_doc, DAMAGED_DATA))
    missing = [name for name in (DOCUMENT_PART, STYLES_PART) if name not in names]
    if missing:
        raise TemplateError(not_a_document(reference_doc, f"it has no {' and no '.join(missing)}"))


@dataclass(frozen=True)
class Units:
    """A body cut into units for pandoc: what each unit is kept by, its text as pandoc
    reads it (made when it is converted), what a run of several reads (their texts with a
    mark between), the command that reads it, and the whole body's text (for content the
    units cannot carry)."""

    keys: list[bytes]
    text: Callable[[int], str]
    join: Callable[[list[str]], str]
    whole: Callable[[], str]
    command: list[str]
    extra: bytes = b""  # what the keys do not say but the output depends on

    @classmethod
    def of_markdown(cls, sections: Sequence[str], reference_doc: Path) -> Units:
        texts = units_of(sections)
        return cls(
            [text.encode("utf-8") for text in texts],
            texts.__getitem__,
            _MARK.join,
            lambda: "\n\n".join(sections),
            docx_command(reference_doc),
        )

    @classmethod
    def of_tree(
        cls, document: Mapping[str, Any], reference_doc: Path, by_units: bool = True
    ) -> Units:
        """The units of a pandoc JSON document: its blocks cut before each top-level heading
        (by_units), or all in one. A unit is kept by its blocks' value, which is quicker to
        take than their JSON (only the units pandoc converts are written as JSON)."""
        command = docx_command(reference_doc)
        command[command.index("--from") + 1] = "json"
        units: list[list[Any]] = []
        for block in document["blocks"]:
            if not units or (by_units and block.get("t") == "Header" and block["c"][0] == 1):
                units.append([])
            units[-1].append(block)
        units = units or [[]]
        head = {key: value for key, value in document.items() if key != "blocks"}
        opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "blocks": ['
        mark = json.dumps(_MARK_BLOCK)

        def text(index: int) -> str:
            return json.dumps(units[index], ensure_ascii=False)

        def join(texts: list[str]) -> str:  # each a JSON list of blocks: its items, marked apart
            return opening + f", {mark}, ".join(blocks[1:-1] for blocks in texts) + "]}"

        keys = [value_key(unit) or text(index).encode() for index, unit in enumerate(units)]
        whole = partial(json.dumps, document, ensure_ascii=False)
        return cls(keys, text, join, whole, command, b"tree\0" + opening.encode())


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def share_runs(indices: list[int], sizes: list[int], jobs: int) -> list[list[int]]:
    """Share the units to convert among at most `jobs` runs of about equal size (largest
    first, each to the lightest run); each run keeps its units in document order."""
    runs: list[list[int]] = [[] for _ in range(min(jobs, len(indices)))]
    loads = [0] * len(runs)
    for index in sorted(indices, key=lambda i: -sizes[i]):
        lightest = loads.index(min(loads))
        runs[lightest].append(index)
        loads[lightest] += sizes[index]
    return sorted((sorted(run) for run in runs if run), key=lambda run: run[0])


# A pandoc run's memory grows with its input: past this many bytes of units the runs are
# more than one per core, each core taking its runs one after another (on the report ×20, a
# run of a quarter of the text peaks at 133 MB, one of half at 161 MB, in about the same time).
RUN_BYTES = 256 * 1024


class Runs:
    """pandoc converting groups of units, one run a group, one run per core at a time.

    The units are shared among the runs largest first, at least one run per core and as
    many as it takes to keep each run under RUN_BYTES; each core takes its runs one after
    another (the first of each starts at once, so that its start-up overlaps the caller's
    work). `then(group, output)`, when given, is applied to each run's output as soon as it
    is written (while the other runs work). `outputs` waits for them, in the order of the
    groups."""

    def __init__(
        self,
        command: list[str],
        text_of: Callable[[list[int]], str],
        units: list[int],
        sizes: list[int],
        jobs: int,
        *,
        docx: bool,
        then: Callable[[list[int], bytes], Any] | None = None,
    ):
        self._command = command
        self._then = then
        self._text_of = text_of
        self._docx = docx
        runs = -(-sum(sizes[i] for i in units) // RUN_BYTES)  # ceiling
        self.groups = share_runs(units, sizes, max(jobs, runs)) if units else []
        loads = [sum(sizes[i] for i in group) for group in self.groups]
        self.started: list[tuple[list[int], Conversion]] = []
        self._outputs: dict[int, Any] = {}
        self._cancelled = False
        self._cores: list[threading.Thread] = []
        try:
            for runs_of_core in share_runs(list(range(len(self.groups))), loads, jobs):
                first = self._start(runs_of_core[0])
                core = threading.Thread(
                    target=self._convert, args=(runs_of_core, first), daemon=True
                )
                self._cores.append(core)
                core.start()
        except BaseException:
            self.cancel()
            raise

    def _start(self, index: int) -> Conversion:
        group = self.groups[index]
        text = self._text_of(group)
        conversion = Conversion(command=self._command, size=len(text), docx=self._docx)
        self.started.append((group, conversion))
        conversion.feed(text)
        return conversion

    def _convert(self, indices: list[int], first: Conversion) -> None:
        """Convert the runs of one core, one after another (in a thread). A run's output is
        handed to `then` once the core's next run has started, so that pandoc does not wait
        for it."""
        conversion: Conversion | None = first
        for position, index in enumerate(indices):
            try:
                if self._cancelled or conversion is None:
                    return
                output = conversion.result()
            except BaseException as exc:  # noqa: BLE001 - raised by outputs()
                self._outputs[index] = exc
                output = None
            conversion = None
            if position + 1 < len(indices) and not self._cancelled:
                try:
                    conversion = self._start(indices[position + 1])
                except BaseException as exc:  # noqa: BLE001 - raised by outputs()
                    for later in indices[position + 1 :]:  # this core starts no more
                        self._outputs[later] = exc
            if output is None:
                continue
            try:
                then = self._then
                self._outputs[index] = output if then is None else then(self.groups[index], output)
            except BaseException as exc:  # noqa: BLE001 - raised by outputs()
                self._outputs[index] = exc

    def outputs(self) -> list[Any]:
        """Wait for the runs; return what each wrote (through `then`), or raise the first
        one's failure."""
        for core in self._cores:
            core.join()
        found = []
        for index in range(len(self.groups)):
            output = self._outputs[index]
            if isinstance(output, BaseException):
                raise output
            found.append(output)
        return found

    def cancel(self) -> None:
        """Stop the runs (and start no more)."""
        self._cancelled = True
        for _, conversion in list(self.started):
            conversion.cancel()
        for core in self._cores:
            core.join()
        for _, conversion in list(self.started):
            conversion.cancel()  # one a core started while the others were stopped


class BodyConversion:
    """The body converted by units, in the background: cached units are read at once, the
    others handed to pandoc runs working in parallel (see Runs); `result` puts the document
    together.

    With a single section it is one pandoc run of the whole body (the plain conversion)."""

    def __init__(
        self,
        sections: Sequence[str] | Units,
        reference_doc: Path,
        cache: Cache = NO_CACHE,
        jobs: int | None = None,
    ):
        units = (
            sections if isinstance(sections, Units) else Units.of_markdown(sections, reference_doc)
        )
        self._units = units
        self.cache = cache
        self._identity = _identity(units.command, reference_doc, units.extra)
        if cache.get("sound-reference", self._identity) is not True:
            check_reference(reference_doc)
            cache.put("sound-reference", self._identity, True)
        found = [cache.get("pandoc-unit", self._identity + key) for key in units.keys]
        self.pieces: list[Piece | None] = [p if isinstance(p, Piece) else None for p in found]
        skeleton = cache.get("pandoc-skeleton", self._identity)
        self.skeleton = skeleton if isinstance(skeleton, Skeleton) else None
        missing = [i for i, piece in enumerate(self.pieces) if piece is None]
        if self.skeleton is None and not missing:
            missing = [0]  # one conversion gives the skeleton
        self._runs = Runs(
            units.command,
            lambda group: units.join([units.text(i) for i in group]),
            missing,
            [len(key) for key in units.keys],
            jobs or cores(),
            docx=True,
            # each run's document is cut into its pieces while the other runs work
            then=lambda group, output: split_body(output, len(group)),
        )
        self.groups = self._runs.groups

    @property
    def runs(self) -> list[tuple[list[int], Conversion]]:
        """The pandoc runs started so far, each with the units it converts."""
        return self._runs.started

    @property
    def converted(self) -> int:
        """How many units pandoc converts (the others came from the cache)."""
        return sum(len(group) for group in self.groups)

    def result(self) -> bytes:
        """Wait for the pandoc runs and return the body DOCX."""
        return write_parts(self.result_parts())

    def result_parts(self) -> dict[str, bytes]:
        """Wait for the pandoc runs and return the body DOCX as its parts."""
        pieces = list(self.pieces)
        skeletons = [self.skeleton] if self.skeleton is not None else []
        fresh = []
        for group, split in zip(self.groups, self._runs.outputs(), strict=True):
            if split is None:
                return self._whole()
            skeletons.append(split[0])
            for index, piece in zip(group, split[1], strict=True):
                pieces[index] = piece
                fresh.append(index)
        if not skeletons or any(s != skeletons[0] for s in skeletons):
            return self._whole()
        complete = [p for p in pieces if p is not None]
        document = merge_parts(skeletons[0], complete)
        if document is None or len(complete) != len(pieces):
            return self._whole()
        if self.skeleton is None:
            self.cache.put("pandoc-skeleton", self._identity, skeletons[0])
        for index in fresh:
            self.cache.put("pandoc-unit", self._identity + self._units.keys[index], pieces[index])
        return document

    def _whole(self) -> dict[str, bytes]:
        """Convert the body in one run, for content the units cannot carry."""
        whole = self._units.whole()
        conversion = Conversion(command=self._units.command, size=len(whole), docx=True)
        conversion.feed(whole)
        docx = conversion.result()
        split = split_body(docx, 1)
        merged = merge_parts(split[0], split[1]) if split is not None else None
        return merged if merged is not None else read_parts(docx)

    def cancel(self) -> None:
        """Stop the pandoc runs."""
        self._runs.cancel()


def convert_body(
    sections: Sequence[str], reference_doc: Path, cache: Cache = NO_CACHE, jobs: int | None = None
) -> bytes:
    """Convert the body's sections to DOCX: by units in parallel, from the cache where known."""
    return BodyConversion(sections, reference_doc, cache, jobs).result()


def _tags(*names: str) -> tuple[str, ...]:
    return tuple(f"{{{W_NS}}}{name}" for name in names)


_FOOTNOTE_REFERENCE = f"{{{W_NS}}}footnoteReference"
_BOOKMARKS = _tags("bookmarkStart", "bookmarkEnd")
_ID = f"{{{W_NS}}}id"
# Content pointing at parts or places outside its unit: such a body is converted whole.
_UNCARRIED = _tags(
    "numPr", "hyperlink", "commentReference", "commentRangeStart", "endnoteReference",
    "drawing", "pict", "object", "fldSimple", "instrText",
)  # fmt: skip


def _carried(element: Any) -> bool:
    if next(element.iter(*_UNCARRIED), None) is not None:
        return False
    return not any(name.startswith(f"{{{R_NS}}}") for e in element.iter() for name in e.attrib)


def _is_mark(element: Any) -> bool:
    style = element.find(f"{{{W_NS}}}pPr/{{{W_NS}}}pStyle")
    return style is not None and style.get(f"{{{W_NS}}}val") == _MARK_STYLE


def split_body(docx: bytes, count: int) -> tuple[Skeleton, list[Piece]] | None:
    """Cut a pandoc DOCX of `count` units (marked apart) into its skeleton and pieces; None
    when its content cannot be carried by pieces."""
    from .ooxml import parse_xml, serialize_xml  # here: a pandoc run starts without lxml

    parts = read_parts(docx)
    if DOCUMENT_PART not in parts or FOOTNOTES_PART not in parts or CORE_PART not in parts:
        return None
    document = parse_xml(parts[DOCUMENT_PART])
    body = document.find(f"{{{W_NS}}}body")
    if body is None or not len(body) or body[-1].tag != f"{{{W_NS}}}sectPr":
        return None
    notes_root = parse_xml(parts[FOOTNOTES_PART])
    notes = {n.get(_ID): n for n in notes_root if n.get(f"{{{W_NS}}}type") is None}
    groups: list[list[Any]] = [[]]
    for child in list(body)[:-1]:
        if _is_mark(child):
            groups.append([])
        else:
            groups[-1].append(child)
    if len(groups) != count:
        return None
    for earlier, group in itertools.pairwise(groups):
        # pandoc closes the last section's bookmarks after the mark that follows it
        started = {e.get(_ID) for b in group for e in b.iter(_BOOKMARKS[0])}
        while group and group[0].tag == _BOOKMARKS[1] and group[0].get(_ID) not in started:
            earlier.append(group.pop(0))
    pieces = [_piece(group, notes) for group in groups]
    if any(piece is None for piece in pieces):
        return None
    for child in list(body)[:-1]:
        body.remove(child)
    for note in notes.values():
        notes_root.remove(note)
    parts[DOCUMENT_PART] = serialize_xml(document)
    parts[FOOTNOTES_PART] = serialize_xml(notes_root)
    parts[CORE_PART] = _CORE_DATES.sub(rb"\1\3", parts[CORE_PART])
    return Skeleton(parts), [p for p in pieces if p is not None]


def _piece(blocks: list[Any], notes: Mapping[str | None, Any]) -> Piece | None:
    """Return one unit's piece with its ids numbered from 0, or None if it cannot be one."""
    from .ooxml import markup_of

    if not all(_carried(block) for block in blocks):
        return None
    marks: dict[str | None, str] = {}
    names = []
    ends = 0
    for block in blocks:
        for mark in block.iter(*_BOOKMARKS):
            old = mark.get(_ID)
            if mark.tag == _BOOKMARKS[0]:
                if old in marks:
                    return None
                marks[old] = str(len(marks))
                names.append(mark.get(f"{{{W_NS}}}name") or "")
            elif old not in marks:
                return None  # an end whose start is in another unit
            else:
                ends += 1
            mark.set(_ID, marks[old])
    if ends != len(marks) or len(set(names)) != len(names):
        return None
    cited: list[str] = []
    for reference in (r for block in blocks for r in block.iter(_FOOTNOTE_REFERENCE)):
        note = notes.get(reference.get(_ID))
        if note is None or not _carried(note) or next(note.iter(*_BOOKMARKS), None) is not None:
            return None
        if next(note.iter(_FOOTNOTE_REFERENCE), None) is not None:
            return None
        reference.set(_ID, str(len(cited)))
        cited.append(markup_of(note))
    return Piece("".join(markup_of(b) for b in blocks), tuple(cited), tuple(names))


def _declarations(root: Any) -> str:
    return "".join(
        f' xmlns:{prefix}="{uri}"' if prefix else f' xmlns="{uri}"'
        for prefix, uri in root.nsmap.items()
    )


def merge_parts(
    skeleton: Skeleton, pieces: Sequence[Piece], stamp: str | None = None
) -> dict[str, bytes] | None:
    """Put the pieces into the skeleton, numbering footnotes from 1 and bookmarks from 0 in
    document order; return the document's parts (not zipped: the layout zips it once), or
    None when two pieces have a bookmark of the same name.

    The pieces' markup goes in as text, its ids renumbered where they stand (a long body
    is not parsed again for it); a skeleton of another shape than split_body makes is
    merged as trees."""
    names = [name for piece in pieces for name in piece.bookmarks]
    if len(set(names)) != len(names):
        return None  # pandoc would have told two equal headings apart
    parts = dict(skeleton.parts)
    document, notes = parts[DOCUMENT_PART], parts[FOOTNOTES_PART]
    body = _EMPTY_BODY.search(document)
    notes_end = notes.rfind(b"</w:footnotes>")
    if body is None or document.count(b"<w:body") != 1 or notes_end < 0:
        _merge_trees(parts, pieces)
    else:
        blocks: list[str] = []
        texts: list[str] = []
        note_base, mark_base = 1, 0
        for piece in pieces:
            blocks.append(_renumbered(piece.blocks, note_base, mark_base))
            for index, note in enumerate(piece.notes):
                texts.append(_NOTE_ID.sub(rf"\g<1>{note_base + index}\g<2>", note, count=1))
            note_base += len(piece.notes)
            mark_base += len(piece.bookmarks)
        at = body.end()
        parts[DOCUMENT_PART] = document[:at] + "".join(blocks).encode() + document[at:]
        parts[FOOTNOTES_PART] = notes[:notes_end] + "".join(texts).encode() + notes[notes_end:]
    when = (stamp or _now()).encode()
    parts[CORE_PART] = _CORE_DATES.sub(rb"\g<1>" + when + rb"\g<3>", parts[CORE_PART])
    return parts


# The body of a skeleton (split_body): its section's properties alone; the pieces go
# before them.
_EMPTY_BODY = re.compile(rb"<w:body>\s*(?=<w:sectPr[\s>])")
# The ids a piece numbers from 0 (_piece): its footnote references' and its bookmarks'.
_PIECE_ID = re.compile(r'(<w:(footnoteReference|bookmarkStart|bookmarkEnd)\b[^>]*? w:id=")(\d+)"')
_NOTE_ID = re.compile(r'^(<w:footnote\b[^>]*? w:id=")\d+(")')


def _renumbered(markup: str, note_base: int, mark_base: int) -> str:
    def renumber(match: re.Match[str]) -> str:
        base = note_base if match.group(2) == "footnoteReference" else mark_base
        return f'{match.group(1)}{base + int(match.group(3))}"'

    return _PIECE_ID.sub(renumber, markup)


def _merge_trees(parts: dict[str, bytes], pieces: Sequence[Piece]) -> None:
    """merge_parts for any skeleton: the pieces parsed into its document's and footnotes'
    trees."""
    from .ooxml import parse_xml, serialize_xml

    document = parse_xml(parts[DOCUMENT_PART])
    body = document.find(f"{{{W_NS}}}body")
    assert body is not None
    final = body[-1]
    notes_root = parse_xml(parts[FOOTNOTES_PART])
    blocks_ns, notes_ns = _declarations(document), _declarations(notes_root)
    note_base, mark_base = 1, 0
    for piece in pieces:
        holder = parse_xml(f"<w:body{blocks_ns}>{piece.blocks}</w:body>".encode())
        for reference in holder.iter(_FOOTNOTE_REFERENCE):
            reference.set(_ID, str(note_base + int(reference.get(_ID) or 0)))
        for mark in holder.iter(*_BOOKMARKS):
            mark.set(_ID, str(mark_base + int(mark.get(_ID) or 0)))
        for block in list(holder):
            final.addprevious(block)
        notes = parse_xml(f"<w:footnotes{notes_ns}>{''.join(piece.notes)}</w:footnotes>".encode())
        for index, note in enumerate(list(notes)):
            note.set(_ID, str(note_base + index))
            notes_root.append(note)
        note_base += len(piece.notes)
        mark_base += len(piece.bookmarks)
    parts[DOCUMENT_PART] = serialize_xml(document)
    parts[FOOTNOTES_PART] = serialize_xml(notes_root)


def _now() -> str:
    """Return the time a document is stamped with: $SOURCE_DATE_EPOCH, else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = (
        dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        if epoch.isdigit()
        else dt.datetime.now(dt.timezone.utc)
    )
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
