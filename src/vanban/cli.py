"""Command line: `vanban COMMAND …`; each command's module is imported only when it runs."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .classes import dataclass
from .errors import ProblemsError, VanbanError, in_order


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
    for path in built.attachments:
        print(f"wrote {path}")
    if built.pdf is not None:
        from .pdf import font_warning

        print(f"wrote {built.pdf.path}: {built.pdf.summary()}")
        for converted in built.attachment_pdfs:
            print(f"wrote {converted.path}: {converted.summary()}")
        warning = font_warning([built.pdf, *built.attachment_pdfs])
        if warning is not None:
            print(warning, file=sys.stderr)
    return 0


def _templates(args: argparse.Namespace) -> int:
    from .templates_gen import write_templates

    for path in write_templates(Path(args.project) / "templates", force=args.force):
        print(f"wrote {path}")
    return 0


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, the module and function that add its parser, its help line.

    Only the command being run is imported: `vanban --help` lists every command from this
    table, and `vanban check` never loads the diff or the build's Word layer.
    """

    name: str
    module: str
    register: str
    help: str


COMMANDS: tuple[Command, ...] = (
    Command("build", "vanban.cli", "add_build_command", "build the document of a report directory"),
    Command(
        "templates",
        "vanban.cli",
        "add_templates_command",
        "write the default Word templates into DIR/templates",
    ),
    Command(
        "check",
        "vanban.check.command",
        "add_check_command",
        "check the figures and text of a report against its rules",
    ),
    Command(
        "diff",
        "vanban.diff.command",
        "add_diff_command",
        "what changed between two drafts: figures, text, footnotes; a Word redline",
    ),
    Command(
        "docx-text",
        "vanban.diff.command",
        "add_diff_command",
        "print a .docx as text (git textconv)",
    ),
    Command(
        "facts-text",
        "vanban.diff.command",
        "add_diff_command",
        "print a data file as `name = value unit` lines (git textconv)",
    ),
    Command(
        "git-setup",
        "vanban.diff.command",
        "add_diff_command",
        "configure git to show .docx and data files as text in git diff",
    ),
    Command(
        "watch",
        "vanban.watch",
        "add_watch_command",
        "rebuild the document on every save of a source",
    ),
    Command(
        "import",
        "vanban.importer",
        "add_import_command",
        "turn an existing Word document (.docx; .doc/.odt with LibreOffice) into a report",
    ),
    Command(
        "absorb",
        "vanban.absorb.command",
        "add_absorb_command",
        "bring a reviewer's Word edits back into the sources",
    ),
    Command(
        "new",
        "vanban.reuse",
        "add_reuse_commands",
        "start a new report directory of a kind (builds at once into a draft)",
    ),
    Command(
        "rollover",
        "vanban.reuse",
        "add_reuse_commands",
        "start the next period's document from an existing one",
    ),
    Command(
        "batch",
        "vanban.reuse",
        "add_reuse_commands",
        "build every report below one or more directories, in parallel",
    ),
    Command(
        "metadata",
        "vanban.records",
        "add_metadata_command",
        "print the document's record for the document system (ND30 Phụ lục VI)",
    ),
)


def add_pdf_arguments(command: argparse.ArgumentParser) -> None:
    """Add --pdf and --pdfa to a command that builds documents (here, not in vanban.pdf: a
    build without them never loads the PDF step)."""
    command.add_argument(
        "--pdf",
        action="store_true",
        help="also write build/<output>.pdf through LibreOffice (for signing)",
    )
    command.add_argument(
        "--pdfa", action="store_true", help="as --pdf, the PDF in PDF/A-2b (for archiving)"
    )


def add_build_command(commands: Any) -> None:
    """Add `build` to the subparsers of the vanban command."""
    build = commands.add_parser("build", help=_help("build"))
    build.add_argument("project", nargs="?", default=".", help="report directory (default: .)")
    build.add_argument("-o", "--output", help="write here instead of build/<output>.docx")
    add_pdf_arguments(build)
    build.add_argument(
        "--all",
        action="store_true",
        help="build every report below DIR in parallel (as `vanban batch DIR`)",
    )
    build.set_defaults(run=_build)


def add_templates_command(commands: Any) -> None:
    """Add `templates` to the subparsers of the vanban command."""
    templates = commands.add_parser("templates", help=_help("templates"))
    templates.add_argument("project", nargs="?", default=".", help="report directory")
    templates.add_argument(
        "--force", action="store_true", help="replace templates that differ from the defaults"
    )
    templates.set_defaults(run=_templates)


def _help(name: str) -> str:
    return next(c.help for c in COMMANDS if c.name == name)


def _register(command: Command, commands: Any, done: set[tuple[str, str]]) -> None:
    if (command.module, command.register) in done:
        return
    done.add((command.module, command.register))
    module = sys.modules[__name__] if command.module == "vanban.cli" else None
    if module is None:
        module = importlib.import_module(command.module)
    getattr(module, command.register)(commands)


def parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Return the argument parser of the `vanban` command.

    Given the command line, only the command it names is imported and fully defined; the
    others are listed by name and help. Without it, every command is defined.
    """
    main = argparse.ArgumentParser(
        prog="vanban",
        description="Build Vietnamese administrative documents (ND30) from Markdown and YAML.",
    )
    main.add_argument("--version", action="version", version=f"vanban {__version__}")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")
    named = None if argv is None else next((a for a in argv if not a.startswith("-")), "")
    wanted = [c for c in COMMANDS if named is None or c.name == named]
    done: set[tuple[str, str]] = set()
    for command in wanted:
        _register(command, commands, done)
    if not wanted:  # no command or an unknown one: list them all for argparse's message
        for command in COMMANDS:
            commands.add_parser(command.name, help=command.help)
    return main


def run(args: argparse.Namespace, after_problems: str = "; nothing was written") -> int:
    """Run a parsed command; print its problems, never a traceback, and return the status."""
    try:
        return int(args.run(args))
    except ProblemsError as exc:
        shown = in_order(exc.problems + exc.warnings) if exc.warnings else exc.problems
        for problem in shown:
            print(problem, file=sys.stderr)
        errors = sum(p.severity == "error" for p in shown)
        warnings = sum(p.severity == "warning" for p in shown)
        counted = f"{errors} error{'s' if errors != 1 else ''}"
        if warnings:
            counted += f", {warnings} warning{'s' if warnings != 1 else ''}"
        print(f"{counted}{after_problems}", file=sys.stderr)
        return 1
    except VanbanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # pragma: no cover - `vanban … | head`
        return 0
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except Exception as exc:  # the last resort: a defect of vanban, never a traceback
        if os.environ.get("VANBAN_TRACEBACK"):
            raise
        print(internal_error(exc), file=sys.stderr)
        return INTERNAL_ERROR


INTERNAL_ERROR = 70  # EX_SOFTWARE of sysexits.h


def internal_error(exc: BaseException) -> str:
    """Return the one line printed for an error vanban did not foresee."""
    detail = " ".join(str(exc).split())[:200]
    what = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return (
        f"vanban: internal error ({what}): this is a defect in vanban, please report it with "
        "the command and the files that caused it (VANBAN_TRACEBACK=1 shows where it happened)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; print problems, never a traceback."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    return run(parser(arguments).parse_args(arguments))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
