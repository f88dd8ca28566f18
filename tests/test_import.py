"""`vanban import`: a Word document becomes a report directory that builds it again."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import REPO, needs_libreoffice, soffice
from docx_reader import read_docx
from import_measure import numbers_recall, read, similarity, table_cells
from vanban.cli import main
from vanban.importer import _full_name, import_document, metadata_document
from vanban.importer.structure import Imported
from vanban.kinds import KINDS
from vanban.metadata import Metadata
from vanban.ooxml_check import check_package
from vanban.pipeline import build, build_report
from vanban.project import load_metadata, open_project
from vanban.scaffold import scaffold

FIXTURES = Path(__file__).resolve().parent / "import"


def _import_and_build(source: Path, dest: Path) -> Path:
    report = import_document(source, dest)
    assert report.problems == []
    built = build_report(dest)
    assert not [f for f in built.findings if f.status == "error"]
    return built.path


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The reference report's build, imported and built again."""
    root = tmp_path_factory.mktemp("reference")
    original = build_report(REPO, root / "original.docx").path
    rebuilt = _import_and_build(original, root / "imported")
    return original, rebuilt


def test_reference_round_trip_gives_the_same_text(reference: tuple[Path, Path]) -> None:
    original, rebuilt = (read(p) for p in reference)
    assert len(original.words) > 7000
    assert rebuilt.words == original.words


def test_reference_round_trip_keeps_the_63_footnotes_in_their_places(
    reference: tuple[Path, Path],
) -> None:
    original, rebuilt = (read(p) for p in reference)
    assert len(original.notes) == 63
    assert rebuilt.notes == original.notes  # (the three words before the marker, the text)


def test_reference_round_trip_gives_the_same_tables(reference: tuple[Path, Path]) -> None:
    original, rebuilt = (read(p) for p in reference)
    assert len(original.cells) == 9  # masthead, closing, seven appendix tables
    assert rebuilt.cells == original.cells
    assert numbers_recall(original, rebuilt) == 1.0


def test_reference_import_writes_facts_declarations_and_acknowledged_findings(
    reference: tuple[Path, Path],
) -> None:
    root = reference[1].parent.parent
    declared = (root / "content" / "appendices.yaml").read_text(encoding="utf-8")
    assert "numbering: arabic" in declared
    assert declared.count("orientation: landscape") == 2
    assert "sum:\n" in declared and "ratio:\n" in declared  # "3=1+2", "3=2/1" columns
    assert "phu_luc.pl1_bang1.r02" in declared
    # rows that add up the rows under them exactly are nested, so the build computes them
    assert declared.count("total: true") == 2  # Tổng cộng 41.787 and Tổng số 1.514 add up
    assert "\n        rows:\n" in declared
    facts = (root / "data" / "phu-luc.yaml").read_text(encoding="utf-8")
    assert 'r02: {name: "Dự án 1.' in facts
    rules = (root / "checks" / "rules.yaml").read_text(encoding="utf-8")
    assert "pl2-bang1-r08" in rules  # Dự án 4 TDA 1, 2022: its four units
    waivers = (root / "checks" / "waivers.yaml").read_text(encoding="utf-8")
    assert "by: vanban import" in waivers
    assert "rule: pl2-bang1-r08" in waivers  # 704,543 against 712,427, as issued
    assert "rule: number-format" in waivers  # "704.543" printed in the text
    metadata, problems = load_metadata(open_project(root))
    assert problems == [] and metadata is not None
    assert metadata.signer_name == "Y Thanh"
    assert metadata.agency_full_name == "Ủy ban nhân dân huyện Đắk Glei"
    assert len(metadata.recipients) == 6
    headings = (root / "content" / "01-danh-gia-cong.md").read_text(encoding="utf-8")
    assert headings.startswith("# ĐÁNH GIÁ CÔNG TÁC QUẢN LÝ CHƯƠNG TRÌNH\n")
    assert (
        "## Công tác điều hành, phối hợp trong quản lý, tổ chức thực hiện Chương trình: {.run-in}"
        in headings
    )
    assert "[^qd-90-2022]" in headings  # named from the decision it cites


def test_facts_lifts_the_texts_figures_and_the_text_stays_the_same(tmp_path: Path) -> None:
    source = FIXTURES / "bc-bcd-lamdong-de-an-06-t11-2025.docx"
    report = import_document(source, tmp_path / "bcd", facts=True)
    # the figures with no unit after them stay text, and are counted: those a rollover lists
    assert "--facts: 45 figures of the text lifted into data/so-lieu.yaml; 92 left as text" in (
        report.mapped
    )
    facts = (tmp_path / "bcd" / "data" / "so-lieu.yaml").read_text(encoding="utf-8")
    schema = (tmp_path / "bcd" / "schema" / "so-lieu.yaml").read_text(encoding="utf-8")
    assert facts.count("\n") > 20 and 'unit: "hồ sơ"' in schema
    text = "".join(
        p.read_text(encoding="utf-8") for p in (tmp_path / "bcd" / "content").glob("*.md")
    )
    assert "{{ so_lieu.f001 | so" in text
    assert "giải quyết **104.462** hồ sơ trực tuyến" in text  # one of the 92
    assert "Đề án 06" in text  # a name, not a figure: not among them
    built = build_report(tmp_path / "bcd")
    assert not [f for f in built.findings if f.status == "error"]
    assert read(built.path).words == read(_import_and_build(source, tmp_path / "plain")).words


FOREIGN = [
    # (fixture, body words at least, footnotes)
    ("bc-bcd-lamdong-de-an-06-t11-2025", 7000, 7),
    ("cv-ubnd-lamdong-cai-thien-chi-so", 2400, 1),
    ("bc-ubnd-lamdong-cchc-2025", 12000, 17),
    ("bc-snv-lamdong-chi-so-par-2025", 4900, 3),  # five tables in the body, three charts
    ("kh-ubnd-lamdong-cchc-2026", 4600, 0),  # headings numbered by Word's lists
    ("qd-ubnd-lamdong-chi-so-cchc-2025", 650, 0),  # Quyết định, two ranking appendices
    ("dieu-le-hoi-cuu-giao-chuc-lamdong-2026", 5000, 0),  # Chương I–VIII, Điều 1–27
]


def _layout_table(rows: list[list[str]]) -> bool:
    """The masthead and the closing (vanban rebuilds them from the metadata), or a frame
    with no text of its own (a table holding the signature table)."""
    text = " ".join(" ".join(row) for row in rows)
    return "Nơi nhận" in text or "CỘNG HÒA" in text or not text.strip()


@pytest.mark.parametrize(("name", "words", "notes"), FOREIGN)
def test_a_published_document_is_reproduced(
    name: str, words: int, notes: int, tmp_path: Path
) -> None:
    source = FIXTURES / f"{name}.docx"
    rebuilt_path = _import_and_build(source, tmp_path / name)
    original, rebuilt = read(source), read(rebuilt_path)
    assert len(original.words) > words
    assert similarity(original.words, rebuilt.words) >= 0.99
    assert len(original.notes) == notes
    assert rebuilt.notes == original.notes
    # masthead and closing are rebuilt from the metadata: every word of their cells is
    # printed again (a Công văn's Kính gửi moves below the masthead, as ND30 Mẫu 1.5 has it)
    printed = Counter(" ".join(table_cells(rebuilt)).split()) + Counter(rebuilt.words)
    assert Counter(" ".join(table_cells(original)).split()) - printed == Counter()
    # every other table, cell for cell
    data = [rows for rows in original.cells if not _layout_table(rows)]
    assert [rows for rows in rebuilt.cells if not _layout_table(rows)] == data
    assert numbers_recall(original, rebuilt) >= 0.99
    assert check_package(rebuilt_path) == []


def test_a_draft_plan_keeps_its_phu_luc_of_paragraphs_after_its_table_phu_luc(
    tmp_path: Path,
) -> None:
    """A table Phụ lục I, then Phụ lục II: an outline of a report, sections I–VIII."""
    source = FIXTURES / "kh-ubnd-lamdong-kiem-tra-cchc-2026.docx"
    report = import_document(source, tmp_path / "kh")
    assert report.problems == []
    built = build_report(tmp_path / "kh")
    original, rebuilt = read(source), read(built.path)
    assert len(original.words) > 3200
    assert similarity(original.words, rebuilt.words) >= 0.99
    data = [rows for rows in original.cells if not _layout_table(rows)]
    assert [rows for rows in rebuilt.cells if not _layout_table(rows)] == data
    assert numbers_recall(original, rebuilt) >= 0.99
    # the masthead's "DỰ THẢO" is a text box: listed, not printed
    assert any("text box" in note and "DỰ THẢO" in note for note in report.notes)
    texts = [p.text for p in read_docx(built.path).paragraphs if p.text.strip()]
    second = texts.index("Phụ lục II")
    assert texts[second + 1].startswith("ĐỀ CƯƠNG BÁO CÁO PHỤC VỤ KIỂM TRA")
    headings = [t for t in texts[second:] if re.match(r"^[IVX]+\. ", t)]
    assert [h.split(".")[0] for h in headings] == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
    assert check_package(built.path) == []


