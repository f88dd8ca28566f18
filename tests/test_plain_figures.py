"""Plain figures (`{{ a.b | so }}` and the like) are printed without Jinja's compiler, with
what Jinja's code prints: the same text, the same problems at the same places, the same
mentions. Each case renders both ways and compares."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from vanban.narrative import FactTree, Renderer, _plain
from vanban.pipeline import gather
from vanban.project import open_project

REPORTS = [REPO, *sorted(p for p in (REPO / "examples").iterdir() if (p / "content").is_dir())]


def _both(context: dict, source: str, text: str) -> tuple[tuple, tuple]:
    """Render a text with plain figures printed directly and with every piece compiled."""
    results = []
    for plain in (True, False):
        renderer = Renderer(dict(context))
        renderer.plain = plain
        rendered = renderer.render(source, text)
        results.append((rendered, renderer.problems, renderer.mentions))
    return results[0], results[1]


@pytest.mark.parametrize("root", REPORTS, ids=lambda p: p.name)
def test_every_real_section_renders_as_jinja_renders_it(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = []
    for plain in (True, False):
        monkeypatch.setattr(Renderer, "plain", plain)
        sources = gather(open_project(root))
        narrative = sources.narrative
        results.append((narrative.markdown, narrative.mentions, narrative.footnotes))
    assert results[0] == results[1]


def test_most_figures_of_the_reference_report_are_plain() -> None:
    paragraphs = [
        part
        for path in sorted((REPO / "content").glob("*.md"))
        for part in path.read_text(encoding="utf-8").split("\n\n")
        if "{{" in part
    ]
    plain = [part for part in paragraphs if _plain(part)]
    assert len(plain) >= 0.9 * len(paragraphs)


TREE = {
    "von": {"a": 1234567, "b": Decimal("12.345"), "c": "một văn bản", "d": {"e": 5}, "t": True},
    "n": 42,
}
NAMES = st.sampled_from(
    ["von", "von.a", "von.b", "von.c", "von.d", "von.d.e", "von.t", "von.x", "n", "n.a", "x",
     "x.y", "von . a", "range", "von.items", "von.__class__", "n.real", "document.period"]
)  # fmt: skip
FILTERS = st.sampled_from(
    ["", " | so", " | pct", "|so(1)", " | so(2, width=3)", " | so(width=2)", " | pct(1)",
     ' | printed("1.234.567")', " | printed('507, 7')", " | so(decimals=-1)", " | so(13)",
     " | so(1, decimals=2)", " | pct(width=2)", " | so(1, 2, 3)", " | printed()",
     " | printed(1)", " | so(width=0)", " | so()", " | so(x=1)"]
)  # fmt: skip
TEXTS = st.sampled_from(["", "Năm ", " đồng", "\n", "\n\n", " }} ", "a}b", "tỷ lệ: ", "{ "])


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        parts.append(draw(TEXTS))
        name, shown = draw(NAMES), draw(FILTERS)
        parts.append(f"{{{{ {name}{shown} }}}}")
    parts.append(draw(TEXTS))
    return "".join(parts)


@given(paragraphs())
@settings(max_examples=300, deadline=None)
def test_generated_figures_render_as_jinja_renders_them(text: str) -> None:
    context = {"von": FactTree(TREE["von"], "von"), "n": TREE["n"], "document": {"period": "2024"}}
    plain, compiled = _both(context, "content/01.md", "Mở đầu.\n\n" + text + "\n\nKết.\n")
    assert plain == compiled


@pytest.mark.parametrize(
    "text",
    [
        "{{ a | so }}",
        "{{ von.a|so }} và {{ von.b | pct(1) }}",
        '{{ von.a | printed("1,5") }}',
        "{{ von . a }}",
    ],
)
def test_plain_figures_have_a_plan(text: str) -> None:
    assert _plain(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "no figure",
        "{{ a + 1 }}",
        "{{ a | so | pct }}",
        "{{ a | so(1 + 1) }}",
        "{{ a | so(width=1, width=2) }}",
        "{{ a | so(width=1, 2) }}",
        "{{ a | upper }}",
        "{{- a }}",
        "{{ a }} and {{ b(1) }}",
        "{{ true }}",
        "{{ self }}",
        "{{ a\n| so }}",
        "{{ a | printed('x\\'y') }}",
        "{{ a }}\r\n",
        "{{ đ }}",
        "{{ a | so(1,) }}",
        '{{ a | printed("{{") }}',
        "{% if a %}{{ a | so }}{% endif %}",
        "{{ a | so }} {# a comment #}",
    ],
)
def test_other_expressions_are_compiled(text: str) -> None:
    assert _plain(text) is None
