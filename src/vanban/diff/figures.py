"""What changed in the figures: every fact by its dotted name, with unit, difference and share.

Facts are compared as the engine loads them (exact Decimals, with the units and labels of the
schema `meta`), not as lines of YAML: moving a key or editing a comment is not a change, and
1688.0 → 1700.0 is a change of +12,0 triệu đồng (+0,71%). Facts that the rules of
checks/rules.yaml derive (`derive: true`) are compared too, and shown as derived.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any, Literal

from ..cache import NO_CACHE, Cache
from ..classes import dataclass
from ..errors import VanbanError
from ..facts import label_of, unit_of
from ..numbers import decimals_of, format_number
from ..pipeline import Sources


@dataclass(frozen=True)
class FactChange:
    """A fact whose value changed, or that was added or removed."""

    kind: Literal["changed", "added", "removed"]
    name: str
    old: Any
    new: Any
    unit: str | None = None
    label: str | None = None
    derived_by: str | None = None
    printed_at: tuple[str, ...] = ()

    @property
    def is_number(self) -> bool:
        return all(v is None or _is_number(v) for v in (self.old, self.new))

    @property
    def difference(self) -> Decimal | None:
        """Return new − old for two numbers, with the decimals of the more precise one."""
        if not (_is_number(self.old) and _is_number(self.new)):
            return None
        return Decimal(self.new) - Decimal(self.old)

    @property
    def percent(self) -> Decimal | None:
        """Return the change as a percentage of the old value, to two decimals (half-up)."""
        difference = self.difference
        if difference is None or not self.old:
            return None
        share = difference * 100 / Decimal(self.old)
        return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "name": self.name,
            "old": _json_value(self.old),
            "new": _json_value(self.new),
            "unit": self.unit,
            "label": self.label,
            "derived": self.derived_by is not None,
        }
        if self.derived_by is not None:
            data["derived_by"] = self.derived_by
        if self.difference is not None:
            data["difference"] = str(self.difference)
        if self.percent is not None:
            data["percent"] = str(self.percent)
        data["printed_at"] = list(self.printed_at)
        return data


def _is_number(value: object) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _json_value(value: object) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    return str(value)


def show_value(value: object) -> str:
    """Return a value the way the report prints it (numbers the Vietnamese way)."""
    if value is None:
        return "—"
    if _is_number(value):
        return format_number(value)  # type: ignore[arg-type]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def show_difference(change: FactChange) -> str:
    """Return "+12,0 (+0,71%)": the signed difference and its share of the old value."""
    difference = change.difference
    if difference is None:
        return ""
    places = max(_places(change.old), _places(change.new))
    text = format_number(abs(difference), places)
    sign = "+" if difference > 0 else "−" if difference < 0 else "±"
    shown = f"{sign}{text}"
    percent = change.percent
    if percent is not None:
        shown += f" ({'+' if percent > 0 else '−' if percent < 0 else '±'}"
        shown += f"{format_number(abs(percent), 2)}%)"
    return shown


def _places(value: object) -> int:
    return decimals_of(value) if _is_number(value) else 0  # type: ignore[arg-type]


# --------------------------------------------------------------------------- facts


def leaves(node: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    """Yield every scalar of a data document with its dotted name, in document order."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from leaves(value, f"{prefix}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, f"{prefix}.{index}")
    else:
        yield prefix, node


@dataclass(frozen=True)
class FactSet:
    """The facts of one side: typed values, derived values (with their rule), units, labels."""

    typed: dict[str, Any]
    derived: dict[str, tuple[Any, str]]
    units: dict[str, str | None]
    labels: dict[str, str | None]
    printed_at: dict[str, tuple[str, ...]]


