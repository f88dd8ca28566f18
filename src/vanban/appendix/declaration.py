"""The appendices a report declares in content/appendices.yaml: their order, names and tables.

Parsing needs no facts: it checks the declaration's shape, expands `for:` generators, checks
every {placeholder} against the names in scope and resolves column operands, so that the
body's references (`appendix_ref`) can be numbered before any fact is read.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..cache import NO_CACHE, Cache
from ..classes import dataclass, field, replace
from ..errors import Problem
from ..facts import load_yaml, place_of
from ..numbers import format_number
from .literal import LiteralTable, parse_markdown_table
from .schema import check

APPENDICES_FILE = "appendices.yaml"


def declaration_bytes(content_dir: Path) -> bytes:
    """Return the bytes of the appendices' declaration in content_dir, what is kept by it:
    a mark of its own when there is none (or it cannot be read: its load says why)."""
    try:
        return (content_dir / APPENDICES_FILE).read_bytes()
    except OSError:
        return b"\0none"


DEFAULT_FONT_PT = Decimal(12)
DEFAULT_CELL = "{at}.{field}"
DEFAULT_ROW_NUMBERS = ("I", "1", "-")
# I, II; 1, 2; 1.1, 1.2 (the parent's number, a dot, the row's); a, b; "-" and "+" as printed.
ROW_NUMBER_STYLES = ("I", "1", "1.1", "a", "-", "+", "")
DEFAULT_WORD = "Phụ lục"
# The headings of an attached document's text unless told: a Quy chế's (ND30 Phụ lục I, 6a).
ATTACHED_HEADINGS = ("chapter", "article")
COLUMN_NUMBER_STYLES = ("letters", "numbers", "none")
BODY_TABLE_MARK = "VANBANTABLE:"  # a paragraph of the text that a table replaces

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+")

DeclPath = tuple[Any, ...]


@dataclass(frozen=True)
class Template:
    """A text with {name} placeholders, and the place of the declaration it came from."""

    text: str
    path: DeclPath

    @property
    def names(self) -> list[str]:
        return _PLACEHOLDER.findall(self.text)

    def fill(self, values: Mapping[str, str]) -> str:
        """Replace every placeholder; a name missing from values raises KeyError."""
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], self.text)

    def render(self, value: Callable[[str], str]) -> str:
        """Replace every placeholder by what value returns for its name."""
        return _PLACEHOLDER.sub(lambda m: value(m.group(1)), self.text)


class _NoData:
    """`cell: null`: the row shows no facts (a project that is not carried out, say)."""

    def __repr__(self) -> str:
        return "NO_DATA"

    def __reduce__(self) -> str:
        return "NO_DATA"  # unpickled from the cache, it is still the one NO_DATA


NO_DATA = _NoData()


@dataclass(frozen=True)
class ColumnSpec:
    """One number column: a fact (`field`) or an operation on the row's other columns."""

    key: str
    label: str
    group: str | None
    group_id: int | None
    field: str | None
    op: str | None  # "sum", "difference" or "ratio"
    operands: tuple[int, ...]
    vars: Mapping[str, str]
    decimals: int | None
    width_mm: Decimal | None
    additive: bool
    path: DeclPath
    text: str | None = None  # a text fact's field (Ghi chú), or None for a number column
    unit: bool = False  # the column prints the unit the schema gives the row's figures
    empty: str | None = None
    align: str | None = None
    groups: tuple[tuple[str, int], ...] = ()  # the groups over it, outermost first

    @property
    def is_text(self) -> bool:
        return self.text is not None or self.unit


@dataclass(frozen=True)
class RowSpec:
    """One row as declared; `each` rows become one row per key they match in the facts."""

    label: Template | None
    total: bool
    at: Template | None
    vars: Mapping[str, str]
    each: Template | None
    cell: Template | _NoData | None
    cells: tuple[tuple[tuple[int, ...], Template | None], ...]
    stt: str | None
    empty: str | None
    bold: bool | None
    italic: bool | None
    rows: tuple[RowSpec, ...]
    path: DeclPath
    id: str | None = None
    additive: bool = True  # False: shown, never added into the sums above or beside it
    op: str | None = None  # "ratio" or "difference" of two rows named by their `id`
    operands: tuple[str, ...] = ()
    texts: tuple[tuple[tuple[int, ...], str], ...] = ()  # cells printed as written
    styles: tuple[tuple[tuple[int, ...], str], ...] = ()  # bold/italic per cell
    sum_rows: bool = True  # False: its rows are not added into it (a heading, its own figure)
    spans: tuple[tuple[tuple[int, ...], int], ...] = ()  # a cell merged over the rows below


