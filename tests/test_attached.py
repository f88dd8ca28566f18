"""An appendix with a text of its own: a Quy chế attached to the Quyết định that issues it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import commit_all, copy_case
from vanban.diff.revisions import text_of
from vanban.errors import ProblemsError
from vanban.importer import import_document
from vanban.ooxml import DOCUMENT_PART, FOOTNOTES_PART, qn, read_parts
from vanban.pipeline import build_report

FIXTURES = Path(__file__).resolve().parent / "import"


def _paragraphs(docx: Path) -> list[str]:
    from lxml import etree

    root = etree.fromstring(read_parts(docx.read_bytes())[DOCUMENT_PART])
    body = root.find(qn("w:body"))
    return [text_of(p) for p in body.iter(qn("w:p"))]


def test_quy_che_prints_after_the_signature_in_its_own_form(tmp_path: Path) -> None:
    project = copy_case("quyet-dinh-quy-che", tmp_path)
    built = build_report(project)
    texts = _paragraphs(built.path)
    signer = texts.index("Nguyễn Văn A")
    after = [t for t in texts[signer + 1 :] if t]
    # the masthead of ND30 Phụ lục III's Mẫu: agencies | quốc hiệu, tiêu ngữ; no Số line
    assert after[:4] == [
        "UBND TỈNH THỬ NGHIỆM",
        "SỞ NỘI VỤ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
    ]
    assert not any(t.startswith("Số:") for t in after)
    assert after[4] == "QUY CHẾ"
    assert after[5] == "Làm việc của Tổ giúp việc về cải cách hành chính"
    assert after[6] == (
        "(Kèm theo Quyết định số      /QĐ-SNV ngày      tháng      năm 2025 của Sở Nội vụ "
        "tỉnh Thử Nghiệm)"
    )
    assert "Chương I" in after[7] and "Quy định chung" in after[7]
    assert after[8] == "Điều 1. Phạm vi điều chỉnh"  # restarts: the QĐ has Điều 1–3
    assert "Điều 3. Nhiệm vụ" in after and "Chương II" in " ".join(after)
    assert "Tổ giúp việc có 7 thành viên, gồm:" in after  # the fact, and its note's place
    assert after[-1] == "Tổ giúp việc được yêu cầu các cơ quan cung cấp thông tin./."
    assert any(t.startswith("Điều 1. Ban hành kèm theo") for t in texts[:signer])


def test_quy_che_is_a_section_of_its_own_with_its_styles_and_notes(tmp_path: Path) -> None:
    from lxml import etree

    project = copy_case("quyet-dinh-quy-che", tmp_path)
    parts = read_parts(build_report(project).path.read_bytes())
    root = etree.fromstring(parts[DOCUMENT_PART])
    breaks = root.findall(f".//{qn('w:pPr')}/{qn('w:sectPr')}")
    assert len(breaks) == 1  # the body's section ends; the Quy chế's is the last one
    xml = parts[DOCUMENT_PART].decode()
    assert 'w:val="AttachedChapter"' in xml and 'w:val="AttachedArticle"' in xml
    styles = parts["word/styles.xml"].decode()
    assert 'w:styleId="AttachedChapter"' in styles and 'w:styleId="AttachedArticle"' in styles
    notes = parts[FOOTNOTES_PART].decode()
    assert "Theo Quyết định số 30/QĐ-SNV" in notes
    ids = [r.get(qn("w:id")) for r in root.iter(qn("w:footnoteReference"))]
    assert ids == ["1"]
    assert len({m.get(qn("w:name")) for m in root.iter(qn("w:bookmarkStart"))}) == len(
        list(root.iter(qn("w:bookmarkStart")))
    )


def test_by_units_and_in_one_run_give_the_same_document(tmp_path: Path) -> None:
    project = copy_case("quyet-dinh-quy-che", tmp_path)
    one = read_parts(build_report(project, tmp_path / "one.docx", by_units=False).path.read_bytes())
    units = read_parts(build_report(project, tmp_path / "units.docx").path.read_bytes())
    for part in (DOCUMENT_PART, FOOTNOTES_PART, "word/styles.xml"):
        assert one[part] == units[part]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            "text: kem-theo/khong-co.md",
            "content/appendices.yaml:6:11: error: no file content/kem-theo/khong-co.md",
        ),
        (
            "text: quy-che.md",
            "content/appendices.yaml:6:11: error: 'quy-che.md' would be a section of the narrative",
        ),
        (
            "text: ../quy-che.md",
            "content/appendices.yaml:6:11: error: expected a path below content/",
        ),
        (
            "headings: [chapter, khoan]",
            "content/appendices.yaml:7:25: error: expected one of part, chapter",
        ),
        (
            "headings: [article, chapter]",
            "content/appendices.yaml:7:25: error: chapter under article: the levels go in ND30's",
        ),
        (
            "headings: phap-ly",
            "content/appendices.yaml:7:15: error: expected roman, decimal, legal",
        ),
        ("run_in: true", "content/appendices.yaml:7:5: error: 'run_in' belongs to a Phụ lục"),
    ],
)
def test_bad_values_are_located_errors(tmp_path: Path, edit: str, message: str) -> None:
    project = copy_case("quyet-dinh-quy-che", tmp_path)
    declaration = project / "content" / "appendices.yaml"
    text = declaration.read_text(encoding="utf-8")
    key = edit.split(":")[0]
    lines = [
        f"    {edit}" if line.strip().startswith(f"{key}:") else line for line in text.splitlines()
    ]
    if not any(line.strip().startswith(f"{key}:") for line in text.splitlines()):
        lines.insert(6, f"    {edit}")
    declaration.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        build_report(project)
    assert any(str(p).startswith(message) for p in caught.value.problems), [
        str(p) for p in caught.value.problems
    ]


def test_the_check_reads_the_attached_text(tmp_path: Path) -> None:
    from vanban.check.command import check_project
    from vanban.project import open_project

    project = copy_case("quyet-dinh-quy-che", tmp_path)
    text = project / "content" / "kem-theo" / "quy-che.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nTổ có 7 người.[^x]\n", encoding="utf-8")
    found = [str(f.problem()) for f in check_project(open_project(project)).findings]
    assert any(
        f.startswith("content/kem-theo/quy-che.md:26:") and "typed-figure" in f for f in found
    ), found


def test_import_keeps_the_quy_che_attached_to_a_quyet_dinh(tmp_path: Path) -> None:
    dest = tmp_path / "qd"
    report = import_document(FIXTURES / "qd-tgv-cchc-quy-che-lam-viec.docx", dest)
    declaration = (dest / "content" / "appendices.yaml").read_text(encoding="utf-8")
    assert "document: Quy chế hoạt động" in declaration
    assert "text: kem-theo/01-quy-che-hoat.md" in declaration
    assert not any("text not imported" in n for n in report.notes)
    texts = _paragraphs(build_report(dest).path)
    signer = texts.index("Đỗ Văn Chung")
    after = [t for t in texts[signer + 1 :] if t]
    assert after[after.index("QUY CHẾ HOẠT ĐỘNG") + 1] == (
        "của Tổ giúp việc về Cải cách hành chính tỉnh Lâm Đồng"
    )
    articles = [t for t in after if t.startswith("Điều ")]
    assert articles[0] == "Điều 1. Nhiệm vụ" and articles[-1] == "Điều 7. Điều khoản thi hành"
    assert sum(t.startswith("Chương ") for t in after) == 3
    assert after[-1].endswith("bổ sung kịp thời./.")
    assert not {"PHỤ LỤC", "Phụ lục"} & set(after)  # no empty appendix heading
    shutil.rmtree(dest)


def test_a_quy_che_in_a_file_of_its_own_keeps_its_footnote(tmp_path: Path) -> None:
    project = copy_case("quyet-dinh-quy-che", tmp_path)
    metadata = project / "data" / "document.yaml"
    metadata.write_text(
        metadata.read_text(encoding="utf-8") + "issuance: electronic\nappendix_files: separate\n",
        encoding="utf-8",
    )
    built = build_report(project)
    (attachment,) = built.attachments
    parts = read_parts(attachment.read_bytes())
    assert "Theo Quyết định số 30/QĐ-SNV" in parts[FOOTNOTES_PART].decode()
    assert "QUY CHẾ" in _paragraphs(attachment)


def test_a_diff_lists_an_edit_of_the_attached_text_and_its_redline_keeps_it_out_of_the_body(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import subprocess

    from reuse_cli import vanban

    project = copy_case("quyet-dinh-quy-che", tmp_path)

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-C", str(project), "-c", "user.name=a", "-c", "user.email=a@b", *args],
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "draft")
    text = project / "content" / "kem-theo" / "quy-che.md"
    text.write_text(
        text.read_text(encoding="utf-8").replace("tham mưu cho", "tham mưu, giúp"),
        encoding="utf-8",
    )
    redline = tmp_path / "redline.docx"
    assert vanban(["diff", "-C", str(project), "HEAD", ".", "--docx", str(redline)]) == 0
    out = capsys.readouterr().out
    assert "content/kem-theo/quy-che.md" in out
    assert "tham mưu[- cho-]{+, giúp+} Ban Chỉ đạo" in out
    body = _paragraphs(redline)
    signer = next(i for i, t in enumerate(body) if t.startswith("Nơi nhận"))
    # the Quy chế's text is printed once, in its own section after the signature
    assert sum("Ban Chỉ đạo về công tác cải cách hành chính" in t for t in body) == 1
    assert all("Ban Chỉ đạo về công tác cải cách" not in t for t in body[:signer])


def test_absorb_writes_an_edit_of_the_attached_text_and_its_note_into_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:

    from docx import Document

    from reuse_cli import vanban

    project = copy_case("quyet-dinh-quy-che", tmp_path)
    commit_all(project)
    built = build_report(project).path
    assert vanban(["absorb", "--dry-run", str(built), str(project)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "nothing to absorb: the document reads as it was built"
    )
    document = Document(str(built))
    for start, old, new in (
        ("Tổ giúp việc tham mưu cho", "tham mưu cho", "tham mưu, giúp"),
        ("Điều 4. Quyền hạn", "Quyền hạn", "Quyền hạn của Tổ"),
    ):
        paragraph = next(p for p in document.paragraphs if p.text.startswith(start))
        run = next(r for r in paragraph.runs if old in r.text)
        run.text = run.text.replace(old, new)
    notes = next(
        p for p in document.part.package.iter_parts() if p.partname.endswith("footnotes.xml")
    )
    notes._blob = notes.blob.replace("ngày 05/3/2025".encode(), "ngày 15/3/2025".encode())
    edited = tmp_path / "gop-y.docx"
    document.save(str(edited))
    assert vanban(["absorb", str(edited), str(project)]) == 0
    out = capsys.readouterr().out
    assert (
        "content/kem-theo/quy-che.md:14:45: footnote 1 [^qd-30]: “…t định số 30/QĐ-SNV ngày "
        "[-05-]{+15+}/3/2025 của Sở Nội vụ.…”" in out
    )
    assert (
        "content/kem-theo/quy-che.md:20:22: text: “…Tổ giúp việc tham mưu[- cho-]{+, giúp+} Ban"
        in out
    )
    assert "content/kem-theo/quy-che.md:22:13: text: “…Điều 4. Quyền hạn{+ của Tổ+}…”" in out
    text = (project / "content" / "kem-theo" / "quy-che.md").read_text(encoding="utf-8")
    assert "\nTổ giúp việc tham mưu, giúp Ban Chỉ đạo về công tác" in text
    assert "\n## Quyền hạn của Tổ\n" in text
    assert "\n[^qd-30]: Theo Quyết định số 30/QĐ-SNV ngày 15/3/2025 của Sở Nội vụ.\n" in text
    rebuilt = _paragraphs(build_report(project).path)
    assert "Điều 4. Quyền hạn của Tổ" in rebuilt
    assert "Tổ giúp việc tham mưu, giúp Ban Chỉ đạo về công tác cải cách hành chính." in rebuilt


def test_a_diff_names_the_attached_text_s_note_as_written_with_its_file_and_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json
    import subprocess

    from reuse_cli import vanban

    project = copy_case("quyet-dinh-quy-che", tmp_path)
    body = project / "content" / "01-dieu.md"
    text = project / "content" / "kem-theo" / "quy-che.md"

    def edit(path: Path, old: str, new: str) -> None:
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-C", str(project), "-c", "user.name=a", "-c", "user.email=a@b", *args],
            check=True,
            capture_output=True,
        )

    # the body cites the same Quyết định under the same name as the Quy chế does
    edit(body, "kể từ ngày ký.", "kể từ ngày ký[^qd-30].\n\n[^qd-30]: Quyết định số 30/QĐ-SNV.")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "draft")
    edit(body, "số 30/QĐ-SNV.", "số 30/QĐ-SNV của Sở Nội vụ.")
    edit(text, "ngày 05/3/2025 của Sở Nội vụ.", "ngày 05/3/2025 của Sở Nội vụ tỉnh.")
    assert vanban(["diff", "-C", str(project), "--lang", "en", "HEAD", "."]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[out.index("Footnotes: 2 changed") :] == [
        "Footnotes: 2 changed",
        "  [^qd-30] (note 1) ~ Quyết định số 30/QĐ-SNV{+ của Sở Nội vụ+}.",
        "  [^qd-30] (content/kem-theo/quy-che.md, note 2) ~ … định số 30/QĐ-SNV ngày 05/3/2025 "
        "của Sở Nội vụ{+ tỉnh+}.",
    ]
    args = ["diff", "-C", str(project), "--lang", "vi", "--format", "markdown", "HEAD", "."]
    assert vanban(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if "[^qd-30]" in line] == [
        "- `[^qd-30]` (chú thích 1): Quyết định số 30/QĐ-SNV<ins> của Sở Nội vụ</ins>.",
        "- `[^qd-30]` (content/kem-theo/quy-che.md, chú thích 2): … định số 30/QĐ-SNV ngày "
        "05/3/2025 của Sở Nội vụ<ins> tỉnh</ins>.",
    ]
    assert vanban(["diff", "-C", str(project), "--format", "json", "HEAD", "."]) == 0
    notes = json.loads(capsys.readouterr().out)["footnotes"]
    assert [(n["name"], n["number"], n["file"]) for n in notes] == [
        ("qd-30", 1, None),
        ("qd-30", 2, "content/kem-theo/quy-che.md"),
    ]
    # the printed document numbers them so
    built = build_report(project).path
    notes_xml = read_parts(built.read_bytes())[FOOTNOTES_PART].decode()
    assert notes_xml.index("30/QĐ-SNV của Sở Nội vụ.") < notes_xml.index("Sở Nội vụ tỉnh.")


def test_absorb_writes_a_fact_s_paragraph_a_figure_and_a_new_paragraph_of_the_attached_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:

    from docx import Document

    from reuse_cli import vanban

    project = copy_case("quyet-dinh-quy-che", tmp_path)
    commit_all(project)
    document = Document(str(build_report(project).path))
    members = next(p for p in document.paragraphs if p.text.startswith("Tổ giúp việc có "))
    # the figure printed by {{ to_giup_viec.thanh_vien }}, and a word of the same paragraph
    members.runs[0].text = members.runs[0].text.replace("có 7 thành", "có 9 thành")
    last = next(r for r in reversed(members.runs) if "gồm:" in r.text)
    last.text = last.text.replace("gồm:", "bao gồm:")
    duties = next(p for p in document.paragraphs if p.text.startswith("Tổ giúp việc tham mưu"))
    added = duties.insert_paragraph_before("")
    duties._p.addnext(added._p)  # a new paragraph after it
    added.add_run("Tổ giúp việc báo cáo Ban Chỉ đạo hằng tháng.")
    edited = tmp_path / "gop-y.docx"
    document.save(str(edited))
    assert vanban(["absorb", str(edited), str(project)]) == 0
    out = capsys.readouterr().out
    assert "not absorbed" not in out
    facts = (project / "data" / "to-giup-viec.yaml").read_text(encoding="utf-8")
    assert facts.startswith("thanh_vien: 9  # số thành viên")
    text = (project / "content" / "kem-theo" / "quy-che.md").read_text(encoding="utf-8")
    assert "{{ to_giup_viec.thanh_vien }} thành viên[^qd-30], bao gồm:" in text
    assert (
        "Tổ giúp việc tham mưu cho Ban Chỉ đạo về công tác cải cách hành chính.\n\n"
        "Tổ giúp việc báo cáo Ban Chỉ đạo hằng tháng.\n" in text
    )


def test_absorb_takes_a_deleted_paragraph_out_of_the_attached_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:

    from docx import Document

    from reuse_cli import vanban

    project = copy_case("quyet-dinh-quy-che", tmp_path)
    commit_all(project)
    source = project / "content" / "kem-theo" / "quy-che.md"
    before = source.read_text(encoding="utf-8")
    document = Document(str(build_report(project).path))
    gone = next(p for p in document.paragraphs if p.text.startswith("Tổ giúp việc tham mưu"))
    gone._p.getparent().remove(gone._p)
    edited = tmp_path / "bo-doan.docx"
    document.save(str(edited))
    assert vanban(["absorb", str(edited), str(project)]) == 0
    assert "content/kem-theo/quy-che.md:20:1: paragraph deleted: “Tổ giúp việc tham mưu" in (
        capsys.readouterr().out
    )
    paragraph = "Tổ giúp việc tham mưu cho Ban Chỉ đạo về công tác cải cách hành chính.\n\n"
    assert source.read_text(encoding="utf-8") == before.replace(paragraph, "")


def test_absorb_writes_a_cell_of_a_table_of_the_attached_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docx import Document

    from reuse_cli import vanban

    project = copy_case("quyet-dinh-quy-che", tmp_path)
    source = project / "content" / "kem-theo" / "quy-che.md"
    table = "\n| **TT** | **Nhiệm vụ** | **Thời hạn** |\n|---|---|---|\n"
    table += "| 1 | Họp định kỳ | Hằng quý |\n"
    source.write_text(source.read_text(encoding="utf-8") + table, encoding="utf-8")
    commit_all(project)
    document = Document(str(build_report(project).path))
    row = next(r for t in document.tables for r in t.rows if r.cells[1].text == "Họp định kỳ")
    row.cells[2].paragraphs[0].runs[0].text = "Hằng tháng"
    edited = tmp_path / "bang.docx"
    document.save(str(edited))
    assert vanban(["absorb", str(edited), str(project)]) == 0
    assert "not absorbed" not in capsys.readouterr().out
    assert source.read_text(encoding="utf-8").endswith("| 1 | Họp định kỳ | Hằng tháng |\n")


@pytest.mark.parametrize("separate", [False, True], ids=["one file", "a file of its own"])
def test_the_redline_tracks_the_changes_of_the_attached_text_and_its_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], separate: bool
) -> None:
    from reuse_cli import vanban
    from vanban.diff.revisions import resolve_parts
    from vanban.diff.textconv import docx_lines
    from vanban.ooxml import parse_xml, write_parts

    project = copy_case("quyet-dinh-quy-che", tmp_path)
    if separate:
        metadata = project / "data" / "document.yaml"
        metadata.write_text(
            metadata.read_text(encoding="utf-8")
            + "issuance: electronic\nappendix_files: separate\n",
            encoding="utf-8",
        )
    commit_all(project)
    before = build_report(project, tmp_path / "a.docx").path.read_bytes()
    text = project / "content" / "kem-theo" / "quy-che.md"
    text.write_text(
        text.read_text(encoding="utf-8")
        .replace("tham mưu cho", "tham mưu, giúp")
        .replace("ngày 05/3/2025", "ngày 15/3/2025")
        .replace("## Quyền hạn\n", "## Quyền hạn\n\nTổ giúp việc họp mỗi quý một lần.\n"),
        encoding="utf-8",
    )
    redline = tmp_path / "redline.docx"
    assert vanban(["diff", "-C", str(project), "HEAD", ".", "--docx", str(redline)]) == 0
    capsys.readouterr()
    parts = read_parts(redline.read_bytes())
    found = []
    for name in (DOCUMENT_PART, FOOTNOTES_PART):
        for element in parse_xml(parts[name]).iter(qn("w:ins"), qn("w:del")):
            words = "".join(t.text or "" for t in element.iter(qn("w:t"), qn("w:delText")))
            if words:
                found.append((name.split("/")[-1], element.tag.split("}")[1], words))
    assert found == [
        ("document.xml", "del", " cho"),
        ("document.xml", "ins", ", giúp"),
        ("document.xml", "ins", "Tổ giúp việc họp mỗi quý một lần."),
        ("footnotes.xml", "del", "05"),
        ("footnotes.xml", "ins", "15"),
    ]
    after = build_report(project, tmp_path / "b.docx").path.read_bytes()
    if not separate:  # the redline is the document, accepted; A's, rejected
        assert docx_lines(write_parts(resolve_parts(parts, accept=True))) == docx_lines(after)
        assert docx_lines(write_parts(resolve_parts(parts, accept=False))) == docx_lines(before)


PHU_LUC_TEXT = """Các xã, thị trấn báo cáo kết quả trước ngày 15 hằng tháng.

