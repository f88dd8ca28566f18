"""`vanban check`: rules over the facts and a lint of the text, before anyone signs.

The engine: it checks the sources it is given. The command that gathers a report and then
checks it is `vanban.check.command`, above the build.

Every name is loaded when it is used: what the check reports (findings, results) from
`findings`, the engine that computes them from `run`, so that printing a kept check loads
neither.
"""

from typing import Any

_REPORTS = ("CheckResult", "Finding", "Waiver", "summary_line")
_ENGINE = ("check_sources", "derived_facts", "fact_context")

__all__ = [*_REPORTS, *_ENGINE]


def __getattr__(name: str) -> Any:
    if name in _REPORTS:
        from . import findings

        return getattr(findings, name)
    if name in _ENGINE:
        from . import run

        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
