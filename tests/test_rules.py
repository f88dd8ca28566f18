"""The masthead's rules as long as ND30 wants them, measured on LibreOffice renders.

ND30 Phụ lục I, II.2.b and II.5.b: the rule under the agency's name and the rule under the
trích yếu are 1/3 to 1/2 as long as the line of text above them, centred under it. The
lines are read with `pdftotext -bbox`, the rules from the pixels of the page.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from conftest import needs_libreoffice, to_pdf
from docx_reader import read_docx
from test_layout import BODY_MD, CONTEXT, TEMPLATES, _edited_masthead, pandoc_body
from vanban.layout import assemble
from vanban.ooxml import qn
from vanban.textwidth import Run, width, wrap

DPI = 300
# The masthead's left column, in points from the page's left edge: the 30 mm margin less
# the table's 199-twip shift, then 3829 twips.
LEFT_COLUMN = (30 / 25.4 * 72 - 199 / 20, 30 / 25.4 * 72 - 199 / 20 + 3829 / 20)
COLUMN_GAP = 30  # points between two words of one line at most
SHORTEST_RULE = 16  # points: longer than any glyph's stroke at 14 pt

SHORT_AGENCY = {"agency_parent": "UBND TỈNH KON TUM", "agency_lines": ["SỞ TƯ PHÁP"]}
LONG_AGENCY = {
    "agency_parent": "UBND TỈNH KON TUM",
    "agency_lines": ["SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"],
}
SHORT_SUMMARY = {"kind_title": "QUYẾT ĐỊNH", "summary": "Về việc khen thưởng"}
LONG_SUMMARY = {"kind_title": "BÁO CÁO", "summary": CONTEXT["summary"]}


@dataclass(frozen=True)
class Line:
    """A line of text on the page (points): its words and where it starts and ends."""

    text: str
    left: float
    right: float
    top: float
    bottom: float

    @property
    def length(self) -> float:
        return self.right - self.left


@dataclass(frozen=True)
class Rule:
    """A horizontal line drawn on the page (points)."""

    left: float
    right: float
    top: float

    @property
    def length(self) -> float:
        return self.right - self.left


def lines_of(pdf: Path) -> list[Line]:
    """Return the first page's lines: words of one top, a wide gap parting two columns."""
    xml = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<'
    rows: dict[float, list[tuple[float, float, float, str]]] = {}
    for x0, y0, x1, y1, word in re.findall(pattern, xml):
        rows.setdefault(round(float(y0), 1), []).append((float(x0), float(x1), float(y1), word))
    lines = []
    for top, words in sorted(rows.items()):
        words.sort()
        start = 0
        for index in range(1, len(words) + 1):
            if index == len(words) or words[index][0] - words[index - 1][1] > COLUMN_GAP:
                part = words[start:index]
                text = " ".join(w[3] for w in part)
                lines.append(Line(text, part[0][0], part[-1][1], top, max(w[2] for w in part)))
                start = index
    return lines


def rules_of(pdf: Path, tmp: Path) -> list[Rule]:
    """Return the horizontal lines longer than any glyph drawn on the first page, top down."""
    stem = tmp / pdf.stem
    command = ["pdftoppm", "-gray", "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile"]
    subprocess.run([*command, str(pdf), str(stem)], check=True)
    data = stem.with_suffix(".pgm").read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", data)
    assert header is not None
    columns, rows = int(header[1]), int(header[2])
    pixels = data[header.end() :]
    point = 72 / DPI
    found: dict[tuple[int, int], int] = {}  # (first, last column) → first row
    for y in range(rows):
        row = pixels[y * columns : (y + 1) * columns]
        for match in re.finditer(rb"[\x00-\x7f]{%d,}" % int(SHORTEST_RULE / point), row):
            found.setdefault((match.start(), match.end()), y)
    return sorted(
        (Rule(x0 * point, x1 * point, y * point) for (x0, x1), y in found.items()),
        key=lambda rule: rule.top,
    )


def under(rule: Rule, lines: list[Line], texts: list[str]) -> list[Line]:
    """Return the lines above a rule, in its column, whose words all belong to the texts."""
    words = {word for text in texts for word in text.split()}
    return [
        line
        for line in lines
        if line.bottom <= rule.top
        and line.left < rule.right
        and line.right > rule.left
        and set(line.text.split()) <= words
    ]


def render(context: dict[str, object], name: str, tmp: Path) -> Path:
    docx = tmp / f"{name}.docx"
    docx.write_bytes(assemble(pandoc_body(BODY_MD, tmp), TEMPLATES, context))
    return to_pdf(docx, tmp)


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[Line], list[Rule]]]:
    tmp = tmp_path_factory.mktemp("rules")
    cases = {
        "short-agency-long-summary": {**CONTEXT, **SHORT_AGENCY, **LONG_SUMMARY},
        "long-agency-short-summary": {**CONTEXT, **LONG_AGENCY, **SHORT_SUMMARY},
    }
    out = {}
    for name, context in cases.items():
        pdf = render(context, name, tmp)
        out[name] = (lines_of(pdf), rules_of(pdf, tmp))
    return out


