"""Facts by dotted name ("von.du_an_2.y2022.allocated"): lookup, globs, places, derived values."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from fnmatch import fnmatchcase
from typing import Any

from ..facts import Missing, is_missing, place_of
from ..numbers import Number

MISSING: Any = object()


def is_number(value: object) -> bool:
    """Return True for the exact numbers facts are made of (int or Decimal, not bool)."""
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


class FactStore:
    """The data documents of a report by template name, with derived facts laid over them.

    Patterns are dotted names where a segment may be `*` (any one key, or a shell pattern
    such as `du_an_*`) or `**` (any number of keys, none included).
    """

    def __init__(
        self,
        documents: Mapping[str, Any],
        displays: Mapping[str, str],
        unavailable: Iterable[str] = (),
        counted: Callable[[str], bool] | None = None,
    ):
        self._documents = dict(documents)
        self._counted = counted
        self._displays = dict(displays)
        self._unavailable = frozenset(unavailable)
        self._typed: dict[str, Any] = {}
        self._children: dict[str, list[str]] = {"": []}
        for name, document in self._documents.items():
            self._index(name, document, "")
        self.derived: dict[str, Number | Missing] = {}
        self.derived_by: dict[str, str] = {}
        self._expanded: dict[str, list[str]] = {}

    def _index(self, key: str, node: Any, parent: str) -> None:
        dotted = f"{parent}.{key}" if parent else key
        self._typed[dotted] = node
        self._children[parent].append(key)
        if isinstance(node, Mapping):
            self._children[dotted] = []
            for child, value in node.items():
                self._index(str(child), value, dotted)

    # --- lookup ---------------------------------------------------------------------------
    def get(self, dotted: str) -> Any:
        """Return the typed value at dotted, else the derived one, else MISSING."""
        value = self._typed.get(dotted, MISSING)
        return self.derived.get(dotted, MISSING) if value is MISSING else value

    def number(self, dotted: str) -> Number | None:
        """Return the number at dotted, or None when it is absent or not a number."""
        value = self.get(dotted)
        return value if is_number(value) else None

    def is_typed(self, dotted: str) -> bool:
        return dotted in self._typed

    def is_count(self, dotted: str) -> bool:
        """Return True for a fact its schema types `count`: a whole number, exact, that no
        rounding of printed figures made."""
        return self._counted is not None and dotted in self._typed and bool(self._counted(dotted))

    def is_derived(self, dotted: str) -> bool:
        return dotted in self.derived and dotted not in self._typed

    def is_group(self, dotted: str) -> bool:
        """Return True when dotted names a mapping of facts (typed or derived)."""
        return dotted in self._children

    def unavailable(self, dotted: str) -> bool:
        """Return True when dotted belongs to a data file that failed to load."""
        return dotted.split(".", 1)[0] in self._unavailable

    def knows_file(self, dotted: str) -> bool:
        return dotted.split(".", 1)[0] in self._documents

    # --- derived facts --------------------------------------------------------------------
    def add_derived(self, dotted: str, value: Number | Missing, rule: str = "") -> None:
        """Record a fact computed by a rule; a typed fact of the same name still wins."""
        self.derived[dotted] = value
        self.derived_by[dotted] = rule
        self._expanded.clear()
        parent = ""
        for key in dotted.split("."):
            here = f"{parent}.{key}" if parent else key
            siblings = self._children.setdefault(parent, [])
            if key not in siblings:
                siblings.append(key)
            parent = here

    def derived_tree(self, name: str) -> dict[str, Any]:
        """Return the derived facts of one data file as nested dicts."""
        tree: dict[str, Any] = {}
        for dotted, value in self.derived.items():
            first, *keys = dotted.split(".")
            if first != name or not keys:
                continue
            node = tree
            for key in keys[:-1]:
                node = node.setdefault(key, {})
            node[keys[-1]] = value
        return tree

    # --- patterns -------------------------------------------------------------------------
    def expand(self, pattern: str) -> list[str]:
        """Return the dotted names of every node (mapping or value) that pattern matches."""
        known = self._expanded.get(pattern)
        if known is None:
            found: list[str] = []
            self._walk(pattern.split("."), 0, "", found)
            known = self._expanded[pattern] = list(dict.fromkeys(found))
        return known

    def numbers(self, pattern: str) -> list[str]:
        """Return the dotted names of the numbers that pattern matches, in document order."""
        if "*" not in pattern:
            return [pattern] if self.number(pattern) is not None else []
        return [name for name in self.expand(pattern) if self.number(name) is not None]

    def _walk(self, segments: list[str], index: int, node: str, found: list[str]) -> None:
        if index == len(segments):
            if node:
                found.append(node)
            return
        segment = segments[index]
        children = self._children.get(node, ())
        prefix = f"{node}." if node else ""
        if segment == "**":
            if node:
                self._walk(segments, index + 1, node, found)
            for key in children:
                self._walk(segments, index, prefix + key, found)
        elif "*" in segment or "?" in segment or "[" in segment:
            for key in children:
                if fnmatchcase(key, segment):
                    self._walk(segments, index + 1, prefix + key, found)
        elif segment in children:
            self._walk(segments, index + 1, prefix + segment, found)

    # --- places and leaves ----------------------------------------------------------------
    def display(self, dotted: str) -> str:
        """Return the data file a fact lives in, for messages ("data/von.yaml")."""
        return self._displays.get(dotted.split(".", 1)[0], "")

    def place(self, dotted: str) -> tuple[str, int, int]:
        """Return (file, line, column) of a typed fact, or of its nearest typed parent."""
        name, *keys = dotted.split(".")
        document = self._documents.get(name)
        if document is None:
            return "", 0, 0
        line, col = place_of(document, tuple(keys))
        return self._displays.get(name, ""), line, col

    def placeholders(self) -> Iterator[tuple[str, Missing]]:
        """Yield every typed figure still to be entered (`!missing`), in document order."""
        for dotted, value in self._typed.items():
            if is_missing(value):
                yield dotted, value

    def leaves(self) -> Iterator[tuple[str, Number]]:
        """Yield every typed number with its dotted name, in document order."""
        for dotted, value in self._typed.items():
            if is_number(value):
                yield dotted, value