def fact_set(sources: Sources, cache: Cache = NO_CACHE) -> FactSet:
    """Return the facts of a side, with those the report's rules derive."""
    from ..check.run import fact_inputs

    typed, derived, units, labels = cache.value(
        "fact-set", fact_inputs(sources.project), partial(_facts_of, sources, cache)
    )
    printed: dict[str, list[str]] = {}
    for mention in sources.narrative.mentions:
        printed.setdefault(mention.fact, []).append(f"{mention.source}:{mention.line}")
    places = {name: tuple(dict.fromkeys(found)) for name, found in printed.items()}
    return FactSet(typed, derived, units, labels, places)


def _facts_of(sources: Sources, cache: Cache) -> tuple[dict[str, Any], ...]:
    """Return a side's typed facts, derived facts, units and labels: what its files of
    data/, schema/ and checks/ say, so kept by them."""
    typed: dict[str, Any] = {}
    units: dict[str, str | None] = {}
    labels: dict[str, str | None] = {}
    for name, data in sources.facts.files.items():
        for dotted, value in leaves(data.loaded.document, name):
            typed[dotted] = value
            path = tuple(dotted.split(".")[1:])
            units[dotted] = unit_of(data.schema, path)
            labels[dotted] = label_of(data.schema, path)
    derived = derived_facts(sources, cache)
    for dotted in derived:
        name, *keys = dotted.split(".")
        source = sources.facts.files.get(name)
        if source is not None:
            units[dotted] = unit_of(source.schema, tuple(keys))
            labels[dotted] = label_of(source.schema, tuple(keys))
    return typed, derived, units, labels


def derived_facts(sources: Sources, cache: Cache = NO_CACHE) -> dict[str, tuple[Any, str]]:
    """Return the facts the rules of checks/rules.yaml derive, with the id of each rule.

    Empty when the check engine is not installed or the rules cannot be read (their
    problems are `vanban check`'s to report).
    """
    try:
        from ..check.rules import evaluate, load_rules
        from ..check.run import fact_inputs, store_of
    except ImportError:  # pragma: no cover - the check engine is part of the package
        return {}

    def derive() -> dict[str, tuple[Any, str]]:
        try:
            rules, _problems = load_rules(sources.project.root, cache)
            store = store_of(sources.facts)
            evaluate(rules, store)
        except VanbanError:
            return {}
        return {
            name: (value, store.derived_by.get(name, ""))
            for name, value in store.derived.items()
            if store.is_derived(name)
        }

    # kept by the facts' and the rules' files, as the check's findings about them
    return cache.value("derived-facts", fact_inputs(sources.project), derive)


def fact_changes(a: FactSet, b: FactSet) -> list[FactChange]:
    """Return the changed, added and removed facts: typed ones first, then derived ones."""
    changes: list[FactChange] = []
    for name, new in b.typed.items():
        old = a.typed.get(name, _ABSENT)
        if old is _ABSENT:
            changes.append(_change("added", name, None, new, b, None))
        elif not _same(old, new):
            changes.append(_change("changed", name, old, new, b, None))
    for name, old in a.typed.items():
        if name not in b.typed:
            changes.append(_change("removed", name, old, None, a, None))
    for name, (new, rule) in b.derived.items():
        if name in a.derived:
            old = a.derived[name][0]
            if not _same(old, new):
                changes.append(_change("changed", name, old, new, b, rule))
        elif name not in a.typed:
            changes.append(_change("added", name, None, new, b, rule))
    for name, (old, rule) in a.derived.items():
        if name not in b.derived and name not in b.typed:
            changes.append(_change("removed", name, old, None, a, rule))
    return changes


_ABSENT: Any = object()


def _same(old: object, new: object) -> bool:
    """Return True for equal values typed alike (1688.0 and 1688 print differently)."""
    if _is_number(old) and _is_number(new):
        return old == new and _places(old) == _places(new)
    return type(old) is type(new) and old == new


def _change(
    kind: Literal["changed", "added", "removed"],
    name: str,
    old: Any,
    new: Any,
    side: FactSet,
    rule: str | None,
) -> FactChange:
    return FactChange(
        kind,
        name,
        old,
        new,
        side.units.get(name),
        side.labels.get(name),
        rule,
        side.printed_at.get(name, ()),
    )
