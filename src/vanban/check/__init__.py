"""`vanban check`: rules over the facts and a lint of the text, before anyone signs.

The engine: it checks the sources it is given. The command that gathers a report and then
checks it is `vanban.check.command`, above the build.
"""

from .findings import Finding, Waiver, summary_line
from .run import CheckResult, check_sources, derived_facts, fact_context

__all__ = [
    "CheckResult",
    "Finding",
    "Waiver",
    "check_sources",
    "derived_facts",
    "fact_context",
    "summary_line",
]
