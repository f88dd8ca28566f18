"""`vanban import --facts`: the narrative's figures with a unit become facts the text prints;
the others, counted as the check reads figures (vanban.check.lint.typed_figures), stay text."""

from __future__ import annotations

import json
import re

from ..check.lint import mask, typed_figures
from ..classes import dataclass, field
from .appendices import parse_number

# A figure printed the Vietnamese way, then its unit; the unit decides the fact's kind.
_UNITS = (
    "triệu đồng",
    "tỷ đồng",
    "nghìn đồng",
    "đồng",
    "hộ",
    "người",
    "lượt",
    "hồ sơ",
    "xã",
    "%",
)
_FIGURE = re.compile(
    r"(?<![\w.,/\\{-])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+)"
    r"(?=(?P<space>\s?)(?P<unit>" + "|".join(re.escape(u) for u in _UNITS) + r")(?![\w]))"
)
FACTS_FILE = "so-lieu"
FACTS_NAME = "so_lieu"


@dataclass
class Lifted:
    """The rewritten content files and the facts they now print."""

    files: list[tuple[str, str]]
    facts: list[str] = field(default_factory=list)
    schema: list[str] = field(default_factory=list)
    left: int = 0  # the figures still typed in the text, as the check reads figures


def lift_figures(files: list[tuple[str, str]]) -> Lifted:
    """Replace each figure followed by its unit with a fact printed by `so`, where the fact
    prints the same characters; leave the rest as text."""
    lifted = Lifted([])
    counter = 0
    for name, text in files:
        lines = []
        for line in text.split("\n"):
            if line.startswith("#"):
                lines.append(line)
                continue

            def replace(match: re.Match[str], name: str = name, line: str = line) -> str:
                nonlocal counter
                typed, unit = match.group(1), match.group("unit")
                value = parse_number(typed)
                if value is None or (unit == "%" and match.group("space")):
                    return typed
                width = ""
                if typed.startswith("0") and typed.isdigit() and len(typed) > 1:
                    width = f"(width={len(typed)})"
                elif typed.startswith("0") and "," not in typed:
                    return typed
                counter += 1
                key = f"f{counter:03d}"
                lifted.facts.append(f"{key}: {value}  # {name}")
                label = json.dumps(" ".join(line.split()[:8]).strip("-*# "), ensure_ascii=False)
                lifted.schema.append(
                    f"{key}: {{type: decimal, required: true, meta: {{unit: "
                    f"{json.dumps(unit, ensure_ascii=False)}, label: {label}}}}}"
                )
                return f"{{{{ {FACTS_NAME}.{key} | so{width} }}}}"

            lines.append(_FIGURE.sub(replace, line))
        rewritten = "\n".join(lines)
        lifted.files.append((name, rewritten))
        lifted.left += sum(1 for _ in typed_figures(mask(rewritten)))
    return lifted