def test_a_phu_luc_issued_alone_is_rebuilt_as_its_report_s_appendix_file(tmp_path: Path) -> None:
    """Nine Biểu mẫu of statistics on landscape pages, sent as a file of their own."""
    import difflib

    source = FIXTURES / "pl-bc-ubnd-lamdong-cchc-2025-bieu-mau.docx"
    import_document(source, tmp_path / "pl")
    built = build_report(tmp_path / "pl")
    (appendix,) = built.attachments
    original, rebuilt = read(source), read(appendix)
    changed = [
        (original.words[a1:a2], rebuilt.words[b1:b2])
        for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(
            None, original.words, rebuilt.words, autojunk=False
        ).get_opcodes()
        if tag != "equal"
    ]
    # "Phụ lục" in lower case (ND30 Phụ lục I, III.1.b); the month of the Kèm theo line left
    # blank, as for every document issued electronically
    assert changed == [(["PHỤ", "LỤC"], ["Phụ", "lục"]), (["12"], [])]
    assert rebuilt.cells == original.cells  # the nine forms, cell for cell
    assert numbers_recall(original, rebuilt) >= 0.99
    sections = read_docx(appendix).sections
    assert [s.orientation for s in sections] == ["landscape"]
    assert check_package(appendix) == []


def _looks(cell) -> list[tuple[str, bool, bool]]:
    """Return a printed cell's runs as (text, bold, italic), a line break as "\\n"."""
    return [(r.text, r.bold, r.italic) for p in cell for r in p.runs if r.text]


def test_a_forms_cells_keep_their_alignment_emphasis_and_lines(tmp_path: Path) -> None:
    """Biểu mẫu 1 of the Phụ lục, written out as a grid table, and Biểu mẫu 2, computed from
    its facts: their STT, Đơn vị tính and Số liệu columns centred as in the source, a
    label's bold words before its italic note, and the header's second line in italics
    under its bold first."""
    source = FIXTURES / "pl-bc-ubnd-lamdong-cchc-2025-bieu-mau.docx"
    import_document(source, tmp_path / "pl")
    declared = (tmp_path / "pl" / "content" / "appendices.yaml").read_text(encoding="utf-8")
    assert "+:=========:+=====" in declared  # the STT column centred, the label's left
    (appendix,) = build_report(tmp_path / "pl").attachments
    written, computed = read_docx(appendix).tables[:2]
    for table, typed_table in zip((written, computed), read_docx(source).tables, strict=False):
        assert _looks(table.rows[0][1]) == [
            ("Chỉ tiêu thống kê", True, False),
            ("\n", False, False),
            ("(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)", False, True),
        ]
        assert len(table.rows) == len(typed_table.rows)
        for printed, typed in zip(table.rows[2:], typed_table.rows[2:], strict=True):
            for column in (0, 2, 3):  # STT, Đơn vị tính, Số liệu: centred where the source is
                if typed[column][0].text:
                    assert (printed[column][0].alignment == "center") == (
                        typed[column][0].alignment == "center"
                    ), (column, printed[column][0].text)
            assert printed[1][0].alignment in (None, "left")  # the label left, as typed
    first = next(row for row in written.rows if row[0][0].text == "1.")
    assert _looks(first[1]) == [
        ("Số văn bản chỉ đạo CCHC đã ban hành", True, False),
        (" ", False, False),
        ("(Kết luận, chỉ thị, công văn chỉ đạo, quán triệt)", False, True),
    ]


def test_a_published_reports_appendix_tables_keep_every_cell(tmp_path: Path) -> None:
    source = FIXTURES / "bc-ubnd-lamdong-cchc-2025.docx"
    rebuilt_path = _import_and_build(source, tmp_path / "cchc")
    original, rebuilt = read(source), read(rebuilt_path)
    assert len(original.cells) == 11  # masthead, closing, nine tables of the Biểu mẫu
    assert rebuilt.cells[2:] == original.cells[2:]
    declared = (tmp_path / "cchc" / "content" / "appendices.yaml").read_text(encoding="utf-8")
    assert "numbering: none" in declared  # one unnumbered PHỤ LỤC
    assert "attached: chair" in declared  # (Kèm theo … của Chủ tịch …)
    assert "orientation: landscape" in declared
    assert "heading: Biểu mẫu 2 Cải cách thể chế" in declared
    assert "text: c1" in declared  # Đơn vị tính: a text column
    assert "markdown: |" in declared  # a table with merged body cells, written out
    facts = (tmp_path / "cchc" / "data" / "phu-luc.yaml").read_text(encoding="utf-8")
    assert 'r01: {name: "Tổng số VBQPPL do địa phương ban hành", c1: "Văn bản", c2: 249}' in facts


def test_a_published_decision_keeps_its_issuer_and_articles(tmp_path: Path) -> None:
    dest = tmp_path / "qd"
    report = import_document(FIXTURES / "qd-ubnd-lamdong-chi-so-cchc-2025.docx", dest)
    assert "issuer: CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG" in report.mapped
    metadata = _metadata(dest)
    assert (
        metadata.kind == "quyet-dinh"
        and metadata.agency_full_name == "Ủy ban nhân dân tỉnh Lâm Đồng"
    )
    assert metadata.headings == ("article",)  # the build numbers the Điều
    assert "headings: article (numbered by the build)" in report.mapped
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((dest / "content").glob("*.md")))
    assert '::: {custom-style="Title"}\nQUYẾT ĐỊNH:\n:::\n' in text  # centred, bold
    assert "# {.run-in}\n\nCông bố kết quả đánh giá" in text  # an untitled Điều
    assert "\n#. Các cơ quan chuyên môn" in text  # a numbered point, numbered by the build
    doc = read_docx(build(dest))
    assert any(p.text.startswith("1. Các cơ quan chuyên môn thuộc UBND") for p in doc.paragraphs)
    decide = doc.paragraph("QUYẾT ĐỊNH:")
    assert decide.alignment == "center" and decide.bold
    articles = [p for p in doc.paragraphs if p.text.startswith("Điều ")]
    assert [p.text.split(" ", 2)[1] for p in articles] == ["1.", "2.", "3.", "4."]
    assert articles[0].text.startswith("Điều 1. Công bố kết quả đánh giá")
    assert articles[0].runs[0].text == "Điều 1." and articles[0].runs[0].bold


def test_headings_numbered_by_word_lists_are_numbered_by_the_build(tmp_path: Path) -> None:
    report = import_document(FIXTURES / "kh-ubnd-lamdong-cchc-2026.docx", tmp_path / "kh")
    assert any(
        "numbered by Word's list numbering: the build numbers it “1.”" in c
        for c in report.corrected
    )
    text = (tmp_path / "kh" / "content" / "01-muc-tieu-nhiem.md").read_text(encoding="utf-8")
    assert "\n## Cải cách thể chế\n" in text


def test_a_published_cong_van_keeps_its_masthead_fields(tmp_path: Path) -> None:
    dest = tmp_path / "cv"
    import_document(FIXTURES / "cv-ubnd-lamdong-cai-thien-chi-so.docx", dest)
    metadata = _metadata(dest)
    assert metadata.kind == "cong-van"
    assert metadata.symbol == "UBND-NC"
    assert metadata.date_line == "Lâm Đồng, ngày      tháng 12 năm 2025"
    assert metadata.subject_line and metadata.subject_line.startswith("V/v tập trung thực hiện")
    assert metadata.recipients_to[-1] == "Ủy ban nhân dân các xã, phường, đặc khu"
    assert metadata.signer_authority == ("KT. CHỦ TỊCH",)
    assert (metadata.signer_position, metadata.signer_name) == ("PHÓ CHỦ TỊCH", "Nguyễn Ngọc Phúc")


