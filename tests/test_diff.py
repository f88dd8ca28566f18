"""`vanban diff`: figures, text and footnotes between two drafts, the Word redline, git.

The fixtures tests/cases-diff/draft-1 and draft-2 differ by exactly five changes:
- a figure in a table cell: so_lieu.von.y2023.allocated 4252.0 → 4352.0 (printed in the body's
  table and in the appendix);
- a sentence: "Các xã[, thị trấn] đã triển khai … cho hộ nghèo[ và hộ cận nghèo]." ;
- a footnote's text: [^kh-70-2021] "ngày 06/4/2021" → "ngày 16/4/2021";
- a removed footnote: [^bc-12-2023], reference and text;
- the signer: "Nguyễn Văn A" → "Trần Thị B".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO, copy_case, needs_libreoffice, soffice
from vanban.diff.__main__ import main as diff_main
from vanban.diff.align import Segment, word_diff, word_opcodes, words
from vanban.diff.compare import Comparison, compare
from vanban.diff.redline import Redline, redline_docx
from vanban.diff.report import as_json, excerpt, format_markdown, format_text
from vanban.diff.revisions import Author, resolve_parts
from vanban.diff.sides import Workspace
from vanban.diff.text import note_changes, text_changes
from vanban.diff.textconv import docx_lines, facts_lines
from vanban.diff.tree import TreeReader, changed_sections
from vanban.ooxml import DOCUMENT_PART, FOOTNOTES_PART, parse_xml, qn, read_parts, write_parts
from vanban.ooxml_check import check_package
from vanban.pipeline import build

CASES = Path(__file__).resolve().parent / "cases-diff"
AUTHOR = Author("vanban", "2024-06-01T08:00:00Z")
W_INS, W_DEL = qn("w:ins"), qn("w:del")


def copy_drafts(dest: Path) -> Path:
    """Copy both drafts into dest, each with the repository's Word templates."""
    for name in ("draft-1", "draft-2"):
        shutil.copytree(CASES / name, dest / name)
        shutil.copytree(REPO / "templates", dest / name / "templates")
    return dest


@pytest.fixture(scope="module")
def drafts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_drafts(tmp_path_factory.mktemp("drafts"))


@pytest.fixture(scope="module")
def reviewed(drafts: Path) -> tuple[Comparison, Redline]:
    with Workspace() as workspace:
        comparison = compare("draft-1", "draft-2", drafts, workspace)
        return comparison, redline_docx(comparison, AUTHOR)


def tracked(docx: bytes) -> list[tuple[str, str, str, str]]:
    """Every w:ins / w:del: (part, kind, text, where), where = cell, paragraph or mark."""
    parts = read_parts(docx)
    found = []
    for name in (DOCUMENT_PART, FOOTNOTES_PART):
        for element in parse_xml(parts[name]).iter(W_INS, W_DEL):
            kind = "ins" if element.tag == W_INS else "del"
            text = "".join(t.text or "" for t in element.iter(qn("w:t"), qn("w:delText")))
            if element.getparent().tag == qn("w:rPr"):
                where = "paragraph mark"
            elif element.find(f".//{qn('w:footnoteReference')}") is not None:
                where = "footnote reference"
            elif any(a.tag == qn("w:tc") for a in element.iterancestors()):
                where = "table cell"
            else:
                where = "paragraph"
            found.append((name.split("/")[-1], kind, text, where))
    return found


# --------------------------------------------------------------------------- figures, text


def test_every_changed_figure_with_unit_difference_and_share(reviewed):
    comparison, _ = reviewed
    (change,) = comparison.facts
    assert change.as_json() == {
        "kind": "changed",
        "name": "so_lieu.von.y2023.allocated",
        "old": "4252.0",
        "new": "4352.0",
        "unit": "triệu đồng",
        "label": "Vốn phân bổ",
        "derived": False,
        "difference": "100.0",
        "percent": "2.35",
        "printed_at": ["content/01-ket-qua.md:12"],
    }


def test_terminal_listing(reviewed):
    comparison, _ = reviewed
    assert format_text(comparison) == (
        "vanban diff draft-1 → draft-2\n"
        "\n"
        "Figures: 1 changed\n"
        "  so_lieu.von.y2023.allocated  4.252,0 → 4.352,0 triệu đồng  +100,0 (+2,35%)\n"
        "      Vốn phân bổ · printed at content/01-ket-qua.md:12\n"
        "\n"
        "Paragraphs: 3 changed\n"
        "  content/01-ket-qua.md — 1. Vốn thực hiện\n"
        "    ~ 2023 | [-4.252,0-]{+4.352,0+} | 3.473\n"
        "    ~ Các xã{+, thị trấn+} đã triển khai kịp thời các mô hình hỗ trợ sản xuất cho hộ "
        "nghèo{+ và hộ cận nghèo+}.\n"
        "  content/02-danh-gia.md — II. ĐÁNH GIÁ CHUNG\n"
        "    ~ Công tác giảm nghèo đạt kế hoạch đề ra[-[^bc-12-2023]-].\n"
        "\n"
        "Footnotes: 1 changed, 1 removed\n"
        "  [^kh-70-2021] (note 2) ~ Kế hoạch số 70/KH-UBND ngày [-06-]{+16+}/4/2021 của UBND "
        "huyện.\n"
        "  [^bc-12-2023] (note 3) removed: Báo cáo số 12/BC-UBND ngày 20/12/2023 của UBND "
        "huyện.\n"
        "\n"
        "Appendix cells: 1 changed\n"
        "  Phụ lục · Năm 2023 · Vốn phân bổ: 4.252,0 → 4.352,0\n"
        "      so_lieu.von.y2023.allocated\n"
        "\n"
        "Masthead and closing: 1 changed\n"
        "  signer: Nguyễn Văn A → Trần Thị B\n"
    )


