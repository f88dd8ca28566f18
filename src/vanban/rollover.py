"""`vanban rollover SOURCE DEST --period 2026-2030`: the next period's document from this one.

What is kept, what changes:

- kept as they are: the text (content/), the schemas, the rules and the glossary (checks/),
  the Word templates, the appendix declarations;
- advanced: the period and the year of data/document.yaml, the years in its summary and
  the old years in its output name (a name without years stays); it becomes a draft
  again, without số or date;
- cleared: every figure of data/*.yaml becomes `!missing`, which a draft prints as a marker
  and lists, and a final build refuses; comments stay;
- carried: the figures named in `carry_forward` of data/document.yaml take the value of
  their source (the poverty rate at the end of the period becomes the new baseline);
- dropped: the waivers, which acknowledged findings about the old figures.

The text is not rewritten: its years are citations as often as periods. The command lists
the lines that name the old period's years, in every text the document prints (the
narrative and an appendix's own text, an attached Quy chế, the appendices' declaration), and
the figures those texts still type (as vanban.check.lint.typed_figures reads them), each at
its place, for the office to review. The next period may have the same years (a quarterly
report's next quarter): then no year moves, and the summary is listed with the text.
Everything is read and checked before anything is written, and DEST appears complete or
not at all.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from .classes import dataclass, field
from .errors import Problem, ProblemsError, ProjectError
from .facts import MISSING_TAG, Loaded, is_missing, load_yaml, place_of
from .metadata import Period, metadata_from
from .project import METADATA_FILE, Project, load_facts, open_project

# The parts of a report that a rollover takes along; anything else in SOURCE (an engine's
# own sources, a README, build/) stays behind.
COPIED_DIRS = ("content", "schema", "checks", "templates")
COPIED_FILES = (".gitattributes", ".gitignore")
WAIVERS = "checks/waivers.yaml"

_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[-–]\s*(\d{4})\s*)?$")  # 2026-2030, or 2026 alone
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
# a year after a slash (a number's "/2019/", a date's "04/10/2021"), or any other year
_CITED_YEAR = re.compile(r"(/)(?:19\d\d|20\d\d)(?!\d)|(?<!\d)(19\d\d|20\d\d)(?!\d)")
_SCALAR = re.compile(r"[^\s,\]}#]+")
# `!missing`, and its note: quoted, or plain to the end of the line, the next item or a comment
_MISSING_SCALAR = re.compile(
    r"""!missing(?:[ \t]+(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,\]}#\n]*[^,\]}#\s]))?"""
)


def parse_period(text: str) -> Period:
    """Read "2026-2030" (or "2026–2030") as a Period; "2026" as the year 2026 alone (a
    yearly report's next year)."""
    match = _PERIOD.match(text)
    start = int(match.group(1)) if match else 0
    end = int(match.group(2) or start) if match else 0
    if not match or end < start:
        raise ProjectError(
            f"--period: expected a year or two years such as 2026 or 2026-2030, got {text!r}"
        )
    return Period(start, end)


@dataclass
class Plan:
    """What a rollover will write, gathered and checked before anything is."""

    source: Project
    old: Period
    new: Period
    files: dict[str, str] = field(default_factory=dict)  # relative path -> new text
    cleared: list[str] = field(default_factory=list)
    carried: list[tuple[str, str]] = field(default_factory=list)  # (target, source)
    waivers: int = 0
    # the lines of the printed texts that name a year of the old period, with the words
    # naming it: (file, line, ["quý I năm 2026", …])
    review: list[tuple[str, int, list[str]]] = field(default_factory=list)
    # the figures typed in the text, not printed from data/: (file, line, column, figure)
    typed: list[tuple[str, int, int, str]] = field(default_factory=list)
    month: int | None = None  # the old draft's month, cleared with its date
    year: int | None = None  # the new draft's year (None: left blank)

    @property
    def shift(self) -> int:
        return self.new.start - self.old.start