def test_the_import_says_what_it_corrected_and_where(tmp_path: Path, capsys) -> None:
    source = FIXTURES / "bc-bcd-lamdong-de-an-06-t11-2025.docx"
    assert main(["import", str(source), str(tmp_path / "bcd")]) == 0
    out = capsys.readouterr().out
    assert "agency: BAN CHỈ ĐẠO PHÁT TRIỂN KHOA HỌC" in out
    assert "signer: TM. BAN CHỈ ĐẠO" in out
    assert "footnotes: 7, named from their content" in out
    assert "signature: the position has several lines" in out
    metadata, _ = load_metadata(open_project(tmp_path / "bcd"))
    assert metadata is not None and metadata.agency_parent == "UBND TỈNH LÂM ĐỒNG"
    assert (tmp_path / "bcd" / "IMPORT.md").exists()


# --- bad input -------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"plain text, not a document\n", "not a Word document (.docx)"),
        (_zip({"hello.txt": b"hi"}), "a zip file but not a Word document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "password-protected or old binary"),
        (_zip({"word/document.xml": b"<w:document"}), "a corrupt Word document"),
    ],
)
def test_bad_input_gets_one_line_and_nothing_is_written(
    content: bytes, message: str, tmp_path: Path, capsys
) -> None:
    source = tmp_path / "input.docx"
    source.write_bytes(content)
    dest = tmp_path / "out"
    assert main(["import", str(source), str(dest)]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not dest.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["input.docx"]


def test_a_directory_that_is_not_empty_is_refused(tmp_path: Path, capsys) -> None:
    dest = tmp_path / "taken"
    dest.mkdir()
    (dest / "notes.txt").write_text("keep me", encoding="utf-8")
    source = tmp_path / "cv.docx"
    shutil.copy(FIXTURES / "cv-ubnd-lamdong-cai-thien-chi-so.docx", source)
    assert main(["import", str(source), str(dest)]) == 1
    assert "exists and is not empty" in capsys.readouterr().err
    assert [p.name for p in dest.iterdir()] == ["notes.txt"]


def test_an_empty_directory_is_filled(tmp_path: Path) -> None:
    dest = tmp_path / "empty"
    dest.mkdir()
    import_document(FIXTURES / "cv-ubnd-lamdong-cai-thien-chi-so.docx", dest)
    assert (dest / "data" / "document.yaml").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".vanban-import-")]


def _metadata(dest: Path) -> Metadata:
    """Return the imported report's metadata, which must load without a problem."""
    metadata, problems = load_metadata(open_project(dest))
    assert problems == [] and metadata is not None
    return metadata


def _converted(source: Path, kind: str, tmp_path: Path) -> Path:
    """Convert source to kind (docx, odt) with LibreOffice, in a profile of its own; return
    the converted file."""
    converted = tmp_path / f"converted-{kind}"
    converted.mkdir()
    command = [
        str(soffice()),
        f"-env:UserInstallation=file://{tmp_path / 'profile'}",
        "--headless",
        "--convert-to",
        kind,
        "--outdir",
        str(converted),
        str(source),
    ]
    subprocess.run(command, capture_output=True, timeout=180, check=True)
    return converted / f"{source.stem}.{kind}"


@needs_libreoffice
def test_an_odt_document_goes_through_libreoffice(tmp_path: Path) -> None:
    source = FIXTURES / "cv-ubnd-lamdong-cai-thien-chi-so.docx"
    odt = _converted(source, "odt", tmp_path)
    rebuilt = _import_and_build(odt, tmp_path / "from-odt")
    assert similarity(read(source).words, read(rebuilt).words) >= 0.99
    assert read(rebuilt).notes == read(source).notes


def _chapters_and_articles(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """Return the chapters ("Chương I QUY ĐỊNH CHUNG") and the articles' first words
    ("Điều 2. Tôn chỉ, mục đích") of a text, a colon typed after an article's number read as
    its full stop."""
    texts = [t.strip() for t in paragraphs if t.strip()]
    chapters, articles = [], []
    for index, text in enumerate(texts):
        if text.startswith(("Chương ", "CHƯƠNG ")):  # ND30 prints the word in lower case
            label, _, title = text.partition("\n")
            chapters.append(f"Chương {label.split()[1]} {title or texts[index + 1]}")
        elif re.match(r"Điều \d+[.:]", text):
            number, _, rest = text.partition(" ")[2].partition(" ")
            articles.append(f"Điều {number[:-1]}. {rest[:30].strip()}")
    return chapters, articles


def test_a_charter_in_chapters_comes_in_with_its_scheme_and_builds_as_issued(
    tmp_path: Path,
) -> None:
    source = FIXTURES / "dieu-le-hoi-cuu-giao-chuc-lamdong-2026.docx"
    dest = tmp_path / "dieu-le"
    report = import_document(source, dest)
    assert "headings: chapter, article (numbered by the build)" in report.mapped
    assert [c.split("”): ", 1)[1] for c in report.corrected] == [
        "heading numbered “Điều 2:” in the source; the build numbers it “Điều 2.”",
        "heading numbered “Điều 3:” in the source; the build numbers it “Điều 3.”",
        "heading numbered “CHƯƠNG VII” in the source; the build numbers it “Chương VII”",
    ]
    chapter_one = (dest / "content" / "01-quy-dinh-chung.md").read_text(encoding="utf-8")
    assert chapter_one.startswith("# QUY ĐỊNH CHUNG\n\n## Tên gọi: {.run-in}\n\nHội Cựu")
    built = build(dest)
    original = read_docx(source)
    rebuilt = read_docx(built)
    chapters, articles = _chapters_and_articles([p.text for p in original.paragraphs])
    assert len(chapters) == 8 and len(articles) == 27
    assert _chapters_and_articles([p.text for p in rebuilt.paragraphs]) == (chapters, articles)
    centred = [p for p in rebuilt.paragraphs if p.text.startswith("Chương ")]
    assert all(p.alignment == "center" and p.bold for p in centred)
    assert similarity(read(source).words, read(built).words) >= 0.99
    assert check_package(built) == []


def test_a_kinh_gui_in_a_table_of_its_own_is_read(tmp_path: Path) -> None:
    dest = tmp_path / "cv"
    report = import_document(FIXTURES / "cv-ubnd-laocai-uy-quyen-vlncn-2025.docx", dest)
    assert "Kính gửi: 2 recipient(s)" in report.mapped and report.problems == []
    metadata = _metadata(dest)
    assert metadata.recipients_to == ("Sở Công Thương", "Sở Tư pháp")
    doc = read_docx(build(dest))
    assert doc.paragraph("- Sở Công Thương;") and doc.paragraph("- Sở Tư pháp.")


def test_an_agency_over_two_rows_and_an_unspaced_prefix(tmp_path: Path) -> None:
    dest = tmp_path / "cv"
    report = import_document(FIXTURES / "cv-sct-laocai-trien-khai-hoa-chat-2026.docx", dest)
    assert "agency: SỞ CÔNG THƯƠNG" in report.mapped and report.problems == []
    assert (
        "signature: “KT.GIÁM ĐỐC” typed without a space after its prefix; printed “KT. GIÁM "
        "ĐỐC” (ND30 Phụ lục I, II.7.b)" in report.corrected
    )
    metadata, _ = load_metadata(open_project(dest))
    assert metadata is not None
    assert (metadata.agency_parent, metadata.agency_lines) == (
        "UBND TỈNH LÀO CAI",
        ("SỞ CÔNG THƯƠNG",),
    )
    assert metadata.agency_full_name == "Sở Công Thương"
    assert metadata.signer_authority == ("KT. GIÁM ĐỐC",)
    source, rebuilt = (
        read(FIXTURES / "cv-sct-laocai-trien-khai-hoa-chat-2026.docx"),
        read(build(dest)),
    )
    assert similarity(source.words, rebuilt.words) >= 0.99


def test_headings_in_a_deeper_word_style_take_their_typed_level(tmp_path: Path) -> None:
    source = FIXTURES / "kh-ubnd-laocai-chi-thi-11-khoang-san-2026.docx"
    dest = tmp_path / "kh"
    report = import_document(source, dest)  # every task paragraph is in "heading 4"
    assert report.problems == []
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((dest / "content").glob("*.md")))
    assert "\n## Công tác tuyên truyền, phổ biến pháp luật về khoáng sản\n" in text
    built = build(dest)
    original, rebuilt = read(source), read(built)
    assert similarity(original.words, rebuilt.words) >= 0.99
    assert rebuilt.notes == original.notes
    assert numbers_recall(original, rebuilt) >= 0.99


def _masthead_texts(path: Path) -> list[str]:
    """The paragraphs of a built document's masthead table, in order."""
    return [p.text for p in read_docx(path).tables[0].paragraphs() if p.text.strip()]