def test_colour_on_a_terminal(reviewed):
    comparison, _ = reviewed
    coloured = format_text(comparison, color=True)
    assert "\033[31m4.252,0\033[0m" in coloured and "\033[32m4.352,0\033[0m" in coloured
    assert "[-" not in coloured


def test_json_for_a_review(reviewed):
    comparison, _ = reviewed
    data = json.loads(json.dumps(as_json(comparison), ensure_ascii=False))
    assert data["changed"] is True
    assert [f["name"] for f in data["facts"]] == ["so_lieu.von.y2023.allocated"]
    assert [(t["kind"], t["section"]) for t in data["text"]] == [
        ("changed", "content/01-ket-qua.md"),
        ("changed", "content/01-ket-qua.md"),
        ("changed", "content/02-danh-gia.md"),
    ]
    assert [(n["kind"], n["name"]) for n in data["footnotes"]] == [
        ("changed", "kh-70-2021"),
        ("removed", "bc-12-2023"),
    ]
    assert data["fields"] == [{"name": "signer_name", "old": "Nguyễn Văn A", "new": "Trần Thị B"}]


def test_markdown_for_a_review(reviewed):
    comparison, _ = reviewed
    markdown = format_markdown(comparison)
    assert (
        "| `so_lieu.von.y2023.allocated` | 4.252,0 | 4.352,0 | triệu đồng | +100,0 (+2,35%) |"
        in markdown
    )
    assert "Các xã<ins>, thị trấn</ins> đã triển khai" in markdown
    assert (
        "- `[^kh-70-2021]` (note 2): Kế hoạch số 70/KH-UBND ngày <del>06</del><ins>16</ins>/4/2021"
        in markdown
    )
    assert "- `[^bc-12-2023]` (note 3), removed: <del>Báo cáo số 12/BC-UBND" in markdown
    assert "- signer: <del>Nguyễn Văn A</del> → <ins>Trần Thị B</ins>" in markdown


def test_same_draft_has_no_changes(drafts):
    with Workspace() as workspace:
        comparison = compare("draft-1", "draft-1", drafts, workspace)
        assert not comparison.changed
        assert format_text(comparison).endswith("no changes\n")
        redline = redline_docx(comparison, AUTHOR)
    assert redline.changes == 0 and tracked(redline.docx) == []


# --------------------------------------------------------------------------- redline


def test_redline_tracks_each_change_at_its_place_and_nothing_else(reviewed):
    _, redline = reviewed
    assert tracked(redline.docx) == [
        ("document.xml", "del", "4.252,0", "table cell"),  # the body's table
        ("document.xml", "ins", "4.352,0", "table cell"),
        ("document.xml", "ins", ", thị trấn", "paragraph"),  # the sentence
        ("document.xml", "ins", " và hộ cận nghèo", "paragraph"),
        ("document.xml", "del", "", "footnote reference"),  # the removed footnote
        ("document.xml", "del", "Nguyễn Văn A", "table cell"),  # the signer
        ("document.xml", "ins", "Trần Thị B", "table cell"),
        ("document.xml", "del", "4.252,0", "table cell"),  # the appendix
        ("document.xml", "ins", "4.352,0", "table cell"),
        ("footnotes.xml", "del", "06", "paragraph"),  # the footnote's text
        ("footnotes.xml", "ins", "16", "paragraph"),
        (
            "footnotes.xml",
            "del",
            "Báo cáo số 12/BC-UBND ngày 20/12/2023 của UBND huyện.",
            "paragraph",
        ),
    ]
    assert redline.changes == 12


def test_every_change_has_author_date_and_its_own_id(reviewed):
    _, redline = reviewed
    parts = read_parts(redline.docx)
    ids = []
    for name in (DOCUMENT_PART, FOOTNOTES_PART):
        for element in parse_xml(parts[name]).iter(W_INS, W_DEL):
            assert element.get(qn("w:author")) == "vanban"
            assert element.get(qn("w:date")) == "2024-06-01T08:00:00Z"
            ids.append(element.get(qn("w:id")))
    assert len(ids) == len(set(ids)) == 12
    settings = parse_xml(parts["word/settings.xml"])
    assert settings.find(qn("w:trackRevisions")) is not None
    assert check_package(redline.docx) == []


def test_removed_footnote_reference_and_text_are_deleted_together(reviewed):
    _, redline = reviewed
    parts = read_parts(redline.docx)
    document = parse_xml(parts[DOCUMENT_PART])
    (reference,) = [
        r
        for r in document.iter(qn("w:footnoteReference"))
        if any(a.tag == W_DEL for a in r.iterancestors())
    ]
    note_id = reference.get(qn("w:id"))
    notes = parse_xml(parts[FOOTNOTES_PART])
    (note,) = [n for n in notes.iter(qn("w:footnote")) if n.get(qn("w:id")) == note_id]
    text = "".join(t.text or "" for t in note.iter(qn("w:delText")))
    assert text == "Báo cáo số 12/BC-UBND ngày 20/12/2023 của UBND huyện."
    assert not "".join(t.text or "" for t in note.iter(qn("w:t"))).strip()


