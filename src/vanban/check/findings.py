"""What the check reports: findings with their place, rule and acknowledgement."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

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

    def note(self, severity: str) -> str:
        when = f", {self.date}" if self.date else ""
        return f"{severity} acknowledged by {self.by}{when}: {self.reason}"


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


def summary_line(findings: Iterable[Finding]) -> str:
    """Return "check: 1 error, 2 warnings, 30 acknowledged" for a list of findings."""
    counts = count(findings)
    parts = []
    for status, singular in ((ERROR, "error"), (WARNING, "warning")):
        n = counts[status]
        parts.append(f"{n} {singular}{'s' if n != 1 else ''}")
    parts.append(f"{counts[ACKNOWLEDGED]} acknowledged")
    return "check: " + ", ".join(parts)