def plan_rollover(root: Path, new: Period) -> Plan:
    """Read the report at root and prepare its next-period copy; raise with every problem."""
    project = open_project(root)
    path = project.data_dir / METADATA_FILE
    loaded, problems = load_yaml(path, project.display(path))
    if loaded is None or not isinstance(loaded.document, Mapping):
        raise ProblemsError(problems or [Problem(project.display(path), 1, 1, "not a mapping")])
    _, invalid = metadata_from(loaded)
    if invalid:
        raise ProblemsError(invalid)
    old = _period_of(loaded)
    if new.start < old.start:
        raise ProjectError(f"--period {new}: the next period cannot start before this one, {old}")
    plan = Plan(project, old, new)
    facts, parsed = load_facts(project)
    problems = [p for found in parsed.values() for p in found]
    if problems:
        raise ProblemsError(problems)
    documents = {name: data.loaded for name, data in facts.files.items()}
    carry = _carry_forward(loaded, documents)
    for name, data in documents.items():
        plan.files[_relative(project, data)] = _clear_figures(name, data, carry, plan)
    plan.files[project.display(path)] = _advance_metadata(loaded, plan)
    waivers = project.root / WAIVERS
    if waivers.is_file():
        plan.waivers = _count_waivers(waivers)
        plan.files[WAIVERS] = _no_waivers(plan)
    texts = _printed_texts(project)
    plan.review = _years_in_text(project, texts, old)
    plan.typed = _typed_figures(project, texts)
    if plan.shift == 0:  # the same years: the summary names the old quarter or month
        plan.review[:0] = _years_in_summary(loaded, old)
    return plan


def _relative(project: Project, loaded: Loaded) -> str:
    return loaded.path.relative_to(project.root).as_posix()


def _period_of(loaded: Loaded) -> Period:
    """Return the document's period; a yearly report's year where it declares none."""
    period = loaded.document.get("period")
    year = loaded.document.get("year")
    if period is None and isinstance(year, int) and not isinstance(year, bool):
        return Period(year, year)
    if not isinstance(period, Mapping) or not {"start", "end"} <= set(period):
        raise ProblemsError(
            [
                Problem(
                    loaded.display,
                    1,
                    1,
                    "period: a rollover needs the document's period, e.g. "
                    "period: {start: 2021, end: 2025}, or its year",
                )
            ]
        )
    return Period(int(period["start"]), int(period["end"]))


# --- carrying figures forward --------------------------------------------------------------