def test_accept_all_gives_b_and_reject_all_gives_a(reviewed, drafts, tmp_path):
    _, redline = reviewed
    plain_a = docx_lines(build(drafts / "draft-1", tmp_path / "a.docx").read_bytes())
    plain_b = docx_lines(build(drafts / "draft-2", tmp_path / "b.docx").read_bytes())
    parts = read_parts(redline.docx)
    assert docx_lines(write_parts(resolve_parts(parts, accept=True))) == plain_b
    assert docx_lines(write_parts(resolve_parts(parts, accept=False))) == plain_a
    assert plain_a != plain_b


def test_added_and_removed_paragraphs_sections_notes_and_recipients(drafts, tmp_path):
    """Whole blocks come and go: their paragraph marks are tracked too."""
    shutil.copytree(drafts / "draft-2", tmp_path / "draft-3")
    edited = tmp_path / "draft-3"
    danh_gia = edited / "content" / "02-danh-gia.md"
    danh_gia.write_text(
        "# ĐÁNH GIÁ CHUNG\n\n"
        "Công tác giảm nghèo đạt kế hoạch đề ra.\n\n"
        "Nguồn vốn được bố trí sớm hơn năm trước[^cv-15-2024].\n\n"
        "## Tồn tại, hạn chế\n\n"
        "Việc rà soát hộ nghèo ở một số thôn còn chậm.\n\n"
        "[^cv-15-2024]: Công văn số 15/UBND-LĐTBXH ngày 15/01/2024 của UBND huyện.\n",
        encoding="utf-8",
    )
    data = edited / "data" / "so-lieu.yaml"
    data.write_text(
        data.read_text(encoding="utf-8") + "  y2024: {allocated: 5100.0, disbursed: 2000}\n",
        encoding="utf-8",
    )
    ket_qua = edited / "content" / "01-ket-qua.md"
    row = (
        "| {y} | {{{{ so_lieu.von.y{y}.allocated | so }}}} "
        "| {{{{ so_lieu.von.y{y}.disbursed | so }}}} |\n"
    )
    text = ket_qua.read_text(encoding="utf-8")
    assert row.format(y=2023) in text
    text = text.replace(row.format(y=2023), row.format(y=2023) + row.format(y=2024))
    ket_qua.write_text(text, encoding="utf-8")
    (edited / "content" / "03-kien-nghi.md").write_text(
        "# KIẾN NGHỊ\n\nĐề nghị tỉnh bố trí vốn sớm.\n", encoding="utf-8"
    )
    document = edited / "data" / "document.yaml"
    document.write_text(
        document.read_text(encoding="utf-8")
        .replace(
            "  - Sở Lao động-TB&XH tỉnh;\n",
            "  - Sở Lao động-TB&XH tỉnh;\n  - Phòng Tài chính huyện;\n",
        )
        .replace("status: draft", "status: final")
        .replace("number: null", "number: 5")
        .replace("date: null", "date: 2024-01-05"),
        encoding="utf-8",
    )
    with Workspace() as workspace:
        comparison = compare(str(drafts / "draft-1"), str(edited), tmp_path, workspace)
        redline = redline_docx(comparison, AUTHOR)
    assert [(t.kind, t.new or t.old) for t in comparison.text] == [
        (
            "changed",
            "Năm | Vốn phân bổ | Giải ngân\n2022 | 1.688,0 | 1.681\n2023 | 4.352,0 | 3.473\n"
            "2024 | 5.100,0 | 2.000",
        ),
        (
            "changed",
            "Các xã, thị trấn đã triển khai kịp thời các mô hình hỗ trợ sản xuất cho hộ nghèo"
            " và hộ cận nghèo.",
        ),
        ("changed", "Công tác giảm nghèo đạt kế hoạch đề ra."),
        ("removed", "Một số xã còn chậm giải ngân vốn."),
        ("added", "Nguồn vốn được bố trí sớm hơn năm trước[^cv-15-2024]."),
        ("added", "1. Tồn tại, hạn chế"),
        ("added", "Việc rà soát hộ nghèo ở một số thôn còn chậm."),
        ("added", "III. KIẾN NGHỊ"),
        ("added", "Đề nghị tỉnh bố trí vốn sớm."),
    ]
    assert [(n.kind, n.name) for n in comparison.notes] == [
        ("changed", "kh-70-2021"),
        ("added", "cv-15-2024"),
        ("removed", "bc-12-2023"),
    ]
    assert [f.name for f in comparison.fields] == [
        "number_line",
        "date_line",
        "recipients",
        "signer_name",
        "status",
    ]
    lines = docx_lines(redline.docx)
    assert "{+2024+} | {+5.100,0+} | {+2.000+}" in lines
    rows = parse_xml(read_parts(redline.docx)[DOCUMENT_PART]).iter(qn("w:tr"))
    inserted_rows = [r for r in rows if r.find(f"{qn('w:trPr')}/{qn('w:ins')}") is not None]
    assert len(inserted_rows) == 1
    start = lines.index("II. ĐÁNH GIÁ CHUNG")
    assert lines[start : start + 9] == [
        "II. ĐÁNH GIÁ CHUNG",
        "Công tác giảm nghèo đạt kế hoạch đề ra[-[3]-].",
        "[-Một số xã còn chậm giải ngân vốn.-]",
        "{+Nguồn vốn được bố trí sớm hơn năm trước[4].+}",
        "{+1. Tồn tại, hạn chế+}",
        "{+Việc rà soát hộ nghèo ở một số thôn còn chậm.+}",
        "{+III. KIẾN NGHỊ+}",
        "{+Đề nghị tỉnh bố trí vốn sớm.+}",
        "Nơi nhận: / - Sở Lao động-TB&XH tỉnh; / {+- Phòng Tài chính huyện;+} / - Lưu: VT. | "
        "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / [-Nguyễn Văn A-]{+Trần Thị B+}",
    ]
    assert lines[1] == (
        "Số: [-     -]{+05+}/BC-UBND | "
        "Thử Nghiệm, ngày [-    -]{+05+} tháng [-    -]{+01+} năm 2024"
    )
    plain_a = docx_lines(build(drafts / "draft-1", tmp_path / "a.docx").read_bytes())
    plain_b = docx_lines(build(edited, tmp_path / "b.docx").read_bytes())
    parts = read_parts(redline.docx)
    assert docx_lines(write_parts(resolve_parts(parts, accept=True))) == plain_b
    assert docx_lines(write_parts(resolve_parts(parts, accept=False))) == plain_a
    assert check_package(redline.docx) == []
    marks = [w for _, _, _, w in tracked(redline.docx)]
    assert marks.count("paragraph mark") >= 5  # the new paragraphs, headings and recipient


