"""The parts of ND30 for issuing a document: ô 12 (the drafter's initials and the copies) and
ô 13 (the agency's address and contacts), and a document signed digitally (issuance:
electronic): the room for the signature and seal images, the appendices' "(Kèm theo …)"
line left unfilled, and appendices in files of their own. Asserted on what a reader sees:
the document's lines, and their places and sizes on LibreOffice's render."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import copy_case, needs_libreoffice, pdf_pages, to_pdf
from docx_reader import Paragraph, read_docx
from test_word_native import audit
from vanban.batch import batch_command
from vanban.cli import main as vanban
from vanban.errors import OutputError, ProblemsError, TemplateError
from vanban.ooxml import parse_xml, qn, read_parts, write_parts
from vanban.pipeline import build, build_report

PT_PER_MM = 72 / 25.4
PAGE_HEIGHT = 841.89  # A4, points
TOP, BOTTOM, LEFT, RIGHT = (m * PT_PER_MM for m in (20, 20, 30, 15))  # ND30 margins
# pdftotext's word box is the font's box: 1.3 times the size for Liberation Serif.
BOX_PER_PT = 1.3

CONTACT = """contact:
  address: Số 8 đường Hùng Vương, thị trấn Thử Nghiệm, huyện Thử Nghiệm
  phone: 0260 3861 234
  fax: 0260 3861 235
  email: ubnd@thunghiem.gov.vn
  website: thunghiem.gov.vn
"""
CONTACT_LINES = [
    "Số 8 đường Hùng Vương, thị trấn Thử Nghiệm, huyện Thử Nghiệm",
    "ĐT: 0260 3861 234, Fax: 0260 3861 235",
    "E-Mail: ubnd@thunghiem.gov.vn, Website: thunghiem.gov.vn",
]
REFERENCE_BLANK = (
    "(Kèm theo Báo cáo số      /BC-UBND ngày      tháng      năm 2024 của Ủy ban nhân dân "
    "huyện Thử Nghiệm)"
)


def project(tmp_path: Path, extra: str = "", case: str = "appendix-basic", **replace: str) -> Path:
    """A copy of a test case whose data/document.yaml gets these lines added (and these
    texts replaced)."""
    root = copy_case(case, tmp_path)
    document = root / "data" / "document.yaml"
    text = document.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    document.write_text(text + extra, encoding="utf-8")
    return root


def final(number: str = "5", date: str = "2024-01-05") -> dict[str, str]:
    return {
        "status: draft": "status: final",
        "number: null": f"number: {number}",
        "date: null": f"date: {date}",
    }


def paragraphs(docx: Path) -> list[str]:
    """Return the text of every paragraph of the body, in tables too, in order."""
    return read_docx(docx).all_text.split("\n")


Word = tuple[float, float, float, float, str]


def words(pdf: Path, page: int) -> list[Word]:
    """Return the words of a page as LibreOffice placed them: x0, y0, x1, y1 (points from the
    top left corner) and the text."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        html,
    )
    return [(float(a), float(b), float(c), float(d), _unescape(t)) for a, b, c, d, t in found]


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def lines(pdf: Path, page: int) -> list[tuple[float, float, str, float]]:
    """Return the lines of a page, top to bottom: top, bottom, text, and the font size in
    points (from the height of the words' boxes)."""
    rows: dict[float, list[Word]] = {}
    for word in words(pdf, page):
        key = next((k for k in rows if abs(k - word[3]) < 1.5), word[3])
        rows.setdefault(key, []).append(word)
    out = []
    for key in sorted(rows):
        row = sorted(rows[key])
        text = " ".join(w[4] for w in row)
        size = max(w[3] - w[1] for w in row) / BOX_PER_PT
        out.append((min(w[1] for w in row), max(w[3] for w in row), text, round(size, 1)))
    return out


def line(pdf: Path, page: int, text: str) -> tuple[float, float, str, float]:
    found = [entry for entry in lines(pdf, page) if entry[2] == text]
    assert found, [entry[2] for entry in lines(pdf, page)]
    return found[0]


