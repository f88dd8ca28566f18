"""Acknowledged findings (checks/waivers.yaml): shown as acknowledged, never hidden."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ..cache import NO_CACHE, Cache
from ..facts import load_yaml, place_of
from .findings import WARNING, Finding, Waiver

WAIVERS_FILE = "checks/waivers.yaml"
_KEYS = ("rule", "at", "reason", "by", "date", "match")


def load_waivers(root: Path, cache: Cache = NO_CACHE) -> tuple[list[Waiver], list[Finding]]:
    """Read the waivers: each needs the rule, where (`at`), the reason and who acknowledged it."""
    path = root / WAIVERS_FILE
    if not path.exists():
        return [], []
    loaded, problems = load_yaml(path, WAIVERS_FILE, cache)
    findings = [Finding(p.path, p.line, p.col, p.message, None) for p in problems]
    if loaded is None:
        return [], findings
    document = loaded.document
    items = document.get("waivers") if isinstance(document, Mapping) else None
    if not isinstance(items, list):
        if isinstance(document, Mapping) and not document:
            return [], findings
        findings.append(Finding(WAIVERS_FILE, 1, 1, "expected a list under `waivers:`", None))
        return [], findings
    waivers = []
    for index, item in enumerate(items):
        line, col = place_of(document, ("waivers", index))
        if not isinstance(item, Mapping):
            findings.append(
                Finding(
                    WAIVERS_FILE, line, col, "expected a waiver: rule, at, reason, by, date", None
                )
            )
            continue
        bad = False
        for key in item:
            if key not in _KEYS:
                kline, kcol = place_of(document, ("waivers", index, key), key=True)
                findings.append(
                    Finding(
                        WAIVERS_FILE,
                        kline,
                        kcol,
                        f"unknown key {key!r} (expected: {', '.join(_KEYS)})",
                        None,
                    )
                )
                bad = True
        for key in ("rule", "at", "reason", "by"):
            value = item.get(key)
            if not isinstance(value, str) or not value.strip():
                findings.append(
                    Finding(
                        WAIVERS_FILE,
                        line,
                        col,
                        f"waiver needs `{key}`: "
                        + {
                            "rule": "the rule id of the finding, as printed in [brackets]",
                            "at": "the fact, [^note], quoted text or file:line it is about",
                            "reason": "why the finding is accepted",
                            "by": "who acknowledged it (name, role)",
                        }[key],
                        None,
                    )
                )
                bad = True
        if bad:
            continue
        date = item.get("date")
        match = item.get("match")
        waivers.append(
            Waiver(
                rule=str(item["rule"]).strip(),
                at=str(item["at"]).strip(),
                reason=" ".join(str(item["reason"]).split()),
                by=str(item["by"]).strip(),
                date=str(date) if date is not None else None,
                match=str(match) if match is not None else None,
                path=WAIVERS_FILE,
                line=line,
                col=col,
            )
        )
    return waivers, findings


def apply_waivers(findings: Sequence[Finding], waivers: Sequence[Waiver]) -> list[Finding]:
    """Mark the findings a waiver covers as acknowledged; a waiver covering none is stale."""
    used: set[int] = set()
    result = []
    for finding in findings:
        if finding.rule is None:
            result.append(finding)
            continue
        keys = finding.keys()
        for index, waiver in enumerate(waivers):
            if (
                waiver.rule == finding.rule
                and waiver.at in keys
                and (waiver.match is None or waiver.match in finding.message)
            ):
                used.add(index)
                finding = finding.acknowledge(waiver)
                break
        result.append(finding)
    for index, waiver in enumerate(waivers):
        if index not in used:
            result.append(
                Finding(
                    WAIVERS_FILE,
                    waiver.line,
                    waiver.col,
                    f"waiver for [{waiver.rule}] at {waiver.at} matches no finding: the finding "
                    "was fixed or moved; remove or update the waiver",
                    "stale-waiver",
                    WARNING,
                )
            )
    return result
