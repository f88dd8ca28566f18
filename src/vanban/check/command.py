"""`vanban check [DIR] [--format text|json] [--strict] [--show-acknowledged]`: check a report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import user_cache
from ..errors import Problem, ProblemsError
from ..project import Facts, Project, load_metadata, load_valid_facts, open_project

# The check engine is loaded when the check runs: a check answered from its kept result
# (see vanban.results) loads none of it.
if TYPE_CHECKING:
    from ..pipeline import Sources
    from ..rendered import Narrative
    from .findings import CheckResult


def add_check_command(subparsers: Any) -> argparse.ArgumentParser:
    """Register the `check` command on the subparsers of the `vanban` parser."""
    check = subparsers.add_parser(
        "check",
        help="check the figures and text of a report against its rules",
        description=(
            "Apply the rules of checks/rules.yaml to the facts in data/, lint the Markdown in "
            "content/, and show the findings acknowledged in checks/waivers.yaml. Exits 1 on "
            "errors (with --strict, on warnings too)."
        ),
    )
    check.add_argument("project", nargs="?", default=".", help="report directory (default: .)")
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: path:line:col: severity: message [rule]; json: for CI",
    )
    check.add_argument("--strict", action="store_true", help="exit non-zero on warnings too")
    check.add_argument(
        "--show-acknowledged",
        action="store_true",
        help="list the findings waivers acknowledge too (by default only their count)",
    )
    check.set_defaults(run=run_check_command)
    return check


def run_check_command(args: argparse.Namespace) -> int:
    """Print every finding, then a summary; return the exit status.

    What a check printed with these options is kept with the check (see vanban.results): a
    check of the same inputs prints it again without loading the findings."""
    from ..kept import check_options, printed_check
    from ..results import keep, lookup_check

    project = open_project(Path(args.project))
    cache = user_cache()
    options = check_options(args.format, args.strict, args.show_acknowledged)
    before = lookup_check(cache, project.root, options)
    kept = printed_check(before.kept) if before is not None else None
    if kept is not None:
        sys.stdout.write(kept[0])
        return kept[1]
    result = check_project(project)
    text = _printed(result, args)
    status = 1 if result.failed(args.strict) else 0
    sys.stdout.write(text)
    if before is not None and not _depends_on_the_clock(result):
        keep(cache, before, (text, status))
    return status


def _printed(result: CheckResult, args: argparse.Namespace) -> str:
    """Return what `vanban check` prints of a result: JSON, or a line a finding and the
    summary."""
    if args.format == "json":
        import json

        data = result.as_json()
        data["summary"]["failed"] = result.failed(args.strict)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    lines = []
    hidden = 0
    for finding in result.findings:
        if finding.waiver is not None and not args.show_acknowledged:
            hidden += 1
            continue
        lines.append(str(finding.problem()))
    if hidden:
        lines.append(
            f"{hidden} acknowledged finding{'s' if hidden != 1 else ''} not listed: "
            "vanban check --show-acknowledged lists them with their reasons"
        )
    lines.append(result.summary())
    return "".join(line + "\n" for line in lines)


def check_project(project: Project) -> CheckResult:
    """Run `vanban check`: the build's own problems with the sources, then every check.

    The sources are gathered as the build gathers them; when that stops on problems, the
    facts and the text are loaded again as far as they go, so the checks still run. When no
    input changed since a check of them, its kept result answers (see vanban.results).
    """
    from ..results import keep, lookup_check
    from .findings import CheckResult

    cache = user_cache()
    before = lookup_check(cache, project.root)
    if before is not None and isinstance(before.kept, CheckResult):
        return before.kept
    result = _check_fully(project)
    if before is not None and not _depends_on_the_clock(result):
        keep(cache, before, result)
    return result


def _depends_on_the_clock(result: CheckResult) -> bool:
    """Return True when a section ran past the render deadline: on a faster machine (or a
    quieter moment) the same sources may render, so such a result is not kept."""
    from ..rendered import ran_out_of_time

    return ran_out_of_time(f.message for f in result.findings)


def _check_fully(project: Project) -> CheckResult:
    from ..pipeline import gather
    from .findings import CheckResult, Finding, sort_findings
    from .run import check_sources

    cache = user_cache()
    try:
        sources = gather(project, cache, stop_on_findings=False)
    except ProblemsError as exc:
        problems = exc.problems
        facts, _ = load_valid_facts(project, cache)
        narrative = _render_as_far_as_it_goes(project, facts)
        tables = []
        checked = None
    else:
        problems, facts, narrative = [], sources.facts, sources.narrative
        tables = sources.appendices.findings()
        checked = sources.checked
    # The gathering checked the sources already: that result is the same, not run twice.
    result = checked or check_sources(project, facts, narrative, cache, tables)
    # The build's problems include the check's own errors: report those once, as findings.
    own = {str(f.problem()) for f in result.findings}
    problems = [p for p in problems if p.rule is None and str(p) not in own]
    undecodable = {f.path for f in result.findings if f.rule == "not-utf8"}
    source_findings = [
        Finding(p.path, p.line, p.col, p.message, None, p.severity)
        for p in problems
        if not (p.message.startswith("not UTF-8") and p.path in undecodable)
    ]
    return CheckResult(
        tuple(sort_findings([*source_findings, *result.findings])),
        result.rules,
        result.compared,
        result.derived,
    )


def run_checks(project: Project, sources: Sources | None = None) -> list[Problem]:
    """Return the check's findings as Problems (severity error, warning or acknowledged).

    Without sources, the facts are loaded and the narrative rendered here; problems those
    stages find are the build's to report and are not repeated.
    """
    from .run import check_sources

    if sources is not None:
        tables = sources.appendices.findings()
        result = check_sources(project, sources.facts, sources.narrative, tables=tables)
    else:
        cache = user_cache()
        facts, _ = load_valid_facts(project, cache)
        result = check_sources(project, facts, _render_as_far_as_it_goes(project, facts), cache)
    return [finding.problem() for finding in result.findings]


def _render_as_far_as_it_goes(project: Project, facts: Facts) -> Narrative:
    from ..appendix import APPENDICES_FILE, load_declaration
    from ..pipeline import render

    cache = user_cache()
    metadata, _ = load_metadata(project, cache)
    path = project.content_dir / APPENDICES_FILE
    declaration, _ = load_declaration(path, project.display(path), cache)
    narrative, _ = render(project, facts, metadata, declaration, cache)
    return narrative
