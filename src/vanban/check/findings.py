"""What the check reports: findings with their place, rule and acknowledgement."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from ..classes import dataclass, replace
from ..errors import Problem
from ..numbers import Number, format_number


def figure(value: Number, decimals: int | None = None) -> str:
    """Format a number for a message, the Vietnamese way ("1.688,0")."""
    return format_number(value, decimals)


ERROR = "error"
WARNING = "warning"
ACKNOWLEDGED = "acknowledged"


@dataclass(frozen=True)
class Operand:
    """A figure a rule used: its fact name, value as printed, and whether it was derived."""

    fact: str
    value: str
    derived: bool = False


@dataclass(frozen=True)
class Waiver:
    """An acknowledged finding from checks/waivers.yaml: who accepted it, and why."""

    rule: str
    at: str
    reason: str
    by: str
    date: str | None
    match: str | None
    path: str
    line: int
    col: int = 1
    accepted: tuple[tuple[str, str], ...] | None = None
    places: tuple[str, ...] | None = None
    count: int | None = None

    def note(self, severity: str) -> str:
        when = f", {self.date}" if self.date else ""
        return f"{severity} acknowledged by {self.by}{when}: {self.reason}"

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def bound(self) -> bool:
        """Return True when the waiver says what it accepted (values, places or a count)."""
        return self.accepted is not None or self.places is not None or self.count is not None


@dataclass(frozen=True)
class Finding:
    """One thing the check found, at `path:line:col`, with the rule that found it.

    `anchors` are the extra names a waiver's `at` may use for it besides its place: the
    fact it is about, a footnote `[^name]`, or the text it quotes.
    """

    path: str
    line: int
    col: int
    message: str
    rule: str | None
    severity: str = ERROR
    fact: str | None = None
    anchors: tuple[str, ...] = ()
    operands: tuple[Operand, ...] = ()
    waiver: Waiver | None = None
    values: tuple[tuple[str, str], ...] = ()
    reopened: str | None = None

    def accepted_values(self) -> tuple[tuple[str, str], ...]:
        """Return what a waiver of this finding binds to: its values, else a fingerprint.

        The values are what the check compared: the figures with their facts' names (and the
        printed or typed text) the finding is about, not the words of its message; a finding
        with none is bound to a fingerprint of its rule and message.
        """
        return self.values or self.fingerprint()

    def fingerprint(self) -> tuple[tuple[str, str], ...]:
        """Return the fingerprint of the finding's rule and message, as a waiver records it."""
        digest = hashlib.sha256(f"{self.rule}\n{self.message}".encode()).hexdigest()[:12]
        return (("fingerprint", digest),)

    def reopen(self, note: str) -> Finding:
        """Return the finding open again, with why its waiver no longer covers it."""
        return replace(self, reopened=note)

    @property
    def status(self) -> str:
        """Return "error", "warning", or "acknowledged" when a waiver covers it."""
        return ACKNOWLEDGED if self.waiver else self.severity

    def keys(self) -> set[str]:
        """Return every name a waiver's `at` may use for this finding."""
        keys = {self.path, f"{self.path}:{self.line}", *self.anchors}
        if self.fact:
            keys.add(self.fact)
        return keys

    def acknowledge(self, waiver: Waiver) -> Finding:
        return replace(self, waiver=waiver)

    def problem(self) -> Problem:
        """Return the finding as a Problem, printed `path:line:col: status: message [rule]`."""
        message = self.message
        if self.waiver:
            message += f" — {self.waiver.note(self.severity)}"
        elif self.reopened:
            message += f" — {self.reopened}"
        return Problem(self.path, self.line, self.col, message, self.status, self.rule)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.status,
            "rule": self.rule,
            "message": self.message,
        }
        if self.fact:
            data["fact"] = self.fact
        if self.operands:
            data["operands"] = [
                {"fact": o.fact, "value": o.value, **({"derived": True} if o.derived else {})}
                for o in self.operands
            ]
        if self.reopened:
            data["reopened"] = self.reopened
        if self.waiver:
            data["found_as"] = self.severity
            data["acknowledged"] = {
                "reason": self.waiver.reason,
                "by": self.waiver.by,
                "date": self.waiver.date,
                "waiver": f"{self.waiver.path}:{self.waiver.line}",
            }
        return data


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.path, f.line, f.col, f.rule or "", f.message))


def count(findings: Iterable[Finding]) -> Counter[str]:
    """Return how many findings there are of each status."""
    return Counter(f.status for f in findings)


def yaml_key(name: str) -> str:
    """Return name as a YAML key: plain for a dotted fact name, quoted otherwise."""
    return name if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*", name) else f'"{name}"'


def accepted_yaml(values: Iterable[tuple[str, str]]) -> str:
    """Return the `accepted:` line of a waiver for these values, ready to paste."""
    pairs = ", ".join(f'{yaml_key(name)}: "{value}"' for name, value in values)
    return f"accepted: {{{pairs}}}"


def places_yaml(places: Iterable[str]) -> str:
    """Return the `places:` line of a waiver for these places, ready to paste.

    A place found more than once is written once with its count: "content/01.md:37 ×6".
    """
    return "places: [" + ", ".join(f'"{place}"' for place in counted_places(places)) + "]"


def counted_places(places: Iterable[str]) -> list[str]:
    """Return each place once, with "×N" when it occurs N > 1 times."""
    return [place if n == 1 else f"{place} ×{n}" for place, n in Counter(places).items()]


def summary_line(findings: Iterable[Finding]) -> str:
    """Return "check: 1 error, 2 warnings, 30 acknowledged" for a list of findings."""
    counts = count(findings)
    parts = []
    for status, singular in ((ERROR, "error"), (WARNING, "warning")):
        n = counts[status]
        parts.append(f"{n} {singular}{'s' if n != 1 else ''}")
    parts.append(f"{counts[ACKNOWLEDGED]} acknowledged")
    return "check: " + ", ".join(parts)


@dataclass(frozen=True)
class CheckResult:
    """Every finding of one run, sorted by place, and what the run covered."""

    findings: tuple[Finding, ...]
    rules: int
    compared: int
    derived: int

    def failed(self, strict: bool = False) -> bool:
        """Return True when the run has errors (or, with strict, warnings)."""
        counts = count(self.findings)
        return bool(counts[ERROR] or (strict and counts[WARNING]))

    def summary(self) -> str:
        covered = ", ".join(
            _plural(n, what)
            for n, what in (
                (self.rules, "rule"),
                (self.compared, "comparison"),
                (self.derived, "derived fact"),
            )
        )
        return f"{summary_line(self.findings)} ({covered})"

    def as_json(self) -> dict[str, Any]:
        counts = count(self.findings)
        return {
            "findings": [f.as_json() for f in self.findings],
            "summary": {
                "errors": counts[ERROR],
                "warnings": counts[WARNING],
                "acknowledged": counts["acknowledged"],
                "rules": self.rules,
                "comparisons": self.compared,
                "derived": self.derived,
            },
        }


def _plural(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"