def test_a_v_v_under_the_so_line_makes_a_cong_van_with_its_ky_hieu(tmp_path: Path, capsys) -> None:
    dest = tmp_path / "cv"
    source = FIXTURES / "cv-btc-xin-y-kien-du-thao-tt.docx"
    assert main(["import", str(source), str(dest)]) == 0
    out = capsys.readouterr().out
    assert "kind: no type name and a V/v line → cong-van" in out
    metadata = _metadata(dest)
    assert (metadata.kind, metadata.symbol) == ("cong-van", "BTC-CST")
    assert metadata.subject_line == (
        "V/v dự thảo Thông tư thay thế Thông tư số 244/2016/TT-BTC ngày 11/11/2016"
    )
    masthead = _masthead_texts(build(dest))
    assert "/BTC-CST" in next(t for t in masthead if t.startswith("Số:"))
    assert "BÁO CÁO" not in masthead


def test_a_note_beside_noi_nhan_items_is_no_recipient_and_is_reported(tmp_path: Path) -> None:
    dest = tmp_path / "cv"
    report = import_document(FIXTURES / "cv-btc-xin-y-kien-du-thao-tt.docx", dest)
    assert (
        "table at paragraph 6: Nơi nhận: a note typed beside “Cổng thông tin điện tử Chính "
        "phủ”, “Cổng thông tin điện tử Bộ Tài chính”: “Để đăng dự thảo / Thông tư xin ý "
        "kiến”: not mapped (vanban prints the items only); add it to the text if it is needed"
        in report.notes
    )
    metadata, _ = load_metadata(open_project(dest))
    assert metadata is not None
    assert metadata.recipients[:2] == (
        "Cổng thông tin điện tử Chính phủ;",
        "Cổng thông tin điện tử Bộ Tài chính;",
    )
    built_text = read_docx(build(dest)).all_text
    assert "Để đăng" not in built_text
    assert "Để đăng dự thảo" in (dest / "IMPORT.md").read_text(encoding="utf-8")
    # the copies' count left blank to be written in by hand keeps its width
    assert metadata.recipients[-1] == "Lưu: VT, CST (PLP) (\u00a0\u00a0\u00a0\u00a0b)."
    assert "- Lưu: VT, CST (PLP) (\u00a0\u00a0\u00a0\u00a0b)." in built_text


@needs_libreoffice
def test_a_doc_with_v_v_under_so_and_noi_nhan_in_the_second_row(tmp_path: Path) -> None:
    dest = tmp_path / "cv"
    import_document(FIXTURES / "cv-ubnd-binhthuan-gop-y-thong-tu.doc", dest)
    metadata = _metadata(dest)
    assert (metadata.kind, metadata.symbol) == ("cong-van", "UBND-NCKSTTHC")
    assert metadata.subject_line and metadata.subject_line.startswith(
        "V/v tham gia ý kiến về dự thảo Thông tư thay thế"
    )
    assert metadata.recipients == ("Lưu: VT, NCKSTTHC.Châu",)  # after "Như trên", printed
    text = read_docx(build(dest)).all_text
    assert "- Như trên;" in text and "- Lưu: VT, NCKSTTHC.Châu" in text


def test_a_kind_vanban_does_not_build_says_which_ky_hieu_it_prints(tmp_path: Path) -> None:
    dest = tmp_path / "tt"
    report = import_document(FIXTURES / "tt-btc-du-thao-thay-244-2016.docx", dest)
    expected = [
        "“THÔNG TƯ”, not one of vanban's kinds (BÁO CÁO, KẾ HOẠCH…), found after the masthead: "
        "kind bao-cao taken from the ký hiệu by default; the build prints “BÁO CÁO” and its "
        "trích yếu above “THÔNG TƯ”, which stays a line of the text; check `kind` in "
        "data/document.yaml",
        "masthead: ký hiệu “/2025/TT-BTC” read; the build prints “/BC-BTC”, the ký hiệu of a "
        "Báo cáo (kind bao-cao: BC-<agency>), agency abbreviation BTC: check `kind` and "
        "`agency.abbreviation` in data/document.yaml",
    ]
    assert [n for n in report.notes if n in expected] == expected
    written = (dest / "IMPORT.md").read_text(encoding="utf-8")
    assert all(note in written for note in expected)
    assert "Số:" in " ".join(_masthead_texts(build(dest)))


def test_a_text_box_is_reported_with_its_text_and_place(tmp_path: Path) -> None:
    dest = tmp_path / "tt"
    report = import_document(FIXTURES / "tt-btc-du-thao-thay-244-2016.docx", dest)
    note = (
        "paragraph 1: a text box “DỰ THẢO 2”: not imported (vanban prints no text boxes); add "
        "its text where it belongs"
    )
    assert note in report.notes
    assert note in (dest / "IMPORT.md").read_text(encoding="utf-8")


@needs_libreoffice
def test_a_parent_agency_over_two_upright_lines_is_the_parent(tmp_path: Path) -> None:
    dest = tmp_path / "qd"
    report = import_document(FIXTURES / "qd-tgv-cchc-quy-che-lam-viec.doc", dest)
    assert "agency: TỔ GIÚP VIỆC VỀ / CẢI CÁCH HÀNH CHÍNH" in report.mapped
    assert "table at paragraph 1: a text box “DỰ THẢO”" in " ".join(report.notes)
    metadata, _ = load_metadata(open_project(dest))
    assert metadata is not None
    assert (metadata.agency_parent, metadata.agency_lines) == (
        "BAN CHỈ ĐẠO VỀ PHÁT TRIỂN KHCN, ĐMST, CĐS VÀ ĐỀ ÁN 06",
        ("TỔ GIÚP VIỆC VỀ", "CẢI CÁCH HÀNH CHÍNH"),
    )
    masthead = read_docx(build(dest)).tables[0].rows[0][0]
    assert [(p.text, p.bold) for p in masthead if p.text.strip()] == [
        ("BAN CHỈ ĐẠO VỀ PHÁT TRIỂN KHCN, ĐMST, CĐS VÀ ĐỀ ÁN 06", False),
        ("TỔ GIÚP VIỆC VỀ", True),
        ("CẢI CÁCH HÀNH CHÍNH", True),
    ]


@pytest.mark.parametrize(
    ("lines", "full_name"),
    [
        (
            ["BAN CHỈ ĐẠO VỀ PHÁT TRIỂN KHCN, ĐMST, CĐS VÀ ĐỀ ÁN 06"],
            "Ban Chỉ đạo về Phát triển KHCN, ĐMST, CĐS và Đề án 06",  # ND30 Phụ lục II, IV.1.a
        ),
        (["TRƯỜNG THPT CHUYÊN"], "Trường THPT chuyên"),
        (["ỦY BAN NHÂN DÂN", "HUYỆN ĐẮK GLEI"], "Ủy ban nhân dân huyện Đắk Glei"),
    ],
)
def test_a_full_name_from_the_masthead_keeps_its_acronyms(lines: list[str], full_name: str) -> None:
    imported = Imported({"kind": "bao-cao", "symbol": "BC-BCĐ", "agency_lines": lines}, [])
    document, notes = metadata_document(imported, "bc", body_text="")  # the text never names it
    assert document["agency"]["full_name"] == full_name
    assert f"agency.full_name “{full_name}” written from the masthead's capitals" in notes[0]


def test_a_published_giay_moi_is_one_without_a_trich_yeu_and_keeps_its_numbered_items(
    tmp_path: Path,
) -> None:
    dest = tmp_path / "gm"
    report = import_document(FIXTURES / "gm-ubnd-lamdong-hop-chi-so-par-2025.doc", dest)
    assert "kind: GIẤY MỜI → giay-moi" in report.mapped
    assert (
        "no trích yếu under the type name, as many a Giấy mời has none: none printed "
        "(`summary` gives one)" in report.notes
    )
    assert "summary" not in (dest / "data" / "document.yaml").read_text(encoding="utf-8")
    built = build_report(dest)
    assert [f for f in built.findings if f.status != "acknowledged"] == []
    doc = read_docx(built.path)
    assert _masthead_texts(built.path) == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH LÂM ĐỒNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số:      /GM-UBND",
        "Lâm Đồng, ngày      tháng 11 năm 2025",
    ]
    name, rule, opening = doc.blocks[1:4]  # no trích yếu: the rule under GIẤY MỜI
    assert (name.text, name.bold, name.alignment) == ("GIẤY MỜI", True, "center")
    assert rule.text == "" and rule.borders == {"top": "single"}
    assert opening.text.startswith("Ủy ban nhân dân tỉnh tổ chức buổi làm việc")
    items = [p.text for p in doc.paragraphs if re.match(r"\d\. ", p.text)]
    assert [t.split(":")[0] for t in items] == [
        "1. Chủ trì",
        "2. Thành phần mời",
        "3. Nội dung",
        "4. Thời gian",
        "5. Địa điểm",  # bold up to its colon in the original: a run-in heading as well
        "6. Phân công chuẩn bị",
    ]
    assert "5. Địa điểm: Phòng họp số 02 Văn phòng UBND tỉnh." in items
    assert [p.text for p in doc.tables[-1].rows[0][1] if p.text] == [
        "TL. CHỦ TỊCH",
        "KT. CHÁNH VĂN PHÒNG",
        "PHÓ CHÁNH VĂN PHÒNG",
        "Thạch Cảnh Minh Vũ",
    ]
    assert [p.text for p in doc.tables[-1].rows[0][0]][1] == "- Như thành phần mời;"


