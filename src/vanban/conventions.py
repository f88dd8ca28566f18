"""ND30 body conventions applied to the rendered Markdown before pandoc reads it.

- Headings are numbered by level in the document's scheme (`headings:` in
  data/document.yaml), restarting below each higher level; no number is ever typed:
  roman "I." / "1." / "a)"; decimal "1." / "1.1." / "1.1.1."; legal "Điều 1." (numbered
  through the whole document) / "1." / "a)".
- Numbered items that are not headings are written "#. …" (nested "  #. …"): they print
  "1. …", "2. …" (nested "a) …") as body paragraphs, restarting after every heading.
- A heading with the class `run-in` is merged with the paragraph that follows it: the
  numbered title in bold, then the text ("2. Công tác điều hành …: Các cấp …").
- List items ("- …", nested "+ …") become plain paragraphs that begin with the dash, as in
  ND30 practice, not Word lists with bullets and hanging indents.

This is a line-level pass over the Markdown subset reports use (ATX headings, paragraphs,
bullet items, footnote definitions); fenced code is left alone. It replaces a pandoc Lua
filter that did the same on the document tree at a quarter of pandoc's run time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip

# A heading may have no title of its own: "# {.run-in}" prints "Điều 1." before its paragraph.
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:(?:^|(?<=[ \t]))\{([^}]*)\})?[ \t]*$")
_ITEM = re.compile(r"^( *)[-+*][ \t]+(.*)$")
_FENCE = re.compile(r"^(```|~~~)")
_DIV_FENCE = re.compile(r"^:::+[ \t]*$")  # the end of a fenced div, which ends its block
_NUMBERED = re.compile(r"^( *)#\.[ \t]+(.*)$")
_DIV_OPEN = re.compile(r"^:::+[ \t]*(\{[^}]*\}|[\w-]+)[ \t]*:*[ \t]*$")  # a fenced div starts

# A fenced div `::: landscape` (or `::: {.landscape}`) … `:::` of the text prints on pages
# turned to landscape (ND30 Phụ lục I, I.2: a text whose tables are not made appendices may
# be laid out across the page): its fences become these paragraphs, which the assembly
# replaces by the section breaks around it.
LANDSCAPE_START = "VANBANLANDSCAPE:start"
LANDSCAPE_END = "VANBANLANDSCAPE:end"


def _opens_landscape(attributes: str) -> bool:
    words = attributes.strip("{}").lower().split()
    return "landscape" in words or ".landscape" in words


def landscape_fences(text: str) -> list[tuple[int, str]]:
    """Return (line, problem) for each landscape div of a Markdown text that does not
    close, or opens inside another; fenced code is skipped."""
    problems = []
    divs: list[tuple[int, bool]] = []  # each open div: its line, whether landscape
    fenced = False
    for number, line in enumerate(text.split("\n"), start=1):
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or not line.startswith(":::"):
            continue
        opening = _DIV_OPEN.match(line)
        if opening:
            landscape = _opens_landscape(opening.group(1))
            if landscape and any(inside for _, inside in divs):
                problems.append((number, "a landscape section inside another: close the first"))
            divs.append((number, landscape))
        elif _DIV_FENCE.match(line) and divs:
            divs.pop()
        elif _DIV_FENCE.match(line):
            problems.append((number, 'a ":::" that closes no section: it would print as text'))
    problems += [
        (number, 'a landscape section not closed: end it with a line ":::"')
        for number, landscape in divs
        if landscape
    ]
    return sorted(problems)


# The kinds of heading level a scheme is made of, and what each prints (ND30 Phụ lục I, II.6.đ
# and the Mục V table, rows 6a and 6b).
LEVEL_KINDS = {
    "part": "Phần I",  # on its own line, centred, the title under it in capitals
    "chapter": "Chương I",
    "section": "Mục 1",
    "subsection": "Tiểu mục 1",
    "article": "Điều 1.",  # numbered through the whole document
    "roman": "I.",
    "number": "1.",
    "decimal": "1.1.",  # the number of the level above, then its own
    "letter": "a)",
}
# Levels printed as a line of their own, centred, over their title in capitals.
CENTRED_KINDS = frozenset({"part", "chapter", "section", "subsection"})
# Levels printed bold; the others ("a)") upright and not bold.
BOLD_KINDS = CENTRED_KINDS | {"article", "roman", "number", "decimal"}
# Levels whose title prints in capitals however it is typed: "I. KẾT QUẢ" (ND30 Mục V, 6b).
CAPS_KINDS = frozenset({"roman"})
SCHEMES = {
    "roman": ("roman", "number", "letter"),
    "decimal": ("number", "decimal", "decimal"),
    "legal": ("article", "number", "letter"),
}
DEFAULT_SCHEME = "roman"
MAX_LEVELS = 6  # #, ##, … ######
# The custom character style of a centred level's title: capitals (w:caps), bold.
TITLE_STYLE = "Heading Title"
_LINE_BREAK = "`<w:r><w:br/></w:r>`{=openxml}"


# ND30's order of the levels (Mục V, 6a and 6b): each level of a scheme ranks below the one
# above it; a Điều and a Roman "I." are both the first level of their system, and 1.1. and
# a) may repeat (1.1.1., a point's own points).
_RANKS = {
    "part": 0,
    "chapter": 1,
    "section": 2,
    "subsection": 3,
    "article": 4,
    "roman": 4,
    "number": 5,
    "decimal": 6,
    "letter": 7,
}
_REPEATABLE = frozenset({"decimal", "letter"})
SCHEME_ORDER = (
    "part, chapter, section, subsection, article or roman, number, decimal, letter; "
    "decimal and letter may repeat"
)


def misordered(kinds: Sequence[object]) -> list[tuple[int, str]]:
    """Return (index, message) for each level of a scheme that does not rank below the one
    above it in ND30's order (kinds that are no level are left to their own check)."""
    found = []
    for index in range(1, len(kinds)):
        above, kind = kinds[index - 1], kinds[index]
        if above not in _RANKS or kind not in _RANKS:
            continue
        rank, over = _RANKS[str(kind)], _RANKS[str(above)]
        if rank < over or (rank == over and (kind != above or kind not in _REPEATABLE)):
            found.append(
                (index, f"{kind} under {above}: the levels go in ND30's order ({SCHEME_ORDER})")
            )
    return found


