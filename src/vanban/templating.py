"""The sandboxed Jinja a section's template runs in.

Loaded when a section needs it: a section made of text and plain figures is printed
without Jinja (vanban.narrative), so that an edit of such a section loads no template
engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import BaseLoader, StrictUndefined, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .rendered import (
    MAX_POWER_BITS,
    MAX_SECTION_CHARS,
    FactTree,
    Refused,
    current_renderer,
    size_of,
)


class NoFiles(BaseLoader):
    """The loader of sections: every include, import, extends and from is refused."""

    def get_source(self, environment: Any, template: str) -> Any:
        raise Refused(
            f"a section cannot include, import or extend another file ('{template}'): write "
            "the text in this section, or in a section of its own (content/*.md are joined in "
            "order), and define macros in the section that uses them",
            near=template,
        )


class FactEnvironment(ImmutableSandboxedEnvironment):
    """Sandboxed Jinja where `x.key` on facts means the data's key, never a method, and
    Python's internals, changing a list or a mapping (what one section reads is what every
    section reads), other files and unbounded output are refused with a located error."""

    intercepted_binops = frozenset({"*", "**"})

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, FactTree):
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        raise Refused(
            f"'{attribute}' is not available in a section: a template reads the facts and "
            "calls the filters (so, pct, printed), not Python's internals",
            near=attribute,
        )

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for part, times in ((left, right), (right, left)):
                size = size_of(part)
                if size is not None and isinstance(times, int) and size * times > MAX_SECTION_CHARS:
                    what = "a text of" if isinstance(part, str) else "a list of"
                    raise Refused(
                        f"'*' would make {what} {size * times:,} items: a section prints at "
                        f"most {MAX_SECTION_CHARS:,} characters".replace(",", "."),
                        near="*",
                    )
        if (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and right > 0
            and abs(left) > 1
            and left.bit_length() * right > MAX_POWER_BITS
        ):
            raise Refused(
                f"{left} ** {right} is too large a number to compute (more than "
                f"{MAX_POWER_BITS:,} binary digits)".replace(",", "."),
                near="**",
            )
        return super().call_binop(context, operator, left, right)


class RecordingUndefined(StrictUndefined):
    """Undefined that records where it was printed, so every undefined name is reported."""

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
        if current_renderer() is not None:
            return self
        return super()._fail_with_undefined_error(*args, **kwargs)

    def __str__(self) -> str:  # type: ignore[override]
        renderer = current_renderer()
        if renderer is None:
            return str(super()._fail_with_undefined_error())
        renderer.undefined(self)
        return ""

    __iter__ = StrictUndefined._fail_with_undefined_error  # type: ignore[assignment]

    def undefined_message(self) -> str:
        obj = self._undefined_obj
        name = self._undefined_name
        if isinstance(obj, FactTree):
            keys = ", ".join(list(obj)[:12])
            return f"undefined: {obj.dotted_name} has no key {name!r} (it has: {keys})"
        if self._undefined_hint:
            return f"undefined: {self._undefined_hint}"
        return f"undefined name {name!r}"


def fact_environment(
    finalize: Callable[[Any], Any], filters: Mapping[str, Callable[..., str]]
) -> FactEnvironment:
    """Return the environment sections are rendered in, with these filters and finalize."""
    environment = FactEnvironment(
        undefined=RecordingUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        optimized=False,  # constant folding costs more than it saves on prose
        loader=NoFiles(),
        finalize=finalize,
    )
    environment.filters.update(filters)
    return environment