def dark_rows(pdf: Path, page: int, tmp_path: Path) -> list[tuple[float, float, float]]:
    """Return the horizontal rules of a page: for each pixel row (72 dpi) whose dark pixels
    run unbroken over at least 100 pt, its y and the run's left and right ends (points)."""
    stem = tmp_path / f"page-{page}"
    command = ["pdftoppm", "-gray", "-r", "72", "-f", str(page), "-l", str(page)]
    subprocess.run([*command, str(pdf), str(stem)], check=True)
    (image,) = tmp_path.glob(f"page-{page}*.pgm")
    data = image.read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert header is not None
    width, height = int(header.group(1)), int(header.group(2))
    pixels = data[header.end() :]
    image.unlink()
    rules = []
    for y in range(height):
        row = pixels[y * width : (y + 1) * width]
        start = None
        for x in range(width + 1):
            dark = x < width and row[x] < 128
            if dark and start is None:
                start = x
            elif not dark and start is not None:
                if x - start >= 100:
                    rules.append((float(y), float(start), float(x)))
                start = None
    return rules


# ---------------------------------------------------------------------- ô 9a


@needs_libreoffice
def test_a_to_trinh_prints_its_kinh_gui_where_nd30_lays_out_9a(tmp_path: Path) -> None:
    root = tmp_path / "to-trinh"
    assert vanban(["new", "to-trinh", str(root)]) == 0
    pdf = to_pdf(build(root), tmp_path)
    page = lines(pdf, 1)
    texts = [entry[2] for entry in page]
    summary = texts.index("Đề nghị phê duyệt kinh phí thực hiện công tác giảm nghèo năm 2026")
    kinh_gui = texts.index("Kính gửi: Ủy ban nhân dân tỉnh …")
    # Under the type name and trích yếu (ô 5a), before the căn cứ and the text (ô 6).
    assert texts[summary - 1] == "TỜ TRÌNH"
    assert kinh_gui == summary + 1
    assert texts[kinh_gui + 1].startswith("Căn cứ")
    top, _, _, size = page[kinh_gui]
    assert top - page[summary][1] > 6 * PT_PER_MM  # apart from the trích yếu and its rule
    assert size == pytest.approx(14, abs=0.3)  # ND30 II.9.d: 13–14
    text_centre = (LEFT + 595.28 - RIGHT) / 2
    assert _centre(pdf, "Kính gửi: Ủy ban nhân dân tỉnh …") == pytest.approx(text_centre, abs=2)


# ---------------------------------------------------------------------- ô 12


def test_drafter_and_copies_end_the_archive_line(tmp_path: Path) -> None:
    docx = build(project(tmp_path, "drafter: NVA\ncopies: 12\n"))
    texts = paragraphs(docx)
    assert "- Lưu: VT. NVA.(12)." in texts
    assert texts.index("- Lưu: VT. NVA.(12).") == texts.index("Nơi nhận:") + 2


def test_without_drafter_the_archive_line_is_as_typed(tmp_path: Path) -> None:
    texts = paragraphs(build(project(tmp_path)))
    assert "- Lưu: VT." in texts


def test_copies_alone_print_in_brackets(tmp_path: Path) -> None:
    texts = paragraphs(build(project(tmp_path, "copies: 7\n", **{'"Lưu: VT."': '"Lưu: VT, VP"'})))
    assert "- Lưu: VT, VP. (7)." in texts


def test_drafter_needs_the_archive_line_last(tmp_path: Path) -> None:
    root = project(tmp_path, "drafter: NVA\n", **{'  - "Lưu: VT."\n': ""})
    with pytest.raises(ProblemsError) as caught:
        build(root)
    assert [str(p) for p in caught.value.problems] == [
        "data/document.yaml:15:5: error: recipients: the drafter's initials and the copies "
        '(ô 12) end the Nơi nhận\'s last line, "Lưu: VT, …" (ND30 Phụ lục I, II.9.d; Phụ lục '
        "III, Mẫu 1.4), got 'Sở Lao động-TB&XH tỉnh;'"
    ]


