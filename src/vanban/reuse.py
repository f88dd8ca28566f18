"""Command line of reuse: `vanban new`, `vanban rollover`, `vanban batch`.

cli.py adds them with `add_reuse_commands(commands)`; each command returns its exit status
and raises VanbanError (or ProblemsError) for the CLI to print.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .cli import add_pdf_arguments
from .kinds import KINDS


def _new(args: argparse.Namespace) -> int:
    from .scaffold import scaffold

    directory = Path(args.directory)
    written = scaffold(args.kind, directory, Path(args.like) if args.like else None)
    print(f"wrote {len(written)} files into {directory}")
    print(f"next: vanban build {directory}")
    return 0


def _rollover(args: argparse.Namespace) -> int:
    from .rollover import rollover, summary

    dest = Path(args.dest)
    plan = rollover(Path(args.source), dest, args.period)
    for line in summary(plan, dest):
        print(line)
    return 0


def _batch(args: argparse.Namespace) -> int:
    from .batch import batch_command

    return batch_command(
        [Path(root) for root in args.roots or ["."]],
        jobs=args.jobs,
        exclude=args.exclude,
        collect_into=Path(args.collect) if args.collect else None,
        strict=args.strict,
        pdf=args.pdf,
        pdfa=args.pdfa,
    )


def add_batch_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of `vanban batch` (also usable for `vanban build --all`)."""
    parser.add_argument(
        "-j", "--jobs", type=int, help="reports built at a time (default: one per core)"
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip directories matching this pattern (path or name; repeatable)",
    )
    parser.add_argument("--collect", metavar="DIR", help="copy every built document into DIR")
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    add_pdf_arguments(parser)


def add_reuse_commands(commands: Any) -> None:
    """Add `new`, `rollover` and `batch` to the subparsers of the vanban command."""
    new = commands.add_parser(
        "new",
        help="start a new report directory of a kind (builds at once into a draft)",
        description="Write a new report directory: metadata, starting text, a fact file with "
        "its schema and a rule, checks, Word templates, README, .gitattributes, a CI example.",
    )
    new.add_argument("kind", choices=list(KINDS), help="kind of document (ND30 Phụ lục III)")
    new.add_argument("directory", help="the new directory (must not exist or be empty)")
    new.add_argument(
        "--like", metavar="DIR", help="take agency, signer, templates and glossary from DIR"
    )
    new.set_defaults(run=_new)

    rollover = commands.add_parser(
        "rollover",
        help="start the next period's document from an existing one",
        description="Copy a report for its next period: structure, text, templates, rules "
        "and glossary kept; period advanced; figures cleared to !missing except those "
        "named in carry_forward; waivers dropped.",
    )
    rollover.add_argument("source", help="the report directory to start from")
    rollover.add_argument("dest", help="the new directory (must not exist or be empty)")
    rollover.add_argument(
        "--period", required=True, help="the new period, e.g. 2026-2030, or a year: 2026"
    )
    rollover.set_defaults(run=_rollover)

    batch = commands.add_parser(
        "batch",
        help="build every report below one or more directories, in parallel",
        description="Find every report directory (data/document.yaml and content/) below "
        "the roots and build each; print a line as each finishes and a summary of the "
        "failures; exit 1 if any failed.",
    )
    batch.add_argument("roots", nargs="*", metavar="ROOT", help="directories to search")
    add_batch_arguments(batch)
    batch.set_defaults(run=_batch)
