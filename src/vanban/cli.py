"""Command line: `vanban build [DIR]`, `vanban templates [DIR]`."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import ProblemsError, VanbanError
from .pdf import add_pdf_arguments


def _build(args: argparse.Namespace) -> int:
    if args.all:
        if args.output:
            raise VanbanError("--all builds each report into its own build/: drop --output")
        from .batch import batch_command

        return batch_command([Path(args.project)], pdf=args.pdf, pdfa=args.pdfa)
    from .check import summary_line
    from .pipeline import build_report

    started = time.perf_counter()
    built = build_report(
        Path(args.project),
        Path(args.output) if args.output else None,
        pdf=args.pdf,
        pdfa=args.pdfa,
    )
    elapsed = time.perf_counter() - started
    for finding in built.findings:
        if finding.status == "warning":
            print(finding.problem(), file=sys.stderr)
    print(f"built {built.path} in {elapsed:.2f} s; {summary_line(built.findings)}")
    if built.pdf is not None:
        print(f"wrote {built.pdf.path}: {built.pdf.summary()}")
    return 0


def _templates(args: argparse.Namespace) -> int:
    from .templates_gen import write_templates

    for path in write_templates(Path(args.project) / "templates", force=args.force):
        print(f"wrote {path}")
    return 0


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of the `vanban` command."""
    main = argparse.ArgumentParser(
        prog="vanban",
        description="Build Vietnamese administrative documents (ND30) from Markdown and YAML.",
    )
    main.add_argument("--version", action="version", version=f"vanban {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the document of a report directory")
    build.add_argument("project", nargs="?", default=".", help="report directory (default: .)")
    build.add_argument("-o", "--output", help="write here instead of build/<output>.docx")
    add_pdf_arguments(build)
    build.add_argument(
        "--all",
        action="store_true",
        help="build every report below DIR in parallel (as `vanban batch DIR`)",
    )
    build.set_defaults(run=_build)

    templates = commands.add_parser(
        "templates", help="write the default Word templates into DIR/templates"
    )
    templates.add_argument("project", nargs="?", default=".", help="report directory")
    templates.add_argument(
        "--force", action="store_true", help="replace templates that differ from the defaults"
    )
    templates.set_defaults(run=_templates)

    from .check.command import add_check_command

    add_check_command(commands)

    from .diff import add_diff_command

    add_diff_command(commands)

    from .importer import add_import_command

    add_import_command(commands)

    from .reuse import add_reuse_commands

    add_reuse_commands(commands)

    from .records import add_metadata_command

    add_metadata_command(commands)
    return main


def run(args: argparse.Namespace, after_problems: str = "; nothing was written") -> int:
    """Run a parsed command; print its problems, never a traceback, and return the status."""
    try:
        return int(args.run(args))
    except ProblemsError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        errors = sum(p.severity == "error" for p in exc.problems)
        print(f"{errors} error{'s' if errors != 1 else ''}{after_problems}", file=sys.stderr)
        return 1
    except VanbanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # pragma: no cover - `vanban … | head`
        return 0
    except KeyboardInterrupt:  # pragma: no cover
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; print problems, never a traceback."""
    return run(parser().parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