def test_a_new_section_renumbers_the_headings_after_it(drafts, tmp_path):
    shutil.copytree(drafts / "draft-1", tmp_path / "draft-4")
    (tmp_path / "draft-4" / "content" / "00-boi-canh.md").write_text(
        "# BỐI CẢNH\n\nNăm 2024 có nhiều khó khăn.\n", encoding="utf-8"
    )
    with Workspace() as workspace:
        comparison = compare("draft-1", str(tmp_path / "draft-4"), drafts, workspace)
    assert format_text(comparison).split("\n", 1)[1] == (
        "\n"
        "Paragraphs: 2 added, 2 renumbered\n"
        "  content/00-boi-canh.md — I. BỐI CẢNH\n"
        "    + I. BỐI CẢNH\n"
        "    + Năm 2024 có nhiều khó khăn.\n"
        "  content/01-ket-qua.md — II. KẾT QUẢ THỰC HIỆN\n"
        "    # [-I-]{+II+}. KẾT QUẢ THỰC HIỆN\n"
        "  content/02-danh-gia.md — III. ĐÁNH GIÁ CHUNG\n"
        "    # [-II-]{+III+}. ĐÁNH GIÁ CHUNG\n"
    )


def test_docx_option_writes_the_redline(drafts, tmp_path, capsys):
    out = tmp_path / "review.docx"
    code = diff_main(["diff", "-C", str(drafts), "draft-1", "draft-2", "--docx", str(out)])
    captured = capsys.readouterr()
    assert code == 0
    assert "Figures: 1 changed" in captured.out
    assert f"wrote {out}: 12 tracked changes, draft-2 against draft-1, in " in captured.err
    assert len(tracked(out.read_bytes())) == 12


