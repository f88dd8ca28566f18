"""`vanban metadata`: the outgoing document's record in the fields of ND30 Phụ lục VI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO
from vanban.cli import main as vanban


def copy_report(dest: Path) -> Path:
    shutil.copytree(
        REPO,
        dest,
        ignore=shutil.ignore_patterns("build", ".git", "src", "tests", ".venv", "examples"),
    )
    return dest


@pytest.fixture
def report(tmp_path: Path) -> Path:
    return copy_report(tmp_path / "report")


def record(report: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict, str]:
    assert vanban(["metadata", str(report), "--format", "json"]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def test_the_reference_report_s_record(report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, err = record(report, capsys)
    assert data == {
        "annex": "Nghị định 30/2020/NĐ-CP, Phụ lục VI, Phần II, Mục I",
        "FileCode": {"OrganId": None, "FileCatalog": 2024, "FileNotation": None},
        "DocOrdinal": None,
        "TypeName": "Báo cáo",
        "CodeNumber": None,
        "CodeNotation": "BC-UBND",
        "IssuedDate": None,
        "OrganName": "Ủy ban nhân dân huyện Đắk Glei",
        "Subject": "Đánh giá kết quả thực hiện Chương trình mục tiêu Quốc gia giảm nghèo bền "
        "vững giai đoạn 2021-2024 và đề xuất, kiến nghị cho giai đoạn 2026 – 2030",
        "Language": "Tiếng Việt",
        "PageAmount": None,
        "Description": "Dự thảo: số và ngày do Văn thư cấp khi ban hành",
        "SignerInfo": {"Position": "CHỦ TỊCH", "FullName": "Y Thanh"},
        "To": [
            {"OrganId": None, "OrganName": "Sở Lao động-TB&XH tỉnh"},
            {"OrganId": None, "OrganName": "Thường trực Huyện ủy"},
            {"OrganId": None, "OrganName": "Thường trực HĐND huyện"},
            {"OrganId": None, "OrganName": "Chủ tịch, các Phó Chủ tịch UBND huyện"},
            {"OrganId": None, "OrganName": "Phòng Lao động – TB&XH huyện"},
        ],
        "Priority": 0,
        "IssuedAmount": None,
        "DueDate": None,
    }
    assert err == "note: PageAmount is blank: run `vanban build --pdf` to count the pages\n"


def test_an_issued_document_with_every_optional_field(
    report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = report / "data" / "document.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("status: draft ", "status: final ").replace("number: null", "number: 0204")
    text = text.replace("date: null", "date: 2024-06-05")
    text = text.replace("  full_name:", "  code: 000.00.31.H34\n  full_name:")
    text += (
        "urgency: thuong-khan\ncopies: 12\ndrafter: NVA\ndue_date: 2024-06-20\n"
        "contact: {address: Thị trấn Đắk Glei, phone: 0260 3824 xxx}\n"
    )
    path.write_text(text, encoding="utf-8")
    data, _ = record(report, capsys)
    assert data["FileCode"]["OrganId"] == "000.00.31.H34"
    assert (data["CodeNumber"], data["CodeNotation"], data["IssuedDate"]) == (
        "0204",
        "BC-UBND",
        "2024-06-05",
    )
    assert (data["Priority"], data["IssuedAmount"], data["DueDate"]) == (2, 12, "2024-06-20")
    assert data["Description"] == "Mức độ khẩn: Thượng khẩn"


def test_xml_carries_the_same_fields(report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert vanban(["metadata", str(report), "--format", "xml"]) == 0
    root = etree.fromstring(capsys.readouterr().out.encode("utf-8"))
    assert root.tag == "OutgoingDocument"
    assert root.findtext("CodeNotation") == "BC-UBND"
    assert root.findtext("SignerInfo/FullName") == "Y Thanh"
    assert [o.findtext("OrganName") for o in root.find("To")][0] == "Sở Lao động-TB&XH tỉnh"
    assert root.find("CodeNumber").text is None


def test_text_for_the_van_thu(report: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert vanban(["metadata", str(report)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Nghị định 30/2020/NĐ-CP, Phụ lục VI, Phần II, Mục I"
    assert "    5  Ký hiệu của văn bản (CodeNotation): BC-UBND" in lines
    assert "    4  Số của văn bản (CodeNumber): —" in lines


def test_the_page_count_comes_from_the_pdf_beside_the_docx(
    report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build = report / "build"
    build.mkdir()
    (build / "bao-cao-dak-glei-2024.pdf").write_bytes(
        b"%PDF-1.6\n"
        + b"".join(
            b"%d 0 obj\n<</Type/Page/MediaBox[0 0 595.3 841.9]>>\nendobj\n" % n for n in (1, 2, 3)
        )
    )
    data, err = record(report, capsys)
    assert data["PageAmount"] == 3
    assert err == ""


def test_a_value_longer_than_the_annex_allows_is_a_warning(
    report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = report / "data" / "document.yaml"
    text = path.read_text(encoding="utf-8").replace("name: Y Thanh", "name: " + "Nguyễn " * 10)
    path.write_text(text, encoding="utf-8")
    _, err = record(report, capsys)
    assert err.splitlines()[0] == (
        "warning: FullName (Họ và tên người ký văn bản) has 69 characters; the annex allows 50"
    )
