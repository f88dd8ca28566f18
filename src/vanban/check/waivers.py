"""Acknowledged findings (checks/waivers.yaml): shown as acknowledged, never hidden."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..cache import NO_CACHE, Cache
from ..facts import load_yaml, place_of
from .findings import (
    ERROR,
    WARNING,
    Finding,
    Waiver,
    accepted_yaml,
    counted_places,
    figure,
    places_yaml,
)

WAIVERS_FILE = "checks/waivers.yaml"
_KEYS = ("rule", "at", "reason", "by", "date", "match", "accepted", "places", "count")


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
        binding, mistakes = _binding(item)
        for key, mistake in mistakes:
            kline, kcol = place_of(document, ("waivers", index, key))
            findings.append(Finding(WAIVERS_FILE, kline, kcol, mistake, None))
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
                **binding,
            )
        )
    return waivers, findings


def _binding(item: Mapping[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Read what a waiver accepted: `accepted` values, `places` or a `count`."""
    binding: dict[str, Any] = {}
    problems = []
    if "accepted" in item:
        accepted = item["accepted"]
        if (
            isinstance(accepted, Mapping)
            and accepted
            and all(
                isinstance(v, str | int | Decimal) and not isinstance(v, bool)
                for v in accepted.values()
            )
        ):
            binding["accepted"] = tuple(
                (str(name), v.strip() if isinstance(v, str) else figure(v))
                for name, v in accepted.items()
            )
        else:
            problems.append(
                (
                    "accepted",
                    "`accepted` expects the values the finding had, by name: "
                    '{fact: "1.688,0", ...} (vanban check prints the line to paste)',
                )
            )
    if "places" in item:
        places = item["places"]
        expanded = _expand_places(places)
        if expanded:
            binding["places"] = expanded
        else:
            problems.append(
                (
                    "places",
                    '`places` expects a list of "file:line", or "file:line ×N" for a line with '
                    "N occurrences",
                )
            )
    if "count" in item:
        count = item["count"]
        if isinstance(count, int) and not isinstance(count, bool) and count > 0:
            binding["count"] = count
        else:
            problems.append(("count", "`count` expects how many findings it accepts (1, 2, …)"))
    return binding, problems


_TIMES = re.compile(r"(.*\S)\s*[×x]\s*([0-9]+)")


def _expand_places(places: object) -> tuple[str, ...] | None:
    """Return one "file:line" per occurrence, reading "file:line ×N" as N of them."""
    if not isinstance(places, list) or not places:
        return None
    expanded: list[str] = []
    for place in places:
        if not isinstance(place, str) or not place.strip():
            return None
        times = _TIMES.fullmatch(place.strip())
        if times:
            expanded += [times.group(1)] * int(times.group(2))
        else:
            expanded.append(place.strip())
    return tuple(expanded)


def apply_waivers(findings: Sequence[Finding], waivers: Sequence[Waiver]) -> list[Finding]:
    """Mark the findings a waiver accepted as acknowledged; any other finding stays open.

    A waiver accepts what it recorded: the finding's values (`accepted`), the places of its
    occurrences (`places`) or how many there were (`count`). A finding whose values or place
    changed is open again with the waiver's values beside the new ones, and the waiver is
    reported as stale with the line to paste once the new figures are right. A waiver that
    records nothing acknowledges nothing.
    """
    candidates: list[list[int]] = []
    for finding in findings:
        keys = finding.keys() if finding.rule is not None else set()
        candidates.append(
            [
                index
                for index, waiver in enumerate(waivers)
                if finding.rule is not None
                and waiver.rule == finding.rule
                and waiver.at in keys
                and (waiver.match is None or waiver.match in finding.message)
            ]
        )
    matched: dict[int, list[Finding]] = {}
    for finding, indices in zip(findings, candidates, strict=True):
        for index in indices:
            matched.setdefault(index, []).append(finding)
    counted = {
        index: len(matched.get(index, [])) <= waiver.count
        for index, waiver in enumerate(waivers)
        if waiver.count is not None and waiver.places is None
    }
    free_places = {
        index: Counter(waiver.places) for index, waiver in enumerate(waivers) if waiver.places
    }
    used: set[int] = set()
    reopened: dict[int, list[Finding]] = {}
    result = []
    for finding, indices in zip(findings, candidates, strict=True):
        covered = None
        for index in indices:
            if _covers(waivers[index], finding, counted.get(index), free_places.get(index)):
                covered = index
                break
        if covered is not None:
            used.add(covered)
            result.append(finding.acknowledge(waivers[covered]))
            continue
        bound = [i for i in indices if waivers[i].bound]
        if bound:
            index = bound[0]
            used.add(index)
            reopened.setdefault(index, []).append(finding)
            result.append(finding.reopen(_reopened_note(waivers[index], finding, matched[index])))
        elif indices:
            used.add(indices[0])
            waiver = waivers[indices[0]]
            result.append(finding.reopen(f"waiver {waiver.where} records nothing it accepted"))
        else:
            result.append(finding)
    for index, waiver in enumerate(waivers):
        if not waiver.bound and index in matched:
            result.append(_unbound(waiver, matched[index]))
        elif index in reopened:
            result.append(_stale(waiver, reopened[index], matched[index]))
        elif waiver.places and +free_places[index]:
            gone = ", ".join(sorted(free_places[index].elements()))
            result.append(
                _stale_finding(
                    waiver,
                    f"accepted places where the finding is no longer found ({gone}); "
                    f"update the waiver: {places_yaml(_places(matched.get(index, [])))}",
                )
            )
        elif waiver.count is not None and waiver.places is None and index in matched:
            found = len(matched[index])
            if found < waiver.count:
                result.append(
                    _stale_finding(
                        waiver,
                        f"accepted {waiver.count} findings, only {found} found: set count: {found} "
                        "so that a new one is not acknowledged unseen",
                    )
                )
        if index not in used and index not in matched:
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


