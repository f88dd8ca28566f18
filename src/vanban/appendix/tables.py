"""Appendix tables computed from the facts: every cell is a fact, a sum or an operation.

A cell may have a stated value (a fact of the data) and a computed one (the rows under it,
its parts in the data, the rows of the table, or the operation of its column). The table
shows the stated value when there is one; where both exist and disagree the difference is
kept, with the place of the stated fact, for the checks to report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..cache import NO_CACHE, Cache
from ..classes import dataclass, field
from ..errors import Problem
from ..facts import _rules_at, is_missing, label_of, place_of, plain, type_of, unit_of
from ..numbers import decimals_of, format_number, quantize
from .declaration import (
    NO_DATA,
    AppendixSpec,
    ColumnSpec,
    Declaration,
    LiteralTable,
    RowSpec,
    TableSpec,
    Template,
    code_fingerprint,
    evaluation_order,
    row_number,
)

if TYPE_CHECKING:
    from ..project import DataFile, Facts

Number = int | Decimal
RATIO_DECIMALS = 2
DIFFERENCE_RULE = "appendix-stated-total"
ROUNDED_RULE = "appendix-rounded"


@dataclass(frozen=True)
class FactRef:
    """A fact a cell shows: its dotted name and value."""

    name: str
    value: Number


@dataclass(frozen=True)
class Computed:
    """A value the tool computed for a cell, and how (for messages)."""

    value: Number
    how: str


@dataclass(frozen=True)
class Cell:
    """One number cell: what it shows, the fact the data states and what the tool computed."""

    text: str
    shown: Number | None
    stated: FactRef | None = None
    computed: Computed | None = None


@dataclass(frozen=True)
class Column:
    """A number column as printed: its header texts, column number and width."""

    key: str
    label: str
    group: str | None
    group_id: int | None
    number: str
    width_mm: Decimal | None
    computed: bool
    groups: tuple[tuple[str, int], ...] = ()  # the groups over it, outermost first
    text: bool = False  # a text column (Đơn vị tính, Ghi chú): its cells read left
    align: str | None = None
    source: tuple[str | int, ...] | None = None  # its place in the declaration

    @property
    def title(self) -> str:
        return f"{self.group} – {self.label}" if self.group else self.label


@dataclass(frozen=True)
class Row:
    """A table row: STT, label and number cells, with its emphasis."""

    stt: str
    label: str
    cells: tuple[Cell, ...]
    total: bool = False
    depth: int = 0
    bold: bool = False
    italic: bool = False
    # (cell, look) where a cell differs from its row: 0 is the STT, 1 the label, 2… the
    # columns; the look is "bold", "italic", "bold italic" or "normal"
    styles: tuple[tuple[int, str], ...] = ()
    spans: tuple[tuple[int, int], ...] = ()  # (cell, rows): a cell merged over rows below

    def look(self, index: int) -> tuple[bool, bool]:
        """Return (bold, italic) of the index-th cell."""
        for position, look in self.styles:
            if position == index:
                return "bold" in look, "italic" in look
        return self.bold, self.italic


@dataclass(frozen=True)
class Table:
    """A table of an appendix, ready to print."""

    heading: str | None
    unit: str | None
    stt_header: str
    label_header: str
    label_width_mm: Decimal | None
    columns: tuple[Column, ...]
    column_numbers: bool
    rows: tuple[Row, ...]
    column_labels: tuple[str, ...] = ()  # the column-number row: STT, label, columns
    new_page: bool = False
    notes: tuple[str, ...] = ()
    literal: LiteralTable | None = None
    form: tuple[str, ...] = ()
    source: tuple[str | int, ...] | None = None  # its place in the declaration
    after: tuple[str, ...] = ()  # paragraphs of text under it
    font_size: Decimal | None = None  # its cells' size in points; None: its appendix's


@dataclass(frozen=True)
class Appendix:
    """One appendix: "Phụ lục I", its title, its page and its tables."""

    name: str
    number: str
    heading: str
    title: str  # its lines, "\n" between
    landscape: bool
    font_size: Decimal
    tables: tuple[Table, ...]
    subtitle: str | None = None
    attached: str = "agency"
    run_in: bool = False
    document: str | None = None  # an attached document's kind ("Quy chế"), see AppendixSpec
    text: str | None = None  # its text's path below content/


@dataclass(frozen=True)
class Difference:
    """A total the data states that differs from what the tool computes for the same cell."""

    appendix: str
    row: str
    column: str
    fact: str
    stated: Number
    computed: Number
    how: str
    path: str
    line: int
    col: int
    table: str | None = None  # the table's heading, where an appendix has several
    shown_in: str = "the appendix"  # "the table" for a table of the text
    counts: bool = False  # a count's total of whole numbers: no rounding explains it

    def values(self) -> tuple[tuple[str, str], ...]:
        """Return the figures it compared, what a waiver of it binds to: the stated fact and
        the computed figure (the message's row, column and table are words, not values)."""
        return (self.fact, format_number(self.stated)), ("computed", format_number(self.computed))

    def problem(self) -> Problem:
        gap = abs(Decimal(self.computed) - Decimal(self.stated))
        where = self.appendix + (f', table "{_short(self.table)}"' if self.table else "")
        return Problem(
            self.path,
            self.line,
            self.col,
            f'{where}, row "{_short(self.row)}", column "{self.column}": the data '
            f"states {format_number(self.stated)} ({self.fact}) but {self.how} "
            f"{format_number(self.computed)}, a difference of {format_number(gap)}; "
            f"{self.shown_in} shows {format_number(self.stated)}"
            + ("; counts are exact, so no rounding explains it" if self.counts else ""),
            "error" if self.counts else "warning",
            DIFFERENCE_RULE,
        )


@dataclass(frozen=True)
class TableFinding:
    """A warning of the tables, the fact it is about (a waiver's `at`) and the values a
    waiver binds to (none for a rounding note)."""

    problem: Problem
    fact: str | None = None
    values: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Appendices:
    """The appendices of a report, computed; what they found for the checks."""

    items: tuple[Appendix, ...] = ()
    differences: tuple[Difference, ...] = ()
    notes: tuple[Problem, ...] = ()
    body: tuple[tuple[str, Table], ...] = ()  # the tables the text places, by name

    def warnings(self) -> list[Problem]:
        """Return the differences and rounding notes as warnings, in file order."""
        found = [d.problem() for d in self.differences] + list(self.notes)
        return sorted(found, key=lambda p: (p.path, p.line, p.col))

    def findings(self) -> list[TableFinding]:
        """Return the warnings with the fact each is about and the figures it compared."""
        found = [TableFinding(d.problem(), d.fact, d.values()) for d in self.differences]
        found += [TableFinding(n) for n in self.notes]
        return sorted(found, key=lambda f: (f.problem.path, f.problem.line, f.problem.col))


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def build_appendices(
    declaration: Declaration,
    facts: Facts,
    cache: Cache = NO_CACHE,
    derived: Mapping[str, Mapping[str, Any]] | None = None,
    document: Mapping[str, str] | None = None,
) -> tuple[Appendices, list[Problem]]:
    """Compute every appendix table from the facts (and the facts checks/rules.yaml derives,
    by data file); errors of the declaration with places. document is what a title,
    heading or label may print of data/document.yaml ({document.year}).

    The result depends only on the declaration, data and schema files, the derived facts
    and those fields, so it is cached by their bytes.
    """
    derived = dict(derived or {})
    document = dict(document or {})
    key = [code_fingerprint(), declaration.display.encode(), declaration.raw]
    for name, data in sorted(facts.files.items()):
        schema = data.schema_file.raw if data.schema_file else b""
        key += [name.encode(), data.loaded.raw, schema]
    key.append(repr(sorted(derived.items())).encode())
    key.append(repr(sorted(document.items())).encode())
    return cache.value(
        "appendices",
        b"\0".join(key),
        lambda: _build_appendices(declaration, facts, derived, document),
    )


def _overlay(typed: Any, derived: Mapping[str, Any]) -> Any:
    """Return the plain data with the derived facts added where the data has no value."""
    if not isinstance(typed, dict):
        return typed
    out = dict(typed)
    for key, value in derived.items():
        if key not in out or is_missing(out[key]):
            out[key] = value
        elif isinstance(value, Mapping):
            out[key] = _overlay(out[key], value)
    return out


def _build_appendices(
    declaration: Declaration,
    facts: Facts,
    derived: Mapping[str, Mapping[str, Any]],
    document: Mapping[str, str],
) -> tuple[Appendices, list[Problem]]:
    resolver = _Resolver(declaration, facts, derived, document)
    items = tuple(resolver.appendix(spec) for spec in declaration.appendices)
    body = tuple(
        (name, resolver.table(None, spec, f'table "{name}"'))
        for name, spec in declaration.body_tables
    )
    unique: dict[tuple[str, Number], Difference] = {}
    for difference in resolver.differences:
        unique.setdefault((difference.fact, difference.computed), difference)
    result = Appendices(items, tuple(unique.values()), tuple(resolver.notes), body)
    return result, sorted(resolver.errors, key=lambda p: (p.line, p.col))


# ------------------------------------------------------------------------- resolving


_ABSENT = object()  # a fact the schema allows that the data does not state
DOCUMENT = "document"  # {document.year}: data/document.yaml's, as the text's {{ document.year }}
# a whole number as the data types it: "04", also in a flow mapping ("c2: 04, c3: …")
_DIGITS = re.compile(r"[0-9]+(?![0-9_eE]|[.,][0-9])")


@dataclass
class _Node:
    """A row once `each` is expanded: its label, variables and where its facts are."""

    spec: RowSpec
    label: str
    vars: dict[str, str]
    at: str | None
    cell: Template | None  # the row's own way to its facts, if any
    empty: str | None
    no_data: bool = False  # `cell: null`
    children: list[_Node] = field(default_factory=list)


@dataclass
class _Resolver:
    declaration: Declaration
    facts: Facts
    derived: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    document: Mapping[str, str] = field(default_factory=dict)  # {document.year} of a label
    errors: list[Problem] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    _reported: set[tuple[Any, ...]] = field(default_factory=set)
    _plain: dict[str, Any] = field(default_factory=dict)  # data documents as plain dicts
    _found: dict[str, tuple[Any, str | None]] = field(default_factory=dict)
    _meta: dict[tuple[str, Any], str | None] = field(default_factory=dict)
    _lines: dict[str, list[str]] = field(default_factory=dict)  # data files' text, by name

    def error(self, path: tuple[Any, ...], message: str, *, key: bool = False) -> None:
        """Report a problem of the declaration once, at its place."""
        if (path, message) not in self._reported:
            self._reported.add((path, message))
            self.errors.append(self.declaration.problem(path, message, key=key))

    # --- facts ------------------------------------------------------------------------

    def data_file(self, name: str) -> DataFile | None:
        return self.facts.files.get(name)

    def lookup(self, dotted: str) -> tuple[Any, str | None]:
        """Return (value, None) for a fact, (_ABSENT, None) for one the schema allows that the
        data does not state, or (_ABSENT, why) for a name that cannot be a fact."""
        found = self._found.get(dotted)
        if found is None:
            found = self._found[dotted] = self._lookup(dotted)
        return found

    def _lookup(self, dotted: str) -> tuple[Any, str | None]:
        name, _, rest = dotted.partition(".")
        data = self.data_file(name)
        if data is None:
            if name in self.facts.unavailable:  # reported where its file is broken
                return _ABSENT, None
            return _ABSENT, f"no data file named {name!r} (data: {', '.join(self.facts.files)})"
        if name not in self._plain:  # ruamel's mappings are slow to read; places stay there
            self._plain[name] = _overlay(plain(data.loaded.document), self.derived.get(name, {}))
        node: Any = self._plain[name]
        keys = rest.split(".") if rest else []
        for index, key in enumerate(keys):
            if isinstance(node, Mapping) and key in node:
                node = node[key]
                continue
            if isinstance(node, Mapping) and _rules_at(data.schema, tuple(keys[: index + 1])):
                return _ABSENT, None
            where = ".".join([name, *keys[:index]])
            if isinstance(node, Mapping):
                have = ", ".join(map(str, list(node)[:12]))
                return _ABSENT, f"{where} has no key {key!r} (it has: {have})"
            return _ABSENT, f"{where} is {_kind(node)}, it has no key {key!r}"
        if is_missing(node):  # still to be entered: a blank cell, listed by the check
            return _ABSENT, None
        return node, None

    def absent(self, dotted: str) -> str | None:
        """Return why a row's `at` names nothing in the data (even where the schema would
        allow it), or None when it does."""
        found, problem = self.lookup(dotted)
        if problem or found is not _ABSENT:
            return problem
        name, _, rest = dotted.partition(".")
        if name in self.facts.unavailable or name not in self._plain:
            return None
        node: Any = self._plain[name]
        keys = rest.split(".") if rest else []
        for index, key in enumerate(keys):
            if isinstance(node, Mapping) and key in node:
                node = node[key]
                continue
            where = ".".join([name, *keys[:index]])
            have = ", ".join(map(str, list(node)[:12])) if isinstance(node, Mapping) else ""
            return f"{where} has no key {key!r}" + (f" (it has: {have})" if have else "")
        return None  # stated as still to be entered (!missing)

    def typed_width(self, dotted: str) -> int | None:
        """Return how many digits the data types a whole number with (04 → 2): read from the
        data file's text at the fact's place, since the number itself is 4."""
        name, *keys = dotted.split(".")
        data = self.data_file(name)
        if data is None:
            return None
        line, col = place_of(data.loaded.document, tuple(keys))
        if line < 1 or col < 1:
            return None
        if name not in self._lines:
            self._lines[name] = data.loaded.raw.decode("utf-8", "replace").split("\n")
        lines = self._lines[name]
        found = _DIGITS.match(lines[line - 1], col - 1) if line <= len(lines) else None
        return len(found.group()) if found else None

    def glob(self, dotted: str) -> tuple[list[tuple[str, Any]], str | None]:
        """Return the facts a name with one * matches, in data order (or why none can)."""
        head, _, tail = dotted.partition("*")
        prefix = head.rstrip(".")
        container, problem = self.lookup(prefix)
        if problem or not isinstance(container, Mapping):
            return [], problem
        found = []
        for key in container:
            path = f"{prefix}.{key}{tail}"
            value = self.lookup(path)[0] if tail else container[key]
            if value is not _ABSENT:
                found.append((path, value))
        return found, None

    def place(self, dotted: str) -> tuple[str, int, int]:
        """Return the data file, line and column of a fact."""
        name, *keys = dotted.split(".")
        data = self.data_file(name)
        if data is None:
            return name, 0, 0
        line, col = place_of(data.loaded.document, tuple(keys))
        return data.loaded.display, line, col

    def meta(self, dotted: str, what: Callable[..., str | None]) -> str | None:
        """Return the unit or label (unit_of, label_of) the schema gives a fact."""
        if (dotted, what) not in self._meta:
            name, *keys = dotted.split(".")
            data = self.data_file(name)
            self._meta[dotted, what] = what(data.schema, tuple(keys)) if data else None
        return self._meta[dotted, what]

    def text(self, template: Template, values: Mapping[str, str], at: str | None) -> str:
        """Fill a label: its variables, {name} (the `name` under `at`) and fact paths,
        {an_sinh.health_insurance.name} or {at.y2022.lead_unit}."""

        def value(name: str) -> str:
            if name in values:
                return values[name]
            if name.startswith(f"{DOCUMENT}.") and self.document:
                key = name.removeprefix(f"{DOCUMENT}.")
                if key not in self.document:
                    have = ", ".join(self.document)
                    self.error(template.path, f"{{{name}}}: the document has no {key!r} ({have})")
                return self.document.get(key, "")
            dotted = name
            if name == "name" or name.startswith("at."):
                if at is None:
                    self.error(template.path, f"{{{name}}} needs the row's `at`")
                    return ""
                dotted = f"{at}.name" if name == "name" else at + name[2:]
            found, problem = self.lookup(dotted)
            if problem or found is _ABSENT:
                self.error(template.path, f"{{{name}}}: {problem or f'{dotted} is not stated'}")
                return ""
            if isinstance(found, int | Decimal) and not isinstance(found, bool):
                return format_number(found)
            if not isinstance(found, str):
                self.error(template.path, f"{{{name}}}: {dotted} is {_kind(found)}, not a text")
                return ""
            return " ".join(found.split())

        return template.render(value)

    # --- appendices -------------------------------------------------------------------

    def appendix(self, spec: AppendixSpec) -> Appendix:
        return Appendix(
            name=spec.name,
            number=spec.number,
            heading=spec.heading,
            # an attached document's trích yếu prints as typed (ND30 Mẫu 1.4), a Phụ lục's
            # title in capitals
            title=self.text(spec.title, {}, None)
            if spec.document
            else (self.text(spec.title, {}, None).upper()),
            landscape=spec.landscape,
            font_size=spec.font_size,
            tables=tuple(self.table(spec, t) for t in spec.tables),
            subtitle=self.text(spec.subtitle, {}, None) if spec.subtitle else None,
            attached=spec.attached,
            run_in=spec.run_in,
            document=spec.document,
            text=spec.text,
        )

    def table(self, appendix: AppendixSpec | None, spec: TableSpec, where: str = "") -> Table:
        heading = self.text(spec.heading, {}, None) if spec.heading else None
        notes = tuple(self.text(n, {}, None) for n in spec.notes)
        form = tuple(self.text(n, {}, None) for n in spec.form)
        after = tuple(self.text(n, {}, None) for n in spec.after)
        if spec.literal is not None:
            return Table(
                heading, None, "", "", None, (), False, (),
                new_page=spec.new_page, notes=notes, literal=spec.literal, form=form,
                source=tuple(spec.path), after=after, font_size=spec.font_size,
            )  # fmt: skip
        several = appendix is not None and len(appendix.tables) > 1
        where = appendix.heading if appendix is not None else where
        name = heading or " ".join(form) or None  # "Biểu mẫu 3 Cải cách thủ tục hành chính"
        context = _TableContext(self, where, spec, name if several else None, appendix is not None)
        nodes = [n for r in spec.rows for n in self.expand(r, spec, None, None)]
        rows: list[Row] = []
        context.level(nodes, 0, rows)
        context.operations(rows)
        context.check_columns()
        columns = context.printed_columns()
        labels: tuple[str, ...] = ()
        if spec.column_labels is not None:
            labels = spec.column_labels
        elif spec.column_style == "numbers":
            labels = tuple(str(i) for i in range(1, len(columns) + 3))
        elif spec.column_numbers:
            labels = ("A", "B", *(c.number for c in columns))
        return Table(
            heading=heading,
            unit=spec.unit,
            stt_header=spec.stt_header,
            label_header=spec.label_header,
            label_width_mm=spec.label_width_mm,
            columns=columns,
            column_numbers=bool(labels),
            rows=tuple(rows),
            column_labels=labels,
            new_page=spec.new_page,
            notes=notes,
            form=form,
            source=tuple(spec.path),
            after=after,
            font_size=spec.font_size,
        )

    def expand(
        self, spec: RowSpec, table: TableSpec, parent_at: str | None, parent_empty: str | None
    ) -> list[_Node]:
        """Return the rows a row spec makes: itself, or one per key its `each` finds."""
        empty = spec.empty if spec.empty is not None else parent_empty
        label = spec.label or Template("{name}", spec.path)
        if spec.each is None:
            at = None
            nowhere = False
            if spec.at is not None:
                try:
                    at = spec.at.fill(spec.vars)
                except KeyError as exc:
                    self.error(spec.at.path, f"unknown name {{{exc.args[0]}}} in {spec.at.text!r}")
                else:
                    problem = self.absent(at)
                    if problem:  # a row of no fact would print blank and pass unseen
                        self.error(spec.at.path, f"at: {at} matches no fact: {problem}")
                        nowhere = True
            node = _Node(
                spec,
                at or "" if nowhere else _capitalized(self.text(label, spec.vars, at)),
                dict(spec.vars),
                at,
                spec.cell if isinstance(spec.cell, Template) and not nowhere else None,
                empty,
                no_data=spec.cell is NO_DATA or nowhere,
            )
            for child in spec.rows:
                node.children += self.expand(child, table, at or parent_at, empty)
            return [node]
        # One row per key the pattern finds, for any of the columns' variables (years...).
        found_at: dict[str, str] = {}
        for values in _column_var_sets(table.columns):
            scope = {**spec.vars, **values, **({"at": parent_at} if parent_at else {})}
            try:
                pattern = spec.each.fill(scope)
            except KeyError as exc:
                self.error(spec.each.path, f"unknown name {{{exc.args[0]}}} in {spec.each.text!r}")
                return []
            found, problem = self.glob(pattern)
            if problem:
                self.error(spec.each.path, f"each: {pattern}: {problem}")
                return []
            for path, _ in found:
                found_at.setdefault(path.rsplit(".", 1)[1], path)
        # Their cells are the field under each key found (unless the row says where, its
        # `at` being the key's path): {at} in the pattern is the parent's.
        cell = spec.cell if isinstance(spec.cell, Template) else None
        if cell is None:
            under = spec.each.text.replace("{at}", parent_at or "{at}")
            cell = Template(under.replace("*", "{key}") + ".{field}", spec.each.path)
        nodes = []
        for key, at in found_at.items():
            values = {**spec.vars, "key": key}
            text = _capitalized(self.text(label, values, at))
            nodes.append(_Node(spec, text, values, at, cell, empty, spec.cell is NO_DATA))
        return nodes


def _capitalized(label: str) -> str:
    """A table label starts with a capital, as the names in the data do not always."""
    return label[:1].upper() + label[1:]


def _kind(value: object) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, bool):
        return "a truth value"
    if isinstance(value, int | Decimal):
        return "a number"
    return "nothing"


