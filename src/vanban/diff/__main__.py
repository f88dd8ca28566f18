"""`python -m vanban.diff`: the diff commands alone (what git's textconv settings run)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..errors import ProblemsError, VanbanError
from .command import add_diff_command


def main(argv: Sequence[str] | None = None) -> int:
    """Run `diff`, `docx-text`, `facts-text` or `git-setup`; print problems, never a traceback."""
    parser = argparse.ArgumentParser(prog="python -m vanban.diff")
    add_diff_command(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except ProblemsError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        errors = sum(p.severity == "error" for p in exc.problems)
        print(f"{errors} error{'s' if errors != 1 else ''}", file=sys.stderr)
        return 1
    except VanbanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # pragma: no cover - `| head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
