"""Every kind of document (ND30 Phụ lục III) builds and has the ND30 structure a reader sees."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import needs_libreoffice, soffice
from docx_reader import Document, Paragraph, read_docx
from reuse_cli import vanban
from vanban.kinds import KINDS, NEVER, OPTIONAL, REQUIRED
from vanban.ooxml import read_parts, write_parts
from vanban.ooxml_check import check_package
from vanban.pipeline import build_report
from vanban.scaffold import scaffold
from vanban.templates_gen import DASH_WIDTH, KINH_GUI_WIDTH, RECIPIENTS_TO_INDENT

KIND_KEYS = sorted(KINDS)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Scaffold and build one document of every kind; kind -> the .docx."""
    root = tmp_path_factory.mktemp("kinds")
    out = {}
    for kind in KIND_KEYS:
        scaffold(kind, root / f"demo-{kind}")
        result = build_report(root / f"demo-{kind}")
        assert [f for f in result.findings if f.status != "acknowledged"] == []
        out[kind] = result.path
    return out


@pytest.fixture(scope="module")
def docs(built: dict[str, Path]) -> dict[str, Document]:
    return {kind: read_docx(path) for kind, path in built.items()}


def centred(p: Paragraph) -> bool:
    return p.alignment == "center" and p.first_line == 0


def _texts(doc: Document) -> list[str]:
    out = []
    for block in doc.blocks:
        out += (
            [block.text] if isinstance(block, Paragraph) else [p.text for p in block.paragraphs()]
        )
    return out


# ------------------------------------------------------------------------- the table


def test_the_kinds_are_those_of_nd30_appendix_iii() -> None:
    table = {k.key: (k.title, k.abbreviation, k.recipients_to) for k in KINDS.values()}
    assert table == {
        "bao-cao": ("BÁO CÁO", "BC", OPTIONAL),
        "ke-hoach": ("KẾ HOẠCH", "KH", "unusual"),
        "to-trinh": ("TỜ TRÌNH", "TTr", REQUIRED),
        "cong-van": (None, None, REQUIRED),
        "quyet-dinh": ("QUYẾT ĐỊNH", "QĐ", "never"),
        "chi-thi": ("CHỈ THỊ", "CT", "unusual"),
        "quy-che": ("QUY CHẾ", "QC", "unusual"),
        "quy-dinh": ("QUY ĐỊNH", "QyĐ", "unusual"),
        "thong-cao": ("THÔNG CÁO", "TC", "unusual"),
        "thong-bao": ("THÔNG BÁO", "TB", "unusual"),
        "huong-dan": ("HƯỚNG DẪN", "HD", "unusual"),
        "chuong-trinh": ("CHƯƠNG TRÌNH", "CTr", "unusual"),
        "phuong-an": ("PHƯƠNG ÁN", "PA", "unusual"),
        "de-an": ("ĐỀ ÁN", "ĐA", "unusual"),
        "du-an": ("DỰ ÁN", "DA", "unusual"),
        "giay-uy-quyen": ("GIẤY ỦY QUYỀN", "GUQ", "unusual"),
        "phieu-gui": ("PHIẾU GỬI", "PG", "unusual"),
        "phieu-chuyen": ("PHIẾU CHUYỂN", "PC", "unusual"),
        "phieu-bao": ("PHIẾU BÁO", "PB", "unusual"),
        "giay-moi": ("GIẤY MỜI", "GM", "unusual"),
        "nghi-quyet": ("NGHỊ QUYẾT", "NQ", "never"),
        "bien-ban": ("BIÊN BẢN", "BB", "never"),
        "giay-gioi-thieu": ("GIẤY GIỚI THIỆU", "GGT", "never"),
        "giay-nghi-phep": ("GIẤY NGHỈ PHÉP", "GNP", "never"),
        "cong-dien": ("CÔNG ĐIỆN", "CĐ", REQUIRED),
    }
    # every kind but these follows Mẫu 1.4, "văn bản có tên loại"
    assert {(k.key, k.sample) for k in KINDS.values() if k.sample != "Mẫu 1.4"} == {
        ("cong-van", "Mẫu 1.5"),
        ("quyet-dinh", "Mẫu 1.2, 1.3"),
        ("giay-moi", "Mẫu 1.7"),
        ("nghi-quyet", "Mẫu 1.1"),
        ("bien-ban", "Mẫu 1.9"),
        ("giay-gioi-thieu", "Mẫu 1.8"),
        ("giay-nghi-phep", "Mẫu 1.10"),
        ("cong-dien", "Mẫu 1.6"),
    }
    assert KINDS["bao-cao"].symbol("UBND", None) == "BC-UBND"
    assert KINDS["to-trinh"].symbol("UBND", "LĐTBXH") == "TTr-UBND"
    assert KINDS["cong-van"].symbol("UBND", "LĐTBXH") == "UBND-LĐTBXH"


# ---------------------------------------------------------------- the same for all


@pytest.mark.parametrize("kind", KIND_KEYS)
def test_masthead_as_in_the_official_samples(docs: dict[str, Document], kind: str) -> None:
    doc = docs[kind]
    masthead = doc.blocks[0]
    assert masthead == doc.tables[0]
    assert (masthead.grid, masthead.indent) == ((3829, 5670), -199)
    agency = masthead.rows[0][0]
    council, abbreviation = KINDS[kind].agency  # a Nghị quyết's: HỘI ĐỒNG NHÂN DÂN, HĐND
    assert [p.text for p in agency[:2]] == [council, "HUYỆN …"]
    assert all(p.bold and p.size_pt == 12 and centred(p) for p in agency[:2])
    national, motto, _rule = masthead.rows[0][1]
    assert (national.text, motto.text) == (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    )
    number = masthead.rows[1][0][0]
    symbol = KINDS[kind].symbol(abbreviation, "VP")
    assert (number.text, number.size_pt, number.bold) == (f"Số:      /{symbol}", 13, False)
    (date,) = masthead.rows[1][1]
    if not KINDS[kind].date_line:  # a Biên bản: its text says when and where (Mẫu 1.9)
        assert date.text == ""
        return
    assert date.italic and date.text.startswith("…, ngày      tháng      năm ")


@pytest.mark.parametrize("kind", KIND_KEYS)
def test_type_name_and_summary_or_the_subject_line(docs: dict[str, Document], kind: str) -> None:
    doc = docs[kind]
    title = KINDS[kind].title
    number_cell = doc.tables[0].rows[1][0]
    if title is None:  # Công văn: no type name; "V/v …" under Số (ô 5b), 12 pt
        assert doc.blocks[1].text == "Kính gửi:"  # straight after the masthead
        number, subject = number_cell
        assert subject.text.startswith("V/v đề nghị cung cấp số liệu")
        assert (subject.size_pt, subject.bold, subject.before) == (12, False, 120)
        assert centred(subject)
        assert "CÔNG VĂN" not in _texts(doc)
        return
    assert len(number_cell) == 1
    if KINDS[kind].summary == NEVER:  # Giấy giới thiệu, nghỉ phép: the rule under the name
        name, rule, text = doc.blocks[1:4]
        assert (name.text, name.bold, name.size_pt) == (title, True, 14) and centred(name)
        assert rule.text == "" and rule.borders == {"top": "single"}
        assert text.style in ("Body Text", "First Paragraph", "Centred")
        return
    name, summary, rule = doc.blocks[1:4]
    assert (name.text, name.bold, name.size_pt) == (title, True, 14)
    assert summary.bold and summary.size_pt == 14 and centred(name) and centred(summary)
    assert rule.borders == {"top": "single"}
    assert not any(t.startswith("V/v") for t in _texts(doc))


