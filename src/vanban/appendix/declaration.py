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
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..cache import NO_CACHE, Cache
from ..errors import Problem
from ..facts import load_yaml, place_of
from .schema import check

APPENDICES_FILE = "appendices.yaml"

DEFAULT_FONT_PT = Decimal(12)
DEFAULT_CELL = "{at}.{field}"
DEFAULT_ROW_NUMBERS = ("I", "1", "-")
ROW_NUMBER_STYLES = ("I", "1", "a", "-", "")

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

    @property
    def heading(self) -> str:
        """Return "Phụ lục I" (or "Phụ lục 01")."""
        return f"Phụ lục {self.number}"


@dataclass(frozen=True)
class Declaration:
    """The appendices of a report, in order. `broken` when the file could not be read."""

    display: str
    document: Any = None
    appendices: tuple[AppendixSpec, ...] = ()
    exists: bool = False
    broken: bool = False
    raw: bytes = b""  # the file's bytes: the tables computed from it are cached by them

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
        }

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
        return "Phụ lục: " + "; ".join(a.number for a in chosen)


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


def row_number(style: str, index: int) -> str:
    """Return the STT of the index-th row (from 1) in a numbering style: I, 1, a, - or none."""
    if style == "I":
        return roman(index)
    if style == "1":
        return str(index)
    if style == "a":
        letters = VIETNAMESE_LETTERS
        return letters[(index - 1) % len(letters)] * ((index - 1) // len(letters) + 1)
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

    def error(self, path: DeclPath, message: str, *, key: bool = False) -> None:
        line, col = place_of(self.document, path, key=key)
        problem = Problem(self.display, line, col, message)
        if problem not in self.problems:  # a `for:` repeats its templates
            self.problems.append(problem)

    def declaration(self) -> Declaration:
        data = self.document
        arabic = data.get("numbering", "roman") == "arabic"
        appendices: list[AppendixSpec] = []
        seen: dict[str, DeclPath] = {}
        for index, item in enumerate(data["appendices"]):
            path = ("appendices", index)
            name = item["name"]
            if name in seen:
                first = place_of(self.document, seen[name])[0]
                self.error(
                    (*path, "name"), f"appendix {name!r} is declared twice (first at line {first})"
                )
                continue
            seen[name] = (*path, "name")
            number = f"{len(appendices) + 1:02d}" if arabic else roman(len(appendices) + 1)
            appendices.append(self.appendix(item, path, name, number))
        return Declaration(self.display, data, tuple(appendices), exists=True)

    def appendix(
        self, item: Mapping[str, Any], path: DeclPath, name: str, number: str
    ) -> AppendixSpec:
        title = self.template(item["title"], (*path, "title"), labels=True, names=set())
        if "tables" in item:
            stray = [k for k in item if k in _TABLE_KEYS]
            for key in stray:
                self.error(
                    (*path, key),
                    f"{key!r} belongs to a table: with `tables:` put it in each table",
                    key=True,
                )
            tables = [self.table(t, (*path, "tables", i)) for i, t in enumerate(item["tables"])]
        else:
            for key in _TABLE_REQUIRED:
                if key not in item:
                    self.error(path, f"missing required key {key!r} (or a list of `tables:`)")
            tables = [self.table(item, path)] if all(k in item for k in _TABLE_REQUIRED) else []
        return AppendixSpec(
            name=name,
            number=number,
            title=title,
            landscape=item.get("orientation", "portrait") == "landscape",
            font_size=Decimal(item.get("font_size", DEFAULT_FONT_PT)),
            tables=tuple(tables),
            path=path,
        )

    def table(self, item: Mapping[str, Any], path: DeclPath) -> TableSpec:
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
        return TableSpec(
            heading=self.template(heading, (*path, "heading"), labels=True, names=set())
            if heading
            else None,
            unit=item.get("unit"),
            decimals=item.get("decimals"),
            empty=item.get("empty", ""),
            column_numbers=bool(item.get("column_numbers", False)),
            cell=cell,
            parts=parts,
            stt_header=item.get("stt_header", "STT"),
            label_header=item["label_header"],
            label_width_mm=item.get("label_width"),
            row_numbers=row_numbers,
            columns=tuple(columns),
            rows=tuple(rows),
            path=path,
        )

    # --- columns ----------------------------------------------------------------------

    def columns(self, items: list[Any], path: DeclPath) -> list[ColumnSpec]:
        columns: list[ColumnSpec] = []
        for index, item in enumerate(items):
            here = (*path, index)
            if "columns" in item or "group" in item or "for" in item:
                self.group(item, here, columns)
            else:
                self.column(item, here, {}, None, None, columns)
        return columns

    def group(self, item: Mapping[str, Any], path: DeclPath, columns: list[ColumnSpec]) -> None:
        if "columns" not in item:
            self.error(path, "missing required key 'columns' (a group of columns)")
            return
        own = [k for k in item if k not in ("group", "for", "columns")]
        for key in own:
            self.error((*path, key), f"{key!r} belongs to a column inside `columns:`", key=True)
        for values in self.expand_for(item.get("for"), (*path, "for")):
            label = None
            if "group" in item:
                label = self.fill(item["group"], (*path, "group"), values)
            self._groups += 1
            for index, child in enumerate(item["columns"]):
                self.column(child, (*path, "columns", index), values, label, self._groups, columns)

    def column(
        self,
        item: Mapping[str, Any],
        path: DeclPath,
        values: Mapping[str, str],
        group: str | None,
        group_id: int | None,
        columns: list[ColumnSpec],
    ) -> None:
        values = {**values, **{k: str(v) for k, v in item.get("vars", {}).items()}}
        ops = [op for op in ("sum", "difference", "ratio") if op in item]
        if len(ops) > 1:
            self.error(
                (*path, ops[1]), f"a column computes one thing: {ops[0]} or {ops[1]}", key=True
            )
        if not ops and "field" not in item:
            self.error(path, "a column needs a `field` (a fact) or one of sum, difference, ratio")
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
        label = item.get("label")
        op = ops[0] if ops else None
        operands: list[int] = []
        if op is not None:
            for index, pattern in enumerate(item[op]):
                here = (*path, op, index)
                wanted = self.fill(pattern, here, values)
                matched = [i for i, c in enumerate(columns) if fnmatch.fnmatchcase(c.key, wanted)]
                if not matched:
                    known = ", ".join(c.key for c in columns) or "none"
                    self.error(
                        here,
                        f"{op}: no column {wanted!r} before this one (columns before it: {known})",
                    )
                elif op != "sum" and len(matched) > 1:
                    self.error(here, f"{op}: {wanted!r} matches several columns; name one")
                operands += matched
        if label is None and field is None:
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
                additive=bool(item.get("additive", op != "ratio")),
                path=path,
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
            for key in ("rows", "each", "at"):
                if key in item:
                    self.error(
                        (*path, key), f"a total row sums the rows beside it: no {key!r}", key=True
                    )
        if each is not None and "at" in item:
            self.error((*path, "at"), "an `each` row takes `at` from what `each` finds", key=True)
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
            matched = tuple(i for i, c in enumerate(columns) if fnmatch.fnmatchcase(c.key, key))
            if not matched:
                known = ", ".join(c.key for c in columns)
                self.error(here, f"no column {key!r} (columns: {known})", key=True)
                continue
            cells.append(
                (matched, None if raw is None else self.template(raw, here, names=cell_names))
            )
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
        )

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
    "label_width row_numbers columns rows"
).split()
_TABLE_REQUIRED = ("label_header", "columns", "rows")
