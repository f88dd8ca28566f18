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

LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip

# A heading may have no title of its own: "# {.run-in}" prints "Điều 1." before its paragraph.
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:(?:^|(?<=[ \t]))\{([^}]*)\})?[ \t]*$")
_ITEM = re.compile(r"^( *)[-+*][ \t]+(.*)$")
_FENCE = re.compile(r"^(```|~~~)")
_NUMBERED = re.compile(r"^( *)#\.[ \t]+(.*)$")

SCHEMES = ("roman", "decimal", "legal")
DEFAULT_SCHEME = "roman"


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


class _Numbers:
    def __init__(self, scheme: str = DEFAULT_SCHEME) -> None:
        self.scheme = scheme
        self.counters = [0, 0, 0]

    def next(self, level: int) -> str:
        self.counters[level - 1] += 1
        # An Điều is numbered through the whole document; the rest restart below their parent.
        for deeper in range(level, len(self.counters)):
            self.counters[deeper] = 0
        number = self.counters[level - 1]
        if self.scheme == "decimal":
            return ".".join(str(n) for n in self.counters[:level]) + "."
        if level == 1:
            return f"Điều {number}." if self.scheme == "legal" else f"{roman(number)}."
        if level == 2:
            return f"{number}."
        return f"{letter(number)})"


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


def apply_conventions(markdown: str, scheme: str = DEFAULT_SCHEME) -> str:
    """Return the Markdown with numbered headings and items, run-in headings and dash
    paragraphs, headings numbered in the scheme (roman, decimal or legal)."""
    numbers = _Numbers(scheme)
    items = _Items()
    out: list[str] = []
    lines = markdown.split("\n")
    fenced = False
    run_in: str | None = None
    previous = ""  # the previous source line
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
            out.append(f"**{run_in}** {line}")
            run_in = None
            continue
        heading = _HEADING.match(line) if not out or not out[-1].strip() else None
        if heading and len(heading.group(1)) <= 3:
            level = len(heading.group(1))
            items.restart()
            title = f"{numbers.next(level)} {heading.group(2)}".rstrip()
            classes = (heading.group(3) or "").split()
            if ".run-in" in classes:
                run_in = title
                continue
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
        out.append(f"**{run_in}**")
    return "\n".join(out)