@needs_libreoffice
def test_drafter_line_is_11_pt_at_the_foot_of_the_recipients(tmp_path: Path) -> None:
    pdf = to_pdf(build(project(tmp_path, "drafter: NVA\ncopies: 12\n")), tmp_path)
    heading = line(pdf, 1, "Nơi nhận:")
    top, _, _, size = line(pdf, 1, "- Lưu: VT. NVA.(12).")
    assert size == pytest.approx(11, abs=0.3)
    assert top > heading[1]
    dash = min(w[0] for w in words(pdf, 1) if w[1] >= top - 1 and w[4] == "-")
    assert dash == pytest.approx(LEFT, abs=1.5)  # flush left, as Nơi nhận


# ---------------------------------------------------------------------- ô 13


def test_contact_is_the_first_page_footer_only(tmp_path: Path) -> None:
    docx = build(project(tmp_path, CONTACT))
    parts = read_parts(docx)
    document = parse_xml(parts["word/document.xml"])
    sections = list(document.iter(qn("w:sectPr")))
    assert len(sections) == 3  # the text, two appendices
    footers = [[r.get(qn("w:type")) for r in s.findall(qn("w:footerReference"))] for s in sections]
    assert footers == [["first"], ["first"], ["first"]]
    texts = {
        name: "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in parse_xml(data))
        for name, data in parts.items()
        if name.startswith("word/footer")
    }
    assert sorted(texts.values()) == sorted(["", "\n".join(CONTACT_LINES)])


@needs_libreoffice
def test_contact_prints_11_pt_under_a_full_width_rule_inside_the_text_area(
    tmp_path: Path,
) -> None:
    pdf = to_pdf(build(project(tmp_path, CONTACT)), tmp_path)
    page = lines(pdf, 1)
    assert [entry[2] for entry in page[-3:]] == CONTACT_LINES
    for _top, bottom, _text, size in page[-3:]:
        assert size == pytest.approx(11, abs=0.3)
        assert bottom <= PAGE_HEIGHT - BOTTOM + 1.5  # inside the text area (font box)
    first_top = page[-3][0]
    rules = [r for r in dark_rows(pdf, 1, tmp_path) if first_top - 12 < r[0] < first_top]
    assert rules, "no rule over ô 13"
    _y, start, end = rules[-1]
    assert start == pytest.approx(LEFT, abs=2)
    assert end == pytest.approx(595.28 - RIGHT, abs=2)
    assert page[-4][1] < rules[-1][0]  # the signer's name stays above the rule
    for number in range(2, len(pdf_pages(pdf)) + 1):  # the appendices' pages
        assert not any("Hùng Vương" in entry[2] for entry in lines(pdf, number))


# ------------------------------------------------------ the electronic document


def _gap_mm(pdf: Path, position: str = "CHỦ TỊCH", name: str = "Nguyễn Văn A") -> float:
    return (line(pdf, 1, name)[0] - line(pdf, 1, position)[1]) / PT_PER_MM


@needs_libreoffice
def test_room_for_the_signature_images(tmp_path: Path) -> None:
    paper = to_pdf(build(project(tmp_path / "paper")), tmp_path / "paper")
    electronic = project(tmp_path / "e", "issuance: electronic\n")
    signed = to_pdf(build(electronic), tmp_path / "e")
    wider = project(tmp_path / "w", "issuance: electronic\nsignature_space: 50\n")
    wide = to_pdf(build(wider), tmp_path / "w")
    assert 20 < _gap_mm(paper) < 25  # four lines for a handwritten signature
    assert 35 <= _gap_mm(signed) < 35 + 6
    assert 50 <= _gap_mm(wide) < 50 + 6
    # The image is centred between chức vụ and name: both stay centred on one axis.
    for pdf in (paper, signed, wide):
        assert _centre(pdf, "CHỦ TỊCH") == pytest.approx(_centre(pdf, "Nguyễn Văn A"), abs=1.5)


def _centre(pdf: Path, text: str) -> float:
    top, bottom, _, _ = line(pdf, 1, text)
    row = [w for w in words(pdf, 1) if w[1] >= top - 0.5 and w[3] <= bottom + 0.5]
    return (min(w[0] for w in row) + max(w[2] for w in row)) / 2


