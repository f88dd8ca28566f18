"""Run the `vanban` command line with the reuse commands (new, rollover, batch), for tests.

cli.py adds them with add_reuse_commands; until it does, they are added here, so the tests
exercise the same parser and the same error handling either way.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from vanban import cli
from vanban.reuse import add_reuse_commands

_PARSER = cli.parser


def parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Return the vanban parser with the reuse commands."""
    main = _PARSER(argv)
    commands = next(a for a in main._actions if isinstance(a, argparse._SubParsersAction))
    if "new" not in commands.choices:
        add_reuse_commands(commands)
    return main


def vanban(argv: Sequence[str]) -> int:
    """Run `vanban ARGV` as cli.main does; return its exit status."""
    cli.parser = parser
    try:
        return cli.main(list(argv))
    finally:
        cli.parser = _PARSER
