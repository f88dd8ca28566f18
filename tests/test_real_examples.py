"""Real published documents kept under examples/: each builds, and its tables and footnotes
are those of the published document, cell for cell (tests/expected/<example>.json holds the
published cells, read from the office's own file; see the example's SOURCE.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, needs_libreoffice, to_pdf
from docx_reader import Document, Paragraph, Table, read_docx
from vanban.check.command import check_project
from vanban.pipeline import build
from vanban.project import open_project

EXPECTED = REPO / "tests" / "expected"


def _copy(name: str, dest: Path) -> Path:
    project = dest / name
    shutil.copytree(REPO / "examples" / name, project, ignore=shutil.ignore_patterns("build"))
    return project


def _published(name: str) -> Any:
    return json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))


def _cells(rows: list[list[str]]) -> list[list[str]]:
    return [[" ".join(text.split()) for text in row] for row in rows]


# ------------------------------------------- Báo cáo CCHC năm 2025, UBND tỉnh Lâm Đồng

CCHC = "bao-cao-cchc-lam-dong-2025"


@pytest.fixture(scope="module")
def cchc(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Document]:
    project = _copy(CCHC, tmp_path_factory.mktemp("cchc"))
    return project, read_docx(build(project))


def test_cchc_every_form_shows_every_published_cell(cchc: tuple[Path, Document]) -> None:
    _, doc = cchc
    published = _published(CCHC)["forms"]
    (appendix,) = doc.sections[1:]
    blocks = appendix.blocks
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == len(published) == 7
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert texts[:2] == [
        "PHỤ LỤC",
        "BIỂU MẪU THỐNG KÊ SỐ LIỆU BÁO CÁO CẢI CÁCH HÀNH CHÍNH NĂM 2025 CỦA ỦY BAN NHÂN DÂN "
        "TỈNH LÂM ĐỒNG",
    ]
    assert texts[2].endswith("của Chủ tịch Ủy ban nhân dân tỉnh Lâm Đồng)")
    for form, table in zip(published, tables, strict=True):
        before = blocks[: blocks.index(table)]
        lines = [b.text for b in before if isinstance(b, Paragraph) and b.text][-2:]
        assert lines == form["form"]
        assert table.header_rows == 2
        assert _cells(table.texts[:2]) == _cells(form["header"])
        assert _cells(table.texts[2:]) == _cells(form["rows"]), form["form"]
        assert table.spans[0] == (1, 1, 2, 1)  # "Kết quả thống kê" over two columns


def test_cchc_footnotes_are_the_published_ones_in_order(cchc: tuple[Path, Document]) -> None:
    _, doc = cchc
    published = _published(CCHC)["footnotes"]
    shown = [
        " ".join(" ".join(p.text for p in paragraphs).split())
        for paragraphs in doc.footnote_paragraphs.values()
    ]
    assert shown == [" ".join(published[str(n)].split()) for n in range(1, 18)]


def test_cchc_totals_and_rates_are_computed_and_the_one_misprint_found(
    cchc: tuple[Path, Document],
) -> None:
    project, _ = cchc
    findings = check_project(open_project(project)).findings
    tables = [f for f in findings if f.rule == "appendix-stated-total"]
    assert [str(f.problem()).split(" — ")[0] for f in tables] == [
        'data/cchc.yaml:54:106: acknowledged: PHỤ LỤC, table "Biểu mẫu 3 Cải cách thủ tục hành '
        'chính", row "Tỷ lệ hồ sơ TTHC do các sở, ngành tiếp nhận được giải quyết đúng hạn", '
        'column "Kết quả thống kê – Số liệu": the data states 99,10 (cchc.bm3.c3_1.value) but '
        "the rows c3_1_2 / c3_1_1 × 100 give 99,11, a difference of 0,01; the appendix shows "
        "99,10"
    ]
    # A component changed: the total the report states no longer adds up, and the check says so.
    data = project / "data" / "cchc.yaml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("value: 1946}", "value: 1945}"), encoding="utf-8")
    changed = [f for f in check_project(open_project(project)).findings if f.status != "acknowledged"]
    assert [f.message.split(": the data")[1] for f in changed] == [
        " states 2.372 (cchc.bm3.c1_4.value) but the rows under it add up to 2.371, a "
        "difference of 1; the appendix shows 2.372"
    ]
    data.write_text(text, encoding="utf-8")