def test_a_giay_moi_in_sections_gives_its_time_and_place_under_their_heading(
    tmp_path: Path,
) -> None:
    dest = tmp_path / "gm"
    import_document(FIXTURES / "gm-ubnd-lamdong-hoi-nghi-ma-tuy-2025.doc", dest)
    built = build_report(dest)
    assert [f for f in built.findings if f.status != "acknowledged"] == []
    assert "kind-text" not in (dest / "checks" / "waivers.yaml").read_text(encoding="utf-8")
    doc = read_docx(built.path)
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("III. Thời gian, địa điểm")  # printed in capitals by its style
    assert texts[start + 1].startswith("1. Thời gian: 01 buổi, bắt đầu lúc 08 giờ 00")
    assert texts[start + 2] == "2. Địa điểm:"
    assert doc.blocks[1].text == "GIẤY MỜI" and doc.blocks[3].text.startswith("Thực hiện Công điện")
    assert [p.text for p in doc.tables[-1].rows[0][1] if p.text] == [
        "TL. CHỦ TỊCH",
        "CHÁNH VĂN PHÒNG",
        "Nguyễn Nhân Bản",
    ]


def test_a_nghi_quyet_comes_back_with_its_council_over_two_lines(tmp_path: Path) -> None:
    example = REPO / "examples" / "nghi-quyet-noi-quy-ky-hop-nha-be-2021"
    original = build_report(example, tmp_path / "nq.docx").path
    dest = tmp_path / "imported"
    report = import_document(original, dest)
    assert "kind: NGHỊ QUYẾT → nghi-quyet" in report.mapped
    assert "issuer: HỘI ĐỒNG NHÂN DÂN HUYỆN NHÀ BÈ / KHÓA XI, KỲ HỌP THỨ 2" in report.mapped
    metadata = _metadata(dest)
    assert (metadata.kind, metadata.symbol, str(metadata.number)) == ("nghi-quyet", "NQ-HĐND", "49")
    assert metadata.issuer == ("HỘI ĐỒNG NHÂN DÂN HUYỆN NHÀ BÈ", "KHÓA XI, KỲ HỌP THỨ 2")
    assert metadata.summary.startswith("VỀ BAN HÀNH NỘI QUY KỲ HỌP")
    assert metadata.signer_authority == ("TM. HỘI ĐỒNG NHÂN DÂN",)
    rebuilt = read_docx(build(dest))
    assert [p.text for p in rebuilt.blocks[4:6]] == [
        "HỘI ĐỒNG NHÂN DÂN HUYỆN NHÀ BÈ",
        "KHÓA XI, KỲ HỌP THỨ 2",
    ]
    assert rebuilt.paragraph("QUYẾT NGHỊ:").bold


def test_a_bien_ban_comes_back_with_its_two_signatures(tmp_path: Path) -> None:
    example = REPO / "examples" / "bien-ban-hop-hdql-quy-khuyen-hoc-binh-thuan-2025"
    original = build_report(example, tmp_path / "bb.docx").path
    dest = tmp_path / "imported"
    report = import_document(original, dest)
    assert "kind: BIÊN BẢN → bien-ban" in report.mapped
    assert "signatures: THƯ KÝ / Lê Đình Chương beside CHỦ TRÌ / Nguyễn Đình Trung" in report.mapped
    assert any(
        n.startswith("masthead: no place and date line, as a Biên bản") for n in report.notes
    )
    metadata = _metadata(dest)
    assert (metadata.secretary_position, metadata.secretary_name) == ("THƯ KÝ", "Lê Đình Chương")
    assert (metadata.signer_position, metadata.signer_name) == ("CHỦ TRÌ", "Nguyễn Đình Trung")
    assert metadata.recipients == ()  # the original lists none
    # No place and date line: the date and the year come from "Hôm nay, vào lúc 15 giờ ,
    # ngày 17 tháng 2 năm 2025, tại …"
    assert (metadata.date, metadata.year) == (dt.date(2025, 2, 17), 2025)
    assert any(
        n.startswith("date 2025-02-17 and year 2025 read from the text “Hôm nay, vào lúc 15 giờ")
        for n in report.notes
    )
    # … and its place from its agency's name, as the example's data/document.yaml has it
    assert metadata.place == "Bình Thuận"
    assert (
        "masthead: no place and date line, as a Biên bản has none (ND30 Phụ lục III, Mẫu 1.9: "
        "its text says when and where): place “Bình Thuận” read from the agency's name as the "
        "text writes it, “Hội đồng quản lý Quỹ Hội Khuyến học tỉnh Bình Thuận”, the unit where "
        "the agency has its seat "
        "(ND30 Phụ lục I, II.4.a), not printed, kept for the document system: check it"
    ) in report.notes
    rebuilt = read_docx(build(dest))
    assert [[p.text for p in cell if p.text] for cell in rebuilt.tables[-1].rows[0]] == [
        ["THƯ KÝ", "Lê Đình Chương"],
        ["CHỦ TRÌ", "Nguyễn Đình Trung"],
    ]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("**Thời gian:** 14 giờ 00, ngày 15/10/2025.", dt.date(2025, 10, 15)),
        ("1\\. Vào hồi 8 giờ 30 phút, ngày 3 tháng 9 năm 2024, tại …", dt.date(2024, 9, 3)),
        ("Cuộc họp bắt đầu lúc 9 giờ, ngày 01/02/2023, tại hội trường.", dt.date(2023, 2, 1)),
    ],
)
def test_a_bien_ban_s_date_is_read_from_the_line_that_says_when_it_met(
    text: str, date: dt.date
) -> None:
    meta = {"kind": "bien-ban", "symbol": "BB-UBND", "number": "07", "agency_lines": ["UBND"]}
    # A date before the line that says when it met is not the meeting's
    body_text = f"Căn cứ Quyết định số 5/QĐ-UBND ngày 02/01/2020;\n\n{text}\n\nNội dung."
    document, notes = metadata_document(Imported(meta, []), "bb", body_text)
    assert (document["date"], document["year"], document["status"]) == (date, date.year, "final")
    assert f"date {date.isoformat()} and year {date.year} read from the text" in notes[1]


def test_a_bien_ban_whose_text_gives_no_date_leaves_it_for_you() -> None:
    meta = {"kind": "bien-ban", "symbol": "BB-UBND", "number": "07", "agency_lines": ["UBND"]}
    body_text = "Hôm nay, vào lúc 14 giờ 00, tại hội trường, …\n\nNgày 15/10/2025 nộp báo cáo."
    document, notes = metadata_document(Imported(meta, []), "bb", body_text)
    assert (document["date"], document["year"], document["status"]) == (None, None, "draft")
    assert document["place"] == "(địa danh)"
    assert (
        "masthead: no place and date line, as a Biên bản has none (ND30 Phụ lục III, Mẫu 1.9: "
        "its text says when and where): `place` and `year` left for you, for the document "
        "system: neither the agency's name nor where the text says it met (“… tại …”, “Địa "
        "điểm: …”) names a tỉnh, huyện or xã; write in data/document.yaml, for “(địa danh)”, "
        "the name of the unit where the agency has its seat (ND30 Phụ lục I, II.4.a: “Lâm "
        "Đồng”, “Hàm Thuận Bắc”)"
    ) in notes