@dataclass(frozen=True)
class TableSpec:
    """One table of an appendix: header, columns, rows and how cells find their facts."""

    heading: Template | None
    unit: str | None
    decimals: int | None
    empty: str
    column_numbers: bool
    cell: Template
    parts: tuple[Template, ...]
    stt_header: str
    label_header: str
    label_width_mm: Decimal | None
    row_numbers: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]
    rows: tuple[RowSpec, ...]
    path: DeclPath
    column_labels: tuple[str, ...] | None = None  # the column-number row as declared
    column_style: str = "letters"  # letters (A, B, 1, 2, 3=1+2), numbers (1…N) or none
    new_page: bool = False
    notes: tuple[Template, ...] = ()
    literal: LiteralTable | None = None  # a table written out in Markdown
    form: tuple[Template, ...] = ()  # centred bold lines over it: "Biểu mẫu 1", its name
    after: tuple[Template, ...] = ()  # paragraphs of text under it and its notes
    font_size: Decimal | None = None  # its cells' size in points; None: its appendix's


@dataclass(frozen=True)
class AppendixSpec:
    """One appendix: its name (for references), number, title, page and tables."""

    name: str
    number: str
    title: Template
    landscape: bool
    font_size: Decimal
    tables: tuple[TableSpec, ...]
    path: DeclPath
    word: str = DEFAULT_WORD
    subtitle: Template | None = None
    attached: str = "agency"  # "(Kèm theo … của <agency>)", "… của Chủ tịch <agency>", none
    run_in: bool = False  # "Phụ lục: DANH SÁCH …": the word and the title on one line
    # An attached document ("Quy chế"): printed with the masthead and "QUY CHẾ" over its
    # title instead of "Phụ lục I"; it takes no appendix number.
    document: str | None = None
    # Its text: a Markdown file below content/ (its path there), its heading scheme.
    text: str | None = None
    headings: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        """Return "Phụ lục I" (or "Phụ lục 01", "Biểu mẫu số 01"; "Phụ lục" unnumbered, in
        lower case as ND30 Phụ lục I, III.1.b asks, or "PHỤ LỤC" where the word is given in
        capitals); an attached document's kind in capitals ("QUY CHẾ")."""
        if self.document:
            return self.document.upper()
        if not self.number:
            return self.word
        return f"{self.word} {self.number}"


@dataclass(frozen=True)
class Declaration:
    """The appendices of a report, in order. `broken` when the file could not be read."""

    display: str
    document: Any = None
    appendices: tuple[AppendixSpec, ...] = ()
    exists: bool = False
    broken: bool = False
    raw: bytes = b""  # the file's bytes: the tables computed from it are cached by them
    body_tables: tuple[tuple[str, TableSpec], ...] = ()  # tables the text places itself

    def place(self, path: DeclPath, *, key: bool = False) -> tuple[int, int]:
        return place_of(self.document, path, key=key)

    def problem(self, path: DeclPath, message: str, *, key: bool = False) -> Problem:
        line, col = self.place(path, key=key)
        return Problem(self.display, line, col, message)

    def find(self, name: str) -> AppendixSpec | None:
        return next((a for a in self.appendices if a.name == name), None)

    def template_globals(self) -> dict[str, Callable[..., str]]:
        """Return the functions the body's templates call to refer to appendices."""
        return {
            "appendix_ref": self.appendix_ref,
            "appendix_number": self.appendix_number,
            "appendix_list": self.appendix_list,
            "table": self.table,
        }

    def table(self, name: str) -> str:
        """Return the mark of a table of `body_tables`: the paragraph the build replaces by
        the table, computed like an appendix's."""
        if self.broken:
            return ""
        if not any(n == name for n, _ in self.body_tables):
            from ..narrative import report_problem

            names = ", ".join(n for n, _ in self.body_tables) or "none"
            report_problem(
                f"unknown table {name!r} (body_tables in {self.display}: {names})",
                near=name if isinstance(name, str) else None,
            )
            return ""
        return f"\n\n{BODY_TABLE_MARK}{name}\n\n"

    def _lookup(self, name: object) -> AppendixSpec | None:
        if self.broken:  # already reported where the file is broken
            return None
        found = self.find(name) if isinstance(name, str) else None
        if found is None:
            from ..narrative import report_problem

            if not self.exists:
                message = f"no appendix {name!r}: no appendices are declared ({self.display})"
            else:
                names = ", ".join(a.name for a in self.appendices) or "none"
                message = f"unknown appendix {name!r} (appendices in {self.display}: {names})"
            report_problem(message, near=name if isinstance(name, str) else None)
        return found

    def appendix_ref(self, name: str) -> str:
        """Return "Phụ lục I" for the appendix of this name (its number follows its order)."""
        found = self._lookup(name)
        return found.heading if found else ""

    def appendix_number(self, name: str) -> str:
        """Return the number of the appendix of this name: "I" (or "01")."""
        found = self._lookup(name)
        return found.number if found else ""

    def appendix_list(self, *names: str) -> str:
        """Return "Phụ lục: I; II; III" for the named appendices (all without names),
        in document order; "Phụ lục II" when there is one."""
        if names:
            found = [a for a in (self._lookup(n) for n in names) if a is not None]
            chosen = [a for a in self.appendices if a in found]
        else:
            chosen = list(self.appendices)
        if not chosen:
            return ""
        if len(chosen) == 1:
            return chosen[0].heading
        words = {a.word for a in chosen}
        word = words.pop() if len(words) == 1 else DEFAULT_WORD
        if any(not a.number for a in chosen) or word != chosen[0].word:
            return "; ".join(a.heading for a in chosen)
        return f"{word}: " + "; ".join(a.number for a in chosen)


