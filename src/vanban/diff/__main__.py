"""`python -m vanban.diff`: the diff commands alone (what git's textconv settings run)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..cli import run
from .command import add_diff_command


def main(argv: Sequence[str] | None = None) -> int:
    """Run `diff`, `docx-text`, `facts-text` or `git-setup`; print problems, never a traceback."""
    parser = argparse.ArgumentParser(prog="python -m vanban.diff")
    add_diff_command(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    return run(parser.parse_args(argv), after_problems="")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