def _leaves(node: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    """Yield (dotted name, value) of every figure (number or placeholder) under node."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _leaves(value, f"{prefix}.{key}")
    elif _is_figure(node):
        yield prefix, node


def _is_figure(value: object) -> bool:
    number = isinstance(value, int | Decimal) and not isinstance(value, bool)
    return number or is_missing(value)


def _lookup(documents: Mapping[str, Loaded], dotted: str) -> tuple[Any, str | None]:
    name, *keys = dotted.split(".")
    if name not in documents:
        return None, f"no data file named {name!r} (data: {', '.join(documents)})"
    node: Any = documents[name].document
    for index, key in enumerate(keys):
        if not isinstance(node, Mapping) or key not in node:
            where = ".".join([name, *keys[:index]])
            have = ", ".join(map(str, node)) if isinstance(node, Mapping) else "no keys"
            return None, f"{where} has no key {key!r} (it has: {have})"
        node = node[key]
    return node, None


def _carry_forward(metadata: Loaded, documents: Mapping[str, Loaded]) -> dict[str, tuple[str, Any]]:
    """Return the carried figures, target name -> (source name, value); every bad entry of
    carry_forward is a problem with its place."""
    declared = metadata.document.get("carry_forward") or {}
    carried: dict[str, tuple[str, Any]] = {}
    problems = []
    for target, source in declared.items():
        line, col = place_of(metadata.document, ("carry_forward", target), key=True)

        def problem(message: str, line: int = line, col: int = col) -> None:
            problems.append(Problem(metadata.display, line, col, f"carry_forward: {message}"))

        to_node, to_problem = _lookup(documents, target)
        from_node, from_problem = _lookup(documents, source)
        if to_problem or from_problem:
            problem(f"{target}: {to_problem}" if to_problem else f"{source}: {from_problem}")
            continue
        targets = dict(_leaves(to_node, target))
        sources = dict(_leaves(from_node, source))
        if not targets:
            problem(f"{target} holds no figures")
            continue
        shape = {name[len(target) :] for name in targets}
        if shape != {name[len(source) :] for name in sources}:
            problem(
                f"{target} and {source} do not hold the same figures "
                f"({', '.join(sorted(k.lstrip('.') or '(the figure)' for k in shape))})"
            )
            continue
        for name, value in sources.items():
            carried[target + name[len(source) :]] = (name, value)
    if problems:
        raise ProblemsError(problems)
    return carried


# --- rewriting data files -----------------------------------------------------------------


def _clear_figures(
    name: str, loaded: Loaded, carry: Mapping[str, tuple[str, Any]], plan: Plan
) -> str:
    """Return the data file with every figure `!missing`, or the carried value; comments kept.

    Each figure is replaced where the parser found it, so that layout and comments stay; a
    carried figure's comment says where its value came from."""
    lines = loaded.path.read_text(encoding="utf-8").split("\n")
    edits: dict[tuple[int, int], tuple[str, str | None]] = {}
    for dotted, value in _leaves(loaded.document, name):
        line, col = place_of(loaded.document, tuple(dotted.split(".")[1:]))
        if dotted in carry:
            source, carried = carry[dotted]
            text = MISSING_TAG if is_missing(carried) else str(carried)
            edits[line, col] = (text, f"carried forward: {source} of {plan.old}")
            plan.carried.append((dotted, source))
        elif not is_missing(value):
            plan.cleared.append(dotted)
            edits[line, col] = (MISSING_TAG, None)
    for (line, col), (text, comment) in sorted(edits.items(), reverse=True):
        lines[line - 1] = _replace_scalar(lines[line - 1], col - 1, text, comment)
    return "\n".join(lines)


def _replace_scalar(line: str, start: int, text: str, comment: str | None = None) -> str:
    """Replace the plain scalar starting at start (a number, a word, or `!missing` and its
    note), keeping what follows; with a comment, replace the line's comment."""
    if line.startswith(MISSING_TAG, start):
        match = _MISSING_SCALAR.match(line, start)
        end = match.end() if match else len(line)
    else:
        match = _SCALAR.match(line, start)
        end = match.end() if match else start
    if start and line[start - 1] == ":":  # a key with no value yet (`number:`): one space
        text = " " + text
    if text.startswith("!") and line[end : end + 1] in (",", "}", "]"):  # a tag, in a flow
        # mapping, ends before a space
        text += " "
    new = line[:start] + text + line[end:]
    if comment is not None:
        new = new.split(" #", 1)[0].rstrip() + f"  # {comment}"
    return new


# --- document.yaml and waivers ------------------------------------------------------------


def shift_years(text: str, shift: int, since: int = 0) -> str:
    """Return text with every year (1900–2099) from since on moved by shift years, but
    those of a document's number ("Nghị quyết số 88/2019/QH14", "Quyết định 1719/QĐ-TTg
    ngày 04/10/2021"): a citation stays. A year before since (the document's period) names
    what came before it, such as a law ("Luật Đầu tư công năm 2019"), and stays too."""

    def shift_one(match: re.Match[str]) -> str:
        if match.group(1) or int(match.group(2)) < since:
            return match.group(0)
        return str(int(match.group(2)) + shift)

    return _CITED_YEAR.sub(shift_one, text)


def _advance_name(name: str, year: int | None, plan: Plan) -> str:
    """Return the output name with its years of the old document (its year, those of its
    period) moved by the shift: bao-cao-2024 becomes bao-cao-2025, ke-hoach-2021-2025
    ke-hoach-2026-2030; other years (a cited Nghị quyết's) and a name without years stay."""
    old = {*range(plan.old.start, plan.old.end + 1)} | ({year} if year is not None else set())

    def advance(match: re.Match[str]) -> str:
        found = int(match.group(1))
        return str(found + plan.shift) if found in old else match.group(1)

    return _YEAR.sub(advance, name)


def _advance_metadata(loaded: Loaded, plan: Plan) -> str:
    """Return data/document.yaml as a draft of the new period: status, số, date, year,
    period, summary and output advanced; comments kept."""
    document = loaded.document
    lines = loaded.path.read_text(encoding="utf-8").split("\n")
    top = sorted(
        (place_of(document, (key,), key=True)[0], key) for key in document if isinstance(key, str)
    )

    def set_value(path: tuple[str, ...], text: str) -> None:
        line, col = place_of(document, path)
        lines[line - 1] = _replace_scalar(lines[line - 1], col - 1, text)

    set_value(("status",), "draft")
    set_value(("number",), "null")
    set_value(("date",), "null")
    if document.get("month") is not None:  # the old draft's month: not the new one's
        plan.month = int(document["month"])
        set_value(("month",), "null")
    if document["year"] is not None:  # a year still blank stays blank
        plan.year = int(document["year"]) + plan.shift
        set_value(("year",), str(plan.year))
    if document.get("period") is not None:  # a yearly report may give its year alone
        set_value(("period", "start"), str(plan.new.start))
        set_value(("period", "end"), str(plan.new.end))
    output = str(document["output"])
    year = int(document["year"]) if document["year"] is not None else None
    advanced = _advance_name(output, year, plan)
    # a name YAML would read as another type ("2026" a number) is written quoted
    plain = not re.fullmatch(r"[-+.\d]+|true|false|yes|no|on|off|null|~", advanced, re.I)
    set_value(("output",), advanced if plain else f"'{advanced}'")
    # its comment names the file it builds (`# build/bao-cao-2024.docx`): the new one
    line = place_of(document, ("output",))[0] - 1
    value, hash_, comment = lines[line].partition(" #")
    lines[line] = value + hash_ + comment.replace(f"{output}.", f"{advanced}.")
    if document.get("summary") is None:  # a Giấy mời may have none; a Giấy giới thiệu has none
        return "\n".join(lines)
    # The summary may run over several lines (a folded scalar): shift the years in all of
    # them, up to the next top-level key.
    first = place_of(document, ("summary",), key=True)[0]
    after = [line for line, _ in top if line > first]
    last = (after[0] - 1) if after else len(lines)
    key, colon, value = lines[first - 1].partition(":")
    lines[first - 1] = key + colon + shift_years(value, plan.shift, plan.old.start)
    for index in range(first, last):
        lines[index] = shift_years(lines[index], plan.shift, plan.old.start)
    return "\n".join(lines)


def _count_waivers(path: Path) -> int:
    loaded, _ = load_yaml(path, WAIVERS)
    document = loaded.document if loaded is not None else None
    items = document.get("waivers") if isinstance(document, Mapping) else None
    return len(items) if isinstance(items, list) else 0


def _no_waivers(plan: Plan) -> str:
    return (
        "# Findings of `vanban check` acknowledged in this document: none yet.\n"
        f"# `vanban rollover` dropped the {plan.waivers} waivers of the {plan.old} document: "
        "they\n# acknowledged findings about its figures, which this document does not have.\n"
        "waivers: []\n"
    )


# --- the text -----------------------------------------------------------------------------


def _printed_texts(project: Project) -> list[Path]:
    """Return every Markdown source the document prints: the narrative's sections, then the
    appendices' own texts (an attached Quy chế) in the order they are declared."""
    from .appendix import APPENDICES_FILE, load_declaration
    from .pipeline import attached_texts

    path = project.content_dir / APPENDICES_FILE
    declaration, problems = load_declaration(path, project.display(path))
    attached, missing = attached_texts(project, declaration)
    if problems or missing:
        raise ProblemsError(problems + missing)
    return project.content_files() + [text for _, _, text, _ in attached]


def _years_in_text(
    project: Project, texts: list[Path], old: Period
) -> list[tuple[str, int, list[str]]]:
    """Return the lines of the texts, and of the appendices' declaration (their titles,
    headings and tables), that name a year of the old period, each with the words naming
    it; a year printed from the metadata ({{ document.year }}) moves by itself and is none."""
    from .appendix import APPENDICES_FILE
    from .check.lint import mask

    years = {str(y) for y in range(old.start, old.end + 1)}
    found = []
    declaration = project.content_dir / APPENDICES_FILE
    for path in [*texts, *([declaration] if declaration.is_file() else [])]:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path == declaration:  # its comments are not printed
            lines = [re.sub(r"^\s*#.*", "", line) for line in text.split("\n")]
        else:
            lines = mask(text).split("\n")
        for number, line in enumerate(lines, 1):
            words = _year_phrases(line, years)
            if words:
                found.append((project.display(path), number, words))
    return found


def _years_in_summary(loaded: Loaded, old: Period) -> list[tuple[str, int, list[str]]]:
    """Return the lines of the summary (the trích yếu, over several lines if folded) that
    name a year of the old period."""
    if loaded.document.get("summary") is None:
        return []
    years = {str(y) for y in range(old.start, old.end + 1)}
    lines = loaded.path.read_text(encoding="utf-8").split("\n")
    first = place_of(loaded.document, ("summary",), key=True)[0]
    found = []
    for number in range(first, len(lines) + 1):
        line = lines[number - 1]
        if number > first and line[:1] not in (" ", "\t"):
            break  # the next key
        words = _year_phrases(line, years)
        if words:
            found.append((loaded.display, number, words))
    return found


# a year as a word of its own (a fact's name, y2026, holds none); one of a date or a
# document's number (20/01/2026, 01/2026/QĐ-UBND) too
_WORD_YEAR = re.compile(r"(?<!\w)(19\d\d|20\d\d)(?!\d)")
_STOP = ",;:.()[]|“”\"'"
_NAMING_WORDS = 3  # "quý I năm 2026": the words before the year that say what it is


def _year_phrases(line: str, years: set[str]) -> list[str]:
    """Return the words naming each of the years that line names, once each."""
    named = [_year_words(line, match) for match in _WORD_YEAR.finditer(line)]
    return list(dict.fromkeys(words for words, year in named if year in years))


def _year_words(line: str, match: re.Match[str]) -> tuple[str, str]:
    """Return the words that name the year at match ("quý I năm 2026", "giai đoạn
    2021-2025", "ngày 20/01/2026") and the year: the word it is in and up to three words
    before it, within its clause."""
    start = match.start()
    while start and not line[start - 1].isspace() and line[start - 1] not in "([“\"'|":
        start -= 1
    end = match.end()
    while end < len(line) and not line[end].isspace() and line[end] not in ",;:)]”\"'|":
        end += 1
    taken: list[str] = []
    for word in reversed(line[:start].split()[-_NAMING_WORDS:]):
        if word[-1] in _STOP or word.strip("*_") == "":
            break
        taken.insert(0, word)
    words = " ".join([*taken, line[start:end].rstrip(".")])
    return words.replace("*", "").replace("_", " ").strip(), match.group(1)


def _typed_figures(project: Project, texts: list[Path]) -> list[tuple[str, int, int, str]]:
    """Return the figures typed in the texts and in the appendices' Markdown tables, with
    their places: what clearing data/ leaves as the old period wrote it."""
    from .appendix import APPENDICES_FILE
    from .check.lint import read_source, typed_figures

    found = []
    for path in texts:
        source, _ = read_source(project.display(path), path.read_bytes())
        for offset, token in typed_figures(source.masked_text):
            found.append((source.display, *source.place(offset), token))
    path = project.content_dir / APPENDICES_FILE
    loaded, _ = load_yaml(path, project.display(path)) if path.is_file() else (None, [])
    if loaded is None:
        return found
    lines = path.read_text(encoding="utf-8").split("\n")
    for keys, table in _markdown_tables(loaded.document, ()):
        line, col = place_of(loaded.document, keys)
        block = lines[line - 1][col - 1 : col].strip() in ("|", ">")
        source, _ = read_source(loaded.display, table.encode("utf-8"))
        for offset, token in typed_figures(source.masked_text):
            at, column = source.place(offset)
            if not block:  # a quoted table: its place in the file is its start
                found.append((loaded.display, line, col, token))
                continue
            text_line = source.lines[at - 1]
            file_line = lines[line + at - 1] if line + at - 1 < len(lines) else text_line
            indent = len(file_line) - len(text_line) if file_line.endswith(text_line) else 0
            found.append((loaded.display, line + at, indent + column, token))
    return found


def _markdown_tables(node: Any, keys: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Yield (path, text) of every table written out in Markdown (`markdown:`) under node."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "markdown" and isinstance(value, str):
                yield (*keys, key), value
            else:
                yield from _markdown_tables(value, (*keys, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _markdown_tables(value, (*keys, index))


# --- writing ------------------------------------------------------------------------------


def _check_free(dest: Path) -> None:
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ProjectError(f"{dest}: exists and is not empty; vanban rollover never overwrites")


def write_rollover(plan: Plan, dest: Path) -> None:
    """Write the planned copy into dest, which must not exist or be empty; all or nothing."""
    _check_free(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = dest.parent / f".{dest.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    staging.mkdir()  # not mkdtemp: the directory gets the user's usual permissions
    try:
        root = plan.source.root
        for name in COPIED_DIRS:
            if (root / name).is_dir():
                shutil.copytree(root / name, staging / name)
        for name in COPIED_FILES:
            if (root / name).is_file():
                shutil.copyfile(root / name, staging / name)
        for relative, text in plan.files.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        if dest.exists():
            dest.rmdir()
        os.replace(staging, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def rollover(source: Path, dest: Path, period: str) -> Plan:
    """Start the next period's document in dest from the report at source."""
    new = parse_period(period)
    _check_free(dest)
    plan = plan_rollover(source, new)
    write_rollover(plan, dest)
    return plan


def summary(plan: Plan, dest: Path) -> list[str]:
    """Return what a rollover did, for the command line."""
    out = [
        f"rolled {plan.source.root} ({plan.old}) over to {dest} ({plan.new}):",
        f"  {len(plan.cleared)} figures cleared to {MISSING_TAG}",
        f"  {len(plan.carried)} figures carried forward (carry_forward in {METADATA_FILE})",
    ]
    out += [f"    {target} ← {source}" for target, source in plan.carried]
    if plan.shift == 0:
        out.append(
            "  the same years (the next quarter or month): no year moves; the summary's and "
            "the text's are listed below for review"
        )
    if plan.month is not None:
        year = f" {plan.year}" if plan.year is not None else ""
        out.append(
            f"  month: {plan.month} cleared with the date (the draft prints “ngày      tháng"
            f"      năm{year}” until the new month is given)"
        )
    if plan.waivers:
        out.append(f"  {plan.waivers} waivers dropped (they were about the old figures)")
    if plan.typed:
        out.append(
            f"  {_figures(len(plan.typed))} typed in the text stay as {plan.old} wrote them "
            "(only data/ is cleared): type this period's, or print them from data/ "
            "({{ fact | so }})"
        )
        out += [f"    {name}:{line}:{col}: {token}" for name, line, col, token in plan.typed]
    if plan.review:
        out.append(
            f"  the text names years of {plan.old} on {_lines(len(plan.review))}; vanban does "
            "not rewrite the text (years in citations must stay): review"
        )
        out += [f"    {name}:{line}: {', '.join(words)}" for name, line, words in plan.review]
        out.append(
            "  a year naming the document's own period can be written {{ document.year }} "
            "(the period {{ document.period }}) in the text, to move by itself"
        )
    out.append(f"next: vanban build {dest}  (a draft listing every figure still to be entered)")
    return out


def _figures(count: int) -> str:
    return f"{count} figure" if count == 1 else f"{count} figures"


def _lines(count: int) -> str:
    return f"{count} line" if count == 1 else f"{count} lines"
