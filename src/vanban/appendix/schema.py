"""The schema of content/appendices.yaml and its checker: every problem with its place.

A small rule tree instead of Cerberus: rows nest to any depth, and Cerberus spends some
200 ms checking a recursive schema of this size before it validates anything. Messages
follow facts.validate: `dotted.path: what was expected, what was found`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..classes import dataclass, field
from ..errors import Problem
from ..facts import place_of

_NAME = r"[a-z_][a-z0-9_]*"
# The words offices put before an appendix's number (ND30 Phụ lục I, III.1; Mẫu 2.1).
HEADING_WORDS = ("Phụ lục", "Biểu mẫu số", "Mẫu biểu số", "Biểu số", "Mẫu số")
# Each word may be given in capitals ("PHỤ LỤC"), printed so, where an office prints it so.
WORDS_ALLOWED = HEADING_WORDS + tuple(word.upper() for word in HEADING_WORDS)


@dataclass
class Rule:
    """What one value of the declaration may be.

    kinds: text, integer, decimal, boolean, mapping (fixed `fields`, or free keys whose
    values follow `values`), list (items follow `values`); several kinds are alternatives.
    """

    kinds: tuple[str, ...]
    fields: dict[str, Rule] = field(default_factory=dict)
    values: Rule | None = None
    required: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()
    pattern: str | None = None
    key_pattern: str | None = None
    nullable: bool = False
    minimum: int | None = None
    maximum: int | None = None
    length: tuple[int, int] | None = None
    blank: bool = False  # an empty text is allowed (a blank STT)


def _text(**kw: Any) -> Rule:
    return Rule(("text",), **kw)


_VALUE = Rule(("text", "integer"))
_VARS = Rule(("mapping",), values=_VALUE, key_pattern=_NAME)
# `for:` makes one item per value: {year: [2022, 2023]}; with several variables their lists
# are taken side by side: {point: [start_2021, end_2023], when: [Đầu năm 2021, Cuối năm 2023]}.
_FOR = Rule(
    ("mapping",), values=Rule(("list",), values=_VALUE, length=(1, 1000)), key_pattern=_NAME
)
_OPERANDS = Rule(("list",), values=_text(), length=(1, 100))
_PAIR = Rule(("list",), values=_text(), length=(2, 2))
_DECIMALS = Rule(("integer",), minimum=0, maximum=6)

COLUMN = Rule(
    ("mapping",),
    fields={
        "key": _text(pattern=r"[A-Za-z0-9_{}]+"),
        "label": _text(),
        "field": _text(pattern=r"[A-Za-z0-9_{}]+"),
        "vars": _VARS,
        "sum": _OPERANDS,
        "difference": _PAIR,
        "ratio": _PAIR,
        "decimals": _DECIMALS,
        "width": Rule(("decimal",), minimum=5, maximum=200),
        "additive": Rule(("boolean",)),
        "text": _text(pattern=r"[A-Za-z0-9_{}]+"),
        "unit": Rule(("boolean",)),
        "empty": Rule(("text",), blank=True),
        "align": _text(allowed=("left", "center", "right")),
    },
)
COLUMN_GROUP = Rule(
    ("mapping",),
    fields={
        **COLUMN.fields,
        "group": _text(),
        "for": _FOR,
    },
)
# A group's columns may be groups themselves: a header row per level.
COLUMN_GROUP.fields["columns"] = Rule(("list",), values=COLUMN_GROUP, length=(1, 1000))
_STYLE = _text(allowed=("bold", "italic", "bold italic", "normal"))
ROW = Rule(
    ("mapping",),
    fields={
        "label": _text(),
        "total": Rule(("boolean",)),
        "at": _text(),
        "vars": _VARS,
        "for": _FOR,
        "each": _text(),
        "cell": _text(nullable=True),
        "cells": Rule(("mapping",), values=_text(nullable=True)),
        "stt": Rule(("text", "integer"), blank=True),
        "empty": Rule(("text",), blank=True),
        "bold": Rule(("boolean",)),
        "italic": Rule(("boolean",)),
        "id": _text(pattern=_NAME),
        "additive": Rule(("boolean",)),
        "ratio": _PAIR,
        "difference": _PAIR,
        "texts": Rule(("mapping",), values=Rule(("text", "integer", "decimal"))),
        "style": Rule(("mapping",), values=_STYLE),
        "sum_rows": Rule(("boolean",)),
        "spans": Rule(("mapping",), values=Rule(("integer",), minimum=1, maximum=1000)),
    },
)
ROW.fields["rows"] = Rule(("list",), values=ROW, length=(1, 10000))

TABLE_FIELDS: dict[str, Rule] = {
    "heading": _text(),
    "unit": _text(),
    "decimals": _DECIMALS,
    "empty": Rule(("text",)),
    # true: A, B, 1, 2, 3=1+2; "numbers": 1…N; "none"; or the labels as a list
    "column_numbers": Rule(
        ("boolean", "text", "list"),
        allowed=("letters", "numbers", "none"),
        values=Rule(("text", "integer")),
    ),
    "cell": _text(),
    "parts": Rule(("list",), values=_text()),
    "stt_header": _text(),
    "label_header": _text(),
    "label_width": Rule(("decimal",), minimum=10, maximum=250),
    "row_numbers": Rule(("list",), values=Rule(("text",), blank=True)),
    "columns": Rule(("list",), values=COLUMN_GROUP, length=(1, 1000)),
    "rows": Rule(("list",), values=ROW, length=(1, 10000)),
    "markdown": _text(),
    "new_page": Rule(("boolean",)),
    "notes": Rule(("list",), values=_text()),
    "after": Rule(("list",), values=_text()),
    "form": Rule(("text", "list"), values=_text()),
    # its cells' size in points, over its appendix's (a table of many columns set smaller)
    "font_size": Rule(("decimal",), minimum=9, maximum=13),
}
# A table is computed (label_header, columns, rows) or written out (`markdown`); the parser
# says which keys are missing.
TABLE = Rule(("mapping",), fields=TABLE_FIELDS)

# An appendix holds one table (its keys beside the appendix's own) or several under `tables`.
APPENDIX = Rule(
    ("mapping",),
    fields={
        "name": _text(pattern=r"[a-z][a-z0-9_-]*"),
        # a text, or its lines as printed: [ĐỀ CƯƠNG BÁO CÁO …, CÔNG TÁC CẢI CÁCH …]
        "title": Rule(("text", "list"), values=_text(), length=(1, 6)),
        "orientation": _text(allowed=("portrait", "landscape")),
        "font_size": Rule(("decimal",), minimum=9, maximum=13),
        "subtitle": _text(),
        "word": _text(allowed=WORDS_ALLOWED),
        "attached": _text(allowed=("agency", "chair", "none")),
        "run_in": Rule(("boolean",)),
        # an attached document (a Quy chế the Quyết định issues) and text of its own
        "document": _text(),
        "text": _text(pattern=r"[^/\\].*\.md"),
        "headings": Rule(("text", "list"), values=_text(), length=(1, 6)),
        **TABLE_FIELDS,
        "tables": Rule(("list",), values=TABLE, length=(1, 100)),
    },
    required=("name", "title"),
)

BODY_TABLE = Rule(
    ("mapping",),
    fields={"name": _text(pattern=r"[a-z][a-z0-9_-]*"), **TABLE_FIELDS},
    required=("name",),
)

DECLARATION = Rule(
    ("mapping",),
    fields={
        "numbering": _text(allowed=("roman", "arabic", "none")),
        "word": _text(allowed=WORDS_ALLOWED),
        "attached": _text(allowed=("agency", "chair", "none")),
        "appendices": Rule(("list",), values=APPENDIX),
        "body_tables": Rule(("list",), values=BODY_TABLE),
    },
)


_ARTICLE = {
    "text": "a text",
    "integer": "a whole number",
    "decimal": "a number",
    "boolean": "true or false",
    "mapping": "a mapping of keys",
    "list": "a list",
}


def _kind(value: object) -> str | None:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, Decimal):
        return "decimal"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return None


def describe(value: object) -> str:
    """Describe a value found in the declaration, for a message."""
    kind = _kind(value)
    if kind == "text":
        return f"the text {value!r}"
    if kind in ("integer", "decimal"):
        return str(value)
    if kind == "boolean":
        return f"the truth value {str(value).lower()}"
    if kind in ("mapping", "list"):
        return _ARTICLE[kind]
    return "nothing" if value is None else repr(value)


def check(document: Any, display: str, rule: Rule = DECLARATION) -> list[Problem]:
    """Check the declaration against its rules; every problem with its place, in file order."""
    problems: list[Problem] = []

    def report(path: tuple[Any, ...], message: str, *, key: bool = False) -> None:
        line, col = place_of(document, path, key=key)
        dotted = ".".join(str(p) for p in path)
        problems.append(Problem(display, line, col, f"{dotted}: {message}" if dotted else message))

    def visit(value: Any, rule: Rule, path: tuple[Any, ...]) -> None:
        kind = _kind(value)
        if value is None and rule.nullable:
            return
        accepted = kind in rule.kinds or (kind == "integer" and "decimal" in rule.kinds)
        if not accepted:
            expected = " or ".join(_ARTICLE[k] for k in rule.kinds)
            report(path, f"expected {expected}, got {describe(value)}")
            return
        if kind == "text":
            if not value.strip() and not rule.blank:
                report(path, "must not be empty")
            elif rule.allowed and value not in rule.allowed:
                report(path, f"expected one of {', '.join(rule.allowed)}, got {describe(value)}")
            elif rule.pattern and not re.fullmatch(rule.pattern, value):
                report(path, f"{describe(value)} does not match the pattern {rule.pattern!r}")
        elif kind in ("integer", "decimal"):
            if rule.minimum is not None and value < rule.minimum:
                report(path, f"expected at least {rule.minimum}, got {value}")
            elif rule.maximum is not None and value > rule.maximum:
                report(path, f"expected at most {rule.maximum}, got {value}")
        elif kind == "list":
            if rule.length and not rule.length[0] <= len(value) <= rule.length[1]:
                low, high = rule.length
                if low == high:
                    wanted, count = f"exactly {low}", low
                elif len(value) < low:
                    wanted, count = f"at least {low}", low
                else:
                    wanted, count = f"at most {high}", high
                report(path, f"expected {wanted} item{'s' if count != 1 else ''}, got {len(value)}")
            if rule.values is not None:
                for index, item in enumerate(value):
                    visit(item, rule.values, (*path, index))
        elif kind == "mapping":
            for name in rule.required:
                if name not in value:
                    report(path, f"missing required key {name!r}", key=bool(path))
            for name, item in value.items():
                if rule.fields:
                    if name not in rule.fields:
                        allowed = ", ".join(rule.fields)
                        near = difflib.get_close_matches(str(name), rule.fields, n=1)
                        hint = f"did you mean {near[0]!r}? " if near else ""
                        report(
                            (*path, name),
                            f"unknown key {name!r} ({hint}allowed here: {allowed})",
                            key=True,
                        )
                        continue
                    visit(item, rule.fields[name], (*path, name))
                    continue
                if rule.key_pattern and not re.fullmatch(rule.key_pattern, str(name)):
                    report(
                        (*path, name),
                        f"key {name!r} does not match the pattern {rule.key_pattern!r}",
                        key=True,
                    )
                if rule.values is not None:
                    visit(item, rule.values, (*path, name))

    visit(document, rule, ())
    problems.sort(key=lambda p: (p.line, p.col))
    return problems
