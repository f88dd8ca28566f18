"""Figures still to be entered (`!missing` in data/): listed in a draft, refused when final."""

from __future__ import annotations

from .findings import ERROR, WARNING, Finding
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
