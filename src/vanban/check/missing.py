"""Figures still to be entered (`!missing` in data/): listed in a draft, refused when final."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..classes import replace
from .findings import ERROR, WARNING, Finding
from .lint import Source
from .store import FactStore

RULE = "missing-figure"


def missing_figures(store: FactStore, final: bool) -> list[Finding]:
    """Return one finding per placeholder, at its place in its data file.

    In a draft each is a warning (the document prints a marker where the figure goes); in a
    final document each is an error, so that nothing is issued with a figure left out.
    """
    findings = []
    for dotted, placeholder in store.placeholders():
        path, line, col = store.place(dotted)
        note = f": {placeholder.note}" if placeholder.note else ""
        what = f"{dotted}: figure still to be entered (!missing{note})"
        if final:
            message = f"{what}; a final document needs every figure"
        else:
            message = f"{what}; the draft prints [thiếu: {dotted}]"
        severity = ERROR if final else WARNING
        findings.append(Finding(path, line, col, message, RULE, severity, dotted, (dotted,)))
    return findings


def printed_at(findings: list[Finding], sources: Iterable[Source]) -> list[Finding]:
    """Return the findings with each missing figure's message naming where the text prints
    it (`{{ so_lieu.f006 | so }}` at content/02-ket-qua.md:53:128), so that its marker is
    found without a search; the finding stays at its place in data/."""
    sources = list(sources)
    found = []
    for finding in findings:
        if finding.rule != RULE or not finding.fact:
            found.append(finding)
            continue
        pattern = re.compile(r"\{\{-?\s*" + re.escape(finding.fact) + r"(?![\w.])")
        places = [
            f"{source.display}:{':'.join(map(str, source.place(match.start())))}"
            for source in sources
            for match in pattern.finditer(source.text)
        ]
        if places:
            more = f" and {len(places) - 1} more" if len(places) > 1 else ""
            where = f"{places[0]}{more}"
            message = (
                f"{finding.message} at {where}"
                if finding.severity == WARNING
                else f"{finding.message} (the text prints it at {where})"
            )
            finding = replace(finding, message=message)
        found.append(finding)
    return found