@pytest.mark.parametrize(
    ("lines", "text", "place", "where"),
    [
        (
            ["ỦY BAN NHÂN DÂN", "HUYỆN HÀM THUẬN BẮC"],
            "Hôm nay, vào lúc 8 giờ, ngày 03/9/2024, tại Hội trường xã Hàm Liêm, …",
            "Hàm Thuận Bắc",
            "from the masthead, “HUYỆN HÀM THUẬN BẮC”",
        ),
        (
            ["ỦY BAN NHÂN DÂN", "PHƯỜNG 4"],
            "Nội dung.",
            "Phường 4",  # a unit named by a number is written in full
            "from the masthead, “PHƯỜNG 4”",
        ),
        (
            ["HỘI KHUYẾN HỌC TỈNH", "HỘI ĐỒNG QUẢN LÝ QUỸ"],
            "**Địa điểm:** Hội trường UBND xã Hàm Liêm, huyện Hàm Thuận Bắc; Thành phần: …",
            "Hàm Liêm",
            "from where it met, “Hội trường UBND xã Hàm Liêm, huyện Hàm Thuận Bắc”",
        ),
        (
            ["ĐOÀN KIỂM TRA"],
            "1\\. Vào hồi 8 giờ 30 phút, ngày 3 tháng 9 năm 2024, tại Hội trường Ủy ban nhân "
            "dân huyện Đắk Glei, Đoàn kiểm tra họp.",
            "Đắk Glei",
            "from where it met, “Hội trường Ủy ban nhân dân huyện Đắk Glei”",
        ),
    ],
)
def test_a_bien_ban_s_place_is_its_agency_s_locality_or_where_it_met(
    lines: list[str], text: str, place: str, where: str
) -> None:
    """The unit where the agency has its seat (ND30 Phụ lục I, II.4.a), as its name says it;
    where the name says none, the unit the text's place of the meeting names."""
    meta = {"kind": "bien-ban", "symbol": "BB-UBND", "agency_lines": lines}
    document, notes = metadata_document(Imported(meta, []), "bb", f"{text}\n\nNội dung.")
    assert document["place"] == place
    assert any(f"place “{place}” read {where}, the unit where" in n for n in notes), notes


def test_a_to_trinh_whose_masthead_spells_hoa_and_types_so_without_a_colon(
    tmp_path: Path,
) -> None:
    source = FIXTURES / "tt-cat-lamdong-cai-nghien-tai-cong-dong.doc"
    dest = tmp_path / "tt"
    report = import_document(source, dest)
    assert report.problems == []
    metadata = _metadata(dest)
    assert (metadata.kind, metadata.symbol) == ("to-trinh", "TTr-CAT-PC04")
    assert metadata.agency_full_name == "Công an tỉnh Lâm Đồng"
    assert (
        "masthead: “Số /TTr- CAT-PC04” prints “Số: /TTr-CAT-PC04”, with the colon and the "
        "ký hiệu in one word, as ND30 writes it" in report.corrected
    )
    built = build(dest)
    masthead = _masthead_texts(built)
    assert masthead[:2] == ["BỘ CÔNG AN", "CÔNG AN TỈNH LÂM ĐỒNG"]
    assert any(text.startswith("Số:") and "/TTr-CAT-PC04" in text for text in masthead)
    assert any("ngày" in text and "tháng 10 năm 2025" in text for text in masthead)
    original, rebuilt = read(_converted(source, "docx", tmp_path)), read(built)
    assert similarity(original.words, rebuilt.words) >= 0.99
    text = " ".join(rebuilt.words)
    assert "TỜ TRÌNH V/v xin chủ trương triển khai" in text
    assert "Kính gửi: Đồng chí Chủ tịch UBND tỉnh Lâm Đồng" in text


def test_a_cong_van_with_its_v_v_in_a_table_and_forms_attached_under_mastheads(
    tmp_path: Path,
) -> None:
    source = FIXTURES / "cv-vp-lamdong-xin-y-kien-de-an-cong-chung.doc"
    dest = tmp_path / "cv"
    report = import_document(source, dest)
    assert report.problems == []
    metadata = _metadata(dest)
    assert (metadata.kind, metadata.symbol) == ("cong-van", "VPUBND-NC")
    assert metadata.subject_line == "V/v xin ý kiến thành viên UBND tỉnh"
    declaration = (dest / "content" / "appendices.yaml").read_text(encoding="utf-8")
    assert "    document: Phiếu ghi ý kiến\n" in declaration
    assert "    document: Quyết định\n" in declaration
    assert (
        "    title: Về việc phê duyệt Đề án tổ chức Đại hội hợp nhất Hội Công chứng viên tỉnh "
        "Lâm Đồng lần thứ I, nhiệm kỳ 2025 - 2030\n" in declaration
    )  # the issuer under it is no part of it
    draft = (dest / "content" / "kem-theo" / "02-quyet-dinh.md").read_text(encoding="utf-8")
    assert "# {.run-in}\n\nPhê duyệt Đề án tổ chức Đại hội hợp nhất" in draft  # Điều 1.
    built = build(dest)
    text = read_docx(built).all_text
    assert "Điều 1. Phê duyệt Đề án tổ chức Đại hội hợp nhất" in text
    for line in ("PHIẾU GHI Ý KIẾN", "NGƯỜI ĐƯỢC XIN Ý KIẾN", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"):
        assert line in text
    assert text.count("PHIẾU GHI Ý KIẾN") == 1  # a form with no trích yếu: its kind once
    original, rebuilt = read(_converted(source, "docx", tmp_path)), read(built)
    assert similarity(original.words, rebuilt.words) >= 0.98


def test_a_giay_gioi_thieu_comes_back_without_a_trich_yeu(tmp_path: Path) -> None:
    scaffold("giay-gioi-thieu", tmp_path / "ggt")
    original = build_report(tmp_path / "ggt").path
    dest = tmp_path / "imported"
    report = import_document(original, dest)
    assert "kind: GIẤY GIỚI THIỆU → giay-gioi-thieu" in report.mapped
    assert not any("trích yếu" in line for line in report.mapped + report.notes)
    metadata = _metadata(dest)
    assert metadata.summary == "" and metadata.recipients == ("Như trên;", "Lưu: VT.")
    built = build_report(dest)
    assert [f for f in built.findings if f.status != "acknowledged"] == []
    rebuilt = read_docx(built.path)
    name, rule, opening = rebuilt.blocks[1:4]
    assert (name.text, rule.borders) == ("GIẤY GIỚI THIỆU", {"top": "single"})
    assert opening.text == "Ủy ban nhân dân huyện trân trọng giới thiệu:"
    assert opening.style == "Centred" and opening.alignment == "center"  # a centred line
    text = (dest / "content").glob("*.md")
    assert '::: {custom-style="Centred"}\nỦy ban nhân dân huyện trân trọng giới thiệu:\n:::' in (
        "\n".join(path.read_text(encoding="utf-8") for path in text)
    )
    assert "Được cử đến: Sở Lao động - Thương binh và Xã hội tỉnh." in [
        p.text for p in rebuilt.paragraphs
    ]


def test_a_giay_nghi_phep_comes_back_with_its_leave(tmp_path: Path) -> None:
    scaffold("giay-nghi-phep", tmp_path / "gnp")
    original = build_report(tmp_path / "gnp").path
    dest = tmp_path / "imported"
    report = import_document(original, dest)
    assert "kind: GIẤY NGHỈ PHÉP → giay-nghi-phep" in report.mapped
    metadata = _metadata(dest)
    assert (metadata.summary, metadata.signer_position) == ("", "CHÁNH VĂN PHÒNG")
    built = build_report(dest)
    assert [f for f in built.findings if f.status != "acknowledged"] == []
    texts = [p.text for p in read_docx(built.path).paragraphs]
    assert any(t.startswith("Được nghỉ phép trong thời gian 05 ngày, kể từ ngày") for t in texts)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("true", True),
        ('"Xác nhận của Ủy ban nhân dân xã Đắk Pék"', "Xác nhận của Ủy ban nhân dân xã Đắk Pék"),
    ],
)
def test_a_giay_nghi_phep_s_confirmation_block_comes_back(
    tmp_path: Path, written: str, read: object
) -> None:
    project = tmp_path / "gnp"
    scaffold("giay-nghi-phep", project)
    document = project / "data" / "document.yaml"
    text = document.read_text(encoding="utf-8")
    document.write_text(
        text.replace("# confirmation: true", f"confirmation: {written}"), encoding="utf-8"
    )
    dest = tmp_path / "imported"
    report = import_document(build_report(project).path, dest)
    heading = read if isinstance(read, str) else KINDS["giay-nghi-phep"].confirmation
    assert f"confirmation block: {heading}" in report.mapped
    # the block is the closing's, not a Phụ lục
    assert not (dest / "content" / "appendices.yaml").exists()
    assert YAML().load((dest / "data" / "document.yaml").read_text())["confirmation"] == read
    rebuilt = read_docx(build_report(dest).path)
    assert rebuilt.tables[-1].rows[0][0][0].text == heading