def test_a_closing_template_without_the_loop_cannot_keep_the_room(tmp_path: Path) -> None:
    root = project(tmp_path, "issuance: electronic\n")
    closing = root / "templates" / "closing.docx"
    parts = read_parts(closing)
    xml = parts["word/document.xml"]
    # a Biên bản's two signatures, or one; a Giấy nghỉ phép's confirmation block
    assert xml.count(b"for _ in signature_lines") == 4
    # As a template edited before the loop existed: four lines of its own.
    parts["word/document.xml"] = xml.replace(b"for _ in signature_lines", b"for _ in [1, 2, 3, 4]")
    closing.write_bytes(write_parts(parts))
    with pytest.raises(TemplateError) as caught:
        build(root)
    assert str(caught.value) == (
        f"{closing}: the signature block has no {{%p for _ in signature_lines %}} loop around "
        "its empty line, so it cannot keep the room asked for between chức vụ and name "
        "(issuance: electronic, or signature_space); run `vanban templates --force` for the "
        "default templates, or put the loop around that line in Word"
    )
    document = root / "data" / "document.yaml"
    text = document.read_text(encoding="utf-8").replace("issuance: electronic\n", "")
    document.write_text(text, encoding="utf-8")
    assert "- Lưu: VT." in paragraphs(build(root))  # on paper, its four lines do


def test_electronic_appendices_leave_the_reference_unfilled(tmp_path: Path) -> None:
    paper = paragraphs(build(project(tmp_path / "paper", "", **final())))
    assert (
        "(Kèm theo Báo cáo số 05/BC-UBND ngày 05 tháng 01 năm 2024 của Ủy ban nhân dân "
        "huyện Thử Nghiệm)" in paper
    )
    signed = build(project(tmp_path / "e", "issuance: electronic\n", **final()))
    texts = paragraphs(signed)
    assert "Số: 05/BC-UBND" in texts  # the masthead prints what is given
    assert texts.count(REFERENCE_BLANK) == 2


def test_an_electronic_final_document_takes_its_number_from_the_system(tmp_path: Path) -> None:
    replaced = {"status: draft": "status: final"}
    with pytest.raises(ProblemsError) as caught:
        build(project(tmp_path / "paper", "", **replaced))
    assert [p.message for p in caught.value.problems] == [
        "number: a final document needs its number; only a draft leaves it blank",
        "date: a final document needs its date; only a draft leaves it blank",
    ]
    texts = paragraphs(build(project(tmp_path / "e", "issuance: electronic\n", **replaced)))
    assert "Số:      /BC-UBND" in texts


def test_separate_appendix_files_need_an_electronic_document(tmp_path: Path) -> None:
    with pytest.raises(ProblemsError) as caught:
        build(project(tmp_path, "appendix_files: separate\n"))
    assert [str(p) for p in caught.value.problems] == [
        "data/document.yaml:21:1: error: appendix_files: appendices in files of their own are "
        "for a document issued electronically (ND30 Phụ lục I, III.1.d); add issuance: "
        "electronic, or remove appendix_files"
    ]


SEPARATE = "issuance: electronic\nappendix_files: separate\n"


