"""Render the narrative Markdown with facts filled in, and check its footnotes."""

from __future__ import annotations

import bisect
import marshal
import re
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from .cache import NO_CACHE, Cache, shared_key
from .classes import dataclass, field
from .conventions import DEFAULT_SCHEME, apply_conventions, scheme_levels
from .errors import Problem
from .numbers import MAX_WHOLE_DIGITS, format_number, format_percent, to_decimal
from .rendered import (
    ACTIVE,
    MAX_RENDER_SECONDS,
    MAX_SECTION_CHARS,
    TOO_LONG,
    AttachedText,
    Fact,
    FactTree,
    Mention,
    MissingFact,
    Narrative,
    Refused,
    current_renderer,
    ran_out_of_time,
)

if TYPE_CHECKING:
    from .templating import FactEnvironment, RecordingUndefined


def _jinja_error(name: str) -> Any:
    """Return Jinja's exception class `name` to catch, or nothing to catch (an empty tuple)
    while Jinja is not loaded: no template has run then, and none was raised."""
    module = sys.modules.get("jinja2.exceptions")
    return getattr(module, name) if module is not None else ()


def _is_undefined(value: object) -> bool:
    """Return True for Jinja's undefined value: there is none while Jinja is not loaded."""
    jinja = sys.modules.get("jinja2")
    return jinja is not None and isinstance(value, jinja.Undefined)


def _number(value: object, what: str) -> int | Decimal:
    if _is_undefined(value):
        raise _Skip(str(value))
    if isinstance(value, Fact):
        return value.value
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return value
    shown = f"the text {value!r}" if isinstance(value, str) else repr(value)
    raise TypeError(f"{what}: expected a number from the data, got {shown}")


MAX_DECIMALS_PRINTED = 12
MAX_WIDTH = 40