def _covers(
    waiver: Waiver, finding: Finding, counted: bool | None, free: Counter[str] | None
) -> bool:
    if not waiver.bound:
        return False
    if waiver.accepted is not None and not _accepts(waiver, finding):
        return False
    if free is not None:
        place = f"{finding.path}:{finding.line}"
        if free[place] <= 0:
            return False
        free[place] -= 1
        return True
    return counted is not False


def _accepts(waiver: Waiver, finding: Finding) -> bool:
    """Return True when the waiver accepted the finding's values, or the fingerprint of its
    very message (a waiver written when the finding was bound to its message: the same
    message has the same figures)."""
    accepted = dict(waiver.accepted or ())
    return accepted in (dict(finding.accepted_values()), dict(finding.fingerprint()))


def _fingerprinted(waiver: Waiver, finding: Finding) -> bool:
    """Return True when the waiver records a fingerprint and the finding is bound to values."""
    return bool(finding.values) and dict(waiver.accepted or ()).keys() == {"fingerprint"}


def _places(findings: Sequence[Finding]) -> list[str]:
    return [f"{f.path}:{f.line}" for f in findings]


def _changes(waiver: Waiver, finding: Finding) -> str:
    """Return the accepted values beside the new ones: "a.b: accepted 103,427, now 133,427"."""
    if _fingerprinted(waiver, finding):
        return (
            "it accepted a fingerprint of the message as it was; the finding is bound to its "
            "values now"
        )
    old = dict(waiver.accepted or ())
    new = dict(finding.accepted_values())
    parts = []
    for name in dict.fromkeys([*old, *new]):
        if old.get(name) == new.get(name):
            continue
        was = old.get(name, "nothing")
        now = new.get(name, "nothing")
        parts.append(f"{name}: accepted {was}, now {now}")
    return "; ".join(parts)


def _reopened_note(waiver: Waiver, finding: Finding, matched: Sequence[Finding]) -> str:
    if waiver.accepted is not None and not _accepts(waiver, finding):
        return f"waiver {waiver.where} no longer applies ({_changes(waiver, finding)})"
    if waiver.places is not None:
        return f"waiver {waiver.where} did not accept this place"
    return (
        f"waiver {waiver.where} accepted {waiver.count}, "
        f"found {len(matched)}: a new occurrence is among them"
    )


def _stale(waiver: Waiver, reopened: Sequence[Finding], matched: Sequence[Finding]) -> Finding:
    """Return the stale-waiver finding of a waiver whose findings changed."""
    first = reopened[0]
    at = f"{first.path}:{first.line}:{first.col}"
    if waiver.accepted is not None and _fingerprinted(waiver, first):
        message = (
            f"{_changes(waiver, first)}: the finding at {at} is open again; if its figures "
            f"stand, accept them: {accepted_yaml(first.accepted_values())}"
        )
    elif waiver.accepted is not None and not _accepts(waiver, first):
        message = (
            f"{_changes(waiver, first)}: the finding at {at} is open again; if the new figures "
            f"stand, re-accept them: {accepted_yaml(first.accepted_values())}"
        )
    elif waiver.places is not None:
        new = ", ".join(counted_places(_places(reopened)))
        message = (
            f"{len(reopened)} more found ({new}); if they are accepted too: "
            f"{places_yaml(_places(matched))}"
        )
    else:
        message = (
            f"accepted {waiver.count} findings, {len(matched)} found: the findings are open "
            f"again; if all are accepted: count: {len(matched)}, or better "
            f"{places_yaml(_places(matched))}"
        )
    return _stale_finding(waiver, message)


def _stale_finding(waiver: Waiver, message: str) -> Finding:
    return Finding(
        waiver.path,
        waiver.line,
        waiver.col,
        f"waiver for [{waiver.rule}] at {waiver.at} is stale: {message}",
        "stale-waiver",
        WARNING,
    )


def _unbound(waiver: Waiver, matched: Sequence[Finding]) -> Finding:
    """Return the error of a waiver that does not record what it accepted."""
    if waiver.rule == "glossary" or len({f.accepted_values() for f in matched}) > 1:
        line = places_yaml(_places(matched))
        what = "a new occurrence"
    else:
        line = accepted_yaml(matched[0].accepted_values())
        what = "a changed figure"
    return Finding(
        waiver.path,
        waiver.line,
        waiver.col,
        f"waiver for [{waiver.rule}] at {waiver.at} does not record what it accepted, so "
        f"{what} would stay silenced; the finding stays open until you add: {line}",
        None,
        ERROR,
    )