def test_exit_code_and_formats_from_the_command_line(drafts, capsys):
    assert diff_main(["diff", "-C", str(drafts), "draft-1", "draft-2", "--exit-code"]) == 1
    capsys.readouterr()
    assert diff_main(["diff", "-C", str(drafts), "draft-1", "draft-1", "--exit-code"]) == 0
    capsys.readouterr()
    assert diff_main(["diff", "-C", str(drafts), "draft-1", "draft-2", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["b"]["label"] == "draft-2"


def libreoffice_convert(source: Path, target_format: str, outdir: Path) -> Path:
    """Open source in LibreOffice and save it in another format; return the new file."""
    command = [
        str(soffice()),
        f"-env:UserInstallation=file://{outdir / 'lo-profile'}",
        "--headless",
        "--convert-to",
        target_format,
        "--outdir",
        str(outdir),
        str(source),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    saved = outdir / (source.stem + "." + target_format.split(":")[0])
    assert result.returncode == 0 and saved.exists(), (result.stdout, result.stderr)
    return saved


@needs_libreoffice
def test_libreoffice_lists_each_change(reviewed, tmp_path):
    """LibreOffice's own list of changes (its ODT), in document order, body then notes."""
    _, redline = reviewed
    source = tmp_path / "review.docx"
    source.write_bytes(redline.docx)
    odt = libreoffice_convert(source, "odt", tmp_path / "odt")
    import zipfile

    with zipfile.ZipFile(odt) as archive:
        content = etree.fromstring(archive.read("content.xml"))
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    listed = []
    for region in content.iter(f"{{{text_ns}}}changed-region"):
        change = region[0]
        kind = etree.QName(change).localname
        deleted = "".join(
            "".join(p.itertext())
            for p in change.iter(f"{{{text_ns}}}p", f"{{{text_ns}}}span")
            if p.getparent() is change
        )
        listed.append((kind, deleted))
    assert listed == [
        ("deletion", "06"),  # LibreOffice lists the notes' changes first
        ("insertion", ""),
        ("deletion", "4.252,0"),  # the body's table
        ("insertion", ""),
        ("insertion", ""),  # ", thị trấn"
        ("insertion", ""),  # " và hộ cận nghèo"
        ("deletion", "3Báo cáo số 12/BC-UBND ngày 20/12/2023 của UBND huyện."),  # note and text
        ("deletion", "Nguyễn Văn A"),
        ("insertion", ""),
        ("deletion", "4.252,0"),  # the appendix
        ("insertion", ""),
    ]


@needs_libreoffice
def test_libreoffice_keeps_every_change_and_accepting_gives_b(reviewed, drafts, tmp_path):
    """LibreOffice reads each tracked change and writes it back where it was."""
    _, redline = reviewed
    source = tmp_path / "review.docx"
    source.write_bytes(redline.docx)
    saved = libreoffice_convert(source, "docx:MS Word 2007 XML", tmp_path / "lo")
    changes = [(part, kind, text) for part, kind, text, _ in tracked(saved.read_bytes())]
    assert changes == [(part, kind, text) for part, kind, text, _ in tracked(redline.docx)]
    parts = read_parts(saved)
    plain_b = docx_lines(build(drafts / "draft-2", tmp_path / "b.docx").read_bytes())
    accepted = docx_lines(write_parts(resolve_parts(parts, accept=True)))
    assert [line for line in accepted if line] == [line for line in plain_b if line]


# --------------------------------------------------------------------------- git


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return result.stdout


def init_repo(path: Path) -> Path:
    path.mkdir()
    git(path, "init", "-q")
    git(path, "config", "user.email", "drafter@example.vn")
    git(path, "config", "user.name", "Drafter")
    git(path, "config", "commit.gpgsign", "false")
    return path


def replace_tree(source: Path, target: Path) -> None:
    for name in ("content", "data", "schema", "templates"):
        shutil.rmtree(target / name, ignore_errors=True)
        # Fresh times: equal sizes and times (a fresh clone) would let git take a changed
        # file for unchanged.
        shutil.copytree(source / name, target / name, copy_function=shutil.copy)


@pytest.fixture
def repo(drafts: Path, tmp_path: Path) -> Path:
    """A git repository whose report is draft-1, committed."""
    repository = init_repo(tmp_path / "report")
    replace_tree(drafts / "draft-1", repository)
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", "Dự thảo 1")
    return repository


def test_a_cell_of_a_table_written_out_in_markdown_is_listed(tmp_path, capsys):
    example = REPO / "examples" / "quyet-dinh-kiem-tra-vlncn-lao-cai-2026"
    a, b = tmp_path / "a", tmp_path / "b"
    for side in (a, b):
        shutil.copytree(example, side, ignore=shutil.ignore_patterns("build"))
    declaration = b / "content" / "appendices.yaml"
    text = declaration.read_text(encoding="utf-8")
    edited = text.replace("| 1  | Công ty cổ     |", "| 01 | Công ty cổ     |", 1)
    assert edited != text
    declaration.write_text(edited, encoding="utf-8")
    assert diff_main(["diff", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    # under its Phụ lục and table, the row by its first two cells, the column by its header
    assert "Appendix cells: 1 changed\n" in out
    line = next(line for line in out.splitlines() if line.endswith(": 1 → 01"))
    assert line == "  Phụ lục · 01 Công ty cổ phần xây dựng giao thông Yên Bái · TT: 1 → 01"


def test_rows_of_a_written_out_table_are_paired_when_one_is_added():
    from vanban.appendix.literal import parse_markdown_table
    from vanban.diff.cells import _literal_changes

    head = "| TT | Việc |\n|---|---|\n| 1 | Rà soát hồ sơ |\n"
    old, _ = parse_markdown_table(head + "| 2 | Báo cáo kết quả |\n")
    new, _ = parse_markdown_table(head + "| 2 | Kiểm tra |\n| 3 | Báo cáo kết quả năm |\n")
    assert old is not None and new is not None
    changes = [(c.row, c.column, c.old, c.new) for c in _literal_changes("Phụ lục", "", old, new)]
    # the row put in shows as new; the one after it is the old second row, renumbered; a
    # header changed, at its place
    renamed, _ = parse_markdown_table(head.replace("Việc", "Công việc") + "| 2 | Kiểm tra |\n")
    assert renamed is not None
    assert [(c.row, c.column, c.old, c.new) for c in _literal_changes("", "", new, renamed)] == [
        ("header", "column 2", "Việc", "Công việc")
    ]
    assert changes == [
        ("2 Kiểm tra", "TT", "", "2"),
        ("2 Kiểm tra", "Việc", "", "Kiểm tra"),
        ("3 Báo cáo kết quả năm", "TT", "2", "3"),
        ("3 Báo cáo kết quả năm", "Việc", "Báo cáo kết quả", "Báo cáo kết quả năm"),
    ]


def test_revision_against_working_tree_and_two_revisions(repo, drafts, capsys):
    replace_tree(drafts / "draft-2", repo)
    assert diff_main(["diff", "-C", str(repo), "HEAD", "."]) == 0
    worktree = capsys.readouterr().out
    assert worktree.startswith("vanban diff HEAD (")
    assert "→ working tree" in worktree.splitlines()[0]
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Dự thảo 2")
    assert diff_main(["diff", "-C", str(repo), "HEAD~1", "HEAD"]) == 0
    revisions = capsys.readouterr().out
    body = worktree.split("\n", 1)[1]
    assert revisions.split("\n", 1)[1] == body
    assert "so_lieu.von.y2023.allocated  4.252,0 → 4.352,0 triệu đồng" in body
    # The user's tree is never touched.
    assert git(repo, "status", "--porcelain") == ""


def test_unknown_revision_is_reported(repo, capsys):
    assert diff_main(["diff", "-C", str(repo), "no-such-branch", "."]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: no-such-branch: not a directory, and not a revision of ")


def test_a_revision_outside_a_repository_is_reported(tmp_path, capsys):
    assert diff_main(["diff", "-C", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"error: HEAD: not a directory, and {tmp_path} is not inside a git repository\n"
    )


def test_broken_draft_is_reported_with_its_side(repo, capsys):
    data = repo / "data" / "so-lieu.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("2532", "2.532"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "hỏng")
    assert diff_main(["diff", "-C", str(repo), "HEAD", "HEAD~1"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "HEAD:data/so-lieu.yaml:2:15: error: ngheo.households: expected a whole number (hộ), "
        "got 2.532 (a decimal: did you mean 2532?)"
    )
    # the broken draft as B: its side named; both broken: A's problems come first
    assert diff_main(["diff", "-C", str(repo), "HEAD~1", "HEAD"]) == 1
    assert capsys.readouterr().err.startswith("HEAD:data/so-lieu.yaml:2:15: error: ")
    data.write_text(data.read_text(encoding="utf-8").replace("2.532", "25.32"), encoding="utf-8")
    assert diff_main(["diff", "-C", str(repo), "HEAD", "."]) == 1
    err = capsys.readouterr().err
    assert err.startswith("HEAD:data/so-lieu.yaml:2:15: error: ") and "25.32" not in err


def test_a_draft_failing_its_checks_is_still_compared(repo, capsys):
    """A figure changed without its total: the check fails, and that is when a diff is needed."""
    (repo / "checks").mkdir()
    (repo / "checks" / "rules.yaml").write_text(
        "rules:\n"
        "  - id: disbursed-all\n"
        "    title: Giải ngân hết vốn năm 2022 / all of 2022 disbursed\n"
        "    equal: [so_lieu.von.y2022.allocated, so_lieu.von.y2022.disbursed]\n",
        encoding="utf-8",
    )
    data = repo / "data" / "so-lieu.yaml"
    original = data.read_text(encoding="utf-8")
    data.write_text(original.replace("disbursed: 1681", "disbursed: 1688.0"), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "quy tắc")
    data.write_text(original, encoding="utf-8")
    assert diff_main(["diff", "-C", str(repo), "HEAD", "."]) == 0
    out = capsys.readouterr().out
    assert "note: B has 1 check error (disbursed-all); compared anyway\n" in out
    assert "so_lieu.von.y2022.disbursed  1.688,0 → 1.681 triệu đồng  −7,0 (−0,41%)" in out
    # with the redline, B is checked while pandoc writes it: the same listing
    assert diff_main(["diff", "-C", str(repo), "HEAD", ".", "--docx", "r.docx"]) == 0
    assert capsys.readouterr().out == out
    assert (repo / "r.docx").is_file()


def test_derived_figures_are_shown_as_derived(repo, drafts, capsys):
    (repo / "checks").mkdir()
    (repo / "checks" / "rules.yaml").write_text(
        "rules:\n"
        "  - id: remaining\n"
        "    title: Còn lại = phân bổ − giải ngân / remaining = allocated − disbursed\n"
        "    derive: true\n"
        "    for_each: {record: so_lieu.von.*}\n"
        "    difference:\n"
        '      minuend: "{record}.allocated"\n'
        '      subtrahend: "{record}.disbursed"\n'
        '      result: "{record}.remaining"\n',
        encoding="utf-8",
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "quy tắc")
    replace_tree(drafts / "draft-2", repo)
    assert diff_main(["diff", "-C", str(repo), "HEAD", "."]) == 0
    out = capsys.readouterr().out
    assert (
        "Derived figures: 1 changed\n"
        "  so_lieu.von.y2023.remaining  779,0 → 879,0  +100,0 (+12,84%)\n"
        "      derived by rule remaining\n"
    ) in out


def configure_drivers(repo: Path) -> None:
    shutil.copy(REPO / ".gitattributes", repo / ".gitattributes")
    assert diff_main(["git-setup", str(repo)]) == 0


def test_git_diff_of_a_docx_shows_its_text(repo, drafts, tmp_path, capsys):
    configure_drivers(repo)
    capsys.readouterr()
    build(drafts / "draft-1", repo / "bao-cao.docx")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "bản dựng 1")
    build(drafts / "draft-2", repo / "bao-cao.docx")
    shown = git(repo, "diff", "bao-cao.docx")
    closing = "Nơi nhận: / - Sở Lao động-TB&XH tỉnh; / - Lưu: VT. | TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"
    assert f"-{closing} / Nguyễn Văn A" in shown
    assert f"+{closing} / Trần Thị B" in shown
    assert "-[3] Báo cáo số 12/BC-UBND ngày 20/12/2023 của UBND huyện." in shown
    assert "Binary files" not in shown


def test_git_diff_of_a_data_file_shows_its_figures(repo, drafts, capsys):
    configure_drivers(repo)
    capsys.readouterr()
    replace_tree(drafts / "draft-2", repo)
    shown = git(repo, "diff", "data/so-lieu.yaml")
    assert "-so_lieu.von.y2023.allocated = 4252.0 triệu đồng" in shown
    assert "+so_lieu.von.y2023.allocated = 4352.0 triệu đồng" in shown
    assert "-so_lieu.von.y2022.allocated" not in shown  # unchanged facts are context at most
    git(repo, "commit", "-q", "-am", "số liệu")
    logged = git(repo, "log", "-p", "-1", "--", "data/so-lieu.yaml")
    assert "+so_lieu.von.y2023.allocated = 4352.0 triệu đồng" in logged


def test_git_setup_runs_this_python(repo, capsys):
    assert diff_main(["git-setup", str(repo)]) == 0
    printed = capsys.readouterr().out
    assert "diff.vanban-docx.textconv" in printed
    command = git(repo, "config", "diff.vanban-facts.textconv").strip()
    assert command.endswith(" -m vanban.diff facts-text")
    assert sys.executable in command


def test_facts_text_lines(drafts):
    lines = facts_lines(drafts / "draft-1" / "data" / "so-lieu.yaml", drafts / "draft-1" / "schema")
    assert lines == [
        "so_lieu.ngheo.households = 2532 hộ",
        "so_lieu.ngheo.rate = 18.91 %",
        "so_lieu.von.y2022.allocated = 1688.0 triệu đồng",
        "so_lieu.von.y2022.disbursed = 1681 triệu đồng",
        "so_lieu.von.y2023.allocated = 4252.0 triệu đồng",
        "so_lieu.von.y2023.disbursed = 3473 triệu đồng",
    ]


def test_docx_text_shows_tracked_changes(reviewed):
    _, redline = reviewed
    lines = docx_lines(redline.docx)
    assert "2023 | [-4.252,0-]{+4.352,0+} | 3.473" in lines
    assert "Công tác giảm nghèo đạt kế hoạch đề ra[-[3]-]." in lines
    assert "[3] [-Báo cáo số 12/BC-UBND ngày 20/12/2023 của UBND huyện.-]" in lines


def test_docx_text_of_a_file_that_is_not_a_docx(tmp_path, capsys):
    bad = tmp_path / "x.docx"
    bad.write_text("not a zip", encoding="utf-8")
    assert diff_main(["docx-text", str(bad)]) == 1
    assert capsys.readouterr().err.startswith(f"error: {bad}: not a readable .docx")


def vanban_check_available() -> bool:
    result = subprocess.run(
        [sys.executable, "-m", "vanban.cli", "check", "--help"], capture_output=True, check=False
    )
    return result.returncode == 0


def test_pre_commit_hook_runs_vanban_check():
    from ruamel.yaml import YAML

    published = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    local = YAML(typ="safe").load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
    (hook,) = published
    (local_hook,) = local["repos"][0]["hooks"]
    for entry in (hook, local_hook):
        assert entry["id"] == "vanban-check"
        assert entry["pass_filenames"] is False
    assert hook["entry"] == "vanban check"
    assert "exec vanban check" in local_hook["entry"]  # or how to install it (test_check)


@pytest.mark.skipif(
    shutil.which("pre-commit") is None
    and not Path(sys.executable).with_name("pre-commit").exists(),
    reason="pre-commit is not installed: pip install pre-commit",
)
@pytest.mark.skipif(not vanban_check_available(), reason="`vanban check` is not wired yet")
def test_pre_commit_refuses_a_commit_that_fails_the_check(repo, tmp_path):
    shutil.copy(REPO / ".pre-commit-config.yaml", repo / ".pre-commit-config.yaml")
    environment = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    pre_commit = shutil.which("pre-commit", path=environment["PATH"])
    assert pre_commit is not None
    git(repo, "add", "-A")
    passing = subprocess.run(
        [pre_commit, "run", "--all-files"], cwd=repo, env=environment, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    assert passing.returncode == 0, passing.stdout + passing.stderr
    data = repo / "data" / "so-lieu.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("2532", "2.532"), encoding="utf-8")
    git(repo, "add", "-A")
    failing = subprocess.run(
        [pre_commit, "run", "--all-files"], cwd=repo, env=environment, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    assert failing.returncode == 1
    assert "expected a whole number (hộ), got 2.532" in failing.stdout


# --------------------------------------------------------------------------- alignment


def read(markdown: str, sections: tuple[str, ...] = ("content/01.md",)):
    reader = TreeReader()
    reader.feed(markdown + "\n\n<!-- vanban-diff-section 0 -->\n")
    return reader.result(sections)


def test_renumbered_footnotes_are_not_changes_and_a_moved_paragraph_is_a_move():
    a = read(
        "Đoạn một[^a].\n\nĐoạn hai về vốn sự nghiệp năm 2023[^b].\n\nĐoạn ba[^c].\n\n"
        "[^a]: Chú thích A.\n\n[^b]: Chú thích B.\n\n[^c]: Chú thích C.\n"
    )
    b = read(
        "Đoạn hai về vốn sự nghiệp năm 2023[^b].\n\nĐoạn một[^a].\n\nĐoạn ba[^c].\n\n"
        "[^a]: Chú thích A.\n\n[^b]: Chú thích B.\n\n[^c]: Chú thích C.\n"
    )
    assert note_changes(a, b) == []
    changes = text_changes(a, b)
    (change,) = changes
    assert change.kind == "moved" and change.old == change.new
    assert change.new in ("Đoạn một[^a].", "Đoạn hai về vốn sự nghiệp năm 2023[^b].")


def test_a_new_footnote_before_others_is_the_only_note_change():
    a = read("Một[^a]. Hai[^b].\n\n[^a]: A.\n\n[^b]: B.\n")
    b = read("Mới[^n]. Một[^a]. Hai[^b].\n\n[^n]: N.\n\n[^a]: A.\n\n[^b]: B.\n")
    assert [(n.kind, n.name) for n in note_changes(a, b)] == [("added", "n")]


def test_only_the_sections_that_differ_are_read_again():
    marker = "<!-- vanban-diff-section {} -->"
    a = (
        f"Một[^a].\n\n[^a]: A.\n\n{marker.format(0)}\n\n"
        f"Hai, cũ[^a2].\n\n{marker.format(1)}\n\n"
        f"Ba.\n\n[^a2]: Định nghĩa ở tệp khác.\n    Dòng tiếp.\n\n{marker.format(2)}\n"
    )
    b = a.replace("Hai, cũ", "Hai, mới")
    sections = ("content/1.md", "content/2.md", "content/3.md")
    partial, read = changed_sections(a, sections, b, sections)
    assert read == {"content/2.md"}
    assert partial == (
        f"\n\nHai, cũ[^a2].\n\n\n\n{marker.format(1)}\n\n"
        "[^a2]: Định nghĩa ở tệp khác.\n    Dòng tiếp."
    )
    whole_b = read_tree(b, sections)
    whole_a = read_tree(a, sections)
    assert read_tree(partial, sections).completed(whole_b, sections, read) == whole_a


def read_tree(markdown: str, sections: tuple[str, ...]):
    reader = TreeReader()
    reader.feed(markdown)
    return reader.result(sections)


def test_numbers_are_single_tokens_and_lone_spaces_join_the_changes():
    assert words("1.688,0 triệu đồng; 18,91%") == [
        "1.688,0", " ", "triệu", " ", "đồng", ";", " ", "18,91", "%"
    ]  # fmt: skip
    assert word_diff("giải ngân 1.681 triệu", "giải ngân 1.700 triệu") == [
        Segment(None, "giải ngân "),
        Segment("deleted", "1.681"),
        Segment("inserted", "1.700"),
        Segment(None, " triệu"),
    ]
    # "a b c" → "x y z": one deletion and one insertion, not a comb around the spaces.
    assert word_opcodes(words("a b c"), words("x y z")) == [("replace", 0, 5, 0, 5)]


def test_excerpt_keeps_a_few_words_around_a_change():
    long = " ".join(f"từ{i}" for i in range(30))
    segments = [Segment(None, long + " "), Segment("inserted", "mới"), Segment(None, " " + long)]
    shown = "".join(s.text for s in excerpt(segments, context=3))
    assert shown == "… từ27 từ28 từ29 mới từ0 từ1 từ2 …"


def test_section_markers_do_not_reach_the_document(reviewed):
    _, redline = reviewed
    text = etree.tostring(parse_xml(read_parts(redline.docx)[DOCUMENT_PART])).decode()
    assert "vanban-diff-section" not in text and "vanban-note" not in text


def test_a_report_of_one_content_file_names_it_in_the_listing(tmp_path):
    copy_case("minimal", tmp_path / "a")
    b = copy_case("minimal", tmp_path / "b")
    content = b / "content" / "01-ket-qua.md"
    text = content.read_text(encoding="utf-8")
    content.write_text(text.replace("Năm 2022 phân bổ", "Trong năm 2022 phân bổ", 1), "utf-8")
    with Workspace() as workspace:
        listing = format_text(compare("a/minimal", "b/minimal", tmp_path, workspace))
    changed = "\n  content/01-ket-qua.md — 1. Vốn thực hiện\n    ~ [-Năm-]{+Trong năm+} 2022"
    assert changed in listing


def test_a_bien_ban_s_date_is_listed_though_its_masthead_prints_none(tmp_path):
    example = REPO / "examples" / "bien-ban-hop-hdql-quy-khuyen-hoc-binh-thuan-2025"
    shutil.copytree(example, tmp_path / "a" / "bb")
    b = tmp_path / "b" / "bb"
    shutil.copytree(example, b)
    document = b / "data" / "document.yaml"
    text = document.read_text(encoding="utf-8")
    document.write_text(text.replace("date: 2025-02-17", "date: 2025-02-18"), "utf-8")
    with Workspace() as workspace:
        comparison = compare("a/bb", "b/bb", tmp_path, workspace)
    assert [(f.name, f.old, f.new) for f in comparison.fields] == [
        (
            "unprinted_date_line",
            "Bình Thuận, ngày 17 tháng 02 năm 2025",
            "Bình Thuận, ngày 18 tháng 02 năm 2025",
        )
    ]
    assert (
        "Masthead and closing: 1 changed\n  place and date (not printed: the record's): "
        "Bình Thuận, ngày 17 tháng 02 năm 2025 → Bình Thuận, ngày 18 tháng 02 năm 2025"
    ) in format_text(comparison)
    assert "<del>Bình Thuận, ngày 17 tháng 02 năm 2025</del>" in format_markdown(comparison)


def test_a_printed_date_is_listed_once(tmp_path):
    copy_case("minimal", tmp_path / "a")
    b = copy_case("minimal", tmp_path / "b")
    document = b / "data" / "document.yaml"
    text = document.read_text(encoding="utf-8")
    document.write_text(text.replace("date: null", "date: 2024-03-28"), "utf-8")
    with Workspace() as workspace:
        comparison = compare("a/minimal", "b/minimal", tmp_path, workspace)
    # A Báo cáo prints its date under the Tiêu ngữ: that line alone is listed
    assert [(f.name, f.new) for f in comparison.fields] == [
        ("date_line", "Thử Nghiệm, ngày 28 tháng 3 năm 2024")
    ]