def _whole_between(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


class _Skip(Exception):
    """Raised inside a filter given an undefined value, already recorded."""


def _current_renderer() -> Renderer | None:
    renderer: Renderer | None = current_renderer()
    return renderer


def report_problem(message: str, near: str | None = None) -> None:
    """Record a problem at the template line being rendered, for functions templates call
    (such as appendix_ref); the column is that of the argument `near` on the line (quoted,
    as a template passes it), when given.

    Outside a render it raises ValueError with the message.
    """
    renderer = _current_renderer()
    if renderer is None:
        raise ValueError(message)
    line = _template_line()
    col = 1
    if near:
        text = renderer._lines[line - 1] if 0 < line <= len(renderer._lines) else ""
        quoted = next((q for q in (f"'{near}'", f'"{near}"') if q in text), None)
        col = text.index(quoted) + 2 if quoted else _column_of(renderer._lines, line, near)
    renderer.problems.append(Problem(renderer._source, line, col, message))


@dataclass
class Renderer:
    """Render Markdown sources through sandboxed Jinja, collecting problems and mentions."""

    context: dict[str, Any]
    unavailable: frozenset[str] = frozenset()
    cache: Cache = NO_CACHE
    problems: list[Problem] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    _source: str = ""
    _lines: list[str] = field(default_factory=list)
    _cursor: dict[int, int] = field(default_factory=dict)

    _env: FactEnvironment | None = None

    def __post_init__(self) -> None:
        self.filters: dict[str, Callable[..., str]] = {
            "so": self._so,
            "pct": self._pct,
            "printed": self._printed,
        }

    @property
    def env(self) -> FactEnvironment:
        """The sandboxed Jinja environment, made (and Jinja loaded) when a piece needs it."""
        if self._env is None:
            from .templating import fact_environment

            self._env = fact_environment(self._finalize, self.filters)
        return self._env

    _printed_chars: int = 0
    _line_offset: int = 0  # the lines before the piece of the source being rendered
    _plan_line: int = 0  # the line, in its piece, of the plain figure being printed
    # print plain figures without Jinja's compiler (False: compile every piece)
    plain: ClassVar[bool] = True

    def _finalize(self, value: Any) -> Any:
        size = len(value) if isinstance(value, str) else 0
        self._printed_chars += size
        if self._printed_chars > MAX_SECTION_CHARS:
            raise Refused(
                f"this section would print more than {MAX_SECTION_CHARS:,} characters: "
                "a loop or a repetition without end?".replace(",", "."),
            )
        return value

    # --- filters ------------------------------------------------------------------------
    def _record(self, value: object, text: str, printed: bool = False) -> None:
        if isinstance(value, Fact):
            self.mentions.append(Mention(value.name, text, self._source, _template_line(), printed))

    def _so(self, value: object, decimals: int | None = None, width: int | None = None) -> str:
        if isinstance(value, MissingFact):
            return str(value)
        number = self._checked(value, "so")
        if number is None or not self._places(number, "so", decimals, width):
            return ""
        text = format_number(number, decimals, width)
        self._record(value, text)
        return text

    def _pct(self, value: object, decimals: int | None = None) -> str:
        if isinstance(value, MissingFact):
            return str(value)
        number = self._checked(value, "pct")
        if number is None or not self._places(number, "pct", decimals, None):
            return ""
        text = format_percent(number, decimals)
        self._record(value, text)
        return text

    def _printed(self, value: object, text: str) -> str:
        if isinstance(value, MissingFact):
            return str(value)
        if self._checked(value, "printed") is None:
            return ""
        self._record(value, text, printed=True)
        return text

    def _places(self, number: int | Decimal, what: str, decimals: object, width: object) -> bool:
        """Return True when a filter's decimals and width can be printed; else record why."""
        message = None
        if decimals is not None and not _whole_between(decimals, 0, MAX_DECIMALS_PRINTED):
            message = (
                f"{what}({decimals!r}): the number of decimals must be a whole number from 0 "
                f"to {MAX_DECIMALS_PRINTED}"
            )
        elif width is not None and not _whole_between(width, 1, MAX_WIDTH):
            message = (
                f"{what}: the width must be a whole number from 1 to {MAX_WIDTH}, got {width!r}"
            )
        elif isinstance(number, Decimal) and not number.is_finite():
            message = f"{what}: expected a finite number, got {number}"
        elif number and abs(to_decimal(number)).adjusted() >= MAX_WHOLE_DIGITS:
            message = (
                f"{what}: {number} has more than {MAX_WHOLE_DIGITS} digits before the decimal "
                "mark; vanban prints figures up to that size"
            )
        if message is None:
            return True
        line = _template_line()
        col = _column_of(self._lines, line, f"| {what}")
        self.problems.append(Problem(self._source, line, col, message))
        return False

    def _checked(self, value: object, what: str) -> int | Decimal | None:
        try:
            return _number(value, what)
        except _Skip:
            return None
        except TypeError as exc:
            line = _template_line()
            col = _column_of(self._lines, line, f"| {what}")
            self.problems.append(Problem(self._source, line, col, str(exc)))
            return None

    # --- problems -----------------------------------------------------------------------
    def undefined(self, undefined: RecordingUndefined) -> None:
        if (
            undefined._undefined_obj is missing_object()
            and undefined._undefined_name in self.unavailable
        ):
            return
        line = _template_line()
        start = self._cursor.get(line, 0)
        col = _column_of(self._lines, line, undefined._undefined_name, start)
        self._cursor[line] = col
        message = undefined.undefined_message()
        if undefined._undefined_obj is missing_object():
            message += f" (names: {', '.join(sorted(self.context))})"
        self.problems.append(Problem(self._source, line, col, message))

    def render(self, source: str, text: str) -> str:
        """Render one Markdown source; problems are collected, not raised."""
        self._source = source
        self._lines = text.splitlines()
        self._cursor = {}
        try:
            pieces = self._compiled(source, text)
        except _jinja_error("TemplateSyntaxError") as exc:
            line = exc.lineno or 0
            self.problems.append(Problem(source, line, 1, f"template syntax: {exc.message}"))
            return text
        ACTIVE.append(self)
        self._printed_chars = 0
        deadline = _Deadline(MAX_RENDER_SECONDS)
        try:
            deadline.start()
            parts = []
            for offset, code, piece, after in pieces:
                self._line_offset = offset
                if code is None:  # text alone prints itself
                    self._printed_chars += len(piece)
                    parts += [piece, after]
                    continue
                if isinstance(code, _Plan):
                    self._print_plan(code, parts)
                    parts.append(after)
                    continue
                template = self.env.template_class.from_code(
                    self.env, code, self.env.make_globals(None), None
                )
                for part in template.generate(self.context):
                    self._count(part)
                    parts.append(part)
                parts.append(after)
            return "".join(parts)
        except Refused as exc:
            line = _line_from_traceback(exc) or 1
            col = _column_of(self._lines, line, exc.near) if exc.near else 1
            self.problems.append(Problem(source, line, col, str(exc)))
        except _jinja_error("SecurityError") as exc:
            line = _line_from_traceback(exc)
            self.problems.append(Problem(source, line, 1, f"not allowed in a section: {exc}"))
        except RecursionError as exc:
            line = _line_from_traceback(exc)
            self.problems.append(
                Problem(
                    source,
                    line,
                    1,
                    "macros call each other too deeply: does a macro call itself without end?",
                )
            )
        except _jinja_error("UndefinedError") as exc:
            self.problems.append(Problem(source, _line_from_traceback(exc), 1, str(exc)))
        except (TypeError, ValueError, ArithmeticError) as exc:
            line = _line_from_traceback(exc)
            self.problems.append(Problem(source, line, 1, str(exc)))
        finally:
            deadline.stop()
            ACTIVE.pop()
            self._line_offset = 0
            self._plan_line = 0
        return text

    def _print_plan(self, plan: _Plan, parts: list[str]) -> None:
        """Print a piece of plain figures: what Jinja's code for it does, call by call (the
        names resolved in the context, then the globals; the environment's getattr for each
        key; the filter; finalize; str), with the template line of each figure at hand for
        the filters and the problems.

        The environment is not made for the facts' names and keys that are there: what its
        getattr does with a fact's key (FactTree) is done here, and the filters are the
        renderer's own, so that printing plain figures loads no Jinja."""
        context = self.context
        for literal, line, path, name, args, keywords in plan.figures:
            if literal:
                parts.append(literal)
                self._count(literal)
            self._plan_line = line
            head = path[0]
            value = context[head] if head in context else self.env.globals.get(head, _MISSING)
            if value is _MISSING:
                value = self.env.undefined(name=head)
            for key in path[1:]:
                value = self._key(value, key)
            if name is not None:
                value = self.filters[name](value, *args, **dict(keywords))
            printed = str(self._finalize(value))  # the environment's finalize
            parts.append(printed)
            self._count(printed)
        self._plan_line = 0
        if plan.tail:
            parts.append(plan.tail)
            self._count(plan.tail)

    def _key(self, value: Any, key: str) -> Any:
        """Return value.key as the environment's getattr does."""
        if isinstance(value, FactTree):
            try:
                return value[key]
            except KeyError:
                pass  # the environment's undefined
        return self.env.getattr(value, key)

    def _count(self, part: str) -> None:
        self._printed_chars += len(part)
        if self._printed_chars > MAX_SECTION_CHARS * 2:  # text outside {{ }}
            raise Refused(
                f"this section would print more than {MAX_SECTION_CHARS:,} "
                "characters: a loop without end?".replace(",", ".")
            )

    def _compiled(self, source: str, text: str) -> list[tuple[int, Any, str, str]]:
        """Return the pieces of a source: (lines before the piece, its code or None when it
        is text alone, its text, the text that follows it); raise TemplateSyntaxError for a
        source that does not compile.

        A source with no statements and no comments ({% %}, {# #}) is compiled paragraph by
        paragraph: pieces that print only text and figures, one after the other, print what
        the whole source prints. The codes of a file's pieces are kept together in the cache
        under its name, found again by their text, so that an edit compiles the paragraph it
        changed (and the cache holds one entry per file, not one per paragraph). Any other
        source is compiled whole.
        """
        paragraphs = _paragraphs(text)
        if paragraphs is not None:
            plans = {}
            if self.plain:
                plans = {part: plan for _, part, _ in paragraphs if (plan := _plain(part))}
            key = source.encode("utf-8")
            known = self.cache.get(_PIECES_KIND, key)
            known = known if isinstance(known, dict) else {}
            codes: dict[str, bytes] = {}
            try:
                for _, part, _ in paragraphs:
                    if "{{" in part and part not in codes and part not in plans:
                        code = known.get(part)
                        codes[part] = code or marshal.dumps(self.env.compile(part))
            except _jinja_error("TemplateSyntaxError"):
                pass  # a tag across paragraphs: compiled whole, which says where
            else:
                if codes.keys() != known.keys():
                    self.cache.put(_PIECES_KIND, key, codes)
                return [
                    (
                        line,
                        plans.get(part) or (marshal.loads(codes[part]) if part in codes else None),
                        part,
                        after,
                    )
                    for line, part, after in paragraphs
                ]
        elif self.plain and (plan := _plain(text)):
            return [(0, plan, text, "")]
        kind = "jinja-" + _JINJA_KIND
        code = self.cache.code(kind, text.encode("utf-8"), partial(self.env.compile, text))
        return [(0, code, text, "")]


class _Deadline:
    """Raise Refused in the rendering after `seconds` of wall time (SIGALRM: on the main
    thread of a POSIX process; elsewhere there is no deadline)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.previous: Any = None
        self.armed = False

    def _expired(self, signum: int, frame: Any) -> None:
        raise Refused(f"this section takes more than {self.seconds} s {TOO_LONG}")

    def start(self) -> None:
        if (
            not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()
        ):
            return
        if signal.getitimer(signal.ITIMER_REAL)[0]:
            return  # somebody else's timer runs: leave it alone
        self.previous = signal.signal(signal.SIGALRM, self._expired)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        self.armed = True

    def stop(self) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
            self.armed = False


_BREAK = re.compile(r"\n{2,}")
# What may carry state or text from one paragraph to the next: statements and comments
# (whitespace control at a paragraph's edge, `{{-` or `-}}`, is looked for in _paragraphs).
_ACROSS = ("{%", "{#")
_PIECES = 2  # fewer paragraphs than this: compiled whole


def _paragraphs(text: str) -> list[tuple[int, str, str]] | None:
    """Return the paragraphs of a source as (lines before it, its text, the blank lines after
    it), or None when the source must be compiled whole."""
    if any(mark in text for mark in _ACROSS):
        return None
    found = []
    start = line = 0
    for match in _BREAK.finditer(text):
        found.append((line, text[start : match.start()], match.group()))
        line += text.count("\n", start, match.end())
        start = match.end()
    found.append((line, text[start:], ""))
    if len(found) < _PIECES or any(
        part.lstrip().startswith("{{-") or part.rstrip().endswith("-}}") for _, part, _ in found
    ):
        return None
    return found


# A plain figure: a name with keys, `{{ a.b.c }}`, printed through at most one filter with
# literal arguments, `{{ a.b | so }}`, `{{ a.b | so(1, width=2) }}`, `{{ a | printed("1,5") }}`,
# on one line. A piece made of text and plain figures alone is printed without compiling it.
_IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_]*"
_LITERAL = r"-?(?:0|[1-9][0-9]{0,8})|\"[^\"\\{}\n\r]*\"|'[^'\\{}\n\r]*'"
_ARGUMENT = re.compile(rf"[ \t]*(?:({_IDENTIFIER})[ \t]*=[ \t]*)?({_LITERAL})[ \t]*")
_PLAIN = re.compile(
    rf"\{{\{{[ \t]*({_IDENTIFIER}(?:[ \t]*\.[ \t]*{_IDENTIFIER})*)[ \t]*"
    rf"(?:\|[ \t]*(so|pct|printed)[ \t]*(?:\(([^()\n\r]*)\))?[ \t]*)?\}}\}}"
)
# Names Jinja reads as something else than a variable at the top of a template.
_NOT_VARIABLES = frozenset(
    "true false none True False None not and or in is if else self loop caller varargs "
    "kwargs super".split()
)
_MISSING = object()


@dataclass(frozen=True)
class _Plan:
    """A piece of text and plain figures: for each figure, the text before it, its line in
    the piece, its name and keys, its filter (or None), the filter's arguments and keywords;
    then the text after the last figure."""

    figures: tuple[
        tuple[str, int, tuple[str, ...], str | None, tuple[Any, ...], tuple[Any, ...]], ...
    ]
    tail: str


def _plain(text: str) -> _Plan | None:
    """Return the plan of a piece made of text and plain figures alone, or None (it is then
    compiled by Jinja): no statement, no comment, nothing else between `{{ }}`."""
    if "\r" in text or "{{" not in text or any(mark in text for mark in _ACROSS):
        return None
    figures = []
    start = 0
    line = 1
    for match in _PLAIN.finditer(text):
        literal = text[start : match.start()]
        if "{{" in literal:
            return None
        line += literal.count("\n")
        path = tuple(key.strip() for key in match.group(1).split("."))
        if path[0] in _NOT_VARIABLES:
            return None
        arguments = _arguments(match.group(3)) if match.group(3) is not None else ((), ())
        if arguments is None:
            return None
        figures.append((literal, line, path, match.group(2), *arguments))
        start = match.end()
    tail = text[start:]
    if not figures or "{{" in tail:
        return None
    return _Plan(tuple(figures), tail)


def _arguments(text: str) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
    """Return the literal arguments and keywords of a filter's call, or None for what Jinja
    reads otherwise (a positional argument after a keyword, a keyword given twice)."""
    args: list[Any] = []
    keywords: dict[str, Any] = {}
    if not text.strip():
        return (), ()
    at = 0
    while True:
        match = _ARGUMENT.match(text, at)
        if match is None:
            return None
        keyword, literal = match.groups()
        value = literal[1:-1] if literal[0] in "\"'" else int(literal)
        if keyword is None:
            if keywords:
                return None
            args.append(value)
        elif keyword in keywords or keyword in _NOT_VARIABLES:
            return None
        else:
            keywords[keyword] = value
        at = match.end()
        if at == len(text):
            break
        if text[at] != ",":
            return None
        at += 1
    return tuple(args), tuple(keywords.items())


# Part of the cache key of compiled templates: changes when the environment's settings do.
_JINJA_KIND = "immutable-sandboxed-strict-unoptimized-bounded-3"
_PIECES_KIND = "jinja-pieces-" + _JINJA_KIND


def _template_line() -> int:
    """Return the template line being rendered, from the Jinja frame on the stack.

    As Jinja's get_corresponding_lineno, but its debug info is parsed once per template,
    not at every figure printed (which made rendering quadratic in the template's size).
    A plain figure being printed has its line at hand (no Jinja frame is on the stack).
    """
    line = _plan_line()
    if line:
        return line
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == "<template>":
            template = frame.f_globals.get("__jinja_template__")
            if template is not None:
                lines = template.__dict__.get("_vanban_lines")
                if lines is None:
                    pairs = template.debug_info  # (template line, code line), by code line
                    lines = ([code for _, code in pairs], [line for line, _ in pairs])
                    if lines[0] != sorted(lines[0]):  # never so in Jinja's code: then its way
                        lines = ()
                    template._vanban_lines = lines
                if not lines:
                    return _offset() + int(template.get_corresponding_lineno(frame.f_lineno))
                at = bisect.bisect_right(lines[0], frame.f_lineno)
                return _offset() + (int(lines[1][at - 1]) if at else 1)
        frame = frame.f_back  # type: ignore[assignment]
    return 0


def _plan_line() -> int:
    """Return the source line of the plain figure being printed, or 0."""
    renderer = _current_renderer()
    if renderer is None or not renderer._plan_line:
        return 0
    return renderer._line_offset + renderer._plan_line


def _offset() -> int:
    """Return the lines of the source before the piece being rendered."""
    renderer = _current_renderer()
    return renderer._line_offset if renderer is not None else 0


def _line_from_traceback(exc: BaseException) -> int:
    tb = exc.__traceback__
    line = 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            debug = tb.tb_frame.f_globals.get("__jinja_template__")
            # Jinja rewrites the traceback: its frames then carry the template's own lines.
            line = int(debug.get_corresponding_lineno(tb.tb_lineno)) if debug else tb.tb_lineno
            line += _offset()
        tb = tb.tb_next
    return line or _plan_line()


def missing_object() -> object:
    from jinja2.utils import missing

    return missing


def _column_of(lines: list[str], line: int, name: object, start: int = 0) -> int:
    if 0 < line <= len(lines) and isinstance(name, str):
        found = lines[line - 1].find(name, start)
        if found >= 0:
            return found + 1
    return 1


# --- footnotes --------------------------------------------------------------------------

_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:")
_REFERENCE = re.compile(r"\[\^([^\]\s]+)\]")


@dataclass(frozen=True)
class Place:
    source: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.col}"


@dataclass
class FootnoteIndex:
    """Where each footnote is defined and referenced, in source order."""

    definitions: dict[str, Place] = field(default_factory=dict)
    references: list[tuple[str, Place, str | None]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def scan(self, source: str, text: str) -> None:
        """Record the footnote definitions and references of one Markdown source."""
        inside: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            offset = 0
            match = _DEFINITION.match(line)
            if match:
                name = match.group(1)
                inside = name
                offset = match.end()
                place = Place(source, number, 1)
                if name in self.definitions:
                    first = self.definitions[name]
                    self.problems.append(
                        Problem(
                            source,
                            number,
                            1,
                            f"footnote [^{name}] is defined twice (first at {first})",
                        )
                    )
                else:
                    self.definitions[name] = place
            elif inside and not (line.startswith("    ") or line.startswith("\t") or not line):
                inside = None
            for ref in _REFERENCE.finditer(line, offset):
                self.references.append(
                    (ref.group(1), Place(source, number, ref.start() + 1), inside)
                )

    def check(self) -> list[Problem]:
        """Return every footnote trap: twice referenced, nested, unused, undefined."""
        problems = list(self.problems)
        seen: dict[str, Place] = {}
        for name, place, inside in self.references:
            if inside is not None:
                problems.append(
                    Problem(
                        place.source,
                        place.line,
                        place.col,
                        f"footnote reference [^{name}] inside the text of footnote [^{inside}]: "
                        "pandoc drops it silently; move it into the body text or write the "
                        "citation out",
                    )
                )
                continue
            if name in seen:
                problems.append(
                    Problem(
                        place.source,
                        place.line,
                        place.col,
                        f"footnote [^{name}] is referenced a second time (first at {seen[name]}): "
                        "pandoc would print two notes with the same text; reference each note once",
                    )
                )
                continue
            seen[name] = place
            if name not in self.definitions:
                problems.append(
                    Problem(
                        place.source,
                        place.line,
                        place.col,
                        f"footnote [^{name}] is referenced but never defined",
                    )
                )
        for name, place in self.definitions.items():
            if name not in seen:
                problems.append(
                    Problem(
                        place.source,
                        place.line,
                        place.col,
                        f"footnote [^{name}] is defined but never referenced",
                    )
                )
        problems.sort(key=lambda p: (p.path, p.line, p.col))
        return problems

    def order(self) -> list[str]:
        """Return footnote names in order of first reference from the body."""
        names: list[str] = []
        for name, _place, inside in self.references:
            if inside is None and name not in names:
                names.append(name)
        return names


def render_narrative(
    sources: list[tuple[str, Path]],
    context: dict[str, Any],
    unavailable: frozenset[str] = frozenset(),
    cache: Cache = NO_CACHE,
    headings: str | Sequence[str] = DEFAULT_SCHEME,
    context_key: bytes | None = None,
    attached: Sequence[tuple[str, str, Path, Sequence[str]]] = (),
) -> tuple[Narrative, list[Problem]]:
    """Render every content file with the facts, and check the footnotes across them;
    headings are numbered in the given scheme.

    Names in `unavailable` belong to data files that failed to load: their uses are not
    reported again. With context_key (what the context is made from: the facts' files, the
    metadata, the appendices' declaration), each file's rendering is kept in the cache by
    it and the file's name and text: a file renders alone (a section cannot change what
    another reads), so an edit renders the file it changed.

    attached: the appendices' own texts, (name, display, path, heading scheme) each: rendered
    with the same context, their footnotes their own, their headings numbered in their
    scheme from the start (an attached Quy chế's articles begin at Điều 1).
    """
    renderer = Renderer(context, unavailable, cache)
    index = FootnoteIndex()
    shared = shared_key(context_key) if context_key is not None else None
    parts = _render_files(renderer, index, sources, shared)
    problems = renderer.problems + index.check()
    markdown = apply_conventions("\n\n".join(parts) + "\n", headings)
    sections = _sections(parts, markdown, headings)
    texts = []
    for name, display, path, scheme in attached:
        own = FootnoteIndex()
        before = len(renderer.problems)
        rendered = _render_files(renderer, own, [(display, path)], shared)
        problems += renderer.problems[before:] + own.check()
        if rendered:
            text = apply_conventions(rendered[0] + "\n", scheme)
            levels = scheme_levels(scheme)
            texts.append(AttachedText(name, display, text, levels, tuple(own.order())))
    narrative = Narrative(
        markdown,
        tuple(index.order()),
        tuple(renderer.mentions),
        sections,
        scheme_levels(headings),
        tuple(texts),
    )
    return narrative, problems


def _render_files(
    renderer: Renderer,
    index: FootnoteIndex,
    sources: Sequence[tuple[str, Path]],
    shared: bytes | None,
) -> list[str]:
    """Render each source, its footnotes recorded in index; return their Markdown."""
    parts = []
    for display, path in sources:
        try:
            text = path.read_text(encoding="utf-8-sig")  # a byte order mark is not text
        except UnicodeDecodeError as exc:
            renderer.problems.append(
                Problem(display, 0, 0, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
            )
            continue
        index.scan(display, text)
        key = None
        if shared is not None:
            key = b"\0".join([shared, display.encode(), text.encode()])
        kept = renderer.cache.get("rendered-file", key) if key is not None else None
        if isinstance(kept, tuple) and len(kept) == 3:
            rendered, found, mentioned = kept
            renderer.problems += found
            renderer.mentions += mentioned
        else:
            problems_before, mentions_before = len(renderer.problems), len(renderer.mentions)
            rendered = renderer.render(display, text)
            found = renderer.problems[problems_before:]
            if key is not None and not ran_out_of_time(p.message for p in found):
                renderer.cache.put(
                    "rendered-file", key, (rendered, found, renderer.mentions[mentions_before:])
                )
        parts.append(rendered.strip("\n"))
    return parts


_SECTION_BREAK = "\n\n<!-- vanban: next content file -->\n\n"


def _sections(
    parts: list[str], markdown: str, headings: str | Sequence[str] = DEFAULT_SCHEME
) -> tuple[str, ...]:
    """Return the markdown of each content file after the conventions (which number
    headings across files), found by running them once more with a mark between files."""
    if len(parts) < 2 or any(_SECTION_BREAK.strip() in part for part in parts):
        return (markdown,)
    marked = apply_conventions(_SECTION_BREAK.join(parts) + "\n", headings).split(_SECTION_BREAK)
    return tuple(marked) if "\n\n".join(marked) == markdown else (markdown,)