def _column_var_sets(columns: Sequence[ColumnSpec]) -> list[dict[str, str]]:
    seen: list[dict[str, str]] = []
    for column in columns:
        if column.field is not None and dict(column.vars) not in seen:
            seen.append(dict(column.vars))
    return seen or [{}]


def _number(value: object) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _sum(values: Iterable[Number | None]) -> Number | None:
    """Add the values present; None when none is."""
    present = [v for v in values if v is not None]
    total: Number = 0
    for value in present:
        total = total + value
    return total if present else None


@dataclass
class _ColumnUse:
    """What a fact column met while its cells were resolved (for the column checks)."""

    allowed: bool = False  # some row's path is a fact the schema knows
    problem: str | None = None  # why a row's path is not, for the message
    first_path: str | None = None
    units: dict[str, str] = field(default_factory=dict)  # unit → a fact in it


class _TableContext:
    """Computes the rows of one table, level by level."""

    def __init__(
        self,
        resolver: _Resolver,
        where: str,
        spec: TableSpec,
        heading: str | None = None,
        in_appendix: bool = True,
    ):
        self.r = resolver
        self.where = where  # "Phụ lục I", or 'table "name"' for a table of the text
        self.in_appendix = in_appendix
        self.spec = spec
        self.heading = heading
        self.columns = spec.columns
        self.order = evaluation_order(spec.columns)  # operations after their operands
        self.uses = [_ColumnUse() for _ in spec.columns]
        self._failed: set[tuple[Any, ...]] = set()  # (template, column) reported once
        self.by_id: dict[str, list[Number | None]] = {}  # what the rows with an `id` show
        self.pending: list[tuple[Row, _Node, str, int]] = []  # ratio rows: stand-in, stt, depth

    # --- rows ---------------------------------------------------------------------------

    def level(
        self, nodes: list[_Node], depth: int, out: list[Row], parent_stt: str = ""
    ) -> list[list[Number | None]]:
        """Append the rows of one level, each followed by its children; return what each
        row that adds in (not a total, not a "Trong đó" row) shows, for the sums above."""
        styles = self.spec.row_numbers
        style = styles[min(depth, len(styles) - 1)] if styles else ""
        shown: list[list[Number | None]] = []
        built: list[tuple[_Node, list[Row]]] = []
        counter = 0
        for node in nodes:
            spec = node.spec
            if spec.total:
                built.append((node, []))
                continue
            if spec.op is not None:  # computed once every row is known; its rows follow it
                stt = spec.stt or ""
                operands: list[Row] = []
                if node.children:
                    self.level(node.children, depth + 1, operands, stt)
                placeholder = Row(stt, node.label, ())
                self.pending.append((placeholder, node, stt, depth))
                built.append((node, [placeholder, *operands]))
                continue
            if spec.additive:
                counter += 1
                number = row_number(style, counter, parent_stt)
            else:
                number = ""  # "Trong đó", "Bao gồm": not numbered unless declared
            stt = spec.stt if spec.stt is not None else number
            below: list[Row] = []
            parts = None
            if node.children:
                parts = self.level(node.children, depth + 1, below, stt)
                if not spec.sum_rows:  # a heading over its rows, or a figure of its own
                    parts = None
            cells = self.cells(node, parts)
            values = [c.shown for c in cells]
            if spec.additive:
                shown.append(values)
            if spec.id is not None:
                self.by_id[spec.id] = values
            built.append((node, [self.row(node, stt, cells, depth), *below]))
        for node, rows in built:
            if node.spec.total:  # sums the rows beside it, wherever it stands
                cells = self.cells(node, shown)
                if node.spec.id is not None:
                    self.by_id[node.spec.id] = [c.shown for c in cells]
                rows.append(self.row(node, node.spec.stt or "", cells, depth))
            out.extend(rows)
        return shown

    def operations(self, rows: list[Row]) -> None:
        """Insert the ratio and difference rows: one row's cells over (or minus) another's."""
        for placeholder, node, stt, depth in self.pending:
            spec = node.spec
            a, b = (self.by_id.get(name) for name in spec.operands)
            cells: list[Cell] = []
            overrides = {i: t for indexes, t in spec.cells for i in indexes}
            for index, column in enumerate(self.columns):
                texts = self.texts(node)
                if index in texts:
                    cells.append(Cell(texts[index], None))
                    continue
                if column.is_text:
                    cells.append(Cell(self.text_cell(node, index, column, cells), None))
                    continue
                value: Number | None = None
                if a is not None and b is not None and not column.is_text:
                    x, y = a[index], b[index]
                    if x is not None and y is not None:
                        if spec.op == "difference":
                            value = x - y
                        elif y != 0:
                            value = Decimal(x) * 100 / Decimal(y)
                decimals = column.decimals if spec.op == "difference" else None
                if decimals is None and spec.op == "ratio":
                    decimals = RATIO_DECIMALS
                stated = self.stated(node, index, column, overrides)
                computed = None
                if value is not None:
                    how = f"the rows {spec.operands[0]} {'/' if spec.op == 'ratio' else '−'} "
                    how += f"{spec.operands[1]}{' × 100' if spec.op == 'ratio' else ''} give"
                    computed = Computed(value, how)
                if stated is not None:
                    if computed is not None:
                        exact = (
                            quantize(value, decimals_of(stated.value))
                            if value is not None
                            else None
                        )
                        if exact is not None and exact != stated.value:
                            self.compare(node, column, stated, Computed(exact, computed.how))
                    text = self.format(node, column, stated, stated.value)
                    cells.append(Cell(text, stated.value, stated, computed))
                    continue
                if value is None:
                    text = self.empty_text(node, column)
                else:
                    text = format_number(value, decimals if decimals is not None else None)
                cells.append(Cell(text, value, None, computed))
            if spec.id is not None:
                self.by_id[spec.id] = [c.shown for c in cells]
            place = next(i for i, r in enumerate(rows) if r is placeholder)
            rows[place] = self.row(node, stt, cells, depth)

    def row(self, node: _Node, stt: str, cells: list[Cell], depth: int) -> Row:
        total = node.spec.total
        bold = node.spec.bold
        if bold is None:
            bold = total or (depth == 0 and bool(node.children))
        italic = node.spec.italic
        if italic is None:  # "Trong đó", "Bao gồm": italic, as offices print them
            italic = not node.spec.additive and not total and node.spec.op is None
        styles = tuple(
            (2 + i if i >= 0 else -i - 1, look)
            for indexes, look in node.spec.styles
            for i in indexes
        )
        spans = tuple(
            (2 + i if i >= 0 else -i - 1, rows)
            for indexes, rows in node.spec.spans
            for i in indexes
        )
        return Row(stt, node.label, tuple(cells), total, depth, bold, bool(italic), styles, spans)

    def texts(self, node: _Node) -> dict[int, str]:
        return {i: text for indexes, text in node.spec.texts for i in indexes}

    def empty_text(self, node: _Node, column: ColumnSpec) -> str:
        """The text of a cell with no figure: the row's, the column's or the table's."""
        if node.empty is not None:
            return node.empty
        if column.empty is not None:
            return column.empty
        return self.spec.empty

    def cells(self, node: _Node, parts: list[list[Number | None]] | None) -> list[Cell]:
        """Compute a row's cells, each operation after the columns it uses (those before it,
        or after it for a "Tổng số" printed before its parts); returned in column order.

        parts are the rows under it, or for a total the rows beside it: a fact column then
        adds them up; a leaf row adds up its parts in the data (the table's `parts`)."""
        shown: list[Number | None] = [None] * len(self.columns)
        cells: list[Cell | None] = [None] * len(self.columns)
        overrides = {i: template for indexes, template in node.spec.cells for i in indexes}
        texts = self.texts(node)
        total = node.spec.total
        for index in self.order:
            column = self.columns[index]
            if index in texts:  # printed as written ("1-1,5", "x", "Đạt"): not a figure
                cells[index] = Cell(texts[index], None)
                continue
            if column.is_text:
                before = [c for c in cells[:index] if c is not None]
                cells[index] = Cell(self.text_cell(node, index, column, before), None)
                continue
            stated = self.stated(node, index, column, overrides)
            computed: Computed | None = None
            if index in overrides and overrides[index] is None:
                pass  # declared blank
            elif column.op is not None:
                computed = self.operate(column, shown)
            elif parts is not None and column.additive:
                how = "the rows of the table add up to" if total else "the rows under it add up to"
                computed = self.summed(parts, index, how)
            elif parts is None and not node.no_data and not total:
                computed = self.from_parts(node, column)
            if stated is not None and computed is not None:
                self.compare(node, column, stated, computed)
            value = stated.value if stated else (computed.value if computed else None)
            shown[index] = value
            cells[index] = Cell(self.format(node, column, stated, value), value, stated, computed)
        return [cell for cell in cells if cell is not None]

    def stated(
        self, node: _Node, index: int, column: ColumnSpec, overrides: Mapping[int, Template | None]
    ) -> FactRef | None:
        """Return the fact the data states for a cell: the row's `cells`, the row's own
        way to its facts (`cell`, `each`), else the table's `cell` (leniently: a row it does
        not fit simply has no fact there)."""
        strict = True
        template: Template | None
        if index in overrides:
            template = overrides[index]
        elif node.no_data or column.field is None or (node.spec.total and node.at is None):
            return None
        elif node.cell is not None:
            template = node.cell
        else:
            template, strict = self.spec.cell, False
        if template is None:
            return None
        dotted = self.fill(template, node, column)
        if dotted is None:
            return None
        value, problem = self.r.lookup(dotted)
        use = self.uses[index]
        if problem:
            if strict and (template.path, index) not in self._failed:
                self._failed.add((template.path, index))
                self.r.error(template.path, f"column {column.key!r}: {dotted}: {problem}")
            elif not strict and use.problem is None:
                use.problem = f"{dotted}: {problem}"
            return None
        use.allowed = True
        use.first_path = use.first_path or dotted
        if self.spec.unit and column.op is None:
            unit = self.r.meta(dotted, unit_of)
            if unit:
                use.units.setdefault(unit, dotted)
        if value is _ABSENT:
            return None
        if not _number(value):
            self.r.error(template.path, f"{dotted} is {_kind(value)}, not a number")
            return None
        return FactRef(dotted, value)

    def text_cell(self, node: _Node, index: int, column: ColumnSpec, before: list[Cell]) -> str:
        """Print a text column's cell: the unit the schema gives the row's figures, or the
        text fact the column's `text` names under the row (a note, a unit, a target)."""
        if column.unit:
            for cell in before:
                if cell.stated is not None:
                    unit = self.r.meta(cell.stated.name, unit_of)
                    if unit:
                        return unit
            for other in self.columns:  # a row whose figures are all computed or missing
                if other.field is None or node.no_data:
                    continue
                template = node.cell or self.spec.cell
                dotted = self.fill(template, node, other, quiet=True)
                unit = self.r.meta(dotted, unit_of) if dotted else None
                if unit:
                    return unit
            return self.empty_text(node, column)
        if node.no_data or (node.spec.total and node.at is None) or column.text is None:
            return self.empty_text(node, column)
        template = node.cell or self.spec.cell
        dotted = self.fill(template, node, column, quiet=True)
        if dotted is None:
            return self.empty_text(node, column)
        value, problem = self.r.lookup(dotted)
        use = self.uses[index]
        if problem:
            if node.cell is not None and (template.path, index) not in self._failed:
                self._failed.add((template.path, index))
                self.r.error(template.path, f"column {column.key!r}: {dotted}: {problem}")
            elif use.problem is None:
                use.problem = f"{dotted}: {problem}"
            return self.empty_text(node, column)
        use.allowed = True
        if value is _ABSENT:
            return self.empty_text(node, column)
        if isinstance(value, str):  # its lines kept: "Có = 1;" over "Không = 0"
            return "\n".join(" ".join(line.split()) for line in value.strip().split("\n"))
        if _number(value):
            return format_number(value)
        self.r.error(
            template.path, f"column {column.key!r}: {dotted} is {_kind(value)}, not a text"
        )
        return ""

    def fill(
        self, template: Template, node: _Node, column: ColumnSpec, *, quiet: bool = False
    ) -> str | None:
        """Return the fact path a template names for a cell, or None if it cannot."""
        values = {**node.vars, **column.vars}
        if node.at is not None:
            values["at"] = node.at
        if column.field is not None:
            values["field"] = column.field
        elif column.text is not None:
            values["field"] = column.text
        try:
            return template.fill(values)
        except KeyError as exc:
            name = exc.args[0]
            if quiet or (
                name == "at" and (template is self.spec.cell or template in self.spec.parts)
            ):
                return None  # the table's way to its facts, for rows that have an `at`
            self.r.error(
                template.path,
                f"unknown name {{{name}}} in {template.text!r} for column {column.key!r}",
            )
            return None

    def from_parts(self, node: _Node, column: ColumnSpec) -> Computed | None:
        """Add up the parts the data gives for a cell: the first of the table's `parts`
        patterns that finds any (a sub-project's units, say)."""
        for template in self.spec.parts:
            pattern = self.fill(template, node, column)
            if pattern is None:
                continue
            numbers = [v for _, v in self.r.glob(pattern)[0] if _number(v)]
            total = _sum(numbers)
            if total is not None:
                return Computed(total, f"its parts ({pattern}) add up to")
        return None

    def summed(self, parts: list[list[Number | None]], index: int, how: str) -> Computed | None:
        total = _sum(values[index] for values in parts)
        return None if total is None else Computed(total, how)

    def operate(self, column: ColumnSpec, shown: list[Number | None]) -> Computed | None:
        """Compute an operation column from the row's cells it names."""
        values = [shown[i] for i in column.operands]
        names = [self.title(self.columns[i]) for i in column.operands]
        if column.op == "sum":
            total = _sum(values)
            return None if total is None else Computed(total, f"{' + '.join(names)} add up to")
        a, b = values
        if a is None or b is None:
            return None
        if column.op == "difference":
            return Computed(a - b, f"{names[0]} − {names[1]} gives")
        if b == 0:
            return None
        return Computed(Decimal(a) * 100 / Decimal(b), f"{names[0]} / {names[1]} × 100 gives")

    def compare(self, node: _Node, column: ColumnSpec, stated: FactRef, computed: Computed) -> None:
        """Keep the difference when a stated figure is not what the tool computes."""
        value = computed.value
        if column.op == "ratio":  # a stated rate is compared at its own precision
            value = quantize(value, decimals_of(stated.value))
        if value == stated.value:
            return
        path, line, col = self.r.place(stated.name)
        self.r.differences.append(
            Difference(
                appendix=self.where,
                row=node.label,
                column=self.title(column),
                fact=stated.name,
                stated=stated.value,
                computed=value,
                how=computed.how,
                path=path,
                line=line,
                col=col,
                table=self.heading,
                shown_in="the appendix" if self.in_appendix else "the table",
                counts=column.op != "ratio"
                and Decimal(value) == Decimal(value).to_integral_value()
                and self.r.meta(stated.name, type_of) == "count",
            )
        )

    def format(
        self, node: _Node, column: ColumnSpec, stated: FactRef | None, value: Number | None
    ) -> str:
        """Print a cell: Vietnamese digits, the column's (or table's) decimals; a missing
        figure prints the row's or table's `empty` text, never 0."""
        if value is None:
            return self.empty_text(node, column)
        decimals = column.decimals
        if decimals is None and column.op == "ratio":
            decimals = RATIO_DECIMALS
        if decimals is None:
            decimals = self.spec.decimals
        text = format_number(value, decimals)
        if stated is not None and not decimals and isinstance(value, int):
            width = self.r.typed_width(stated.name)  # "04", "01": a count as the data types it
            if width and text.isdigit() and len(text) < width:
                text = text.zfill(width)
        if stated is not None and decimals is not None and quantize(value, decimals) != value:
            path, line, col = self.r.place(stated.name)
            where = f'{self.where}, row "{_short(node.label)}"'
            self.r.notes.append(
                Problem(
                    path,
                    line,
                    col,
                    f'{where}, column "{self.title(column)}": {stated.name} = '
                    f"{format_number(value)} is shown rounded to {text} (the column shows "
                    f"{decimals} decimal{'s' if decimals != 1 else ''})",
                    "warning",
                    ROUNDED_RULE,
                )
            )
        return text

    # --- columns ------------------------------------------------------------------------

    def title(self, column: ColumnSpec) -> str:
        label = self.label(column)
        return f"{column.group} – {label}" if column.group else label

    def label(self, column: ColumnSpec) -> str:
        """The column's label, else the schema's label of its facts, else its field."""
        if column.label:
            return column.label
        first = self.uses[self.columns.index(column)].first_path
        found = self.r.meta(first, label_of) if first else None
        return found or column.field or column.key

    def printed_columns(self) -> tuple[Column, ...]:
        """Return the columns as printed, numbered 1, 2, 3=1+2... for the number row."""
        out = []
        for index, column in enumerate(self.columns):
            sign = {"sum": "+", "difference": "-", "ratio": "/"}.get(column.op or "")
            number = str(index + 1)
            if sign:  # its operands stand before it, or after it ("2=3+4+5")
                number += "=" + sign.join(str(i + 1) for i in column.operands)
            out.append(
                Column(
                    key=column.key,
                    label=self.label(column),
                    group=column.group,
                    group_id=column.group_id,
                    number=number,
                    width_mm=column.width_mm,
                    computed=column.op is not None,
                    groups=column.groups,
                    text=column.is_text,
                    align=column.align,
                    source=tuple(column.path),
                )
            )
        return tuple(out)

    def check_columns(self) -> None:
        """Report a column whose field names no fact in any row, and a unit line that
        disagrees with the units the schema gives the column's facts."""
        for column, use in zip(self.columns, self.uses, strict=True):
            for key, name in (("field", column.field), ("text", column.text)):
                if name is not None and not use.allowed and use.problem:
                    self.r.error((*column.path, key), f"column {column.key!r}: {use.problem}")
            if not self.spec.unit or column.op is not None:
                continue
            for unit, dotted in use.units.items():
                if unit != self.spec.unit:
                    self.r.error(
                        (*self.spec.path, "unit"),
                        f"the table is in {self.spec.unit} but column {column.key!r} shows "
                        f"{dotted}, in {unit}",
                    )