@pytest.mark.parametrize("kind", KIND_KEYS)
def test_recipients_to_as_nd30_says(docs: dict[str, Document], kind: str) -> None:
    doc = docs[kind]
    texts = _texts(doc)
    to = [p for p in doc.paragraphs if p.text.startswith("Kính gửi:")]
    received = doc.tables[-1].rows[0][0]
    if kind == "to-trinh":  # one recipient: one centred line
        (line,) = to
        assert line.text == "Kính gửi: Ủy ban nhân dân tỉnh …"
        assert line.size_pt == 14 and centred(line)
        # upright, not bold, the label too (ND30 Phụ lục I, II.9.d; Mục V row 9a)
        assert [r.bold for r in line.text_runs if r.text.strip()] == [False]
        assert not any(r.italic for r in line.text_runs)
    elif kind == "cong-van":  # several: "Kính gửi:", then "- …;" lines under its colon
        (head,) = to
        assert head.text == "Kính gửi:" and head.left == RECIPIENTS_TO_INDENT and not head.bold
        start = doc.paragraphs.index(head)
        items = doc.paragraphs[start + 1 : start + 3]
        assert [p.text for p in items] == [
            "- Phòng Lao động - Thương binh và Xã hội;",
            "- Ủy ban nhân dân các xã, thị trấn.",
        ]
        for item in items:
            assert item.size_pt == 14 and item.alignment == "left" and not item.bold
            assert item.left + item.first_line == RECIPIENTS_TO_INDENT + KINH_GUI_WIDTH
            assert item.first_line == -DASH_WIDTH  # wrapped lines align after "- "
    else:
        assert to == [] and not any("Kính gửi" in t for t in texts)
    items = [p.text for p in received[1:]]
    # a Giấy giới thiệu's "Như trên" is where its person is sent (Mẫu 1.8: "Được cử đến"),
    # a Công điện's whom it is sent to (Mẫu 1.6: under "… điện:")
    as_above = bool(to) or kind == "giay-gioi-thieu" or KINDS[kind].dispatch
    assert (items[0] == "- Như trên;") == as_above


@pytest.mark.parametrize("kind", KIND_KEYS)
def test_signer_block(docs: dict[str, Document], kind: str) -> None:
    signer = [p for p in docs[kind].tables[-1].rows[0][1] if p.text]
    expected = [*KINDS[kind].authority, KINDS[kind].position, "Nguyễn Văn A"]
    assert [p.text for p in signer] == expected
    assert all(p.bold and p.size_pt == 14 and centred(p) for p in signer)


@pytest.mark.parametrize("kind", KIND_KEYS)
def test_page_body_and_package(
    docs: dict[str, Document], built: dict[str, Path], kind: str
) -> None:
    doc = docs[kind]
    section = doc.section
    assert (section.width, section.height) == (11906, 16838)
    assert {k: section.margins[k] for k in ("top", "bottom", "left", "right")} == {
        "top": 1134,
        "bottom": 1134,
        "left": 1701,
        "right": 851,
    }
    assert section.title_page and section.headers["default"].fields == ("PAGE",)
    body = [p for p in doc.paragraphs if p.style in ("Body Text", "First Paragraph")]
    assert body and all(p.alignment == "both" and p.size_pt == 14 for p in body if p.text)
    assert {r.font for p in doc.paragraphs for r in p.text_runs} == {"Times New Roman"}
    assert check_package(built[kind]) == []
    with zipfile.ZipFile(built[kind]) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    for leftover in ("{{", "{%", "[^", "{.run-in}", ":::"):
        assert leftover not in xml


def test_quyet_dinh_has_its_authority_and_centred_decision(docs: dict[str, Document]) -> None:
    doc = docs["quyet-dinh"]
    issuer = doc.blocks[4]
    assert issuer.text == "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN …"
    assert issuer.bold and issuer.size_pt == 14 and centred(issuer)
    can_cu = [p for p in doc.paragraphs if p.text.startswith(("Căn cứ", "Theo đề nghị"))]
    assert len(can_cu) == 3 and all(p.italic for p in can_cu)
    decide = doc.paragraph("QUYẾT ĐỊNH:")
    assert decide.bold and centred(decide) and decide.before > 0
    article = next(p for p in doc.paragraphs if p.text.startswith("Điều 1."))
    assert article.runs[0].bold and article.first_line == 720


# ------------------------------------------------------------------- the variants


def _document(tmp_path: Path, kind: str, edit: dict[str, str]) -> Path:
    project = tmp_path / kind
    scaffold(kind, project)
    path = project / "data" / "document.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in edit.items():
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return project


def test_a_thong_bao_prints_its_type_name_and_ky_hieu(tmp_path: Path) -> None:
    project = _document(tmp_path, "thong-bao", {"number: null": "number: 12"})
    doc = read_docx(build_report(project).path)
    texts = _texts(doc)
    assert "Số: 12/TB-UBND" in texts
    name, summary = doc.blocks[1:3]
    assert (name.text, name.bold, name.size_pt) == ("THÔNG BÁO", True, 14)
    assert summary.text.startswith("Kết luận của Chủ tịch Ủy ban nhân dân huyện")
    assert [p.text for p in doc.tables[-1].rows[0][1] if p.text] == [
        "TL. CHỦ TỊCH",
        "CHÁNH VĂN PHÒNG",
        "Nguyễn Văn A",
    ]


def test_parent_agency_and_deputy_signing_for_the_committee(tmp_path: Path) -> None:
    project = _document(
        tmp_path,
        "bao-cao",
        {
            "  parent: null": "  parent: UBND TỈNH KON TUM",
            "    - TM. ỦY BAN NHÂN DÂN\n": "    - TM. ỦY BAN NHÂN DÂN\n    - KT. CHỦ TỊCH\n",
            "position: CHỦ TỊCH": "position: PHÓ CHỦ TỊCH",
        },
    )
    doc = read_docx(build_report(project).path)
    agency = doc.tables[0].rows[0][0]
    assert [p.text for p in agency[:3]] == ["UBND TỈNH KON TUM", "ỦY BAN NHÂN DÂN", "HUYỆN …"]
    assert not agency[0].bold and agency[1].bold
    signer = [p.text for p in doc.tables[-1].rows[0][1] if p.text]
    assert signer == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"]


@pytest.mark.parametrize(
    ("authority", "position"),
    [
        ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"),
        ("TUQ. CHỦ TỊCH", "TRƯỞNG PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"),
        ("TM. ỦY BAN NHÂN DÂN", "Q. CHỦ TỊCH"),
    ],
)
def test_other_signing_authorities(tmp_path: Path, authority: str, position: str) -> None:
    project = _document(
        tmp_path,
        "cong-van",
        {
            "    - KT. CHỦ TỊCH": f"    - {authority}",
            "position: PHÓ CHỦ TỊCH": f"position: {position}",
        },
    )
    doc = read_docx(build_report(project).path)
    assert [p.text for p in doc.tables[-1].rows[0][1] if p.text] == [
        authority,
        position,
        "Nguyễn Văn A",
    ]


