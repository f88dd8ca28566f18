"""`vanban diff`, `vanban docx-text`, `vanban facts-text`, `vanban git-setup`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

DIFF_DESCRIPTION = """\
Compare two drafts of a report: A and B are git revisions of the repository holding the
report directory (HEAD, HEAD~2, a branch, a tag) or report directories ("." is the working
tree). Figures are compared as facts (key, unit, old → new, difference, share), the text
after rendering, per content file, and footnotes by name. --docx writes B's document with
A's differences as Word tracked changes.
"""


def add_diff_command(subparsers: Any) -> None:
    """Register `diff`, `docx-text`, `facts-text` and `git-setup` on the `vanban` subparsers."""
    diff = subparsers.add_parser(
        "diff",
        help="what changed between two drafts: figures, text, footnotes; a Word redline",
        description=DIFF_DESCRIPTION,
    )
    diff.add_argument("a", nargs="?", default="HEAD", help="the older draft (default: HEAD)")
    diff.add_argument(
        "b", nargs="?", default=".", help="the newer draft (default: ., the work tree)"
    )
    diff.add_argument(
        "-C",
        dest="directory",
        default=".",
        help="run as if started in this directory (as git -C): A, B and --docx are relative to it",
    )
    diff.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text", help="output format"
    )
    diff.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text output (auto: on a terminal, unless NO_COLOR is set)",
    )
    diff.add_argument(
        "--lang",
        choices=("en", "vi"),
        default=None,
        help="language of the labels (default: vi when the locale is Vietnamese, else en)",
    )
    diff.add_argument("--docx", metavar="OUT", help="write B's document with tracked changes here")
    diff.add_argument(
        "--author", default="vanban", help="author of the tracked changes (default: vanban)"
    )
    diff.add_argument(
        "--exit-code", action="store_true", help="exit with 1 when the drafts differ, like git diff"
    )
    diff.set_defaults(run=run_diff)

    docx_text = subparsers.add_parser(
        "docx-text",
        help="print a .docx as text (git textconv)",
        description="Print the paragraphs and footnotes of a .docx; tracked changes as "
        "[-deleted-]{+inserted+}.",
    )
    docx_text.add_argument("file", help="a .docx file")
    docx_text.add_argument(
        "--properties",
        action="store_true",
        help="print first where the document came from: title, creator, dates, source "
        "revision, hash of the sources, vanban version, build time",
    )
    docx_text.set_defaults(run=run_docx_text)

    facts_text = subparsers.add_parser(
        "facts-text",
        help="print a data file as `name = value unit` lines (git textconv)",
        description="Print every fact of a data/*.yaml file as `dotted.name = value unit`, "
        "with the unit of schema/<file name> (looked up from the current directory).",
    )
    facts_text.add_argument("file", help="a data/*.yaml file")
    facts_text.add_argument("--schema-dir", help="where the schemas are (default: ./schema)")
    facts_text.set_defaults(run=run_facts_text)

    git_setup = subparsers.add_parser(
        "git-setup",
        help="configure git to show .docx and data files as text in git diff",
        description="Write the vanban-docx and vanban-facts diff drivers that .gitattributes "
        "names into the repository's .git/config.",
    )
    git_setup.add_argument("project", nargs="?", default=".", help="a directory of the repository")
    git_setup.add_argument(
        "--program",
        help="the command git runs (default: this Python's `-m vanban.cli`, so that it works "
        "without activating the virtual environment)",
    )
    git_setup.set_defaults(run=run_git_setup)


def _use_color(choice: str) -> bool:
    if choice == "always":
        return True
    if choice == "never":
        return False
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _word_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def run_diff(args: argparse.Namespace) -> int:
    """Compare the drafts, print the differences, and write the redline when asked."""
    from ..files import write_atomic
    from .compare import compare
    from .report import as_json, default_lang, format_markdown, format_text
    from .sides import Workspace

    started = time.perf_counter()
    base = Path(args.directory)
    with Workspace() as workspace:
        comparison = compare(args.a, args.b, base, workspace, check_b_later=bool(args.docx))
        body = None
        if args.docx:
            from .body import Author
            from .compare import fewer_collections
            from .conversion import start_redline

            author = Author(args.author, _word_date(comparison.date))
            with fewer_collections():
                body = start_redline(comparison, author)  # while pandoc works: B's check,
                try:
                    comparison = comparison.checked()
                except BaseException:
                    body.cancel()
                    raise
        if args.format == "json":
            json.dump(as_json(comparison), sys.stdout, ensure_ascii=False, indent=2)
            print()
        elif args.format == "markdown":
            sys.stdout.write(format_markdown(comparison, args.lang or default_lang()))
        else:
            lang = args.lang or default_lang()
            sys.stdout.write(format_text(comparison, _use_color(args.color), lang))
        sys.stdout.flush()
        if args.docx:
            from .redline import redline_docx  # and the Word layer

            redline = redline_docx(comparison, author, body)
            target = base / args.docx
            write_atomic(target, redline.docx)
            elapsed = time.perf_counter() - started
            print(
                f"wrote {args.docx}: {redline.changes} tracked changes, {comparison.b.label} "
                f"against {comparison.a.label}, in {elapsed:.2f} s",
                file=sys.stderr,
            )
    return 1 if args.exit_code and comparison.changed else 0


def run_docx_text(args: argparse.Namespace) -> int:
    from lxml import etree

    from .sides import DiffError
    from .textconv import docx_lines, properties_lines

    try:
        lines = docx_lines(Path(args.file))
        if args.properties:
            lines = [*properties_lines(Path(args.file)), "", *lines]
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise DiffError(f"{args.file}: not a readable .docx ({exc})") from None
    for line in lines:
        print(line)
    return 0


def run_facts_text(args: argparse.Namespace) -> int:
    from .textconv import facts_lines

    schema_dir = Path(args.schema_dir) if args.schema_dir else None
    for line in facts_lines(Path(args.file), schema_dir):
        print(line)
    return 0


def run_git_setup(args: argparse.Namespace) -> int:
    from .textconv import setup_git

    for key, value in setup_git(Path(args.project), args.program).items():
        print(f"git config {key} {value!r}")
    return 0
