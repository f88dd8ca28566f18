"""Rules over facts, declared in checks/rules.yaml: sums, differences, ratios, shares."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..cache import NO_CACHE, Cache
from ..classes import dataclass, field
from ..facts import Missing, is_missing, load_yaml, place_of
from ..numbers import Number, decimals_of, quantize
from .findings import ERROR, WARNING, Finding, Operand, figure
from .store import MISSING, FactStore, is_number

RULES_FILE = "checks/rules.yaml"

KINDS = ("sum", "difference", "ratio", "share", "equal")
OPTIONS = ("id", "title", "note", "for_each", "tolerance", "derive", "severity", "decimals")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_VARIABLE = re.compile(r"\{(\w+)\}")
_FIELDS: dict[str, dict[str, str]] = {
    # field -> "one" (a fact), "many" (facts or globs), "flag" (true/false), "rate"
    "sum": {"total": "one", "parts": "many"},
    "difference": {"minuend": "many", "subtrahend": "many", "result": "one"},
    "ratio": {"numerator": "one", "denominator": "one", "result": "one", "percent": "flag"},
    "share": {"part": "one", "whole": "one", "rate": "rate"},
}
_REQUIRED = {
    "sum": ("total", "parts"),
    "difference": ("minuend", "subtrahend", "result"),
    "ratio": ("numerator", "denominator", "result"),
    "share": ("part", "whole", "rate"),
}
_RESULT = {"sum": "total", "difference": "result", "ratio": "result", "share": "part"}


@dataclass(frozen=True)
class Rule:
    """One declared rule, with its place in checks/rules.yaml."""

    id: str
    title: str
    kind: str
    spec: Any
    for_each: tuple[tuple[str, tuple[str, ...] | str], ...]
    tolerance: Decimal | None
    derive: bool
    severity: str
    decimals: int | None
    line: int
    col: int
    spec_line: int
    spec_col: int
    note: str | None = None


@dataclass
class RuleRun:
    """What evaluating the rules produced: findings, and how many comparisons were made."""

    findings: list[Finding] = field(default_factory=list)
    compared: int = 0
    derived: int = 0
    waiting: int = 0  # instances not checked: a figure they use is still to be entered


# --- loading --------------------------------------------------------------------------------


def load_rules(root: Path, cache: Cache = NO_CACHE) -> tuple[list[Rule], list[Finding]]:
    """Read checks/rules.yaml of a report; every mistake in it is reported with its place."""
    path = root / RULES_FILE
    if not path.exists():
        return [], []
    loaded, problems = load_yaml(path, RULES_FILE, cache)
    findings = [Finding(p.path, p.line, p.col, p.message, None) for p in problems]
    if loaded is None:
        return [], findings
    document = loaded.document
    reader = _Reader(document)
    items = document.get("rules") if isinstance(document, Mapping) else None
    if isinstance(document, Mapping):
        for key in document:
            if key != "rules":
                reader.problem((key,), f"unknown key {key!r} (expected: rules)", key=True)
    if not isinstance(items, list):
        reader.problem((), "expected a mapping with a list under `rules:`")
        return [], findings + reader.findings
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        rule = reader.rule(("rules", index), item)
        if rule is None:
            continue
        if rule.id in seen:
            reader.problem(
                ("rules", index, "id"),
                f"rule id {rule.id!r} is used twice (first at line {seen[rule.id]})",
            )
            continue
        seen[rule.id] = rule.line
        rules.append(rule)
    return rules, findings + reader.findings


class _Reader:
    """Validate the rule list, collecting every problem with its place."""

    def __init__(self, document: Any):
        self.document = document
        self.findings: list[Finding] = []

    def problem(self, at: tuple[Any, ...], message: str, *, key: bool = False) -> None:
        line, col = place_of(self.document, at, key=key) if at else (1, 1)
        self.findings.append(Finding(RULES_FILE, line, col, message, None))

    def rule(self, at: tuple[Any, ...], item: Any) -> Rule | None:
        if not isinstance(item, Mapping):
            self.problem(
                at, "expected a rule: a mapping with id, title and one of " + ", ".join(KINDS)
            )
            return None
        before = len(self.findings)
        rule_id = item.get("id")
        label = f"rule {rule_id}" if isinstance(rule_id, str) else "rule"
        if not isinstance(rule_id, str) or not _ID.match(rule_id):
            self.problem(
                (*at, "id") if "id" in item else at,
                f"{label}: expected an `id` in kebab-case (sum-du-an-theo-nam)",
            )
        if not isinstance(item.get("title"), str) or not item.get("title", "").strip():
            self.problem(
                (*at, "title") if "title" in item else at,
                f"{label}: expected a `title` saying what the rule checks",
            )
        kinds = [k for k in KINDS if k in item]
        for key in item:
            if key not in KINDS and key not in OPTIONS:
                self.problem((*at, key), f"{label}: unknown key {key!r}", key=True)
        if len(kinds) != 1:
            found = ", ".join(kinds) if kinds else "none"
            self.problem(at, f"{label}: expected exactly one of {', '.join(KINDS)} (found {found})")
            return None
        kind = kinds[0]
        spec = self.spec((*at, kind), label, kind, item[kind])
        for_each = self.for_each((*at, "for_each"), label, item.get("for_each"))
        tolerance = item.get("tolerance")
        if tolerance is not None and not (is_number(tolerance) and tolerance >= 0):
            self.problem(
                (*at, "tolerance"), f"{label}: expected a tolerance ≥ 0, got {tolerance!r}"
            )
        derive = item.get("derive", False)
        if not isinstance(derive, bool):
            self.problem((*at, "derive"), f"{label}: expected derive: true or false")
        elif derive and kind == "equal":
            self.problem((*at, "derive"), f"{label}: an `equal` rule cannot derive a fact")
        severity = item.get("severity", ERROR)
        if severity not in (ERROR, WARNING):
            self.problem((*at, "severity"), f"{label}: expected severity error or warning")
        decimals = item.get("decimals")
        if decimals is not None and not (isinstance(decimals, int) and 0 <= decimals <= 10):
            self.problem((*at, "decimals"), f"{label}: expected decimals: a whole number 0–10")
        note = item.get("note")
        if spec is not None and for_each is not None:
            self.variables(at, label, kind, spec, {name for name, _ in for_each})
        if len(self.findings) > before or spec is None or for_each is None:
            return None
        line, col = place_of(self.document, at)
        spec_line, spec_col = place_of(self.document, (*at, kind))
        return Rule(
            id=str(rule_id),
            title=str(item["title"]).strip(),
            kind=kind,
            spec=spec,
            for_each=for_each,
            tolerance=Decimal(tolerance) if tolerance is not None else None,
            derive=derive,
            severity=severity,
            decimals=decimals,
            line=line,
            col=col,
            spec_line=spec_line,
            spec_col=spec_col,
            note=str(note) if note is not None else None,
        )

    def spec(self, at: tuple[Any, ...], label: str, kind: str, raw: Any) -> Any:
        if kind == "equal":
            if not (
                isinstance(raw, list) and len(raw) >= 2 and all(isinstance(p, str) for p in raw)
            ):
                self.problem(at, f"{label}: `equal` expects a list of two or more fact names")
                return None
            return [str(p) for p in raw]
        if not isinstance(raw, Mapping):
            fields = ", ".join(_FIELDS[kind])
            self.problem(at, f"{label}: `{kind}` expects a mapping with {fields}")
            return None
        spec: dict[str, Any] = {}
        ok = True
        for key in raw:
            if key not in _FIELDS[kind]:
                self.problem(
                    (*at, key),
                    f"{label}: unknown key {key!r} in `{kind}` "
                    f"(expected: {', '.join(_FIELDS[kind])})",
                    key=True,
                )
                ok = False
        for key in _REQUIRED[kind]:
            if key not in raw:
                self.problem(at, f"{label}: `{kind}` needs `{key}`")
                ok = False
        for key, shape in _FIELDS[kind].items():
            if key not in raw:
                continue
            value = raw[key]
            if shape == "one":
                if not isinstance(value, str) or "*" in value:
                    self.problem((*at, key), f"{label}: `{key}` expects one fact name (no *)")
                    ok = False
                spec[key] = str(value)
            elif shape == "many":
                values = [value] if isinstance(value, str) else value
                if not (
                    isinstance(values, list) and values and all(isinstance(v, str) for v in values)
                ):
                    self.problem(
                        (*at, key),
                        f"{label}: `{key}` expects a fact name or a list "
                        "of fact names and patterns",
                    )
                    ok = False
                    continue
                spec[key] = [str(v) for v in values]
            elif shape == "flag":
                if not isinstance(value, bool):
                    self.problem((*at, key), f"{label}: `{key}` expects true or false")
                    ok = False
                spec[key] = value
            elif shape == "rate":
                if is_number(value):
                    spec[key] = Decimal(value)
                elif isinstance(value, str) and "*" not in value:
                    spec[key] = str(value)
                else:
                    self.problem(
                        (*at, key),
                        f"{label}: `rate` expects a percentage (10) or the fact that holds it",
                    )
                    ok = False
        spec.setdefault("percent", False)
        return spec if ok else None

    def for_each(
        self, at: tuple[Any, ...], label: str, raw: Any
    ) -> tuple[tuple[str, tuple[str, ...] | str], ...] | None:
        if raw is None:
            return ()
        if not isinstance(raw, Mapping):
            self.problem(
                at, f"{label}: `for_each` expects a mapping of names to lists or to one pattern"
            )
            return None
        variables: list[tuple[str, tuple[str, ...] | str]] = []
        for name, values in raw.items():
            if isinstance(values, str):
                variables.append((str(name), values))
            elif (
                isinstance(values, list)
                and values
                and all(isinstance(v, str | int) and not isinstance(v, bool) for v in values)
            ):
                variables.append((str(name), tuple(str(v) for v in values)))
            else:
                self.problem(
                    (*at, name),
                    f"{label}: for_each {name}: expected a list of "
                    "keys or one pattern such as von.**",
                )
                return None
        return tuple(variables)

    def variables(
        self, at: tuple[Any, ...], label: str, kind: str, spec: Any, names: set[str]
    ) -> None:
        used = set()
        for text in _strings(spec):
            used.update(_VARIABLE.findall(text))
        for name in sorted(used - names):
            self.problem((*at, kind), f"{label}: {{{name}}} is not defined in for_each")


def _strings(spec: Any) -> Iterator[str]:
    if isinstance(spec, str):
        yield spec
    elif isinstance(spec, list):
        for item in spec:
            yield from _strings(item)
    elif isinstance(spec, Mapping):
        for item in spec.values():
            yield from _strings(item)


def _substitute(spec: Any, binding: Mapping[str, str]) -> Any:
    if isinstance(spec, str):
        return spec.format_map(binding) if "{" in spec else spec
    if isinstance(spec, list):
        return [_substitute(item, binding) for item in spec]
    if isinstance(spec, dict):
        return {key: _substitute(value, binding) for key, value in spec.items()}
    return spec


# --- evaluation -----------------------------------------------------------------------------


def evaluate(rules: Sequence[Rule], store: FactStore) -> RuleRun:
    """Apply every rule in file order; derived facts become visible to the rules after it."""
    run = RuleRun()
    for rule in rules:
        before = (run.compared, run.derived, run.waiting, len(run.findings))
        for binding, lenient in _bindings(rule, store):
            _Instance(rule, _substitute(rule.spec, binding), lenient, store, run).evaluate()
        if (run.compared, run.derived, run.waiting, len(run.findings)) == before:
            run.findings.append(
                Finding(
                    RULES_FILE,
                    rule.spec_line,
                    rule.spec_col,
                    f"rule {rule.id} applies to no facts: were keys it names renamed in the data?",
                    "unused-rule",
                    WARNING,
                    anchors=(rule.id,),
                )
            )
    return run


def derive(rules: Sequence[Rule], store: FactStore) -> None:
    """Add to store the facts the rules derive, without comparing anything."""
    run = RuleRun()
    for rule in rules:
        if rule.derive:
            for binding, lenient in _bindings(rule, store):
                instance = _Instance(rule, _substitute(rule.spec, binding), lenient, store, run)
                instance.evaluate(compare=False)


def _bindings(rule: Rule, store: FactStore) -> Iterator[tuple[dict[str, str], bool]]:
    """Yield each assignment of the for_each names, and whether a pattern produced it."""
    templates = list(_strings(rule.spec))
    choices: list[list[tuple[str, str]]] = []
    lenient = False
    for name, values in rule.for_each:
        if isinstance(values, str):
            lenient = True
            matches = store.expand(values)
            if all(f"{{{name}}}." in t for t in templates if f"{{{name}}}" in t):
                matches = [m for m in matches if store.is_group(m)]  # {name}.key: groups only
            choices.append([(name, match) for match in matches])
        else:
            choices.append([(name, value) for value in values])
    for combination in itertools.product(*choices):
        yield dict(combination), lenient


class _Skip(Exception):
    """The instance does not apply (a pattern-bound instance lacks a fact)."""


class _Waiting(_Skip):
    """The instance uses a figure still to be entered (`!missing`): nothing to compare yet."""


@dataclass
class _Instance:
    rule: Rule
    spec: Any
    lenient: bool
    store: FactStore
    run: RuleRun

    # --- resolving facts ----------------------------------------------------------------
    def missing(self, what: str) -> _Skip:
        if not self.lenient:
            line, col = self.rule.spec_line, self.rule.spec_col
            self.run.findings.append(
                Finding(RULES_FILE, line, col, f"rule {self.rule.id}: {what}", None)
            )
        return _Skip()

    def one(self, name: str) -> Number:
        value = self.store.get(name)
        if is_number(value):
            return value  # type: ignore[no-any-return]
        if is_missing(value):
            raise _Waiting()
        if self.lenient or self.store.unavailable(name):
            raise _Skip()  # a pattern chose this instance, or the data file failed to load
        if not self.store.knows_file(name):
            raise self.missing(
                f"no fact {name}: there is no data file named {name.split('.', 1)[0]!r}"
            )
        if value is MISSING:
            raise self.missing(
                f"no fact {name} in {self.store.display(name)}{_nearest(self.store, name)}"
            )
        if isinstance(value, Mapping):
            raise self.missing(f"{name} is a group of facts, not a number")
        raise _Skip()  # a value of the wrong type: the schema check reports it

    def many(self, names: list[str]) -> list[str]:
        found: list[str] = []
        for name in names:
            if "*" in name:
                if any(is_missing(self.store.get(m)) for m in self.store.expand(name)):
                    raise _Waiting()  # a partial sum would mislead
                matches = self.store.numbers(name)
                if not matches:
                    raise self.missing(f"no fact matches {name}")
                found += matches
            else:
                self.one(name)
                found.append(name)
        return found

    def operand(self, name: str) -> Operand:
        value = self.store.get(name)
        return Operand(name, figure(value), self.store.is_derived(name))

    # --- the rule kinds -----------------------------------------------------------------
    def evaluate(self, compare: bool = True) -> None:
        try:
            if self.rule.kind == "equal":
                self.equal()
                return
            if self.lenient and not self.rule.derive:
                self.one(self.spec[_RESULT[self.rule.kind]])  # absent here: skip at once
            if not compare and self.store.is_typed(self.spec[_RESULT[self.rule.kind]]):
                return
            computed, stated_name, operands, expression = getattr(self, self.rule.kind)()
            stated = self.store.get(stated_name)
            if not is_number(stated):
                if self.rule.derive and stated is MISSING:
                    self.store.add_derived(stated_name, self.derived_value(computed), self.rule.id)
                    self.run.derived += 1
                else:
                    self.one(stated_name)
                return
            self.compare(stated_name, stated, computed, operands, expression)
        except _Waiting:
            self.run.waiting += 1
            self.derive_missing()
        except _Skip:
            return

    def derive_missing(self) -> None:
        """Make the result of a derive rule missing too when a figure it needs is missing,
        so that the text prints it as missing rather than failing on an undefined name."""
        if not self.rule.derive or self.rule.kind == "equal":
            return
        result = self.spec[_RESULT[self.rule.kind]]
        if self.store.get(result) is MISSING:
            self.store.add_derived(result, Missing(f"derived by {self.rule.id}"), self.rule.id)

    def sum(self) -> tuple[Decimal, str, list[str], Any]:
        parts = self.many(self.spec["parts"])
        total = sum((Decimal(self.store.number(p) or 0) for p in parts), Decimal(0))
        return total, self.spec["total"], parts, ("sum", parts)

    def difference(self) -> tuple[Decimal, str, list[str], Any]:
        plus = self.many(self.spec["minuend"])
        minus = self.many(self.spec["subtrahend"])
        value = sum((Decimal(self.store.number(p) or 0) for p in plus), Decimal(0)) - sum(
            (Decimal(self.store.number(p) or 0) for p in minus), Decimal(0)
        )
        return value, self.spec["result"], plus + minus, ("difference", plus, minus)

    def ratio(self) -> tuple[Decimal, str, list[str], Any]:
        numerator = self.spec["numerator"]
        denominator = self.spec["denominator"]
        top, bottom = Decimal(self.one(numerator)), Decimal(self.one(denominator))
        if bottom == 0:
            file, line, col = self.store.place(denominator)
            self.run.findings.append(
                Finding(
                    file,
                    line,
                    col,
                    f"{denominator} = 0: {self.spec['result']} cannot be its quotient",
                    self.rule.id,
                    ERROR,
                    denominator,
                    anchors=(self.spec["result"],),
                )
            )
            raise _Skip()
        scale = Decimal(100) if self.spec["percent"] else Decimal(1)
        return (
            top / bottom * scale,
            self.spec["result"],
            [numerator, denominator],
            ("ratio", numerator, denominator),
        )

    def share(self) -> tuple[Decimal, str, list[str], Any]:
        whole = self.spec["whole"]
        rate = self.spec["rate"]
        names = [whole]
        if isinstance(rate, str):
            names.append(rate)
            rate_value = Decimal(self.one(rate))
        else:
            rate_value = rate
        value = Decimal(self.one(whole)) * rate_value / 100
        return value, self.spec["part"], names, ("share", whole, rate)

    def equal(self) -> None:
        names = self.many(self.spec)
        first = names[0]
        a = self.store.number(first)
        assert a is not None
        for other in names[1:]:
            b = self.store.number(other)
            assert b is not None
            self.run.compared += 1
            places = min(decimals_of(a), decimals_of(b))
            if self.rule.tolerance is not None:
                ok = abs(Decimal(a) - Decimal(b)) <= self.rule.tolerance
            else:
                ok = quantize(a, places) == quantize(b, places)
            if ok:
                continue
            slack = _half(a) + _half(b)
            difference = abs(Decimal(a) - Decimal(b))
            explained = difference <= slack
            note = _rounding_note(f"±{figure(slack.normalize())}") if explained else ""
            message = (
                f"{other} = {figure(b)} but {first} = {figure(a)}, "
                f"the same figure (difference {figure(difference)}{note})"
            )
            self.add(
                other, message, self.severity(explained), [self.operand(first), self.operand(other)]
            )

    # --- comparing ----------------------------------------------------------------------
    def derived_value(self, computed: Decimal) -> Number:
        decimals = self.rule.decimals
        if decimals is None and self.rule.kind == "ratio":
            decimals = 2
        if decimals is None and self.rule.kind == "share":
            decimals = decimals_of(self.store.number(self.spec["whole"]) or 0)
        return quantize(computed, decimals) if decimals is not None else computed

    def compare(
        self,
        stated_name: str,
        stated: Number,
        computed: Decimal,
        operands: list[str],
        expression: Any,
    ) -> None:
        self.run.compared += 1
        places = decimals_of(stated)
        if self.rule.tolerance is not None:
            ok = abs(computed - stated) <= self.rule.tolerance
        else:
            ok = quantize(computed, places) == stated
        if ok:
            return
        shown = _shown(computed, places) if self.rule.kind in ("ratio", "share") else computed
        difference = abs(shown - stated)
        explained, allowance = self.rounding(stated_name, stated, computed, operands)
        note = _rounding_note(allowance) if explained else ""
        percent = "%" if self.rule.kind == "ratio" and self.spec["percent"] else ""
        shown_operands = [self.operand(name) for name in operands]
        values = [o.value for o in shown_operands]
        kind = expression[0]
        if kind == "sum":
            arithmetic = f"its parts add up to {figure(shown)} ({' + '.join(values)}; "
        elif kind == "difference":
            plus = " + ".join(values[: len(expression[1])])
            minus = " − ".join(values[len(expression[1]) :])
            arithmetic = f"{plus} − {minus} = {figure(shown)} ("
        elif kind == "ratio":
            arithmetic = f"{values[0]} / {values[1]} = {figure(shown)}{percent} ("
        else:
            rate = self.spec["rate"]
            rate_text = values[1] if isinstance(rate, str) else figure(rate)
            arithmetic = f"{rate_text}% of {values[0]} = {figure(shown)} ("
        message = (
            f"{stated_name} = {figure(stated)}{percent} but {arithmetic}"
            f"{self.derived_note(shown_operands)}"
            f"difference {figure(difference)}{note})"
        )
        self.add(stated_name, message, self.severity(explained), shown_operands)

    def rounding(
        self, stated_name: str, stated: Number, computed: Decimal, operands: list[str]
    ) -> tuple[bool, str]:
        """Return whether rounding of the printed figures could explain the difference (a
        count's figure is exact: no rounding)."""
        values = [Decimal(self.store.number(name) or 0) for name in operands]
        halves = [self.half(name, self.store.number(name) or 0) for name in operands]
        if self.rule.kind == "ratio":
            (top, bottom), (h_top, h_bottom) = values, halves
            scale = Decimal(100) if self.spec["percent"] else Decimal(1)
            if bottom - h_bottom <= 0:
                return True, "any value"
            low = (top - h_top) / (bottom + h_bottom) * scale
            high = (top + h_top) / (bottom - h_bottom) * scale
            low, high = sorted((low, high))
            places = decimals_of(stated) + 1
            explained = low - _half(stated) <= stated <= high + _half(stated)
            percent = "%" if self.spec["percent"] else ""
            return explained, (
                f"{figure(quantize(low, places))}{percent}"
                f"…{figure(quantize(high, places))}{percent}"
            )
        if self.rule.kind == "share":  # the rate is a defined proportion: exact
            rate = self.spec["rate"]
            if isinstance(rate, str):
                rate = Decimal(self.store.number(rate) or 0)
            slack = halves[0] * rate / 100
        else:
            slack = sum(halves, Decimal(0))
        slack += self.half(stated_name, stated)
        return abs(computed - stated) <= slack, f"±{figure(slack.normalize())}"

    def half(self, name: str, value: Number) -> Decimal:
        """Half a unit of the figure's last decimal; none for a count, which is exact."""
        return Decimal(0) if self.store.is_count(name) else _half(value)

    def severity(self, explained_by_rounding: bool) -> str:
        if self.rule.severity == WARNING or explained_by_rounding:
            return WARNING
        return ERROR

    def derived_note(self, operands: list[Operand]) -> str:
        """Say which figures of the arithmetic no one typed: the rules computed them."""
        by_rule: dict[str, list[str]] = {}
        for operand in operands:
            if operand.derived:
                by_rule.setdefault(self.store.derived_by[operand.fact], []).append(operand.value)
        return "".join(
            f"derived by {rule}: {', '.join(values)}; " for rule, values in by_rule.items()
        )

    def add(self, stated_name: str, message: str, severity: str, operands: list[Operand]) -> None:
        file, line, col = self.store.place(stated_name)
        values = [(o.fact, o.value) for o in operands]
        if stated_name not in {o.fact for o in operands}:
            values.insert(0, (stated_name, figure(self.store.get(stated_name))))
        self.run.findings.append(
            Finding(
                file,
                line,
                col,
                message,
                self.rule.id,
                severity,
                stated_name,
                operands=tuple(operands),
                values=tuple(values),
            )
        )


def _rounding_note(allowance: str) -> str:
    if allowance.startswith("±"):
        return f"; within the rounding of the printed figures, up to {allowance[1:]}"
    return f"; within the rounding of the printed figures, {allowance}"


def _nearest(store: FactStore, name: str) -> str:
    """Say how far a fact name resolves, to point at the misspelt key."""
    keys = name.split(".")
    for length in range(len(keys) - 1, 0, -1):
        parent = ".".join(keys[:length])
        node = store.get(parent)
        if isinstance(node, Mapping):
            children = ", ".join(str(k) for k in list(node)[:12])
            return f" ({parent} has: {children})"
    return ""


def _half(value: Number) -> Decimal:
    """Return half a unit of the last decimal a figure was stated with."""
    return Decimal(5).scaleb(-(decimals_of(value) + 1))


def _shown(value: Decimal, places: int) -> Decimal:
    """Round a computed quotient for a message: two more decimals than stated, no extra zeros."""
    shown = quantize(value, places + 2)
    while decimals_of(shown) > places and shown == quantize(shown, decimals_of(shown) - 1):
        shown = quantize(shown, decimals_of(shown) - 1)
    return shown