def test_a_bao_cao_to_a_higher_body_has_its_kinh_gui(tmp_path: Path) -> None:
    project = _document(
        tmp_path,
        "bao-cao",
        {"recipients:": "recipients_to:\n  - Ủy ban nhân dân tỉnh;\n  - Sở Tài chính\nrecipients:"},
    )
    doc = read_docx(build_report(project).path)
    start = next(i for i, p in enumerate(doc.paragraphs) if p.text == "Kính gửi:")
    assert [p.text for p in doc.paragraphs[start + 1 : start + 3]] == [
        "- Ủy ban nhân dân tỉnh;",
        "- Sở Tài chính.",
    ]
    assert doc.tables[-1].rows[0][0][1].text == "- Như trên;"


METADATA_ERRORS = {
    "to-trinh": (
        {"  - Ủy ban nhân dân tỉnh …\n": "", "recipients_to:": "recipients_to: null  #"},
        "data/document.yaml:3:7: error: recipients_to: a Tờ trình needs its Kính gửi (ND30 Phụ "
        "lục I, II.9.b): add recipients_to: with the body or bodies it is addressed to",
    ),
    "cong-van": (
        {"  drafting_unit: VP": "  drafting_unit: null"},
        "data/document.yaml:6:1: error: agency.drafting_unit: the ký hiệu of a Công văn is "
        "<agency>-<drafting unit> (UBND-LĐTBXH): give the drafting unit's abbreviation",
    ),
    "quyet-dinh": (
        {"issuer:": "# issuer:"},
        "data/document.yaml:3:7: error: issuer: a Quyết định names the authority that issues it "
        "under its title (ND30 Phụ lục III, Mẫu 1.2: thẩm quyền ban hành), e.g. issuer: CHỦ "
        "TỊCH ỦY BAN NHÂN DÂN HUYỆN …",
    ),
    "giay-gioi-thieu": (
        {"# không có trích yếu": "summary: Cử cán bộ liên hệ công tác\n#"},
        "data/document.yaml:18:1: error: summary: a Giấy giới thiệu has no trích yếu (ND30 Phụ "
        "lục III, Mẫu 1.8: only the rule under its name); remove it, its text says what it is "
        "for",
    ),
    "cong-dien": (
        {
            "issuer:": "# issuer:",
            "recipients_to:": "recipients_to: null  #",
            "  - Thủ trưởng các cơ quan, đơn vị thuộc huyện\n": "",
            "  - Chủ tịch Ủy ban nhân dân các xã, thị trấn\n": "",
        },
        "data/document.yaml:3:7: error: issuer: a Công điện names who sends it, printed “… "
        "điện:” under its title (ND30 Phụ lục III, Mẫu 1.6), e.g. issuer: CHỦ TỊCH ỦY BAN NHÂN "
        "DÂN TỈNH …\n"
        "data/document.yaml:3:7: error: recipients_to: a Công điện names whom it is sent to "
        "under “… điện:” (ND30 Phụ lục III, Mẫu 1.6): add recipients_to: with the bodies or "
        "officials, one line each",
    ),
    "thong-bao": (
        {"summary:": "# summary:"},
        "data/document.yaml:3:7: error: summary: a Thông báo needs its trích yếu (ND30 Phụ lục "
        "III, Mẫu 1.4): add summary: with what it is about",
    ),
    "nghi-quyet": (
        {"issuer:": "# issuer:", "  - HỘI ĐỒNG NHÂN DÂN HUYỆN …": "#", "  - KHÓA …": "#"},
        "data/document.yaml:3:7: error: issuer: a Nghị quyết names the authority that issues it "
        "under its title (ND30 Phụ lục III, Mẫu 1.1: thẩm quyền ban hành), e.g. issuer: [HỘI "
        "ĐỒNG NHÂN DÂN HUYỆN …, KHÓA …, KỲ HỌP THỨ …]",
    ),
    "bien-ban": (
        {"secretary:": "secretary: null\n#", "  position: THƯ KÝ": "#", "  name: Trần": "#"},
        "data/document.yaml:3:7: error: secretary: a Biên bản is signed by its secretary beside "
        "the chair (ND30 Phụ lục III, Mẫu 1.9: THƯ KÝ, CHỦ TỌA): add secretary: with the "
        "secretary's name",
    ),
    "de-an": (
        {
            "recipients:": "secretary: {name: Trần Thị B}\n# recipients:",
            "  - Ủy ban nhân dân tỉnh (b/c);": "#",
            "  - Các cơ quan, đơn vị thuộc huyện;": "#",
            '  - "Lưu: VT, VP."': "#",
        },
        "data/document.yaml:3:7: error: recipients: a Đề án lists where it is sent (Nơi nhận; "
        "ND30 Phụ lục I, II.9): add recipients: with one line each, the last “Lưu: VT, …”\n"
        "data/document.yaml:19:1: error: secretary: a Đề án has one signer (only a Biên bản has "
        "a secretary's signature too); remove it",
    ),
    "bao-cao": (
        {
            "    - TM. ỦY BAN NHÂN DÂN": "    - TM ỦY BAN NHÂN DÂN",
            "position: CHỦ TỊCH": "position: KT. CHỦ TỊCH",
        },
        'data/document.yaml:25:7: error: signer.authority: "TM ỦY BAN NHÂN DÂN" does not start '
        "with an ND30 prefix and a space (TM., KT., TL., TUQ.: Phụ lục I, II.7.b)\n"
        'data/document.yaml:26:13: error: signer.position: "KT. CHỦ TỊCH" begins with KT., '
        "which belongs in signer.authority; the position is the signer's own (PHÓ CHỦ TỊCH, or "
        "Q. CHỦ TỊCH when acting)",
    ),
}