def roman(number: int) -> str:
    """Return an upper-case Roman numeral: 4 → "IV"."""
    out = []
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


# ND30 II.6.đ: điểm are lettered in the Vietnamese alphabet.
VIETNAMESE_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


def row_number(style: str, index: int, parent: str = "") -> str:
    """Return the STT of the index-th row (from 1) in a numbering style: I, 1, 1.1 (under
    the parent's number), a, -, + or none."""
    if style == "I":
        return roman(index)
    if style == "1":
        return str(index)
    if style == "a":
        letters = VIETNAMESE_LETTERS
        return letters[(index - 1) % len(letters)] * ((index - 1) // len(letters) + 1)
    if style == "1.1":
        return f"{parent}.{index}" if parent else str(index)
    return style


@lru_cache(maxsize=1)
def code_fingerprint() -> bytes:
    """Return a digest of this package's source: its cached results are keyed by it too,
    so that a changed engine never serves what an older one computed."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.digest()


def load_declaration(
    path: Path, display: str, cache: Cache = NO_CACHE
) -> tuple[Declaration, list[Problem]]:
    """Read and check a report's appendix declaration; a missing file declares none."""
    if not path.exists():
        return Declaration(display), []
    loaded, problems = load_yaml(path, display, cache)
    if loaded is None:
        return Declaration(display, exists=True, broken=True), problems
    key = code_fingerprint() + display.encode() + b"\0" + loaded.raw
    return cache.value(
        "appendix-declaration", key, lambda: _parse(loaded.document, display, loaded.raw)
    )


def _parse(document: Any, display: str, raw: bytes) -> tuple[Declaration, list[Problem]]:
    found = check(document, display)
    if found:
        return Declaration(display, document, exists=True, broken=True, raw=raw), found
    parser = _Parser(display, document)
    declaration = parser.declaration()
    return replace(declaration, raw=raw), parser.problems


# ---------------------------------------------------------------------------- parsing


@dataclass
class _Parser:
    display: str
    document: Any
    problems: list[Problem] = field(default_factory=list)
    _groups: int = 0
    # operands no column before their operation matched: (its position, pattern, place,
    # where its columns go among the operands, how many problems were known then, so that
    # one found later is listed in its place)
    _forward: list[tuple[int, str, DeclPath, int, int]] = field(default_factory=list)

    def error(
        self, path: DeclPath, message: str, *, key: bool = False, at: int | None = None
    ) -> None:
        line, col = place_of(self.document, path, key=key)
        problem = Problem(self.display, line, col, message)
        if problem not in self.problems:  # a `for:` repeats its templates
            self.problems.insert(len(self.problems) if at is None else at, problem)

    def declaration(self) -> Declaration:
        data = self.document
        numbering = data.get("numbering")
        # an attached document (`document:`) is no Phụ lục: it takes no number
        numbered = [a for a in data.get("appendices", ()) if "document" not in a]
        if numbering is None:  # ND30: Roman numbers when there are two or more
            numbering = "roman" if len(numbered) > 1 else "none"
        appendices: list[AppendixSpec] = []
        seen: dict[str, DeclPath] = {}
        for index, item in enumerate(data.get("appendices", ())):
            path = ("appendices", index)
            name = item["name"]
            if name in seen:
                first = place_of(self.document, seen[name])[0]
                self.error(
                    (*path, "name"), f"appendix {name!r} is declared twice (first at line {first})"
                )
                continue
            seen[name] = (*path, "name")
            count = sum(1 for a in appendices if not a.document) + 1
            number = {"arabic": f"{count:02d}", "roman": roman(count)}.get(numbering, "")
            if "document" in item:
                number = ""
            appendices.append(self.appendix(item, path, name, number))
        body: list[tuple[str, TableSpec]] = []
        for index, item in enumerate(data.get("body_tables", ())):
            path = ("body_tables", index)
            if "name" not in item:
                self.error(path, "missing required key 'name' (the text places it by name)")
                continue
            if any(n == item["name"] for n, _ in body):
                self.error((*path, "name"), f"table {item['name']!r} is declared twice")
                continue
            table = self.table({k: v for k, v in item.items() if k != "name"}, path)
            if table is not None:
                body.append((item["name"], table))
        return Declaration(
            self.display, data, tuple(appendices), exists=True, body_tables=tuple(body)
        )

    def appendix(
        self, item: Mapping[str, Any], path: DeclPath, name: str, number: str
    ) -> AppendixSpec:
        lines = item["title"] if isinstance(item["title"], list) else [item["title"]]
        # a title of several lines keeps them, one under the other ("\n" between)
        title = self.template("\n".join(lines), (*path, "title"), labels=True, names=set())
        subtitle = None
        if "subtitle" in item:
            subtitle = self.template(
                item["subtitle"], (*path, "subtitle"), labels=True, names=set()
            )
        text = item.get("text")
        if text is not None:
            self.text_path(text, (*path, "text"))
        if "document" in item:
            for key in ("word", "run_in"):
                if key in item:
                    self.error(
                        (*path, key),
                        f"{key!r} belongs to a Phụ lục: an attached document is headed by its "
                        f"kind ({item['document']!r})",
                        key=True,
                    )
        headings = self.headings(item, path)
        if "tables" in item:
            stray = [k for k in item if k in _TABLE_KEYS]
            for key in stray:
                self.error(
                    (*path, key),
                    f"{key!r} belongs to a table: with `tables:` put it in each table",
                    key=True,
                )
            tables = [self.table(t, (*path, "tables", i)) for i, t in enumerate(item["tables"])]
        elif text is None or any(k in item for k in _TABLE_KEYS):
            tables = [self.table(item, path, "or a list of `tables:`, or a `text:`")]
        else:
            tables = []
        return AppendixSpec(
            name=name,
            number=number,
            title=title,
            landscape=item.get("orientation", "portrait") == "landscape",
            font_size=Decimal(item.get("font_size", DEFAULT_FONT_PT)),
            tables=tuple(t for t in tables if t is not None),
            path=path,
            word=item.get("word", self.document.get("word", DEFAULT_WORD)),
            subtitle=subtitle,
            attached=item.get("attached", self.document.get("attached", "agency")),
            run_in=bool(item.get("run_in", False)),
            document=item.get("document"),
            text=text,
            headings=headings,
        )

    def text_path(self, text: str, path: DeclPath) -> None:
        """Check where an attached text is: a Markdown file in a folder below content/
        (the files of content/ itself are the narrative's sections)."""
        parts = text.split("/")
        if any(part in ("", ".", "..") for part in parts) or "\\" in text:
            self.error(path, f"expected a path below content/ (folders/name.md), got {text!r}")
        elif len(parts) < 2:
            self.error(
                path,
                f"{text!r} would be a section of the narrative (every content/*.md is one): "
                f"put the attached text in a folder of its own, e.g. 'kem-theo/{text}'",
            )

    def headings(self, item: Mapping[str, Any], path: DeclPath) -> tuple[str, ...]:
        """Return the heading scheme of an appendix's text (a Quy chế's Chương and Điều
        by default for an attached document, the report's default otherwise)."""
        from ..conventions import LEVEL_KINDS, SCHEMES, misordered

        scheme = item.get("headings")
        if scheme is None:
            if "text" not in item:
                return ()
            return ATTACHED_HEADINGS if "document" in item else SCHEMES["roman"]
        if "text" not in item:
            self.error(
                (*path, "headings"),
                "'headings' numbers a `text:`: this appendix has none",
                key=True,
            )
        if isinstance(scheme, str):
            if scheme not in SCHEMES:
                self.error(
                    (*path, "headings"),
                    f"expected {', '.join(SCHEMES)} or a list of levels "
                    f"({', '.join(LEVEL_KINDS)}), got {scheme!r}",
                )
                return SCHEMES["roman"]
            return SCHEMES[scheme]
        for index, kind in enumerate(scheme):
            if kind not in LEVEL_KINDS:
                self.error(
                    (*path, "headings", index),
                    f"expected one of {', '.join(LEVEL_KINDS)}, got {kind!r}",
                )
        for index, message in misordered(scheme):
            self.error((*path, "headings", index), message)
        return tuple(scheme)

    def table(
        self, item: Mapping[str, Any], path: DeclPath, alternative: str = "or `markdown:`"
    ) -> TableSpec | None:
        notes = tuple(
            self.template(text, (*path, "notes", i), labels=True, names=set())
            for i, text in enumerate(item.get("notes", ()))
        )
        after = tuple(
            self.template(text, (*path, "after", i), labels=True, names=set())
            for i, text in enumerate(item.get("after", ()))
        )
        form_lines = item.get("form", ())
        form_lines = [form_lines] if isinstance(form_lines, str) else form_lines
        form = tuple(
            self.template(text, (*path, "form"), labels=True, names=set()) for text in form_lines
        )
        if "markdown" in item:
            return replace(self.literal(item, path, notes), form=form, after=after)
        missing = [key for key in _TABLE_REQUIRED if key not in item]
        for key in missing:
            self.error(path, f"missing required key {key!r} ({alternative})")
        if missing:
            return None
        columns = self.columns(item["columns"], (*path, "columns"))
        cell = self.template(item.get("cell", DEFAULT_CELL), (*path, "cell"))
        parts = tuple(
            self.template(text, (*path, "parts", i)) for i, text in enumerate(item.get("parts", ()))
        )
        row_numbers = tuple(item.get("row_numbers", DEFAULT_ROW_NUMBERS))
        for index, style in enumerate(row_numbers):
            if style not in ROW_NUMBER_STYLES:
                self.error(
                    (*path, "row_numbers", index),
                    f"expected one of I, 1, a, - or an empty text, got {style!r}",
                )
        heading = item.get("heading")
        rows = self.rows(item["rows"], (*path, "rows"), columns, {}, False)
        self.check_row_ids(rows)
        numbers = item.get("column_numbers", False)
        labels: tuple[str, ...] | None = None
        style = "letters" if numbers is True else "none" if numbers is False else "letters"
        if isinstance(numbers, list):
            labels = tuple(str(n) for n in numbers)
            if len(labels) != len(columns) + 2:
                self.error(
                    (*path, "column_numbers"),
                    f"expected {len(columns) + 2} labels (STT, the label column and "
                    f"{len(columns)} columns), got {len(labels)}",
                )
                labels = None
        elif isinstance(numbers, str):
            style = numbers
        return TableSpec(
            heading=self.template(heading, (*path, "heading"), labels=True, names=set())
            if heading
            else None,
            unit=item.get("unit"),
            decimals=item.get("decimals"),
            empty=item.get("empty", ""),
            column_numbers=style != "none" or labels is not None,
            cell=cell,
            parts=parts,
            stt_header=item.get("stt_header", "STT"),
            label_header=item["label_header"],
            label_width_mm=item.get("label_width"),
            row_numbers=row_numbers,
            columns=tuple(columns),
            rows=tuple(rows),
            path=path,
            column_labels=labels,
            column_style=style,
            new_page=bool(item.get("new_page", False)),
            notes=notes,
            form=form,
            after=after,
            font_size=_size(item),
        )

    def literal(
        self, item: Mapping[str, Any], path: DeclPath, notes: tuple[Template, ...]
    ) -> TableSpec:
        """A table written out as a Markdown pipe or grid table (a task list, names)."""
        computed = [k for k in _TABLE_REQUIRED + ("cell", "parts", "unit") if k in item]
        for key in computed:
            self.error(
                (*path, key), f"{key!r} belongs to a computed table, not to `markdown:`", key=True
            )
        literal, problem = parse_markdown_table(item["markdown"])
        if problem:
            self.error((*path, "markdown"), problem)
        heading = item.get("heading")
        return TableSpec(
            heading=self.template(heading, (*path, "heading"), labels=True, names=set())
            if heading
            else None,
            unit=None,
            decimals=None,
            empty="",
            column_numbers=False,
            cell=Template(DEFAULT_CELL, path),
            parts=(),
            stt_header="",
            label_header="",
            label_width_mm=None,
            row_numbers=(),
            columns=(),
            rows=(),
            path=path,
            new_page=bool(item.get("new_page", False)),
            notes=notes,
            literal=literal,
            font_size=_size(item),
        )

    def check_row_ids(self, rows: list[RowSpec]) -> None:
        """Report a row `id` used twice, and a ratio or difference of rows with no such id."""
        seen: dict[str, RowSpec] = {}

        def visit(items: tuple[RowSpec, ...] | list[RowSpec]) -> None:
            for row in items:
                if row.id is not None:
                    if row.id in seen and seen[row.id].path != row.path:
                        first = place_of(self.document, seen[row.id].path)[0]
                        self.error(
                            (*row.path, "id"),
                            f"row id {row.id!r} is used twice (first at line {first})",
                        )
                    seen.setdefault(row.id, row)
                visit(row.rows)

        visit(rows)

        def operands(items: tuple[RowSpec, ...] | list[RowSpec]) -> None:
            for row in items:
                for index, name in enumerate(row.operands):
                    if name not in seen:
                        known = ", ".join(seen) or "none"
                        self.error(
                            (*row.path, row.op, index),
                            f"{row.op}: no row with id {name!r} (row ids: {known})",
                        )
                operands(row.rows)

        operands(rows)

    # --- columns ----------------------------------------------------------------------

    def columns(self, items: list[Any], path: DeclPath) -> list[ColumnSpec]:
        columns: list[ColumnSpec] = []
        self._forward = []
        for index, item in enumerate(items):
            here = (*path, index)
            if "columns" in item or "group" in item or "for" in item:
                self.group(item, here, columns)
            else:
                self.column(item, here, {}, None, None, columns)
        self.resolve_forward(columns)
        return columns

    def resolve_forward(self, columns: list[ColumnSpec]) -> None:
        """Resolve the operands no column before an operation matched against the columns
        after it (a "Tổng số" printed before its "Trong đó" columns), then refuse columns
        that compute from each other."""
        inserted = 0
        added: dict[int, int] = {}  # operands resolved so far, by column
        for position, wanted, here, slot, at in self._forward:
            column = columns[position]
            at, known_problems = at + inserted, len(self.problems)
            matched = [
                i
                for i, c in enumerate(columns)
                if i > position and fnmatch.fnmatchcase(c.key, wanted) and not c.is_text
            ]
            if not matched:
                known = ", ".join(c.key for i, c in enumerate(columns) if i != position)
                self.error(
                    here,
                    f"{column.op}: no column {wanted!r} in this table (its other columns: "
                    f"{known or 'none'})",
                    at=at,
                )
            elif column.op != "sum" and len(matched) > 1:
                self.error(
                    here, f"{column.op}: {wanted!r} matches several columns; name one", at=at
                )
            inserted += len(self.problems) - known_problems
            slot += added.get(position, 0)
            added[position] = added.get(position, 0) + len(matched)
            operands = (*column.operands[:slot], *matched, *column.operands[slot:])
            columns[position] = replace(column, operands=operands)
        if self._forward:
            for position in _column_cycle(columns):
                column = columns[position]
                self.error(
                    (*column.path, column.op),
                    f"{column.op}: column {column.key!r} computes from a column that computes "
                    "from it",
                    key=True,
                )
                break

    def group(
        self,
        item: Mapping[str, Any],
        path: DeclPath,
        columns: list[ColumnSpec],
        outer: Mapping[str, str] | None = None,
        above: tuple[tuple[str, int], ...] = (),
    ) -> None:
        if "columns" not in item:
            self.error(path, "missing required key 'columns' (a group of columns)")
            return
        own = [k for k in item if k not in ("group", "for", "columns")]
        for key in own:
            self.error((*path, key), f"{key!r} belongs to a column inside `columns:`", key=True)
        for values in self.expand_for(item.get("for"), (*path, "for")):
            values = {**(outer or {}), **values}
            chain = above
            if "group" in item:
                self._groups += 1
                chain = (*above, (self.fill(item["group"], (*path, "group"), values), self._groups))
            for index, child in enumerate(item["columns"]):
                here = (*path, "columns", index)
                if "columns" in child or "group" in child or "for" in child:
                    self.group(child, here, columns, values, chain)
                    continue
                inner = chain[-1] if chain else None
                label = inner[0] if inner else None
                group_id = inner[1] if inner else None
                self.column(child, here, values, label, group_id, columns, chain)

    def column(
        self,
        item: Mapping[str, Any],
        path: DeclPath,
        values: Mapping[str, str],
        group: str | None,
        group_id: int | None,
        columns: list[ColumnSpec],
        groups: tuple[tuple[str, int], ...] = (),
    ) -> None:
        values = {**values, **{k: str(v) for k, v in item.get("vars", {}).items()}}
        ops = [op for op in ("sum", "difference", "ratio") if op in item]
        texts = [k for k in ("text", "unit") if k in item and item[k] is not False]
        if texts and (ops or "field" in item or len(texts) > 1):
            clash = (ops + ["field"])[0] if ops or "field" in item else texts[1]
            self.error(
                (*path, texts[0]),
                f"a text column shows one thing: {texts[0]!r} and {clash!r} do not go together",
                key=True,
            )
        if len(ops) > 1:
            self.error(
                (*path, ops[1]), f"a column computes one thing: {ops[0]} or {ops[1]}", key=True
            )
        if not ops and "field" not in item and not texts:
            self.error(
                path,
                "a column needs a `field` (a fact), one of sum, difference, ratio, or a "
                "`text` (a text fact) or `unit: true`",
            )
            return
        if "key" not in item:
            self.error(path, "missing required key 'key'")
            return
        key = self.fill(item["key"], (*path, "key"), values)
        for other in columns:
            if other.key == key:
                first = place_of(self.document, other.path)[0]
                self.error(
                    (*path, "key"), f"column key {key!r} is used twice (first at line {first})"
                )
                return
        field = self.fill(item["field"], (*path, "field"), values) if "field" in item else None
        text = self.fill(item["text"], (*path, "text"), values) if "text" in item else None
        label = item.get("label")
        op = ops[0] if ops else None
        operands: list[int] = []
        if op is not None:
            for index, pattern in enumerate(item[op]):
                here = (*path, op, index)
                wanted = self.fill(pattern, here, values)
                matched = [
                    i
                    for i, c in enumerate(columns)
                    if fnmatch.fnmatchcase(c.key, wanted) and not c.is_text
                ]
                if not matched:  # the columns after it, once they are all known
                    here_now = (len(columns), wanted, here, len(operands), len(self.problems))
                    self._forward.append(here_now)
                elif op != "sum" and len(matched) > 1:
                    self.error(here, f"{op}: {wanted!r} matches several columns; name one")
                operands += matched
        if label is None and (field is None or texts):
            self.error(path, "missing required key 'label'")
        columns.append(
            ColumnSpec(
                key=key,
                label=self.fill(label, (*path, "label"), values) if label is not None else "",
                group=group,
                group_id=group_id,
                field=field,
                op=op,
                operands=tuple(operands),
                vars=values,
                decimals=item.get("decimals"),
                width_mm=item.get("width"),
                additive=bool(item.get("additive", op != "ratio")) and not texts,
                path=path,
                text=text,
                unit=bool(item.get("unit", False)),
                empty=item.get("empty"),
                align=item.get("align"),
                groups=groups,
            )
        )

    # --- rows -------------------------------------------------------------------------

    def rows(
        self,
        items: list[Any],
        path: DeclPath,
        columns: list[ColumnSpec],
        inherited: Mapping[str, str],
        parent_at: bool,
    ) -> list[RowSpec]:
        rows = []
        for index, item in enumerate(items):
            here = (*path, index)
            for values in self.expand_for(item.get("for"), (*here, "for")):
                own = {k: str(v) for k, v in item.get("vars", {}).items()}
                row = self.row(item, here, columns, {**inherited, **values, **own}, parent_at)
                if row is not None:
                    rows.append(row)
        return rows

    def row(
        self,
        item: Mapping[str, Any],
        path: DeclPath,
        columns: list[ColumnSpec],
        values: Mapping[str, str],
        parent_at: bool,
    ) -> RowSpec | None:
        total = bool(item.get("total", False))
        each = item.get("each")
        if total:
            for key in ("rows", "each"):
                if key in item:
                    self.error(
                        (*path, key), f"a total row sums the rows beside it: no {key!r}", key=True
                    )
        if each is not None and "at" in item:
            self.error((*path, "at"), "an `each` row takes `at` from what `each` finds", key=True)
        op = next((k for k in ("ratio", "difference") if k in item), None)
        if op is not None:
            for key in ("each", "total"):
                if key in item:
                    self.error(
                        (*path, key), f"a {op} row computes from two rows: no {key!r}", key=True
                    )
            if "ratio" in item and "difference" in item:
                self.error((*path, "difference"), "a row computes one thing", key=True)
        if "label" not in item and each is None and "at" not in item:
            self.error(path, "missing required key 'label' (without `at`, a row has no {name})")
            return None
        var_names = set(values)
        has_at = "at" in item or each is not None
        label_names = var_names | ({"name"} if has_at else set()) | ({"key"} if each else set())
        label = self.template(
            item.get("label", "{name}"), (*path, "label"), labels=True, names=label_names
        )
        at = self.template(item["at"], (*path, "at"), names=var_names) if "at" in item else None
        column_names = set().union(*(c.vars.keys() for c in columns)) if columns else set()
        cell_names = var_names | column_names | {"field"} | ({"at"} if has_at else set())
        cell_names |= {"key"} if each else set()
        each_template = None
        if each is not None:
            each_names = var_names | column_names | ({"at"} if parent_at else set())
            each_template = self.template(each, (*path, "each"), names=each_names)
            if each.count("*") != 1:
                self.error(
                    (*path, "each"),
                    f"`each` needs exactly one * (the key it makes a row for), got {each!r}",
                )
        cell: Template | _NoData | None = None
        if "cell" in item:
            raw = item["cell"]
            cell = NO_DATA if raw is None else self.template(raw, (*path, "cell"), names=cell_names)
        cells = []
        for key, raw in item.get("cells", {}).items():
            here = (*path, "cells", key)
            matched = self.match_columns(columns, key, here)
            if matched:
                cells.append(
                    (matched, None if raw is None else self.template(raw, here, names=cell_names))
                )
        texts = []
        for key, raw in item.get("texts", {}).items():
            matched = self.match_columns(columns, key, (*path, "texts", key))
            if matched:
                written = raw if isinstance(raw, str) else format_number(raw)
                texts.append((matched, written))
        spans = []
        for key, raw in item.get("spans", {}).items():
            matched = self.match_columns(columns, key, (*path, "spans", key), label=True)
            if matched:
                spans.append((matched, int(raw)))
        styles = []
        for key, raw in item.get("style", {}).items():
            matched = self.match_columns(columns, key, (*path, "style", key), label=True)
            if matched:
                styles.append((matched, raw))
        children: list[RowSpec] = []
        if "rows" in item:
            children = self.rows(
                item["rows"], (*path, "rows"), columns, values, has_at or parent_at
            )
        stt = item.get("stt")
        return RowSpec(
            label=label,
            total=total,
            at=at,
            vars=dict(values),
            each=each_template,
            cell=cell,
            cells=tuple(cells),
            stt=None if stt is None else str(stt),
            empty=item.get("empty"),
            bold=item.get("bold"),
            italic=item.get("italic"),
            rows=tuple(children),
            path=path,
            id=item.get("id"),
            additive=bool(item.get("additive", op is None)),
            op=op,
            operands=tuple(item[op]) if op else (),
            texts=tuple(texts),
            styles=tuple(styles),
            sum_rows=bool(item.get("sum_rows", True)),
            spans=tuple(spans),
        )

    def match_columns(
        self, columns: list[ColumnSpec], key: str, path: DeclPath, *, label: bool = False
    ) -> tuple[int, ...]:
        """Return the columns a key (a pattern) names; `stt` and `label` name the first two
        cells where label is True (as -1 and -2)."""
        if label and key in ("stt", "label"):
            return (-1,) if key == "stt" else (-2,)
        matched = tuple(i for i, c in enumerate(columns) if fnmatch.fnmatchcase(c.key, key))
        if not matched:
            known = ", ".join(([] if not label else ["stt", "label"]) + [c.key for c in columns])
            self.error(path, f"no column {key!r} (columns: {known})", key=True)
        return matched

    # --- templates --------------------------------------------------------------------

    def expand_for(
        self, spec: Mapping[str, list[Any]] | None, path: DeclPath
    ) -> Iterator[dict[str, str]]:
        """Yield the variables of each item a `for:` makes (one empty set without `for`)."""
        if not spec:
            yield {}
            return
        lengths = {name: len(values) for name, values in spec.items()}
        if len(set(lengths.values())) > 1:
            counts = ", ".join(f"{n}: {k}" for n, k in lengths.items())
            self.error(
                path, f"the lists of a `for:` go side by side and need one length ({counts})"
            )
            return
        for index in range(next(iter(lengths.values()))):
            yield {name: str(values[index]) for name, values in spec.items()}

    def fill(self, text: str, path: DeclPath, values: Mapping[str, str]) -> str:
        """Fill a column template now (its names are all known); report unknown names."""
        template = self.template(text, path, names=set(values))
        try:
            return template.fill(values)
        except KeyError:
            return text

    def template(
        self, text: str, path: DeclPath, *, names: set[str] | None = None, labels: bool = False
    ) -> Template:
        """Return a template, reporting placeholders that name nothing in scope.

        names None accepts any name (checked when filled). In labels, a placeholder may also
        be a dotted fact path: {an_sinh.health_insurance.name}, or {at.y2022.lead_unit}.
        """
        template = Template(text, path)
        if names is None:
            return template
        for name in template.names:
            if name in names or (labels and _PATH.fullmatch(name)):
                continue  # a fact path is looked up when the table is computed
            if not _NAME.fullmatch(name):
                self.error(path, f"{{{name}}} is not a name or a fact path in {text!r}")
                continue
            scope = ", ".join(sorted(names)) or "none"
            self.error(path, f"unknown name {{{name}}} in {text!r} (names here: {scope})")
        return template


_TABLE_KEYS = (
    "heading unit decimals empty column_numbers cell parts stt_header label_header "
    "label_width row_numbers columns rows markdown new_page notes form after"
).split()
_TABLE_REQUIRED = ("label_header", "columns", "rows")


def _size(item: Mapping[str, Any]) -> Decimal | None:
    """Return a table's `font_size` as declared (the schema checked it), None without one."""
    return Decimal(str(item["font_size"])) if "font_size" in item else None


def _column_cycle(columns: list[ColumnSpec]) -> list[int]:
    """Return the operation columns that compute, through other columns, from themselves."""

    def reaches(start: int) -> bool:
        stack, seen = list(columns[start].operands), set()
        while stack:
            index = stack.pop()
            if index == start:
                return True
            if index not in seen:
                seen.add(index)
                stack.extend(columns[index].operands)
        return False

    return [i for i, c in enumerate(columns) if c.op is not None and reaches(i)]


def evaluation_order(columns: tuple[ColumnSpec, ...] | list[ColumnSpec]) -> tuple[int, ...]:
    """Return the columns' indexes in an order that computes each operation after its
    operands: the printed order, an operation moved after the later columns it names."""
    order: list[int] = []
    done: set[int] = set()

    def place(index: int, seen: frozenset[int]) -> None:
        if index in done or index in seen:
            return
        for operand in columns[index].operands:
            place(operand, seen | {index})
        done.add(index)
        order.append(index)

    for index in range(len(columns)):
        place(index, frozenset())
    return tuple(order)
