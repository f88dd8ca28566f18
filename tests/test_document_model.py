"""The document model as a reader of the built DOCX sees it: the số as written, the Kính
gửi, and the heading schemes with numbered items."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import copy_case
from docx_reader import Document, read_docx
from vanban.errors import ProblemsError
from vanban.pipeline import build_report


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def built(project: Path) -> Document:
    return read_docx(build_report(project).path)


def problems_of(project: Path) -> list[str]:
    with pytest.raises(ProblemsError) as caught:
        build_report(project)
    return [str(p) for p in caught.value.problems]


# ------------------------------------------------------------------- the number


@pytest.mark.parametrize("written", ["0204", '"0204"'])
def test_number_keeps_its_leading_zeros_in_the_masthead_and_the_appendix(
    tmp_path: Path, written: str
) -> None:
    project = copy_case("appendix-basic", tmp_path)
    edit(project / "data" / "document.yaml", "number: null", f"number: {written}  # số")
    doc = built(project)
    number = doc.tables[0].rows[1][0][0]
    assert number.text == "Số: 0204/BC-UBND"
    attached = [p.text for p in doc.paragraphs if p.text.startswith("(Kèm theo")]
    assert attached and all(" số 0204/BC-UBND " in text for text in attached), attached


def test_number_below_ten_gets_nd30_leading_zero(tmp_path: Path) -> None:
    project = copy_case("appendix-basic", tmp_path)
    edit(project / "data" / "document.yaml", "number: null", "number: 5")
    assert built(project).tables[0].rows[1][0][0].text == "Số: 05/BC-UBND"


def test_number_as_yaml_1_1_reads_it_keeps_the_written_digits(tmp_path: Path) -> None:
    project = copy_case("appendix-basic", tmp_path)
    path = project / "data" / "document.yaml"
    path.write_text("%YAML 1.1\n---\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    edit(path, "number: null", "number: 0204")
    assert built(project).tables[0].rows[1][0][0].text == "Số: 0204/BC-UBND"


@pytest.mark.parametrize(
    ("written", "shown"),
    [('"02a4"', "'02a4'"), ("0x1F", "'0x1F'"), ("1_000", "'1_000'"), ('" 12"', "' 12'")],
)
def test_number_that_is_not_digits_is_refused_with_its_place(
    tmp_path: Path, written: str, shown: str
) -> None:
    project = copy_case("appendix-basic", tmp_path)
    edit(project / "data" / "document.yaml", "number: null", f"number: {written}")
    assert problems_of(project) == [
        "data/document.yaml:9:9: error: number: expected the số in digits as it is printed "
        f"(5, 05, 0204), got {shown}"
    ]
