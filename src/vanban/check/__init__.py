"""`vanban check`: rules over the facts and a lint of the text, before anyone signs."""

from .command import add_check_command, run_check_command
from .findings import Finding, Waiver, summary_line
from .run import CheckResult, check_project, check_sources, fact_context, run_checks

__all__ = [
    "CheckResult",
    "Finding",
    "Waiver",
    "add_check_command",
    "check_project",
    "check_sources",
    "fact_context",
    "run_check_command",
    "run_checks",
    "summary_line",
]