def scheme_levels(scheme: str | Sequence[str]) -> tuple[str, ...]:
    """Return the level kinds of a scheme: a scheme's name or its list of levels."""
    return SCHEMES[scheme] if isinstance(scheme, str) else tuple(scheme)


def roman(number: int) -> str:
    """Return number in Roman numerals: 4 -> "IV"."""
    out = []
    for value, letters in _ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def letter(number: int) -> str:
    """Return the Vietnamese letter of a "điểm": 1 -> "a", 5 -> "đ", 24 -> "aa"."""
    count = len(LETTERS)
    prefix = LETTERS[(number - 1) // count - 1] if number > count else ""
    return prefix + LETTERS[(number - 1) % count]


class HeadingNumbers:
    """The labels of a scheme's headings in document order."""

    def __init__(self, scheme: str | Sequence[str] = DEFAULT_SCHEME) -> None:
        self.kinds = scheme_levels(scheme)
        self.counters = [0] * len(self.kinds)

    def next(self, level: int) -> str:
        """Return the label of the next heading at level (1 for #)."""
        self.counters[level - 1] += 1
        # Each level restarts below its parent; an Điều is numbered through the document.
        for deeper in range(level, len(self.counters)):
            if self.kinds[deeper] != "article":
                self.counters[deeper] = 0
        kind, number = self.kinds[level - 1], self.counters[level - 1]
        if kind == "decimal":
            chain = [number]
            for above in range(level - 2, -1, -1):
                if self.kinds[above] not in ("number", "decimal"):
                    break
                chain.append(self.counters[above])
            return ".".join(str(n) for n in reversed(chain)) + "."
        return {
            "part": f"Phần {roman(number)}",
            "chapter": f"Chương {roman(number)}",
            "section": f"Mục {number}",
            "subsection": f"Tiểu mục {number}",
            "article": f"Điều {number}.",
            "roman": f"{roman(number)}.",
            "number": f"{number}.",
        }.get(kind, f"{letter(number)})")

    def run_in(self, level: int, title: str) -> str:
        """Return the start of a run-in heading's paragraph: its label and title in the
        level's character style (Heading N Char: bold for "2. Công tác điều hành:", upright
        for "c) Chủng loại:"), so that they look as the level's headings do."""
        text = f"{self.next(level)} {title}".rstrip()
        return f'[{text}]{{custom-style="Heading {level} Char"}}'

    def heading(self, level: int, title: str) -> str:
        """Return the numbered heading text: a centred level's label, a line break and its
        title in the capitals style; any other level's label and title on one line."""
        label = self.next(level)
        if self.kinds[level - 1] in CENTRED_KINDS and title:
            return f'{label}{_LINE_BREAK}[{title}]{{custom-style="{TITLE_STYLE}"}}'
        return f"{label} {title}".rstrip()


class _Items:
    """The numbers of "#." items: "1." at the top, "a)" nested; restarted by a heading."""

    def __init__(self) -> None:
        self.restart()

    def restart(self) -> None:
        self.top, self.nested = 0, 0

    def next(self, nested: bool) -> str:
        if nested:
            self.nested += 1
            return f"{letter(self.nested)}\\)"
        self.top, self.nested = self.top + 1, 0
        return f"{self.top}\\."


def apply_conventions(markdown: str, scheme: str | Sequence[str] = DEFAULT_SCHEME) -> str:
    """Return the Markdown with numbered headings and items, run-in headings and dash
    paragraphs, headings numbered in the scheme (a name of SCHEMES or a list of levels)."""
    numbers = HeadingNumbers(scheme)
    items = _Items()
    out: list[str] = []
    lines = markdown.split("\n")
    fenced = False
    run_in: str | None = None
    previous = ""  # the previous source line
    divs: list[bool] = []  # each open fenced div: whether it is a landscape section
    for line in lines:
        starts_block = (
            not previous.strip() or bool(_ITEM.match(previous)) or bool(_NUMBERED.match(previous))
        )
        previous = line
        if _FENCE.match(line):
            fenced = not fenced
            out.append(line)
            continue
        if fenced:
            out.append(line)
            continue
        if run_in is not None:
            if not line.strip():
                continue
            out.append(f"{run_in} {line}")
            run_in = None
            continue
        if line.startswith(":::"):
            opening = _DIV_OPEN.match(line)
            if opening:
                divs.append(_opens_landscape(opening.group(1)))
                if divs[-1]:
                    out += ["", LANDSCAPE_START, ""]
                    continue
            elif _DIV_FENCE.match(line) and divs and divs.pop():
                out += ["", LANDSCAPE_END, ""]
                continue
        after_block = not out or not out[-1].strip() or bool(_DIV_FENCE.match(out[-1]))
        heading = _HEADING.match(line) if after_block else None
        if heading and len(heading.group(1)) <= len(numbers.kinds):
            level = len(heading.group(1))
            items.restart()
            classes = (heading.group(3) or "").split()
            if ".run-in" in classes:
                run_in = numbers.run_in(level, heading.group(2))
                continue
            title = numbers.heading(level, heading.group(2))
            attributes = f" {{{heading.group(3)}}}" if heading.group(3) else ""
            out.append(f"{heading.group(1)} {title}{attributes}")
            continue
        numbered = _NUMBERED.match(line) if starts_block else None
        if numbered:
            if out and out[-1].strip():
                out.append("")
            out.append(f"{items.next(len(numbered.group(1)) >= 2)} {numbered.group(2)}")
            continue
        item = _ITEM.match(line) if starts_block else None
        if item and not line.startswith("    " * 2):
            mark = "-" if len(item.group(1)) < 2 else "+"
            if out and out[-1].strip():
                out.append("")
            out.append(f"\\{mark} {item.group(2)}")
            continue
        out.append(line)
    if run_in is not None:
        out.append(run_in)
    return "\n".join(out)
