"""`vanban check [DIR] [--format text|json] [--strict]`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .run import check_project


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
    check.set_defaults(run=run_check_command)
    return check


def run_check_command(args: argparse.Namespace) -> int:
    """Print every finding, then a summary; return the exit status."""
    from ..pipeline import open_project

    project = open_project(Path(args.project))
    result = check_project(project)
    if args.format == "json":
        data = result.as_json()
        data["summary"]["failed"] = result.failed(args.strict)
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for finding in result.findings:
            print(finding.problem())
        print(result.summary())
    return 1 if result.failed(args.strict) else 0