| STT | Nội dung | Thời hạn |
|---|---|---|
| 1 | Báo cáo tháng | ngày 15 |

# Tổ chức thực hiện

Phòng Lao động – TB&XH huyện theo dõi, tổng hợp.
"""


def test_a_diff_lists_a_change_of_a_phu_luc_s_text_under_that_phu_luc(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reference report with a fifth appendix, a Phụ lục of paragraphs and a table: its
    changes are listed under "Phụ lục 05" and its title, not under the body's last heading."""
    import json

    from conftest import REPO
    from reuse_cli import vanban

    project = tmp_path / "report"
    skipped = ("build", ".git", "src", "tests", ".venv", "examples", "benchmarks")
    shutil.copytree(REPO, project, ignore=shutil.ignore_patterns(*skipped))
    (project / "content" / "kem-theo").mkdir()
    text = project / "content" / "kem-theo" / "huong-dan.md"
    text.write_text(PHU_LUC_TEXT, encoding="utf-8")
    declaration = project / "content" / "appendices.yaml"
    declaration.write_text(
        declaration.read_text(encoding="utf-8")
        + "  - name: huong-dan\n"
        + "    title: Hướng dẫn báo cáo kết quả thực hiện Chương trình\n"
        + "    text: kem-theo/huong-dan.md\n",
        encoding="utf-8",
    )
    commit_all(project)
    for old, new in (("trước ngày 15", "trước ngày 20"), ("ngày 15 |", "ngày 20 |")):
        text.write_text(text.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    text.write_text(
        text.read_text(encoding="utf-8").replace("theo dõi,", "theo dõi, đôn đốc,"),
        encoding="utf-8",
    )
    assert vanban(["diff", "-C", str(project), "--lang", "en", "HEAD", "."]) == 0
    out = capsys.readouterr().out.splitlines()
    phu_luc = "content/kem-theo/huong-dan.md — Phụ lục 05 · HƯỚNG DẪN BÁO CÁO KẾT QUẢ THỰC HIỆN "
    phu_luc += "CHƯƠNG TRÌNH"
    assert out[out.index("Paragraphs: 3 changed") :][:6] == [
        "Paragraphs: 3 changed",
        f"  {phu_luc}",
        "    ~ … thị trấn báo cáo kết quả trước ngày [-15-]{+20+} hằng tháng.",
        "    ~ 1 | Báo cáo tháng | ngày [-15-]{+20+}",
        f"  {phu_luc} — I. Tổ chức thực hiện",
        "    ~ Phòng Lao động – TB&XH huyện theo dõi, {+đôn đốc, +}tổng hợp.",
    ]
    assert "Đối với Mặt trận Tổ quốc" not in "\n".join(out)  # the body's last heading
    assert vanban(["diff", "-C", str(project), "--format", "json", "HEAD", "."]) == 0
    changes = json.loads(capsys.readouterr().out)["text"]
    title = "Phụ lục 05 · HƯỚNG DẪN BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH"
    assert [(c["appendix"], c["headings"]) for c in changes] == [
        (title, []),
        (title, []),
        (title, ["I. Tổ chức thực hiện"]),
    ]