def _cong_dien_as_mau_1_6(path: Path) -> None:
    """Write a Công điện laid out as ND30's Mẫu 1.6: the rule typed under the trích yếu, a
    blank line, the sender centred, the recipients in the right cell of a borderless table."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    masthead = doc.add_table(rows=2, cols=2)
    masthead.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG"
    masthead.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    masthead.cell(1, 0).text = "Số: 05/CĐ-UBND"
    masthead.cell(1, 1).text = "Lâm Đồng, ngày 10 tháng 10 năm 2025"
    for text in ("CÔNG ĐIỆN", "Về việc tập trung ứng phó với bão", "________", ""):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    sender = doc.add_paragraph("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:")
    sender.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sent_to = doc.add_table(rows=1, cols=2)
    cell = sent_to.cell(0, 1)
    cell.text = "- Giám đốc các sở, ban, ngành;"
    cell.add_paragraph("- Chủ tịch Ủy ban nhân dân các xã, phường.")
    doc.add_paragraph("Để chủ động ứng phó với bão, Chủ tịch Ủy ban nhân dân tỉnh yêu cầu:")
    closing = doc.add_table(rows=1, cols=2)
    closing.cell(0, 0).text = "Nơi nhận:\n- Như trên;\n- Lưu: VT."
    closing.cell(0, 1).text = "CHỦ TỊCH\n\n\nNguyễn Văn B"
    doc.save(str(path))


def test_a_cong_dien_gives_its_sender_and_whom_it_is_sent_to(tmp_path: Path) -> None:
    source = tmp_path / "cd.docx"
    _cong_dien_as_mau_1_6(source)
    dest = tmp_path / "imported"
    report = import_document(source, dest)
    assert "kind: CÔNG ĐIỆN → cong-dien" in report.mapped
    assert "sender: CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:" in report.mapped
    assert "recipients of the Công điện: 2" in report.mapped
    metadata = _metadata(dest)
    assert metadata.summary == "Về việc tập trung ứng phó với bão"
    assert metadata.issuer == ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH",)
    assert metadata.recipients_to == (
        "Giám đốc các sở, ban, ngành",
        "Chủ tịch Ủy ban nhân dân các xã, phường",
    )
    built = build_report(dest)
    assert [f for f in built.findings if f.status != "acknowledged"] == []
    rebuilt = read_docx(built.path)
    assert [p.text for p in rebuilt.blocks[4:7]] == [
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:",
        "- Giám đốc các sở, ban, ngành;",
        "- Chủ tịch Ủy ban nhân dân các xã, phường.",
    ]
    assert rebuilt.blocks[8].text.startswith("Để chủ động ứng phó với bão")


def test_a_cong_dien_comes_back_as_it_was_built(tmp_path: Path) -> None:
    scaffold("cong-dien", tmp_path / "cd")
    original = build_report(tmp_path / "cd").path
    dest = tmp_path / "imported"
    import_document(original, dest)
    metadata = _metadata(dest)
    assert metadata.issuer == ("CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN …",)
    assert len(metadata.recipients_to) == 2 and metadata.received_lines[0] == "Như trên;"
    rebuilt = build_report(dest)
    assert [f for f in rebuilt.findings if f.status != "acknowledged"] == []


def test_a_giay_gioi_thieu_as_mau_1_8_keeps_its_centred_first_line_in_the_text(
    tmp_path: Path,
) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()  # laid out as Mẫu 1.8: the centred line straight under the type name
    masthead = doc.add_table(rows=2, cols=2)
    masthead.cell(0, 0).text = "ỦY BAN NHÂN DÂN\nTỈNH LÂM ĐỒNG"
    masthead.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    masthead.cell(1, 0).text = "Số: 12/GGT-UBND"
    masthead.cell(1, 1).text = "Lâm Đồng, ngày 03 tháng 11 năm 2025"
    for text in ("GIẤY GIỚI THIỆU", "Ủy ban nhân dân tỉnh trân trọng giới thiệu:"):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in ("Ông (bà): Nguyễn Văn D", "Được cử đến: Bộ Nội vụ.", "Về việc: Liên hệ công tác."):
        doc.add_paragraph(text)
    doc.add_paragraph("Giấy này có giá trị đến hết ngày 30 tháng 11 năm 2025./.")
    closing = doc.add_table(rows=1, cols=2)
    closing.cell(0, 0).text = "Nơi nhận:\n- Như trên;\n- Lưu: VT."
    closing.cell(0, 1).text = "TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\n\nTrần Văn E"
    source = tmp_path / "ggt.docx"
    doc.save(str(source))
    dest = tmp_path / "imported"
    report = import_document(source, dest)
    assert not any(line.startswith("trích yếu") for line in report.mapped)
    metadata, problems = load_metadata(open_project(dest))
    assert problems == [] and metadata is not None and metadata.summary == ""
    built = build_report(dest)
    assert [f for f in built.findings if f.status != "acknowledged"] == []
    first = read_docx(built.path).blocks[3]
    assert (first.text, first.style) == ("Ủy ban nhân dân tỉnh trân trọng giới thiệu:", "Centred")


def test_a_table_of_the_text_set_smaller_than_it_keeps_its_size(tmp_path: Path) -> None:
    """A Báo cáo at 14 pt whose scores by criterion fill 16 columns at 10 pt on a turned
    page: the table comes back at 10 pt, declared with its size where the text placed it,
    and the one at 11 pt at 11; the tables set at 12 or as the text print at 12."""
    source = FIXTURES / "bc-hcc-lamdong-chat-luong-phuc-vu-2025.docx"
    dest = tmp_path / "imported"
    rebuilt = read_docx(_import_and_build(source, dest))
    report = (dest / "IMPORT.md").read_text(encoding="utf-8")
    assert (
        "the table at paragraph 49: set at 10 pt, smaller than the text's 14 → "
        "content/appendices.yaml body_tables 'bang-1' (font_size: 10), placed by "
        "{{ table('bang-1') }}"
    ) in report
    text = (dest / "content" / "02-ket-qua-thuc.md").read_text(encoding="utf-8")
    assert (
        "::: landscape\n\nd\\) Kết quả đánh giá đối với tiêu chí dịch vụ công trực tuyến\n\n"
        "{{ table('bang-1') }}\n"
    ) in text
    body = rebuilt.tables[1:-1]  # between the masthead and the signature
    sizes = [{s for p in t.paragraphs() for s in p.sizes} for t in body]
    assert sizes == [{12.0}, {12.0}, {10.0}, {12.0}, {11.0}]
    wide = body[2]
    assert len(wide.grid) == 16
    assert wide.texts[-1] == ["13", "Sở Tài chính", "77.23", "17", "0", "0", "100", "4"] + [
        "53.68", "6", "100", "2", "100", "2", "49.83", "2.99"
    ]  # fmt: skip


@needs_libreoffice
def test_a_table_of_sixteen_columns_at_its_size_fits_its_rows_on_one_turned_page(
    tmp_path: Path,
) -> None:
    """At 10 pt, as the source sets it, the 16-column table prints its 13 rows on one turned
    page, the names of the Sở on a line or two; at 12 pt it took two pages."""
    from conftest import pdf_pages, to_pdf

    source = FIXTURES / "bc-hcc-lamdong-chat-luong-phuc-vu-2025.docx"
    pages = pdf_pages(to_pdf(_import_and_build(source, tmp_path / "imported"), tmp_path))
    (first,) = [p for p in pages if "Thanh toán trực tuyến" in p["text"]]
    assert first["size"].startswith("841.")  # turned across
    assert "Ban Quản lý các khu" in first["text"] and "Sở Tài chính" in first["text"]


@needs_libreoffice
def test_each_biểu_mẫu_prints_on_a_page_turned_as_the_original_s(tmp_path: Path) -> None:
    """The Báo cáo's seven forms after its signature, on Letter pages turned across in the
    original: each prints on a turned page again, and the text before them on upright ones.
    The rebuilt text runs shorter (spaced as the reference document's styles set it, the
    original at 1.1 lines with 6 pt before each paragraph), so the forms start some pages
    earlier: set page by page against the original, the first form's turned page
    meets an upright page of the original's text; read by the form it holds, it is turned in
    both."""
    from conftest import pdf_pages, to_pdf

    source = FIXTURES / "bc-ubnd-lamdong-cchc-2025.docx"
    rebuilt = _import_and_build(source, tmp_path / "cchc")

    def forms(docx: Path, outdir: Path) -> tuple[dict[str, bool], list[bool]]:
        outdir.mkdir()
        pages = pdf_pages(to_pdf(docx, outdir))
        turned = [float(p["size"].split()[0]) > float(p["size"].split()[2]) for p in pages]
        where: dict[str, bool] = {}
        for page, across in zip(pages, turned, strict=True):
            for number in re.findall(r"^\s*Biểu mẫu (\d+)", page["text"], re.MULTILINE):
                where.setdefault(number, across)
        first = next(
            i for i, p in enumerate(pages) if re.search(r"^\s*Biểu mẫu 1", p["text"], re.M)
        )
        return where, turned[:first]

    original, before = forms(source, tmp_path / "original")
    again, text = forms(rebuilt, tmp_path / "rebuilt")
    assert sorted(original) == [str(n) for n in range(1, 8)]
    assert again == original and all(original.values())
    assert not any(before) and not any(text)  # the text's pages upright in both
    assert len(text) < len(before)  # 22 pages and 25 with LibreOffice 7.x


# --- the Lào Cai sweep: a Giấy mời họp, a Sở's Kế hoạch with forms, a Cục's Công văn ----------


def _imported_fixture(name: str, tmp_path: Path):
    """Import a fixture into tmp_path/imported; return its path, the directory, the report."""
    source, dest = FIXTURES / name, tmp_path / "imported"
    report = import_document(source, dest)
    assert report.problems == []
    return source, dest, report


def _reads_as(source: Path, built: Path, words: float) -> None:
    """The rebuilt text's words as close as `words` to the source's; every number kept."""
    original, rebuilt = read(source), read(built)
    assert similarity(original.words, rebuilt.words) >= words
    assert numbers_recall(original, rebuilt) == 1.0


def test_a_giay_moi_hop_of_a_province_builds_as_its_reader_saw_it(tmp_path: Path) -> None:
    source, dest, report = _imported_fixture(
        "gm-ubnd-laocai-hop-cum-cong-nghiep-2026.docx", tmp_path
    )
    assert "kind: GIẤY MỜI HỌP → giay-moi" in report.mapped
    assert not [c for c in report.corrected if "the build numbers it" in c]
    built = build(dest)
    doc = read_docx(built)
    texts = [p.text for p in doc.paragraphs]
    assert texts.count("GIẤY MỜI") == 1 and "GIẤY MỜI HỌP" not in texts
    assert "Họp về tình hình triển khai các cụm công nghiệp trên địa bàn tỉnh." in texts
    headings = [t.split(" ")[0] for t in texts if re.match(r"^\d+\.(?:\d+\.)? \S", t)]
    assert headings == ["1.", "2.", "2.1.", "2.2.", "3."]
    assert any(
        t.startswith("1. Thời gian, hình thức họp: Từ 14h00 thứ Ba, ngày 16/6/2026") for t in texts
    )
    kinh_gui = next(t for t in doc.tables if t.texts[0][0] == "Kính gửi:")
    assert [p.text for p in kinh_gui.rows[0][1]][0] == (
        "- Đồng chí Nguyễn Tuấn Anh, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh;"
    )
    assert len(kinh_gui.rows[0][1]) == 4
    assert list(doc.footnotes.values()) == [  # the footnote on the last recipient
        "UBND các xã, phường: Gia Phú, Văn Bàn, Bảo Yên, Yên Bình, Quy Mông, Xuân Ái, Đông "
        "Cuông, Mậu A, Văn Chấn, Lục Yên, Hưng Khánh, Trấn Yên, Yên Bái, Âu Lâu, Văn Phú, Lào Cai."
    ]
    _reads_as(source, built, 0.99)


def test_a_so_s_ke_hoach_keeps_its_phu_luc_so_01_outline_and_forms(tmp_path: Path) -> None:
    source, dest, report = _imported_fixture("kh-sct-laocai-de-an-08-2026.docx", tmp_path)
    assert [n for n in report.notes if "not imported" in n] == []
    assert (
        "Phụ lục số 01: a Phụ lục of 20 paragraphs → content/phu-luc/01-de-cuong-bao.md (text:); "
        "headings: roman, number, letter" in report.mapped
    )
    built = build(dest)
    doc = read_docx(built)
    texts = [p.text for p in doc.paragraphs]
    at = texts.index("ĐỀ CƯƠNG BÁO CÁO")
    assert texts[at - 1] == "Phụ lục 01"
    assert "I. Đặc điểm, tình hình" in texts[at:]
    assert "Biểu 01: BÁO CÁO TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ TRỌNG TÂM" in texts[at:]
    forms = doc.tables[-2:]
    assert forms[0].texts[0][:2] == ["TT", "Tên nhiệm vụ /Dự án"]
    # the forms' rows are left blank to fill in, as the original leaves them
    assert len(forms[0].texts) == 8 and forms[0].texts[1:] == [[""] * 8] * 7
    assert len(forms[1].texts) == 6 and forms[1].texts[1:] == [[""] * 8] * 5
    assert (
        "Phụ lục số 01, table 1: written out as a Markdown table (no figures: a form whose rows "
        "are left blank to fill in)" in report.mapped
    )
    _reads_as(source, built, 0.99)


def test_a_cuc_s_cong_van_keeps_the_articles_it_quotes_numbered_as_typed(tmp_path: Path) -> None:
    source, dest, _ = _imported_fixture("cv-cuc-hoa-chat-giay-phep-xnk-2026.docx", tmp_path)
    metadata, _ = load_metadata(open_project(dest))
    assert metadata is not None
    assert (metadata.kind, metadata.symbol) == ("cong-van", "HC-QLHC")
    assert metadata.number is not None and metadata.number.written == "597"
    assert metadata.date == dt.date(2026, 3, 27)
    built = build(dest)
    assert _masthead_texts(built)[:2] == ["BỘ CÔNG THƯƠNG", "CỤC HÓA CHẤT"]
    texts = [p.text for p in read_docx(built).paragraphs]
    for article in (
        "Điều 57. Áp dụng biện pháp quản lý hàng hóa nhập khẩu đối với khu vực hải quan riêng",
        "Điều 58. Áp dụng biện pháp quản lý mua bán hàng hóa giữa các khu vực hải quan riêng",
        "Điều 59. Trường hợp ngoại lệ",
    ):
        assert article in texts
    assert not [t for t in texts if re.match(r"^Điều [1-4]\.", t)]
    _reads_as(source, built, 0.999)


@pytest.mark.parametrize(
    ("capitals", "written"),
    [  # ND30 Phụ lục II, IV.1.a and its examples; Bộ Công Thương as the ministry writes it
        ("BỘ TÀI NGUYÊN VÀ MÔI TRƯỜNG", "Bộ Tài nguyên và Môi trường"),
        ("VĂN PHÒNG CHỦ TỊCH NƯỚC", "Văn phòng Chủ tịch nước"),
        ("TẬP ĐOÀN ĐIỆN LỰC VIỆT NAM", "Tập đoàn Điện lực Việt Nam"),
        ("HỘI ĐỒNG NHÂN DÂN TỈNH SƠN LA", "Hội đồng nhân dân tỉnh Sơn La"),
        ("SỞ TÀI CHÍNH", "Sở Tài chính"),
        (
            "BAN CHỈ ĐẠO TRUNG ƯƠNG VỀ PHÒNG CHỐNG THAM NHŨNG",
            "Ban Chỉ đạo trung ương về Phòng chống tham nhũng",
        ),
        ("SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "Sở Nông nghiệp và Môi trường"),
        ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Bộ Lao động - Thương binh và Xã hội"),
        ("BỘ CÔNG THƯƠNG", "Bộ Công Thương"),
        ("CỤC HÓA CHẤT", "Cục Hóa chất"),
        ("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "Trung tâm Phục vụ hành chính công"),
        ("KHO BẠC NHÀ NƯỚC TỈNH LÀO CAI", "Kho bạc Nhà nước tỉnh Lào Cai"),
    ],
)
def test_an_agency_named_in_capitals_is_written_as_nd30_capitalises_it(
    capitals: str, written: str
) -> None:
    assert _full_name([capitals], "") == (written, False)


def test_a_cuc_under_its_bo_on_one_line_break_is_the_issuing_body(tmp_path: Path) -> None:
    _, dest, report = _imported_fixture("cv-cuc-hoa-chat-giay-phep-xnk-2026.docx", tmp_path)
    metadata, _ = load_metadata(open_project(dest))
    assert metadata is not None
    assert (metadata.agency_parent, metadata.agency_lines) == ("BỘ CÔNG THƯƠNG", ("CỤC HÓA CHẤT",))
    assert metadata.agency_full_name == "Cục Hóa chất"
    # the text names the Cục as its own name is read, so its capitals are the text's
    assert not [n for n in report.notes if "agency.full_name" in n]
