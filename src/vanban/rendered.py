"""What rendering the text gives: the narrative, the figures it printed, and the view of
the facts that templates read; the bounds a section's rendering keeps, and the renderer at
work. The types the check, the diff and the build share, below the template engine
(vanban.narrative, vanban.templating), so that reading a kept narrative loads no Jinja."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from .classes import dataclass
from .conventions import DEFAULT_SCHEME, SCHEMES
from .facts import is_missing
from .numbers import format_number


@dataclass(frozen=True)
class Fact:
    """A number from the data, with the dotted name it has in templates."""

    value: int | Decimal
    name: str
    unit: str | None = None

    def __str__(self) -> str:
        return format_number(self.value)


@dataclass(frozen=True)
class MissingFact:
    """A figure still to be entered (`!missing` in the data), with its name in templates.

    It prints as a highlighted marker naming the fact, so that a draft shows the gap."""

    name: str
    unit: str | None = None

    def __str__(self) -> str:
        return missing_marker(self.name)


def missing_marker(name: str) -> str:
    """Return the Markdown a draft prints for a missing figure: "[thiếu: name]", highlighted."""
    return f"[\\[thiếu: {name}\\]]{{.mark}}"


class FactTree(Mapping[str, Any]):
    """Read-only view of a data document: numbers come out as Facts with their names."""

    __slots__ = ("_data", "_name", "_units")

    def __init__(self, data: Mapping[str, Any], name: str, units: Any = None):
        self._data = data
        self._name = name
        self._units = units

    def __getitem__(self, key: str) -> Any:
        value = self._data[key]
        name = f"{self._name}.{key}"
        if isinstance(value, Mapping):
            return FactTree(value, name, self._units)
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            unit = self._units(name) if self._units else None
            return Fact(value, name, unit)
        if is_missing(value):
            return MissingFact(name, self._units(name) if self._units else None)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    @property
    def dotted_name(self) -> str:
        return self._name

    def __repr__(self) -> str:
        return f"<facts {self._name}>"


@dataclass
class Mention:
    """A figure printed in the text: which fact, how it was printed, and where."""

    fact: str
    text: str
    source: str
    line: int
    printed_as_issued: bool = False


@dataclass(frozen=True)
class Narrative:
    """The rendered Markdown of the whole body, in section order, and its figures."""

    markdown: str
    footnotes: tuple[str, ...]
    mentions: tuple[Mention, ...]
    # The markdown cut where one content file ends and the next begins: joined with blank
    # lines they are `markdown` again. One section when the files cannot be told apart.
    sections: tuple[str, ...] = ()
    # The kind of each heading level it was numbered in (conventions.scheme_levels).
    headings: tuple[str, ...] = SCHEMES[DEFAULT_SCHEME]
    # The texts of the appendices and attached documents (content/appendices.yaml `text:`),
    # rendered and numbered each in its own scheme; not part of `markdown`.
    attached: tuple[AttachedText, ...] = ()


@dataclass(frozen=True)
class AttachedText:
    """An appendix's own text after rendering: whose it is, its file, its Markdown with
    headings numbered in its scheme, the scheme, its footnotes in order of first reference."""

    name: str
    source: str  # its path in the report: content/kem-theo/quy-che.md
    markdown: str
    headings: tuple[str, ...]
    footnotes: tuple[str, ...] = ()


# How a section that ran past the render deadline is reported (the message's end).
TOO_LONG = "to render: a loop without end?"


def ran_out_of_time(messages: Iterable[str]) -> bool:
    """Return True when a message says a section ran past the render deadline: a result
    that depends on the machine's speed, which is not kept by the sources' bytes."""
    return any(message.endswith(TOO_LONG) for message in messages)


# Bounds of one section's rendering, so that no template can exhaust memory or time: the
# text it prints, what `*` may build, how large `**` may grow a whole number.
MAX_SECTION_CHARS = 5_000_000
# A section renders in milliseconds; one that takes this long loops without end (nested
# loops that print nothing are bounded by no other limit).
MAX_RENDER_SECONDS = 10
MAX_POWER_BITS = 100_000


class Refused(Exception):
    """Raised inside a render for what a section may not do; `near` is the text to point at."""

    def __init__(self, message: str, near: str | None = None):
        super().__init__(message)
        self.near = near


def size_of(value: object) -> int | None:
    """Return the length of a text or a list, what `*` repeats; None for anything else."""
    if isinstance(value, str | list | tuple):
        return len(value)
    return None


# The renderers at work, innermost last (vanban.narrative.Renderer): where a figure's
# filters and an undefined name report their problems.
ACTIVE: list[Any] = []


def current_renderer() -> Any:
    """Return the renderer at work, or None outside a rendering."""
    return ACTIVE[-1] if ACTIVE else None