@pytest.mark.parametrize("kind", sorted(METADATA_ERRORS))
def test_what_a_kind_requires_or_refuses_is_an_error_with_its_place(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    edit, expected = METADATA_ERRORS[kind]
    project = _document(tmp_path, kind, edit)
    assert vanban(["build", str(project)]) == 1
    errors = expected.count("\n") + 1
    suffix = f"{errors} error{'s' if errors > 1 else ''}; nothing was written\n"
    assert capsys.readouterr().err == expected + "\n" + suffix
    assert not (project / "build").exists()


def _content(project: Path, edit: dict[str, str]) -> None:
    (path,) = (project / "content").glob("*.md")
    text = path.read_text(encoding="utf-8")
    for old, new in edit.items():
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_a_giay_moi_without_its_trich_yeu_has_the_rule_under_its_name(tmp_path: Path) -> None:
    project = _document(tmp_path, "giay-moi", {"summary:": "# summary:"})
    doc = read_docx(build_report(project).path)
    name, rule, invited = doc.blocks[1:4]
    assert (name.text, name.bold, name.size_pt) == ("GIẤY MỜI", True, 14) and centred(name)
    assert rule.text == "" and rule.borders == {"top": "single"}
    assert invited.text.startswith("Ủy ban nhân dân huyện trân trọng kính mời: Lãnh đạo")
    assert "Số:      /GM-UBND" in _texts(doc)
    assert [p.text for p in doc.tables[-1].rows[0][1] if p.text] == [
        "TL. CHỦ TỊCH",
        "CHÁNH VĂN PHÒNG",
        "Nguyễn Văn A",
    ]


def test_a_giay_moi_prints_its_time_and_place(docs: dict[str, Document]) -> None:
    texts = _texts(docs["giay-moi"])
    assert any(t.startswith("Thời gian: 01 buổi, bắt đầu lúc 08 giờ 00") for t in texts)
    assert "Địa điểm: Hội trường Ủy ban nhân dân huyện." in texts
    assert docs["giay-moi"].blocks[2].text.startswith("Dự họp đánh giá kết quả")  # ô 5


def test_a_giay_moi_without_its_time_or_place_is_an_error_at_its_kind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _document(tmp_path, "giay-moi", {})
    _content(
        project,
        {
            "Thời gian: 01 buổi, bắt đầu lúc 08 giờ 00, ngày": (
                "Cuộc họp diễn ra trong 01 buổi, ngày"
            ),
            "Địa điểm: Hội": "Ở Hội",
        },
    )
    assert vanban(["check", str(project)]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == [
        "data/document.yaml:3:7: error: content: a Giấy mời says the place (Địa điểm: …; ND30 "
        "Phụ lục III, Mẫu 1.7): no line of content/*.md starts with “Địa điểm” or “Tại”, and "
        "no sentence names it after the hour (…, tại …) [kind-text]",
        "data/document.yaml:3:7: error: content: a Giấy mời says the time (Thời gian: …; ND30 "
        "Phụ lục III, Mẫu 1.7): no line of content/*.md starts with “Thời gian”, and no "
        "sentence gives the hour (… lúc 14 giờ 00 …) [kind-text]",
    ]
    assert vanban(["build", str(project)]) == 1
    assert not (project / "build").exists()
    # a numbered, bold label says it as well, and a list's dash
    _content(
        project,
        {"Cuộc họp diễn ra trong": "4\\. **Thời gian:** trong", "Ở Hội": "- Địa điểm: Hội"},
    )
    assert vanban(["check", str(project)]) == 0


@pytest.mark.parametrize(
    ("sentence", "missing"),
    [
        ("vào lúc 14 giờ 00, ngày 20 tháng 12 năm 2026, tại Hội trường Ủy ban nhân dân huyện", []),
        ("vào lúc 14h00 ngày 20/12/2026 tại\nHội trường Ủy ban nhân dân huyện", []),
        ("hồi 7g30 ngày 20 tháng 12 năm 2026", ["place"]),
        ("ngày 20 tháng 12 năm 2026 tại Hội trường Ủy ban nhân dân huyện", ["place", "time"]),
    ],
)
def test_a_giay_moi_may_say_its_time_and_place_in_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sentence: str, missing: list[str]
) -> None:
    """The hour after “lúc” or “hồi”; the place after “tại” later in the same paragraph."""
    project = _document(tmp_path, "giay-moi", {})
    (path,) = (project / "content").glob("*.md")
    path.write_text(
        "Ủy ban nhân dân huyện trân trọng kính mời Lãnh đạo các cơ quan, đơn vị thuộc huyện "
        f"tới dự cuộc họp sơ kết công tác giảm nghèo {sentence}.\n",
        encoding="utf-8",
    )
    assert vanban(["check", str(project)]) == (1 if missing else 0)
    out = capsys.readouterr().out
    said = re.findall(r"a Giấy mời says the (\w+)", out)
    assert said == missing


def test_a_nghi_quyet_is_mau_1_1(docs: dict[str, Document]) -> None:
    doc = docs["nghi-quyet"]
    name, summary, _rule, council, session = doc.blocks[1:6]
    assert (name.text, summary.text) == (
        "NGHỊ QUYẾT",
        f"Về việc thông qua kế hoạch thực hiện công tác giảm nghèo năm {dt.date.today().year}",
    )
    assert [council.text, session.text] == ["HỘI ĐỒNG NHÂN DÂN HUYỆN …", "KHÓA …, KỲ HỌP THỨ …"]
    assert all(p.bold and p.size_pt == 14 and centred(p) for p in (council, session))
    assert [p.text for p in doc.paragraphs if p.italic][0].startswith("Căn cứ Luật Tổ chức")
    resolved = doc.paragraph("QUYẾT NGHỊ:")
    assert resolved.bold and centred(resolved)
    assert [p.text[:8] for p in doc.paragraphs if p.text.startswith("Điều ")] == [
        "Điều 1. ",
        "Điều 2. ",
        "Điều 3. ",
    ]
    assert doc.tables[-1].rows[0][0][1].text == "- Như Điều 3;"


def test_a_nghi_quyet_without_quyet_nghi_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _document(tmp_path, "nghi-quyet", {})
    path = project / "content" / "00-can-cu.md"
    path.write_text(path.read_text(encoding="utf-8").replace("QUYẾT NGHỊ:", "NHẤT TRÍ:"), "utf-8")
    assert vanban(["check", str(project)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "data/document.yaml:3:7: error: content: a Nghị quyết says what it resolves (QUYẾT "
        "NGHỊ: …; ND30 Phụ lục III, Mẫu 1.1): no line of content/*.md starts with “QUYẾT NGHỊ” "
        "[kind-text]"
    )


@pytest.mark.parametrize(
    ("block", "typed"),
    [
        (
            '::: {custom-style="Title"}\nQUYẾT NGHỊ:\n:::',
            '::: {custom-style="Title"}\nQUYẾT ĐỊNH:\n:::',
        ),
        ('::: {custom-style="Title"}\nQUYẾT NGHỊ:\n:::', "**QUYẾT ĐỊNH:**"),
    ],
)
def test_a_nghi_quyet_s_quyet_dinh_is_named_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], block: str, typed: str
) -> None:
    project = _document(tmp_path, "nghi-quyet", {})
    path = project / "content" / "00-can-cu.md"
    text = path.read_text(encoding="utf-8")
    assert block in text
    # A line of the Căn cứ that starts "Quyết định số …" is no such line
    path.write_text(
        text.replace(block, f"Quyết định số 12/QĐ-UBND ngày 02/01/2021;\n\n{typed}"), "utf-8"
    )
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(n for n, t in enumerate(lines, start=1) if "QUYẾT ĐỊNH:" in t)
    assert vanban(["check", str(project)]) == 1
    assert capsys.readouterr().out.splitlines()[:-1] == [
        f"content/00-can-cu.md:{line}:1: error: “QUYẾT ĐỊNH:” stands where a Nghị quyết says "
        "what it resolves (QUYẾT NGHỊ: …; ND30 Phụ lục III, Mẫu 1.1): write "
        "“QUYẾT NGHỊ:” [kind-text]"
    ]