def test_each_appendix_in_a_file_of_its_own(tmp_path: Path) -> None:
    root = project(tmp_path, SEPARATE + CONTACT)
    built = build_report(root)
    build_dir = root / "build"
    assert sorted(p.name for p in build_dir.iterdir()) == [
        "thu-nghiem-phu-luc-01.docx",
        "thu-nghiem-phu-luc-02.docx",
        "thu-nghiem.docx",
    ]
    assert built.attachments == (
        build_dir / "thu-nghiem-phu-luc-01.docx",
        build_dir / "thu-nghiem-phu-luc-02.docx",
    )
    main = read_docx(built.path)
    assert len(main.sections) == 1
    assert main.sections[0].footers["first"].text == "\n".join(CONTACT_LINES)
    assert not any(t.startswith("Phụ lục") for t in paragraphs(built.path))
    first, second = (read_docx(path) for path in built.attachments)
    heads = [
        [b.text for b in doc.sections[0].blocks if isinstance(b, Paragraph) and b.text][:3]
        for doc in (first, second)
    ]
    assert heads == [
        ["Phụ lục I", "VỐN PHÂN BỔ THEO DỰ ÁN NĂM 2022, 2023", REFERENCE_BLANK],
        ["Phụ lục II", "HỘ NGHÈO THEO XÃ, THỊ TRẤN CUỐI NĂM 2023", REFERENCE_BLANK],
    ]
    assert [len(doc.sections) for doc in (first, second)] == [1, 1]
    assert [doc.sections[0].orientation for doc in (first, second)] == ["portrait", "landscape"]
    assert [doc.sections[0].page_number_start for doc in (first, second)] == [1, 1]
    assert [doc.sections[0].title_page for doc in (first, second)] == [True, True]
    for path in (built.path, *built.attachments):
        assert audit(path) == []
    # Neither the text's notes nor its ô 13 travel into the appendix files.
    for path in built.attachments:
        parts = read_parts(path)
        assert not any(name.startswith("word/footer") for name in parts)
        assert b"H\xc3\xb9ng V\xc6\xb0\xc6\xa1ng" not in parts["word/document.xml"]


@needs_libreoffice
def test_an_appendix_file_keeps_its_top_right_corner_for_the_agency_signature(
    tmp_path: Path,
) -> None:
    built = build_report(project(tmp_path, SEPARATE))
    for path, width in zip(built.attachments, (595.28, 841.89), strict=True):
        pdf = to_pdf(path, tmp_path)
        page = lines(pdf, 1)
        assert page[0][2] in ("Phụ lục I", "Phụ lục II")
        # 10 mm under the top margin stay empty for the signature's 10 pt line (Mẫu 2.2).
        assert page[0][0] >= TOP + 10 * PT_PER_MM - 1
        band = [w for w in words(pdf, 1) if w[3] < TOP + 10 * PT_PER_MM and w[2] > width / 2]
        assert band == []
        pages = pdf_pages(pdf)
        assert pages[0]["text"].strip().splitlines()[0].strip() == page[0][2]  # no number
        if len(pages) > 1:  # numbered from 1 in each file (ND30 Phụ lục I, III.1.đ)
            assert pages[1]["text"].strip().splitlines()[0].strip() == "2"


def test_going_back_to_one_file_removes_the_appendix_files(tmp_path: Path) -> None:
    root = project(tmp_path, SEPARATE)
    build(root)
    (root / "build" / "thu-nghiem-phu-luc-02.pdf").write_bytes(b"%PDF- an older export")
    document = root / "data" / "document.yaml"
    text = document.read_text(encoding="utf-8").replace("appendix_files: separate\n", "")
    document.write_text(text, encoding="utf-8")
    built = build_report(root)
    assert built.attachments == ()
    assert sorted(p.name for p in (root / "build").iterdir()) == ["thu-nghiem.docx"]
    assert len(read_docx(built.path).sections) == 3


