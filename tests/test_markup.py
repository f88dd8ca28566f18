"""Markdown text as pandoc reads it: a paragraph's first word escaped where it would begin a
block, each case read by pandoc itself; a grid table's widths in printed characters."""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from vanban.markup import (
    begins_block,
    block_start,
    char_at,
    index_at,
    padded,
    printed_width,
    wrap,
    wrap_units,
)
from vanban.pandoc import MARKDOWN
from vanban.pandoc_command import pandoc_path

# A paragraph's text as typed, what pandoc reads it as unescaped; each a block but the Para.
CASES = [
    ("- foo", "BulletList"),
    ("-\tfoo", "BulletList"),  # a tab after the mark
    ("-", "BulletList"),
    ("+ x", "BulletList"),
    ("* x", "BulletList"),
    ("   - x", "BulletList"),  # three spaces before
    ("    - x", "CodeBlock"),  # four: code, the spaces go
    ("\t- x", "CodeBlock"),  # a tab before: four columns
    ("  \t1. x", "CodeBlock"),
    ("# foo", "Header"),
    ("#\tfoo", "Header"),
    ("#", "Header"),
    ("####### x", "Header"),
    (" # x", "Para"),  # a space before "#": no heading
    ("#foo", "Para"),
    ("#. foo", "OrderedList"),
    ("#) foo", "OrderedList"),
    ("> foo", "BlockQuote"),
    (">foo", "BlockQuote"),
    (" > foo", "BlockQuote"),
    ("___", "HorizontalRule"),
    ("_ _ _", "HorizontalRule"),
    ("* * *", "HorizontalRule"),
    ("- - -", "HorizontalRule"),
    ("-- -", "HorizontalRule"),
    ("-- x", "Para"),
    ("-x", "Para"),
    ("=== x", "Para"),  # "=" begins no block at a paragraph's start
    ("===", "Para"),
    ("1. x", "OrderedList"),
    ("1.\tx", "OrderedList"),
    ("1) x", "OrderedList"),
    ("2024. x", "OrderedList"),
    ("0. x", "OrderedList"),
    ("10)", "OrderedList"),
    ("1.5 x", "Para"),
    ("1.x", "Para"),
    ("a) x", "OrderedList"),
    ("x. y", "OrderedList"),
    ("A. x", "Para"),  # an initial: a capital's list wants two spaces
    ("A.  x", "OrderedList"),
    ("A.\tx", "OrderedList"),
    ("A.", "OrderedList"),
    ("B) x", "OrderedList"),
    ("I. x", "Para"),
    ("IV. x", "OrderedList"),
    ("iv. x", "OrderedList"),
    ("ii) x", "OrderedList"),
    ("mi) x", "OrderedList"),
    ("Vi. x", "Para"),
    ("xyz) x", "Para"),
    ("(1) x", "OrderedList"),
    ("(12) x", "OrderedList"),
    ("(a) x", "OrderedList"),
    ("(A) x", "OrderedList"),
    ("(iv) x", "OrderedList"),
    ("(#) x", "OrderedList"),
    ("(@) x", "OrderedList"),
    ("@. x", "OrderedList"),
    ("| x", "LineBlock"),
    ("|", "LineBlock"),
    ("|x", "Para"),
    ("::: x", "Div"),
    ("::::: x", "Div"),
    ("=", "Para"),
    (": x", "Para"),
    ("~ x", "Para"),
]
# A fence of code begins a block when another closes it further on.
FENCES = [("``` x", "CodeBlock"), ("~~~ x", "CodeBlock")]


def read(markdown: str) -> list[dict]:
    command = [pandoc_path(), "--from", MARKDOWN, "--to", "json"]
    done = subprocess.run(command, input=markdown, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)["blocks"]


def printed(block: dict) -> str:
    pieces = {"Str": lambda c: c, "Space": lambda c: " ", "SoftBreak": lambda c: " "}
    return "".join(pieces[i["t"]](i.get("c")) for i in block["c"])


@pytest.fixture(scope="module")
def readings() -> dict[str, tuple[list[dict], list[dict]]]:
    """Each case read by pandoc as typed and as block_start writes it."""

    def both(case: str, after: str = "") -> tuple[list[dict], list[dict]]:
        return read(case + after), read(block_start(case) + after)

    typed = [c for c, _ in CASES]
    fences = [c for c, _ in FENCES]
    with ThreadPoolExecutor(4) as pool:
        plain = dict(zip(typed, pool.map(both, typed), strict=True))
        fenced = pool.map(lambda c: both(c, "\n\ny\n\n" + c[:3]), fences)
        return plain | dict(zip(fences, fenced, strict=True))


@pytest.mark.parametrize(("typed", "read_as"), CASES + FENCES, ids=[c for c, _ in CASES + FENCES])
def test_a_paragraph_s_first_word_prints_as_typed_and_is_escaped_only_where_it_must(
    readings, typed, read_as
):
    before, after = readings[typed]
    assert before[0]["t"] == read_as  # pandoc reads it so as typed
    assert after[0]["t"] == "Para"
    assert printed(after[0]) == " ".join(typed.split())
    if read_as == "Para":
        assert block_start(typed) == typed  # nothing escaped that needs no escape


def test_the_escapes_written():
    assert [block_start(t) for t in ("- x", "-\tx", "1. x", "a) x", "(2) x", "# x", "> x")] == [
        "\\- x",
        "\\-\tx",
        "1\\. x",
        "a\\) x",
        "(2\\) x",
        "\\# x",
        "\\> x",
    ]
    assert block_start("   - x") == "   \\- x"  # up to three spaces before stay
    assert block_start("\t- x") == "\\- x"  # four columns go: they would make code
    assert block_start("\\- x") == "\\- x"  # escaped already


def test_a_word_that_would_begin_a_block_at_a_wrapped_line_s_start_stays_on_the_line_before():
    assert [begins_block(w) for w in ("-", "=", "==", "---", ":", "~", "1.", "#", "x", "A.")] == [
        True, True, True, True, True, True, True, True, False, False,
    ]  # fmt: skip
    assert wrap_units("Tổng số - 5 và = 3") == ["Tổng", "số -", "5", "và =", "3"]
    assert wrap_units("số\u00a0\u00a0\u00a0/QĐ") == ["số\u00a0\u00a0\u00a0/QĐ"]  # a blank stays
    assert wrap(["Kiểm", "tra", "định", "kỳ"], 9) == ["Kiểm tra", "định kỳ"]


def test_widths_and_places_are_counted_in_printed_characters():
    # x̄: x and a combining macron, one character; 年: two
    line = "| x\u0304 年年 |"
    assert (printed_width(line), len(line)) == (10, 9)
    assert [char_at(line, k) for k in (0, 2, 4, 6, 9)] == ["|", "x", "年", "年", "|"]
    assert index_at(line, 5) is None  # inside 年
    assert index_at(line, 9) == len(line) - 1 and index_at(line, 10) == len(line)
    assert padded("年", 4) == "年  "