@pytest.mark.parametrize(
    ("typed", "as_what"), [("**QUYẾT NGHỊ:**", "a paragraph"), ("# QUYẾT NGHỊ:", "a heading")]
)
def test_a_nghi_quyet_s_quyet_nghi_typed_as_text_is_told_how_to_centre_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], typed: str, as_what: str
) -> None:
    project = _document(tmp_path, "nghi-quyet", {})
    path = project / "content" / "00-can-cu.md"
    block = '::: {custom-style="Title"}\nQUYẾT NGHỊ:\n:::'
    text = path.read_text(encoding="utf-8")
    assert block in text
    path.write_text(text.replace(block, typed), encoding="utf-8")
    line = text[: text.index(block)].count("\n") + 1
    assert vanban(["build", str(project)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"content/00-can-cu.md:{line}:1: error: “QUYẾT NGHỊ:” is the line a Nghị quyết centres "
        f"on its own, bold (ND30 Phụ lục III, Mẫu 1.1); typed as {as_what} it prints as one: "
        'write it on the three lines ::: {custom-style="Title"}, QUYẾT NGHỊ:, ::: (as '
        "`vanban new nghi-quyet` does) [kind-text]",
        "1 error; nothing was written",
    ]


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (
            "giay-moi",
            'summary: empty (""); a Giấy mời with no trích yếu leaves summary out, or writes '
            "summary: null, and prints its type name and rule alone",
        ),
        ("bao-cao", 'summary: empty (""); a Báo cáo needs its trích yếu: write what it is about'),
    ],
)
def test_an_empty_summary_says_what_to_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, message: str
) -> None:
    project = tmp_path / kind
    scaffold(kind, project)
    path = project / "data" / "document.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    (at,) = [n for n, line in enumerate(lines) if line.startswith("summary:")]
    lines[at] = 'summary: ""'
    path.write_text("\n".join(lines), encoding="utf-8")
    assert vanban(["build", str(project)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"data/document.yaml:{at + 1}:10: error: {message}"
    )
    lines[at] = "summary: null"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert vanban(["build", str(project)]) == (0 if kind == "giay-moi" else 1)


@pytest.mark.parametrize(
    ("first", "printed"),
    [
        (
            "Như thành phần mời;",
            ["- Như thành phần mời;", "- Chủ tịch, các Phó Chủ tịch UBND huyện;"],
        ),
        ("Sở Nội vụ;", ["- Như trên;", "- Sở Nội vụ;", "- Chủ tịch, các Phó Chủ tịch UBND huyện;"]),
    ],
)
def test_a_kinh_gui_adds_nhu_tren_unless_the_first_recipient_says_so(
    tmp_path: Path, first: str, printed: list[str]
) -> None:
    project = _document(
        tmp_path,
        "giay-moi",
        {
            "recipients:": "recipients_to: Các phòng, ban thuộc huyện\nrecipients:",
            "  - Như thành phần mời;": f"  - {first}",
        },
    )
    doc = read_docx(build_report(project).path)
    received = [p.text for p in doc.tables[-1].rows[0][0] if p.text]
    assert received[1:-1] == printed


def test_a_bien_ban_is_mau_1_9(docs: dict[str, Document]) -> None:
    doc = docs["bien-ban"]
    (date,) = doc.tables[0].rows[1][1]
    assert date.text == ""  # no place and date line
    name, summary = doc.blocks[1:3]
    assert (name.text, summary.text[:20]) == ("BIÊN BẢN", "Cuộc họp đánh giá kế")
    texts = _texts(doc)
    assert "Địa điểm: Hội trường Ủy ban nhân dân huyện." in texts
    secretary, chair = doc.tables[-1].rows[0]
    assert [p.text for p in secretary if p.text] == ["THƯ KÝ", "Trần Thị B"]
    assert [p.text for p in chair if p.text] == ["CHỦ TỌA", "Nguyễn Văn A"]
    assert len(secretary) == len(chair)  # the names on one line
    # Nơi nhận under the signatures, flush left (Mẫu 1.9)
    after = doc.blocks[doc.blocks.index(doc.tables[-1]) + 1 :]
    assert [p.text for p in after] == ["Nơi nhận:", "- Các thành viên dự họp;", "- Lưu: VT, Hồ sơ."]
    assert after[0].bold and after[0].italic and after[0].alignment == "left"
    assert after[0].size_pt == 12 and after[1].size_pt == 11


def test_a_bien_ban_says_when_and_where_it_met(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _document(
        tmp_path,
        "bien-ban",
        {
            "recipients:": "recipients: null  #",
            "  - Các thành viên dự họp;\n": "",
            '  - "Lưu: VT, Hồ sơ."\n': "",
        },
    )
    _content(project, {"Thời gian bắt đầu:": "Bắt đầu:"})
    assert vanban(["check", str(project)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "data/document.yaml:3:7: error: content: a Biên bản says when and where it met (Thời "
        "gian: …; ND30 Phụ lục III, Mẫu 1.9): no line of content/*.md starts with “Thời gian” "
        "or “Hôm nay” or “Vào lúc” or “Vào hồi”, and no sentence gives the hour (… vào hồi 14 "
        "giờ 00 …) [kind-text]"
    )
    _content(project, {"Bắt đầu:": "Vào hồi …, ngày …,"})  # the commonest opening, a draft's
    assert vanban(["check", str(project)]) == 0
    _content(project, {"Vào hồi …, ngày …,": "Cuộc họp bắt đầu lúc 14 giờ 00, ngày …,"})
    assert vanban(["check", str(project)]) == 0
    _content(project, {"Cuộc họp bắt đầu lúc 14 giờ 00, ngày …,": "Hôm nay, vào lúc"})
    assert vanban(["check", str(project)]) == 0
    doc = read_docx(build_report(project).path)  # without Nơi nhận: the signatures alone
    assert doc.blocks[-1] == doc.tables[-1]
    assert not any(t.startswith("Nơi nhận") for t in _texts(doc))


def test_a_bien_ban_with_a_closing_template_without_the_secretary_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _document(tmp_path, "bien-ban", {})
    closing = project / "templates" / "closing.docx"
    parts = read_parts(closing)  # as a closing made before the Biên bản was a kind
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"secretary_", b"signer_")
    closing.write_bytes(write_parts(parts))
    assert vanban(["build", str(project)]) == 1
    assert capsys.readouterr().err == (
        f"error: {closing}: the closing has no secretary's signature ({{{{ secretary_name }}}}), "
        "which a Biên bản prints beside the chair's (ND30 Phụ lục III, Mẫu 1.9); run `vanban "
        "templates --force` for the default templates\n"
    )
    assert not (project / "build").exists()


def test_a_giay_gioi_thieu_is_mau_1_8(docs: dict[str, Document]) -> None:
    doc = docs["giay-gioi-thieu"]
    assert "Số:      /GGT-UBND" in _texts(doc)
    name, _rule, *text = doc.blocks[1:9]
    assert name.text == "GIẤY GIỚI THIỆU"
    # "… trân trọng giới thiệu:" centred, upright, as Mẫu 1.8 prints it; the rest the body's
    assert centred(text[0]) and not text[0].bold and text[0].size_pt == 14
    assert text[0].style == "Centred" and text[1].style == "Body Text"
    assert [p.text for p in text] == [
        "Ủy ban nhân dân huyện trân trọng giới thiệu:",
        "Ông (bà): Trần Văn C",
        "Chức vụ: Chuyên viên Phòng Lao động - Thương binh và Xã hội huyện.",
        "Được cử đến: Sở Lao động - Thương binh và Xã hội tỉnh.",
        "Về việc: Liên hệ, thống nhất số liệu giảm nghèo năm "
        f"{dt.date.today().year} của huyện (toàn huyện còn 120 hộ nghèo).",
        "Đề nghị Quý cơ quan tạo điều kiện để ông (bà) có tên ở trên hoàn thành nhiệm vụ.",
    ]
    assert _texts(doc)[_texts(doc).index(text[-1].text) + 1].startswith(
        "Giấy này có giá trị đến hết ngày … tháng … năm"
    )
    received, signer = doc.tables[-1].rows[0]
    assert [p.text for p in received] == ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    assert [p.text for p in signer if p.text] == ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Nguyễn Văn A"]


def test_a_giay_gioi_thieu_says_where_its_person_is_sent_and_until_when(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _document(tmp_path, "giay-gioi-thieu", {})
    _content(project, {"Được cử đến: Sở": "Đến Sở", "Giấy này có giá trị": "Có giá trị"})
    assert vanban(["check", str(project)]) == 1
    assert capsys.readouterr().out.splitlines()[:2] == [
        "data/document.yaml:3:7: error: content: a Giấy giới thiệu says until when it is valid "
        "(Giấy … có giá trị …; ND30 Phụ lục III, Mẫu 1.8): no line of content/*.md starts with "
        "“Giấy … có giá trị” [kind-text]",
        "data/document.yaml:3:7: error: content: a Giấy giới thiệu says where they are sent "
        "(Được cử đến: …; ND30 Phụ lục III, Mẫu 1.8): no line of content/*.md starts with "
        "“Được cử đến” [kind-text]",
    ]
    # "…" in the label is any words of the line; the label after a bold mark
    _content(project, {"Đến Sở": "**Được cử đến:** Sở", "Có giá trị": "Giấy giới thiệu có giá trị"})
    assert vanban(["check", str(project)]) == 0


def test_a_giay_nghi_phep_is_mau_1_10(docs: dict[str, Document]) -> None:
    doc = docs["giay-nghi-phep"]
    year = dt.date.today().year
    assert "Số:      /GNP-UBND" in _texts(doc)
    name, rule, *text = doc.blocks[1:8]
    assert (name.text, rule.borders) == ("GIẤY NGHỈ PHÉP", {"top": "single"})
    assert [p.text for p in text] == [
        f"Xét Đơn đề nghị nghỉ phép ngày … tháng … năm {year} của ông (bà) Trần Văn C, Ủy ban "
        "nhân dân huyện cấp cho:",
        "Ông (bà): Trần Văn C",
        "Chức vụ: Chuyên viên Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện.",
        f"Được nghỉ phép trong thời gian 05 ngày, kể từ ngày … tháng … năm {year} đến hết ngày "
        f"… tháng … năm {year} tại xã …, huyện …, tỉnh ….",
        "Số ngày nghỉ phép nêu trên được tính vào thời gian nghỉ hằng năm có hưởng lương năm "
        f"{year}./.",
    ]
    received, signer = doc.tables[-1].rows[0]
    assert [p.text for p in received] == ["Nơi nhận:", "- Ông (bà) Trần Văn C;", "- Lưu: VT, VP."]
    assert [p.text for p in signer if p.text] == ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Nguyễn Văn A"]


def test_a_giay_nghi_phep_prints_its_confirmation_block_when_asked(
    docs: dict[str, Document], tmp_path: Path
) -> None:
    # none unless asked: the sample's "(nếu cần)"
    assert not any("Xác nhận" in t for t in _texts(docs["giay-nghi-phep"]))
    project = _document(tmp_path, "giay-nghi-phep", {"# confirmation: true": "confirmation: true"})
    doc = read_docx(build_report(project).path)
    received, signer = doc.tables[-2].rows[0]
    assert [p.text for p in received][0] == "Nơi nhận:"
    block = doc.tables[-1]
    # under the closing, in a left cell as wide as Mẫu 1.10's (4004 twips), centred, italic
    assert block.grid[0] == 4004
    confirmation, blank = block.rows[0]
    assert [p.text for p in confirmation][:3] == [
        "Xác nhận của cơ quan (tổ chức) hoặc chính quyền địa phương nơi nghỉ phép",
        "",
        "(Chữ ký, dấu)",
    ]
    for p in (confirmation[0], confirmation[2]):
        assert centred(p) and p.italic and not p.bold and p.size_pt == 14
    # the signature's room under it, as under the signer's position
    assert len(confirmation) == 3 + 4 and [p.text for p in blank] == [""]
    # a heading of its own
    own = _document(
        tmp_path / "own",
        "giay-nghi-phep",
        {"# confirmation: true": 'confirmation: "Xác nhận của Ủy ban nhân dân xã Đắk Pék"'},
    )
    doc = read_docx(build_report(own).path)
    assert doc.tables[-1].rows[0][0][0].text == "Xác nhận của Ủy ban nhân dân xã Đắk Pék"


def test_diff_lists_a_confirmation_block_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = _document(tmp_path / "a", "giay-nghi-phep", {})
    b = _document(tmp_path / "b", "giay-nghi-phep", {"# confirmation: true": "confirmation: true"})
    assert vanban(["diff", str(a), str(b)]) == 0
    assert capsys.readouterr().out.splitlines()[2:4] == [
        "Masthead and closing: 1 changed",
        "  confirmation block: — → Xác nhận của cơ quan (tổ chức) hoặc chính quyền địa phương "
        "nơi nghỉ phép",
    ]


def test_a_reviewer_s_edit_of_the_confirmation_heading_is_written_as_its_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docx import Document as WordDocument

    project = _document(tmp_path, "giay-nghi-phep", {"# confirmation: true": "confirmation: true"})
    built = build_report(project).path
    word = WordDocument(str(built))
    (heading,) = [
        p
        for t in word.tables
        for cell in t._cells
        for p in cell.paragraphs
        if p.text.startswith("Xác nhận của cơ quan")
    ]
    heading.runs[-1].text += " (xã Đắk Pék)"
    edited = tmp_path / "edited.docx"
    word.save(str(edited))
    assert vanban(["absorb", str(edited), str(project)]) == 0
    metadata = (project / "data" / "document.yaml").read_text(encoding="utf-8").splitlines()
    (line,) = [line for line in metadata if line.startswith("confirmation:")]
    value, comment = line.split("  #", 1)
    assert value.rstrip() == (
        "confirmation: Xác nhận của cơ quan (tổ chức) hoặc chính quyền địa phương nơi nghỉ phép "
        "(xã Đắk Pék)"
    )
    assert "Mẫu 1.10" in comment  # its comment kept
    doc = read_docx(build_report(project).path)
    assert doc.tables[-1].rows[0][0][0].text.endswith("nơi nghỉ phép (xã Đắk Pék)")


def test_a_confirmation_block_is_a_giay_nghi_phep_s_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _document(tmp_path, "cong-van", {"signer:": "confirmation: true\nsigner:"})
    assert vanban(["check", str(project)]) == 1
    line = next(
        n
        for n, t in enumerate((project / "data/document.yaml").read_text().splitlines(), 1)
        if t.startswith("confirmation:")
    )
    assert capsys.readouterr().out.splitlines()[0] == (
        f"data/document.yaml:{line}:1: error: confirmation: a Công văn has no block for another "
        "body to confirm it (only a Giấy nghỉ phép has one: ND30 Phụ lục III, Mẫu 1.10); "
        "remove it"
    )


def test_a_closing_template_without_the_confirmation_block_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _document(tmp_path, "giay-nghi-phep", {"# confirmation: true": "confirmation: true"})
    closing = project / "templates" / "closing.docx"
    parts = read_parts(closing.read_bytes())
    document = parts["word/document.xml"].decode()
    document = re.sub(r"\{%p if confirmation %\}.*\{%p endif %\}", "", document, flags=re.S)
    assert "confirmation" not in document
    parts["word/document.xml"] = document.encode()
    closing.write_bytes(write_parts(parts))
    assert vanban(["build", str(project)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"error: {closing}: the closing has no confirmation block ({{{{ confirmation }}}}), "
        "which a Giấy nghỉ phép prints under it when data/document.yaml asks (confirmation:; "
        "ND30 Phụ lục III, Mẫu 1.10); run `vanban templates --force` for the default templates"
    )


def test_a_giay_nghi_phep_says_whom_for_how_long_and_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _document(tmp_path, "giay-nghi-phep", {})
    _content(
        project, {"Ông (bà): Trần": "Họ và tên: Trần", ", huyện …, tỉnh …": "", " tại xã …": ""}
    )
    assert vanban(["check", str(project)]) == 1
    assert capsys.readouterr().out.splitlines()[:2] == [
        "data/document.yaml:3:7: error: content: a Giấy nghỉ phép says where it is spent (Được "
        "nghỉ phép … tại …; ND30 Phụ lục III, Mẫu 1.10): no line of content/*.md starts with "
        "“Được nghỉ phép … tại” or “Nơi nghỉ phép” [kind-text]",
        "data/document.yaml:3:7: error: content: a Giấy nghỉ phép says whom it is for (Ông: …; "
        "ND30 Phụ lục III, Mẫu 1.10): no line of content/*.md starts with “Ông” or “Bà” or "
        "“Đồng chí” [kind-text]",
    ]
    # the place on a line of its own, the person as "Đồng chí"
    _content(project, {"Họ và tên: Trần": "Đồng chí Trần", "./.": ".\n\nNơi nghỉ phép: xã …./."})
    assert vanban(["check", str(project)]) == 0
    capsys.readouterr()
    _content(project, {"05 ngày, kể từ ngày": "05 ngày, bắt đầu"})
    assert vanban(["check", str(project)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "data/document.yaml:3:7: error: content: a Giấy nghỉ phép says for how long (Được nghỉ "
        "phép … từ ngày …; ND30 Phụ lục III, Mẫu 1.10): no line of content/*.md starts with "
        "“Được nghỉ phép … từ ngày” [kind-text]"
    )


def test_a_cong_dien_is_mau_1_6(docs: dict[str, Document]) -> None:
    doc = docs["cong-dien"]
    assert "Số:      /CĐ-UBND" in _texts(doc)
    name, summary, rule, sender, *sent_to = doc.blocks[1:7]
    assert (name.text, name.bold) == ("CÔNG ĐIỆN", True) and centred(name)
    assert summary.text == "Về việc chủ động ứng phó với mưa lũ, bảo đảm an toàn cho Nhân dân"
    assert rule.borders == {"top": "single"}
    # the sender, centred, upright and not bold, 14 pt (Mẫu 1.6, ô 6)
    assert sender.text == "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN … điện:"
    assert centred(sender) and sender.size_pt == 14 and not sender.bold and not sender.italic
    # whom it is sent to: a dash line each, the dashes 1076 + 2016 + 108 twips in (ô 7),
    # justified up to where the sample's cell stops: 1076 + 7344 - 108 from the left margin
    assert [p.text for p in sent_to] == [
        "- Thủ trưởng các cơ quan, đơn vị thuộc huyện;",
        "- Chủ tịch Ủy ban nhân dân các xã, thị trấn.",
    ]
    for item in sent_to:
        assert item.left + item.first_line == 3200 and item.first_line == -DASH_WIDTH
        page = doc.sections[0]
        text_width = page.width - page.margins["left"] - page.margins["right"]
        assert item.right == text_width - (1076 + 7344 - 108)
        assert item.size_pt == 14 and item.alignment == "both" and not item.bold
    assert not any("Kính gửi" in t for t in _texts(doc))
    assert doc.blocks[8].text.startswith("Theo dự báo của cơ quan khí tượng thủy văn")
    received, signer = doc.tables[-1].rows[0]
    assert [p.text for p in received][:2] == ["Nơi nhận:", "- Như trên;"]
    assert [p.text for p in signer if p.text] == ["CHỦ TỊCH", "Nguyễn Văn A"]


def test_a_cong_dien_s_sender_typed_with_dien_prints_it_once(tmp_path: Path) -> None:
    project = _document(
        tmp_path,
        "cong-dien",
        {"issuer: CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN …": 'issuer: "THỦ TƯỚNG CHÍNH PHỦ ĐIỆN:"'},
    )
    doc = read_docx(build_report(project).path)
    assert doc.blocks[4].text == "THỦ TƯỚNG CHÍNH PHỦ điện:"


def test_a_cong_dien_with_a_masthead_template_without_its_sender_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _document(tmp_path, "cong-dien", {})
    masthead = project / "templates" / "masthead.docx"
    parts = read_parts(masthead)  # as a masthead made before the Công điện was a kind
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"sender_line", b"issuer")
    masthead.write_bytes(write_parts(parts))
    assert vanban(["build", str(project)]) == 1
    assert capsys.readouterr().err == (
        f"error: {masthead}: the masthead has no sender line ({{{{ sender_line }}}}) and "
        "recipients (sent_to), which a Công điện prints under its title (ND30 Phụ lục III, Mẫu "
        "1.6); run `vanban templates --force` for the default templates\n"
    )
    assert not (project / "build").exists()


def test_an_unknown_kind_lists_the_kinds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _document(tmp_path, "ke-hoach", {"kind: ke-hoach": "kind: thong-tu"})
    assert vanban(["build", str(project)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "data/document.yaml:3:7: error: kind: expected one of bao-cao (Báo cáo), ke-hoach (Kế "
        "hoạch), to-trinh (Tờ trình), cong-van (Công văn), quyet-dinh (Quyết định), chi-thi (Chỉ "
        "thị), quy-che (Quy chế), quy-dinh (Quy định), thong-cao (Thông cáo), thong-bao (Thông "
        "báo), huong-dan (Hướng dẫn), chuong-trinh (Chương trình), phuong-an (Phương án), de-an "
        "(Đề án), du-an (Dự án), giay-uy-quyen (Giấy ủy quyền), phieu-gui (Phiếu gửi), "
        "phieu-chuyen (Phiếu chuyển), phieu-bao (Phiếu báo), giay-moi (Giấy mời), nghi-quyet (Nghị "
        "quyết), bien-ban (Biên bản), giay-gioi-thieu (Giấy giới thiệu), giay-nghi-phep "
        "(Giấy nghỉ phép), cong-dien (Công điện), got 'thong-tu'"
    )


# ------------------------------------------------------------------- LibreOffice


@needs_libreoffice
def test_libreoffice_shows_every_kind_as_nd30_lays_it_out(
    built: dict[str, Path], tmp_path: Path
) -> None:
    profile = tmp_path / "lo-profile"
    command = [str(soffice()), f"-env:UserInstallation=file://{profile}", "--headless"]
    command += ["--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, built.values())]
    subprocess.run(command, capture_output=True, timeout=300, check=True)
    for kind, docx in built.items():
        pdf = tmp_path / f"{docx.stem}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        assert "(A4)" in info.stdout, kind
        text = subprocess.run(
            ["pdftotext", "-layout", "-f", "1", "-l", "1", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]
        council = KINDS[kind].agency[0]
        assert lines[0].startswith(f"{council} CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), kind
        title = KINDS[kind].title
        flat = "\n".join(lines)
        if title is None:
            assert "V/v đề nghị" in flat and "CÔNG VĂN" not in flat
            assert flat.index("V/v") < flat.index("Kính gửi:") < flat.index("Để có cơ sở")
        else:
            assert title in lines
        if KINDS[kind].dispatch:  # a Công điện: whom it is sent to under "… điện:"
            assert "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN … điện:" in lines and "Kính gửi" not in flat
            assert flat.index(title) < flat.index("điện:") < flat.index("- Thủ trưởng các")
        elif KINDS[kind].recipients_to == REQUIRED:
            assert "Kính gửi:" in flat
        pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]
        assert (
            "Nguyễn Văn A"
            in subprocess.run(
                ["pdftotext", "-f", str(pages), "-l", str(pages), str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )


def test_every_problem_of_the_document_yaml_in_one_run_in_the_same_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing key the schema requires does not hide the kind's errors, nor the errors
    the warnings: `vanban build` and `vanban check` print them all, in line order."""
    project = _document(
        tmp_path,
        "giay-moi",
        {
            "  full_name: Ủy ban nhân dân huyện …\n": "",
            "    - TL. CHỦ TỊCH": "    - TL CHỦ TỊCH",
            "recipients:": (
                "recipients_to: Các phòng, ban\nsecretary: {name: Lê Thị C}\nrecipients:"
            ),
        },
    )
    expected = [
        "data/document.yaml:6:1: error: agency: missing required key 'full_name'",
        "data/document.yaml:18:1: warning: recipients_to: ND30's sample of a Giấy mời (Mẫu 1.7, "
        "Phụ lục III) has no Kính gửi (ND30 Phụ lục I, II.9.b: only a Tờ trình, a Báo cáo to a "
        "higher body and a Công văn have one); keep it if this Giấy mời is addressed to a body, "
        "else list the body under recipients [recipients-to]",
        "data/document.yaml:19:1: error: secretary: a Giấy mời has one signer (only a Biên bản "
        "has a secretary's signature too); remove it",
        'data/document.yaml:26:7: error: signer.authority: "TL CHỦ TỊCH" does not start with an '
        "ND30 prefix and a space (TM., KT., TL., TUQ.: Phụ lục I, II.7.b)",
    ]
    assert vanban(["build", str(project)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        *expected,
        "3 errors, 1 warning; nothing was written",
    ]
    assert not (project / "build").exists()
    assert vanban(["check", str(project)]) == 1
    assert capsys.readouterr().out.splitlines()[:-1] == expected


def test_a_bien_ban_chair_signing_for_the_authority_keeps_the_names_on_one_line(
    tmp_path: Path,
) -> None:
    project = _document(
        tmp_path,
        "bien-ban",
        {
            "  authority: null         # người ký theo thẩm quyền của chính mình": (
                "  authority: [TM. ỦY BAN NHÂN DÂN]"
            ),
            "position: CHỦ TỌA": "position: PHÓ CHỦ TỊCH",
        },
    )
    doc = read_docx(build_report(project).path)
    secretary, chair = doc.tables[-1].rows[0]
    assert [p.text for p in chair if p.text] == [
        "TM. ỦY BAN NHÂN DÂN",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn A",
    ]
    # one empty line for the authority's: the positions and the names stand level
    assert [p.text for p in secretary][:2] == ["", "THƯ KÝ"]
    assert len(secretary) == len(chair)
    assert [p.text for p in secretary].index("Trần Thị B") == [p.text for p in chair].index(
        "Nguyễn Văn A"
    )


@pytest.mark.parametrize("prefix", ["TM.", "KT.", "TL.", "TUQ."])
def test_a_bien_ban_s_secretary_signs_for_no_one(
    tmp_path: Path, prefix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _document(
        tmp_path, "bien-ban", {"  position: THƯ KÝ": f"  position: {prefix} THƯ KÝ"}
    )
    assert vanban(["build", str(project)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f'data/document.yaml:27:13: error: secretary.position: "{prefix} THƯ KÝ" begins with '
        f"{prefix}, but a Biên bản's secretary signs for no one (ND30 Phụ lục III, Mẫu 1.9: "
        "THƯ KÝ); write the position alone, and an authority the chair signs for in "
        "signer.authority",
        "1 error; nothing was written",
    ]
    assert not (project / "build").exists()


@pytest.mark.parametrize(
    ("edit", "place", "said"),
    [
        ({"  position: THƯ KÝ": "  position: CHỦ TỌA"}, "27:13", 'secretary.position: "CHỦ TỌA"'),
        ({"  position: THƯ KÝ": "  position: Chủ trì"}, "27:13", 'secretary.position: "Chủ trì"'),
        ({"position: CHỦ TỌA ": "position: THƯ KÝ "}, "24:13", 'signer.position: "THƯ KÝ"'),
    ],
)
def test_a_bien_ban_s_signatures_the_wrong_way_round_are_a_warning(
    tmp_path: Path, edit: dict[str, str], place: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _document(tmp_path, "bien-ban", edit)
    assert vanban(["check", str(project)]) == 0
    warning = (
        f"data/document.yaml:{place}: warning: {said} is the other signature's: a Biên bản is "
        "signed by its secretary on the left (THƯ KÝ, secretary) and its chair on the right "
        "(CHỦ TỌA, signer; ND30 Phụ lục III, Mẫu 1.9); swap secretary and signer if they are "
        "the wrong way round [cosigners]"
    )
    assert capsys.readouterr().out.splitlines()[0] == warning
    # A waiver at: secretary accepts it, bound to its message
    waiver = (
        "waivers:\n  - rule: cosigners\n    at: secretary\n    reason: As issued.\n"
        "    by: Nguyễn Văn B\n"
    )
    waivers = project / "checks" / "waivers.yaml"
    waivers.write_text(waiver, encoding="utf-8")
    assert vanban(["check", str(project)]) == 1
    out, err = capsys.readouterr()
    found = re.search(r'accepted: \{fingerprint: "\w+"\}', out + err)
    assert found is not None, out + err
    waivers.write_text(f"{waiver}    {found.group()}\n", encoding="utf-8")
    assert vanban(["check", str(project)]) == 0
    assert "0 errors, 0 warnings, 1 acknowledged" in capsys.readouterr().out


def test_a_bien_ban_signed_the_right_way_round_has_no_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _document(tmp_path, "bien-ban", {"position: CHỦ TỌA ": "position: CHỦ TRÌ "})
    assert vanban(["check", str(project)]) == 0
    assert "[cosigners]" not in capsys.readouterr().out