def test_a_failed_write_changes_none_of_the_files(tmp_path: Path) -> None:
    root = project(tmp_path, SEPARATE)
    build(root)
    build_dir = root / "build"
    before = {p.name: p.read_bytes() for p in build_dir.iterdir()}
    locked = build_dir / "thu-nghiem-phu-luc-02.docx"
    locked.chmod(0o444)
    document = root / "data" / "document.yaml"
    text = document.read_text(encoding="utf-8").replace("Nguyễn Văn A", "Trần Văn B")
    document.write_text(text, encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        build(root)
    assert str(caught.value) == (
        "cannot write build/thu-nghiem-phu-luc-02.docx: the file is read-only (make it "
        "writable, or write elsewhere with --output); nothing was written"
    )
    assert {p.name: p.read_bytes() for p in build_dir.iterdir()} == before


@needs_libreoffice
def test_pdf_of_every_file_in_one_run(tmp_path: Path) -> None:
    built = build_report(project(tmp_path, SEPARATE), pdf=True)
    assert built.pdf is not None
    assert [c.path for c in built.attachment_pdfs] == [
        p.with_suffix(".pdf") for p in built.attachments
    ]
    for converted in (built.pdf, *built.attachment_pdfs):
        assert converted.facts.all_a4
        assert converted.path.exists()
    assert len(built.attachment_pdfs[1].facts.pages) >= 1


def test_batch_collects_the_appendix_files(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = project(tmp_path / "tinh", SEPARATE)
    shutil.rmtree(root / "build", ignore_errors=True)
    status = batch_command([tmp_path / "tinh"], jobs=1, collect_into=tmp_path / "nop")
    out = capsys.readouterr().out
    assert status == 0
    assert re.search(
        r"^\[1/1\] ok .*thu-nghiem\.docx \([0-9.]+ s, 1 warning, 2 appendix files\)$", out, re.M
    ), out
    assert sorted(p.name for p in (tmp_path / "nop").iterdir()) == [
        "thu-nghiem-phu-luc-01.docx",
        "thu-nghiem-phu-luc-02.docx",
        "thu-nghiem.docx",
    ]


@needs_libreoffice
def test_batch_pdf_converts_the_appendix_files_too(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    root = project(tmp_path / "tinh", SEPARATE)
    status = batch_command([tmp_path / "tinh"], jobs=1, pdf=True)
    out = capsys.readouterr().out
    assert status == 0
    written = [
        line.split(":")[0].split()[-1] for line in out.splitlines() if line.startswith("pdf")
    ]
    assert [Path(p).name for p in written] == [
        "thu-nghiem.pdf",
        "thu-nghiem-phu-luc-01.pdf",
        "thu-nghiem-phu-luc-02.pdf",
    ]
    assert all((root / "build" / Path(p).name).exists() for p in written)


def test_a_redline_shows_the_appendices_issued_as_files_of_their_own(tmp_path: Path) -> None:
    before = project(tmp_path / "a", SEPARATE)
    after = project(tmp_path / "b", SEPARATE)
    facts = after / "data" / "so-lieu.yaml"
    text = facts.read_text(encoding="utf-8").replace("households: 107", "households: 108", 1)
    facts.write_text(text, encoding="utf-8")
    redline = tmp_path / "review.docx"
    assert vanban(["diff", str(before), str(after), "--docx", str(redline)]) == 0
    doc = read_docx(redline)
    assert len(doc.sections) == 3  # the text, then Phụ lục I and II
    document = parse_xml(read_parts(redline)["word/document.xml"])
    inserted = [
        "".join(t.text or "" for t in i.iter(qn("w:t"))) for i in document.iter(qn("w:ins"))
    ]
    assert "108" in inserted


def test_a_year_left_blank_prints_a_blank_in_a_draft_and_is_refused_when_final(
    tmp_path: Path,
) -> None:
    texts = paragraphs(build(project(tmp_path / "draft", "", **{"year: 2024": "year: null"})))
    blank = " " * 6
    assert f"Thử Nghiệm, ngày{blank}tháng{blank}năm{blank}" in texts
    assert REFERENCE_BLANK.replace("năm 2024", f"năm{blank}") in texts  # "(Kèm theo …)" too
    replaced = {**final(), "year: 2024": "year: null"}
    with pytest.raises(ProblemsError) as caught:
        build(project(tmp_path / "final", "", **replaced))
    assert [str(p) for p in caught.value.problems] == [
        "data/document.yaml:12:7: error: year: a final document needs its year; only a draft "
        "leaves it blank"
    ]


def test_a_date_outside_the_year_given_beside_it_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ProblemsError) as caught:
        build(project(tmp_path, "", **{"date: null": "date: 2023-12-29"}))
    assert [str(p) for p in caught.value.problems] == [
        "data/document.yaml:11:7: error: date: 2023-12-29 is in year 2023, but year: 2024; the "
        "masthead prints the date's year: make them agree"
    ]


def test_a_draft_prints_the_date_it_is_given(tmp_path: Path) -> None:
    texts = paragraphs(build(project(tmp_path, "", **{"date: null": "date: 2024-01-05"})))
    assert "Số:      /BC-UBND" in texts
    assert any(t.endswith(", ngày 05 tháng 01 năm 2024") for t in texts)