def assert_rule_fits(rule: Rule, lines: list[Line]) -> None:
    longest = max(line.length for line in lines)
    assert longest / 3 <= rule.length <= longest / 2, (rule, lines)
    centre = (lines[0].left + lines[0].right) / 2  # the text is centred: one centre
    assert abs((rule.left + rule.right) / 2 - centre) <= 1, (rule, lines)


@needs_libreoffice
@pytest.mark.parametrize(
    ("name", "agency", "lines"),
    [
        ("short-agency-long-summary", SHORT_AGENCY, ["SỞ TƯ PHÁP"]),
        (
            "long-agency-short-summary",
            LONG_AGENCY,
            ["SỞ LAO ĐỘNG - THƯƠNG BINH", "VÀ XÃ HỘI"],
        ),
    ],
)
def test_the_agency_rule_is_a_third_to_half_of_the_names_longest_line(
    renders: dict[str, tuple[list[Line], list[Rule]]],
    name: str,
    agency: dict[str, object],
    lines: list[str],
) -> None:
    page_lines, rules = renders[name]
    rule = next(r for r in rules if r.right <= LEFT_COLUMN[1])
    name_lines = under(rule, page_lines, agency["agency_lines"])  # type: ignore[arg-type]
    assert [line.text for line in name_lines] == lines
    # The parent agency above the name (longer than "SỞ TƯ PHÁP", at 12 pt regular) does
    # not count: a rule 1/3–1/2 of it would be over 1/2 of "SỞ TƯ PHÁP".
    parent = next(line for line in page_lines if line.text == agency["agency_parent"])
    assert parent.top < name_lines[0].top
    assert_rule_fits(rule, name_lines)


@needs_libreoffice
@pytest.mark.parametrize(
    ("name", "summary", "count"),
    [
        ("long-agency-short-summary", SHORT_SUMMARY, 1),
        ("short-agency-long-summary", LONG_SUMMARY, 2),
    ],
)
def test_the_summary_rule_is_a_third_to_half_of_its_longest_line(
    renders: dict[str, tuple[list[Line], list[Rule]]],
    name: str,
    summary: dict[str, str],
    count: int,
) -> None:
    page_lines, rules = renders[name]
    title = next(line for line in page_lines if line.text == summary["kind_title"])
    rule = next(r for r in rules if r.top > title.bottom)
    summary_lines = under(rule, page_lines, [summary["summary"]])
    summary_lines = [line for line in summary_lines if line.top > title.top]
    assert " ".join(line.text for line in summary_lines) == summary["summary"]
    assert len(summary_lines) == count
    assert_rule_fits(rule, summary_lines)


# ------------------------------------------------------------- without LibreOffice


def test_lines_wrap_at_spaces_and_after_a_hyphen_between_letters() -> None:
    bold = Run("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", 12, bold=True)
    first = width("SỞ LAO ĐỘNG - THƯƠNG BINH", 12, bold=True)
    assert wrap([bold], first + 10) == [first, width("VÀ XÃ HỘI", 12, bold=True)]
    hyphen = width("Sở Lao động-", 12)
    assert wrap([Run("Sở Lao động-TB&XH", 12)], hyphen + 1) == [hyphen, width("TB&XH", 12)]
    # A number range stays together; a line break in the text ends a line.
    years = width("giai đoạn 2021-", 14)
    assert wrap([Run("giai đoạn 2021-2025", 14)], years + 1) == [
        width("giai đoạn", 14),
        width("2021-2025", 14),
    ]
    assert wrap([Run("ỦY BAN\nNHÂN DÂN", 12, bold=True)], 5000) == [
        width("ỦY BAN", 12, bold=True),
        width("NHÂN DÂN", 12, bold=True),
    ]


def test_bold_and_regular_widths_differ_and_nfd_counts_as_nfc() -> None:
    assert width("ỦY BAN NHÂN DÂN", 12, bold=True) > width("ỦY BAN NHÂN DÂN", 12)
    assert width("Ủy ban", 14) == width("U\u0309y ban", 14)
    assert width("Độc lập", 26) == 2 * width("Độc lập", 13)


def test_a_template_without_the_summary_rule_keeps_its_blocks(tmp_path: Path) -> None:
    def remove_summary_rule(document: etree._Element) -> None:
        body = document.find(qn("w:body"))
        rule = next(
            b for b in body if b.tag == qn("w:p") and b.find(".//" + qn("w:pBdr")) is not None
        )
        body.remove(rule)

    body = pandoc_body(BODY_MD, tmp_path)
    templates = _edited_masthead(tmp_path, remove_summary_rule)
    doc = read_docx(assemble(body, templates, CONTEXT))
    assert [p.text for p in doc.blocks[1:4]] == [
        "BÁO CÁO",
        CONTEXT["summary"],
        "I. ĐÁNH GIÁ CÔNG TÁC QUẢN LÝ CHƯƠNG TRÌNH",
    ]
    rule = doc.tables[0].rows[0][0][-1]  # the agency's rule is fitted all the same
    name = width("ỦY BAN NHÂN DÂN", 12, bold=True)
    assert rule.borders == {"top": "single"}
    assert name / 3 <= 3829 - 2 * 85 - rule.left - rule.right <= name / 2
