"""`vanban check`: rules over the facts and a lint of the text, before anyone signs.

The engine: it checks the sources it is given. The command that gathers a report and then
checks it is `vanban.check.command`, above the build.

What the check reports (findings, results) is loaded at once; the engine that computes
them only when one of its names is used, so that printing kept findings loads no engine.
"""

from typing import Any

from .findings import CheckResult, Finding, Waiver, summary_line

_ENGINE = ("check_sources", "derived_facts", "fact_context")

__all__ = [
    "CheckResult",
    "Finding",
    "Waiver",
    "check_sources",
    "derived_facts",
    "fact_context",
    "summary_line",
]


def __getattr__(name: str) -> Any:
    if name in _ENGINE:
        from . import run

        return getattr(run, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
