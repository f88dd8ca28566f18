"""Errors raised by vanban; the CLI prints their message, never a traceback."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .classes import dataclass


@dataclass(frozen=True)
class Problem:
    """One finding with its place, printed as `path:line:col: severity: message`."""

    path: str
    line: int
    col: int
    message: str
    severity: str = "error"
    rule: str | None = None

    def __str__(self) -> str:
        place = self.path
        if self.line:
            place += f":{self.line}"
            if self.col:
                place += f":{self.col}"
        suffix = f" [{self.rule}]" if self.rule else ""
        return f"{place}: {self.severity}: {self.message}{suffix}"


def relpath(path: Path, root: Path) -> str:
    """Return path relative to root when it lies below it, for messages."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


class VanbanError(Exception):
    """Base class: a problem the user can fix, reported as a message."""


class TemplateError(VanbanError):
    """Raised when a Word template cannot be rendered (bad tag, undefined name)."""


def in_order(problems: list[Problem]) -> list[Problem]:
    """Return problems in the order `vanban check` prints its findings: by file, line,
    column, rule and message."""
    return sorted(problems, key=lambda p: (p.path, p.line, p.col, p.rule or "", p.message))


class ProblemsError(VanbanError):
    """Raised when one stage found problems in the sources; carries all of them."""

    def __init__(self, problems: list[Problem], warnings: Sequence[Problem] = ()):
        self.problems = problems
        # the check's warnings on the same sources, which `vanban build` prints beside them
        self.warnings = list(warnings)
        super().__init__("\n".join(str(p) for p in problems))


class PandocError(VanbanError):
    """Raised when pandoc fails: shows the command, its exit code and its message."""


class ProjectError(VanbanError):
    """Raised when a report directory lacks a part it needs (content/, data/...)."""


class SourceError(VanbanError):
    """Raised when `vanban import` cannot read its source: not a document, corrupt, protected."""


class OutputError(VanbanError):
    """Raised when a built file cannot be written (directory not writable, disk full,
    read-only target); the previous file is left as it was."""
