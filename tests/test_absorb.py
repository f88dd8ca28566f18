"""Round trips through Word's format: build the report, edit the .docx as a reviewer would
(python-docx, and LibreOffice as a second real client), absorb the edits, build again."""

from __future__ import annotations

import copy
import difflib
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import REPO, commit_all, copy_case, soffice
from docx_reader import read_docx
from vanban.absorb.wordfile import read_word
from vanban.cli import main as vanban
from vanban.pipeline import build, build_report

REVIEWER = "Trần Thị Hoa"
COMMENT = "Đề nghị kiểm tra lại số người tham gia"
# The reviewer's edits: (what they look for, what they write); see edit_with_* below.
BODY_FIGURE = ("346 người lao động", "346", "350")
FOOTNOTE_WORD = ("về phê duyệt Chương trình", "phê duyệt", "ban hành")
TYPED_CELL = ("23.328.000", "23.400.000")  # an_sinh …dai_bieu_hdnd.cost_dong, Phụ lục 04
COMPUTED_TOTAL = ("4.977,08", "5.000,00")  # Phụ lục 04, table 2, Tổng cộng: a sum
SIGNER = ("Y Thanh", "Nguyễn Văn Bình")
LO_PYTHON = "/usr/bin/python3"
LO_SCRIPT = Path(__file__).resolve().parent / "lo_edit.py"


def git(root: Path, *args: str) -> str:
    command = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@e", *args]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """The reference report in a git repository of its own, committed and built."""
    root = tmp_path / "report"
    shutil.copytree(
        REPO,
        root,
        ignore=shutil.ignore_patterns(
            "build", ".git", "src", "tests", ".venv", "examples", "benchmarks"
        ),
    )
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "draft")
    build(root)
    return root


def built(root: Path) -> Path:
    return root / "build" / "bao-cao-dak-glei-2024.docx"


def lines(docx: Path) -> list[str]:
    """The text a reader sees: body blocks (tables cell by cell), then the footnotes."""
    word = read_word(docx)
    out = []
    for block in word.blocks:
        if block.paragraph is not None:
            out.append(block.paragraph.text)
        else:
            out += [" | ".join(c.text for c in row) for row in block.rows or []]
    notes = [f"[{n}] {note.text}" for n, note in enumerate(word.footnotes, start=1)]
    return [line for line in out if line.strip()] + notes


# --------------------------------------------------------------------------- python-docx


def _split_run(run, start: int, end: int):
    """Split a w:r so that characters start:end of its text are a run of their own."""
    text = run.find(qn("w:t")).text
    pieces = []
    for part in (text[:start], text[start:end], text[end:]):
        piece = copy.deepcopy(run)
        piece.find(qn("w:t")).text = part
        piece.find(qn("w:t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        pieces.append(piece)
    for piece in pieces:
        run.addprevious(piece)
    run.getparent().remove(run)
    return pieces[1]


def _revision(tag: str, ident: int):
    element = Document().element.makeelement(qn(tag))
    element.set(qn("w:id"), str(ident))
    element.set(qn("w:author"), REVIEWER)
    element.set(qn("w:date"), "2026-12-01T10:00:00Z")
    return element


def replace_text(paragraph, old: str, new: str, tracked: bool, ident: int):
    """Replace old by new inside one run of a paragraph element, as a tracked change or not."""
    for run in paragraph.iter(qn("w:r")):
        t = run.find(qn("w:t"))
        if t is None or not t.text or old not in t.text:
            continue
        start = t.text.index(old)
        middle = _split_run(run, start, start + len(old))
        if not tracked:
            middle.find(qn("w:t")).text = new
            return middle
        inserted = copy.deepcopy(middle)
        inserted.find(qn("w:t")).text = new
        deleted = _revision("w:del", ident)
        middle.addprevious(deleted)
        deleted.append(middle)
        middle.find(qn("w:t")).tag = qn("w:delText")
        ins = _revision("w:ins", ident + 1)
        deleted.addnext(ins)
        ins.append(inserted)
        return inserted
    raise AssertionError(f"{old!r} not found in one run")


def edit_with_python_docx(source: Path, target: Path, tracked: bool) -> None:
    document = Document(str(source))
    body = document.element.body

    def paragraph_with(text: str):
        for p in body.iter(qn("w:p")):
            if text in "".join(t.text or "" for t in p.iter(qn("w:t"))):
                return p
        raise AssertionError(text)

    context, old, new = BODY_FIGURE
    figure_run = replace_text(paragraph_with(context), old, new, tracked, 101)
    replace_text(paragraph_with(TYPED_CELL[0]), *TYPED_CELL, tracked, 103)
    replace_text(paragraph_with(COMPUTED_TOTAL[0]), *COMPUTED_TOTAL, tracked, 105)
    replace_text(paragraph_with(SIGNER[0]), *SIGNER, tracked, 107)
    notes = document.part.package.part_related_by  # noqa: B018 - reach the footnotes part
    del notes
    footnotes = next(
        part
        for part in document.part.package.iter_parts()
        if part.partname.endswith("footnotes.xml")
    )
    from docx.oxml import parse_xml

    root = parse_xml(footnotes.blob)
    context, old, new = FOOTNOTE_WORD
    for p in root.iter(qn("w:p")):
        if context in "".join(t.text or "" for t in p.iter(qn("w:t"))):
            replace_text(p, old, new, tracked, 109)
            break
    else:
        raise AssertionError(context)
    from lxml import etree

    footnotes._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    from docx.text.run import Run

    document.add_comment([Run(figure_run, None)], COMMENT, author=REVIEWER, initials="TTH")
    document.save(str(target))


# --------------------------------------------------------------------------- the round trip


def expected_after(edited: Path, rebuilt: Path) -> list[tuple[str, str]]:
    """Return the lines that differ between the edited document and the rebuilt one."""
    a, b = lines(edited), lines(rebuilt)
    changed = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            changed += list(zip(a[i1:i2], b[j1:j2], strict=False))
            assert i2 - i1 == j2 - j1, (a[i1:i2], b[j1:j2])
    return changed


def check_round_trip(report: Path, edited: Path, capsys) -> None:
    status = vanban(["absorb", str(edited), str(report)])
    out = capsys.readouterr().out
    # The refused computed total is named, with how the table computes it.
    assert "not absorbed: appendix table" in out
    assert "“4.977,08” → “5.000,00”: a computed figure" in out
    assert status == 1  # something was not absorbed
    assert "data/document.yaml:" in out and "signer.name: “Y Thanh” → “Nguyễn Văn Bình”" in out
    assert "hoat_dong.du_an_4.viec_lam_ben_vung.y2023.participants: 346 → 350" in out
    assert "an_sinh." in out and "23328000 → 23400000" in out
    assert f"comment ({REVIEWER}, " in out and COMMENT in out
    assert "content/03-du-an.md:" in out
    comments = (report / "review" / f"{edited.stem}.comments.txt").read_text(encoding="utf-8")
    assert COMMENT in comments and "content/03-du-an.md:" in comments
    # The sources changed in place, comments and layout kept.
    assert "name: Nguyễn Văn Bình" in (report / "data" / "document.yaml").read_text("utf-8")
    assert "cost_dong: 23400000  # fn 57" in (report / "data" / "an-sinh.yaml").read_text("utf-8")
    changed_files = git(report, "diff", "--stat").strip().splitlines()[-1]
    assert changed_files.startswith(" 4 files changed"), changed_files
    rebuilt = build(report, report / "build" / "rebuilt.docx")
    differences = expected_after(edited, rebuilt)
    # Only the refused total and the places that compute from the typed cell follow the data.
    assert (" | Tổng cộng |  | 5.000,00", " | Tổng cộng |  | 4.977,08") in differences
    for before, after in differences:
        if "5.000,00" in before:
            continue
        assert before.replace("9.754.077.882", "").replace("8.595.272.532", "") != after, after
        assert "23.400.000" in after or "9.754.149.882" in after or "8.595.344.532" in after
    assert len(differences) == 4, differences


def test_plain_edits_with_python_docx(report, tmp_path, capsys):
    edited = tmp_path / "gop-y.docx"
    edit_with_python_docx(built(report), edited, tracked=False)
    check_round_trip(report, edited, capsys)


def test_tracked_changes_with_python_docx(report, tmp_path, capsys):
    edited = tmp_path / "gop-y-theo-doi.docx"
    edit_with_python_docx(built(report), edited, tracked=True)
    assert vanban(["absorb", "--tracked", "list", "--dry-run", str(edited), str(report)]) in (0, 1)
    out = capsys.readouterr().out
    assert f"tracked change ({REVIEWER}, 2026-12-01): inserted “350”" in out
    assert "nothing to absorb" in out or "dry run" in out
    check_round_trip(report, edited, capsys)


def test_an_unedited_build_has_nothing_to_absorb(report, capsys):
    assert vanban(["absorb", "--dry-run", str(built(report)), str(report)]) == 0
    assert "nothing to absorb: the document reads as it was built" in capsys.readouterr().out


def test_dry_run_prints_a_unified_diff_and_writes_nothing(report, tmp_path, capsys):
    edited = tmp_path / "gop-y.docx"
    edit_with_python_docx(built(report), edited, tracked=False)
    vanban(["absorb", "--dry-run", str(edited), str(report)])
    out = capsys.readouterr().out
    assert "--- a/data/document.yaml\n+++ b/data/document.yaml\n" in out
    assert "-  name: Y Thanh\n+  name: Nguyễn Văn Bình\n" in out
    assert git(report, "status", "--porcelain") == ""


def test_an_edit_through_a_template_expression_is_refused(report, tmp_path, capsys):
    document = Document(str(built(report)))
    for p in document.element.body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if "346 người lao động" in text:
            runs = [r for r in p.iter(qn("w:r")) if r.find(qn("w:t")) is not None]
            for run in runs:
                t = run.find(qn("w:t"))
                if t.text and "346" in t.text:
                    t.text = t.text.replace("346", "")
                if t.text and " người lao động" in t.text:
                    t.text = t.text.replace(" người lao động", "người")
            break
    edited = tmp_path / "cat.docx"
    document.save(str(edited))
    assert vanban(["absorb", str(edited), str(report)]) == 1
    out = capsys.readouterr().out
    assert "content/03-du-an.md:63:" in out and "cuts through" in out
    assert git(report, "status", "--porcelain", "--", "content", "data") == ""


def test_a_document_without_provenance_needs_a_base(report, tmp_path, capsys):
    parts_dir = tmp_path / "x.docx"
    document = Document(str(built(report)))
    document.save(str(parts_dir))
    import zipfile

    stripped = tmp_path / "stripped.docx"
    with zipfile.ZipFile(parts_dir) as source, zipfile.ZipFile(stripped, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "docProps/custom.xml":
                data = data.split(b"<property")[0] + b"</Properties>"
            target.writestr(item, data)
    assert vanban(["absorb", str(stripped), str(report)]) == 1
    assert "give the revision it was built from with --base REV" in capsys.readouterr().err
    assert vanban(["absorb", "--base", "HEAD", "--dry-run", str(stripped), str(report)]) == 0
    assert "nothing to absorb" in capsys.readouterr().out


# --------------------------------------------------------------------------- LibreOffice


def libreoffice_ready() -> str | None:
    if soffice() is None:
        return "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
    check = subprocess.run([LO_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    if check.returncode != 0:
        return f"{LO_PYTHON} cannot import uno: apt-get install python3-uno"
    return None


needs_uno = pytest.mark.skipif(libreoffice_ready() is not None, reason=str(libreoffice_ready()))


def comment_with_python_docx(source: Path, target: Path) -> None:
    """Add the reviewer's comment on the (edited) body figure."""
    document = Document(str(source))
    context = BODY_FIGURE[0].replace(BODY_FIGURE[1], BODY_FIGURE[2])
    for p in document.element.body.iter(qn("w:p")):
        if context in "".join(t.text or "" for t in p.iter(qn("w:t"))):
            run = replace_text(p, BODY_FIGURE[2], BODY_FIGURE[2], False, 0)
            from docx.text.run import Run

            document.add_comment([Run(run, None)], COMMENT, author=REVIEWER, initials="TTH")
            break
    document.save(str(target))


def edit_with_libreoffice(source: Path, target: Path, tracked: bool, tmp_path: Path) -> None:
    """Edit in LibreOffice through UNO, add the comment, and let LibreOffice write it all again.

    LibreOffice 7.4 stops while saving through UNO a document that holds a comment (see
    lo_edit.py), so the comment is added to its output and the file converted once more by
    `soffice --convert-to docx`: every part of the result is written by LibreOffice.
    """
    edited = tmp_path / "lo-edited.docx"
    command = [
        LO_PYTHON,
        str(LO_SCRIPT),
        str(soffice()),
        str(tmp_path / "lo-profile"),
        str(source),
        str(edited),
        "tracked" if tracked else "plain",
        REVIEWER,
        COMMENT,
        *BODY_FIGURE,
        *FOOTNOTE_WORD,
        *TYPED_CELL,
        *COMPUTED_TOTAL,
        *SIGNER,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    assert result.returncode == 0 and edited.exists(), (result.stdout, result.stderr)
    commented = tmp_path / "commented" / target.name
    commented.parent.mkdir()
    comment_with_python_docx(edited, commented)
    convert = [
        str(soffice()),
        f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
        "--headless",
        "--convert-to",
        "docx:MS Word 2007 XML",
        "--outdir",
        str(target.parent),
        str(commented),
    ]
    result = subprocess.run(convert, capture_output=True, text=True, timeout=240, check=False)
    assert result.returncode == 0 and target.exists(), (result.stdout, result.stderr)


@needs_uno
def test_plain_edits_with_libreoffice(report, tmp_path, capsys):
    edited = tmp_path / "gop-y-lo.docx"
    edit_with_libreoffice(built(report), edited, False, tmp_path)
    check_round_trip(report, edited, capsys)


@needs_uno
def test_tracked_changes_with_libreoffice(report, tmp_path, capsys):
    edited = tmp_path / "gop-y-lo-theo-doi.docx"
    edit_with_libreoffice(built(report), edited, True, tmp_path)
    assert vanban(["absorb", "--tracked", "reject", "--dry-run", str(edited), str(report)]) == 0
    rejected = capsys.readouterr().out
    assert "dry run: 0 file(s) would change" in rejected and COMMENT in rejected
    check_round_trip(report, edited, capsys)


NEW_NOTE = "Báo cáo số 15/BC-UBND ngày 10/01/2024 của UBND huyện."


def add_footnote(source: Path, target: Path) -> None:
    """Add a footnote at the end of the paragraph of the body figure, as Word would."""
    from docx.oxml import parse_xml
    from lxml import etree

    document = Document(str(source))
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    part = next(
        p for p in document.part.package.iter_parts() if p.partname.endswith("footnotes.xml")
    )
    root = parse_xml(part.blob)
    root.append(
        etree.fromstring(
            f'<w:footnote xmlns:w="{w}" w:id="900"><w:p><w:r><w:rPr><w:rStyle '
            'w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t '
            f'xml:space="preserve"> {NEW_NOTE}</w:t></w:r></w:p></w:footnote>'
        )
    )
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    for p in document.element.body.iter(qn("w:p")):
        if BODY_FIGURE[0] in "".join(t.text or "" for t in p.iter(qn("w:t"))):
            p.append(
                etree.fromstring(
                    f'<w:r xmlns:w="{w}"><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                    '<w:footnoteReference w:id="900"/></w:r>'
                )
            )
            break
    document.save(str(target))


def test_a_new_footnote_is_named_and_written_at_its_place(report, tmp_path, capsys):
    edited = tmp_path / "chu-thich-moi.docx"
    add_footnote(built(report), edited)
    assert vanban(["absorb", str(edited), str(report)]) == 0
    out = capsys.readouterr().out
    assert "content/03-du-an.md:63:" in out and f"new footnote [^gop-y-1]: “{NEW_NOTE}”" in out
    text = (report / "content" / "03-du-an.md").read_text(encoding="utf-8")
    assert text.endswith(f"\n[^gop-y-1]: {NEW_NOTE}\n")
    assert "hỗ trợ giới thiệu việc làm.[^gop-y-1]\n" in text
    rebuilt = build(report, report / "build" / "rebuilt.docx")
    assert lines(rebuilt) == lines(edited)


def test_another_documents_edits_are_refused_and_nothing_is_written(report, tmp_path, capsys):
    other = tmp_path / "other.docx"
    document = Document(str(built(report)))
    body = document.element.body
    for t in body.iter(qn("w:t")):
        if t.text and len(t.text) > 20:
            t.text = "Một văn bản khác hẳn " + t.text[::-1]
    document.save(str(other))
    assert vanban(["absorb", str(other), str(report)]) == 1
    err = capsys.readouterr().err
    assert "read as the base built them: not an edited copy of this report's document" in err
    assert git(report, "status", "--porcelain", "--", "content", "data") == ""


def test_sources_that_would_not_build_are_not_written(report):
    from vanban.absorb.command import problems_after
    from vanban.project import open_project

    project = open_project(report)
    path = report / "content" / "07-ket-thuc.md"
    broken = path.read_text(encoding="utf-8") + "\nThêm {{ von.khong_co | so }}.\n"
    problems = problems_after(project, {path: broken})
    assert [str(p).split(": error: ")[0] for p in problems] == ["content/07-ket-thuc.md:3:13"]
    assert problems_after(project, {path: path.read_text(encoding="utf-8")}) == []


def test_a_tracked_formatting_change_is_listed_not_applied(report, tmp_path, capsys):
    from lxml import etree

    document = Document(str(built(report)))
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for p in document.element.body.iter(qn("w:p")):
        if BODY_FIGURE[0] in "".join(t.text or "" for t in p.iter(qn("w:t"))):
            run = next(r for r in p.iter(qn("w:r")) if r.find(qn("w:t")) is not None)
            rpr = run.find(qn("w:rPr"))
            if rpr is None:
                rpr = etree.SubElement(run, qn("w:rPr"))
                run.insert(0, rpr)
            rpr.insert(0, etree.fromstring(f'<w:i xmlns:w="{w}"/>'))
            rpr.append(
                etree.fromstring(
                    f'<w:rPrChange xmlns:w="{w}" w:id="77" w:author="{REVIEWER}" '
                    'w:date="2026-12-01T10:00:00Z"><w:rPr/></w:rPrChange>'
                )
            )
            break
    edited = tmp_path / "dinh-dang.docx"
    document.save(str(edited))
    assert vanban(["absorb", str(edited), str(report)]) == 1
    out = capsys.readouterr().out
    assert "not absorbed: a formatting change (tracked) in “- Năm 2023: Dự toán" in out
    assert out.splitlines()[-1] == (
        "nothing absorbed: the change listed above cannot be written into the sources"
    )
    assert git(report, "status", "--porcelain", "--", "content", "data") == ""


# --------------------------------------------------------------------------- the examples


def example(name: str, tmp_path: Path) -> tuple[Path, Path]:
    """An example report in a git repository of its own, committed and built; its .docx."""
    root = tmp_path / name
    shutil.copytree(REPO / "examples" / name, root, ignore=shutil.ignore_patterns("build"))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "draft")
    return root, build(root)


def reviewed(source: Path, target: Path, *edits: tuple[str, str, str], note: bool = False):
    """Save a copy of source with each (context, old, new) replaced in the first paragraph
    holding context, of the body or (note) of the footnotes, as a reviewer types in Word."""
    from docx.oxml import parse_xml
    from lxml import etree

    document = Document(str(source))
    part = next(
        p for p in document.part.package.iter_parts() if p.partname.endswith("footnotes.xml")
    )
    root = parse_xml(part.blob) if note else document.element.body
    for ident, (context, old, new) in enumerate(edits):
        paragraph = next(
            p
            for p in root.iter(qn("w:p"))
            if context in "".join(t.text or "" for t in p.iter(qn("w:t")))
        )
        replace_text(paragraph, old, new, False, 200 + 2 * ident)
    if note:
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    document.save(str(target))


def source_diff(root: Path) -> list[str]:
    """The lines the absorb changed in the sources, as git diff -U0 shows them."""
    diff = git(root, "diff", "-U0", "--", "content", "data")
    return [
        line
        for line in diff.splitlines()
        if line[:1] in "-+" and not line.startswith(("---", "+++"))
    ]


def absorbed_all(edited: Path, root: Path, capsys) -> str:
    """Absorb the edited copy into root, every edit written; what the absorb said."""
    code = vanban(["absorb", str(edited), str(root)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "not absorbed" not in out, out
    return out


def rebuilt_as(root: Path, edited: Path) -> list[str]:
    """Build root again; check it reads as the edited copy; its lines."""
    rebuilt = lines(build(root, root / "build" / "rebuilt.docx"))
    assert rebuilt == lines(edited)
    return rebuilt


def test_an_edit_in_a_footnotes_second_paragraph_lands_in_its_line(tmp_path, capsys):
    root, docx = example("bao-cao-cchc-lam-dong-2025", tmp_path)
    edited = tmp_path / "chu-thich.docx"
    context = "Công văn số 1973/UBND-HCC ngày 28/02/2025"
    reviewed(docx, edited, (context, context, context[:-10] + "01/3/2025"), note=True)
    assert vanban(["absorb", str(edited), str(root)]) == 0
    out = capsys.readouterr().out
    assert "content/02-ket-qua.md:47:" in out and "footnote 2 [^fn02]" in out
    changed = source_diff(root)
    assert len(changed) == 2 and changed[0].startswith("-    \\- UBND tỉnh Lâm Đồng đã ban hành:")
    assert changed[1] == changed[0].replace(context, context[:-10] + "01/3/2025").replace(
        "-", "+", 1
    )
    text = (root / "content" / "02-ket-qua.md").read_text(encoding="utf-8")
    assert "\n[^fn02]: Trước sáp nhập tỉnh:\n\n" in text
    rebuilt = build(root, root / "build" / "rebuilt.docx")
    assert lines(rebuilt) == lines(edited)


def test_an_edit_after_a_run_in_heading_lands_in_its_paragraph(tmp_path, capsys):
    root, docx = example("bao-cao-vlncn-lao-cai-2025", tmp_path)
    edited = tmp_path / "chay-lien.docx"
    reviewed(docx, edited, ("công nghiệp: Không.", "Không.", "Không có."))
    assert vanban(["absorb", str(edited), str(root)]) == 0
    assert "content/02-kho-khan-kien-nghi.md:3:6: text:" in capsys.readouterr().out
    assert source_diff(root) == ["-Không.", "+Không có."]
    rebuilt = build(root, root / "build" / "rebuilt.docx")
    assert lines(rebuilt) == lines(edited)
    assert any(line.endswith("vật liệu nổ công nghiệp: Không có.") for line in lines(rebuilt))


def test_an_edit_of_a_run_in_headings_title_lands_in_the_heading(report, tmp_path, capsys):
    edited = tmp_path / "tieu-de.docx"
    title = "Công tác điều hành, phối hợp trong quản lý"
    reviewed(built(report), edited, (title, "Công tác điều hành", "Công tác chỉ đạo, điều hành"))
    assert vanban(["absorb", str(edited), str(report)]) == 0
    assert "content/01-quan-ly.md:9:" in capsys.readouterr().out
    heading = "## Công tác điều hành, phối hợp trong quản lý, tổ chức thực hiện Chương trình: "
    assert source_diff(report) == [
        f"-{heading}{{.run-in}}",
        f"+{heading.replace('tác điều', 'tác chỉ đạo, điều')}{{.run-in}}",
    ]
    rebuilt = build(report, report / "build" / "rebuilt.docx")
    assert lines(rebuilt) == lines(edited)
    assert any(
        line.startswith("2. Công tác chỉ đạo, điều hành, phối hợp") and ": Các cấp, các" in line
        for line in lines(rebuilt)
    )


def test_an_item_of_a_tight_list_is_absorbed(tmp_path, capsys):
    root, docx = example("bao-cao-vlncn-lao-cai-2025", tmp_path)
    edited = tmp_path / "danh-sach.docx"
    reviewed(docx, edited, ("- Chưa có Quy định tiêu hủy", "Chưa có", "Vẫn chưa có"))
    assert vanban(["absorb", str(edited), str(root)]) == 0
    assert "content/02-kho-khan-kien-nghi.md:12:3: text:" in capsys.readouterr().out
    changed = source_diff(root)
    assert len(changed) == 2 and changed[0].startswith("-- Chưa có Quy định tiêu hủy")
    assert changed[1] == "+- Vẫn chưa có" + changed[0][len("-- Chưa có") :]
    rebuilt = build(root, root / "build" / "rebuilt.docx")
    assert lines(rebuilt) == lines(edited)


def test_a_paragraph_of_a_file_with_a_body_table_is_absorbed(tmp_path, capsys):
    root, docx = example("bao-cao-vlncn-lao-cai-2025", tmp_path)
    assert "{{ table('to-chuc') }}" in (root / "content" / "01-tinh-hinh.md").read_text("utf-8")
    edited = tmp_path / "bang.docx"
    reviewed(docx, edited, ("Nhìn chung công tác quản lý Nhà nước", "Nhìn chung", "Nhìn chung,"))
    assert vanban(["absorb", str(edited), str(root)]) == 0
    assert "content/01-tinh-hinh.md:39:11: text:" in capsys.readouterr().out
    changed = source_diff(root)
    assert len(changed) == 2 and changed[0].startswith("-Nhìn chung công tác quản lý Nhà nước")
    assert changed[1] == "+Nhìn chung," + changed[0][len("-Nhìn chung") :]
    rebuilt = build(root, root / "build" / "rebuilt.docx")
    assert lines(rebuilt) == lines(edited)


def test_an_edit_that_would_not_print_what_the_reviewer_wrote_is_refused(
    tmp_path, capsys, monkeypatch
):
    from vanban.absorb import plan

    root, docx = example("bao-cao-vlncn-lao-cai-2025", tmp_path)
    edited = tmp_path / "lech.docx"
    reviewed(
        docx,
        edited,
        ("công nghiệp: Không.", "Không.", "Không có."),
        ("- Chưa có Quy định tiêu hủy", "Chưa có", "Vẫn chưa có"),
    )
    mapped = plan.Mapper.map_text

    def misplaced(self, block, old, new, what, **options):  # a mapping gone wrong for one
        count = len(self.plan.edits)
        mapped(self, block, old, new, what, **options)
        if "Không" in old[-8:]:
            edits = self.plan.edits
            edits[count:] = [
                plan.Edit(e.path, e.start - 3, e.end - 3, e.text) for e in edits[count:]
            ]

    monkeypatch.setattr(plan.Mapper, "map_text", misplaced)
    assert vanban(["absorb", str(edited), str(root)]) == 1
    out = capsys.readouterr().out
    assert (
        "not absorbed: content/02-kho-khan-kien-nghi.md:3:6: with this edit the source would "
        "print “…vật liệu nổ công nghiệp: [-Không có-]{+Kh cóông+}.…”, not what the reviewer "
        "wrote: not written; edit the source"
    ) in out
    assert "content/02-kho-khan-kien-nghi.md:12:3: text:" in out
    changed = source_diff(root)
    assert len(changed) == 2 and changed[0].startswith("-- Chưa có Quy định tiêu hủy")
    assert changed[1] == "+- Vẫn chưa có" + changed[0][len("-- Chưa có") :]


def test_a_document_from_a_revision_this_repository_lacks_is_named(tmp_path, capsys):
    root, _ = example("bao-cao-vlncn-lao-cai-2025", tmp_path)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(root), str(clone)], check=True)
    path = clone / "content" / "02-kho-khan-kien-nghi.md"
    path.write_text(path.read_text("utf-8").replace("Không.", "Không có."), "utf-8")
    git(clone, "commit", "-qam", "local")
    revision = git(clone, "rev-parse", "HEAD").strip()
    docx = build(clone)
    assert vanban(["absorb", str(docx), str(root)]) == 1
    assert capsys.readouterr().err == (
        f"error: {docx}: built from revision {revision[:7]}, which this repository does not "
        "have: fetch it (git fetch), or give the revision it was built from with --base REV\n"
    )


def test_a_recipient_added_in_word_is_refused_not_glued_to_the_one_before(report, tmp_path, capsys):
    document = Document(str(built(report)))
    paragraph = next(
        p
        for p in document.element.body.iter(qn("w:p"))
        if "".join(t.text or "" for t in p.iter(qn("w:t"))) == "- Thường trực Huyện ủy (b/c);"
    )
    added = copy.deepcopy(paragraph)
    texts = list(added.iter(qn("w:t")))
    texts[0].text = "- Ủy ban MTTQ Việt Nam huyện;"
    for t in texts[1:]:
        t.text = ""
    paragraph.addnext(added)
    edited = tmp_path / "noi-nhan.docx"
    document.save(str(edited))
    assert vanban(["absorb", str(edited), str(report)]) == 1
    out = capsys.readouterr().out
    assert "not absorbed: closing: “Nơi nhận: - Sở Lao động-TB&XH tỉnh;" in out
    assert (
        "a paragraph was added or removed (a recipient is an item of `recipients` in "
        "data/document.yaml): not absorbed; add or remove it there"
    ) in out
    assert "reads as it was built" not in out
    assert git(report, "status", "--porcelain", "--", "content", "data") == ""
    rebuilt = build(report, report / "build" / "rebuilt.docx")
    assert "- Ủy ban MTTQ Việt Nam huyện;" not in " ".join(lines(rebuilt))


def test_a_figure_edit_the_check_would_stop_on_is_not_written(tmp_path, capsys):
    root, docx = example("ke-hoach-2026-2030", tmp_path)
    edited = tmp_path / "tong.docx"
    reviewed(docx, edited, ("Chương trình là 29.460", "29.460", "29.500"))
    assert vanban(["absorb", str(edited), str(root)]) == 1
    out = capsys.readouterr().out
    assert "data/von.yaml:5:22: von.allocated_2021_2025: 29460 → 29500" in out
    assert (
        "data/von.yaml:5:22: error: von.allocated_2021_2025 = 29.500 but its parts add up to "
        "29.460 (4.619 + 11.011 + 13.830; difference 40) [programme-total-2021-2025]\n"
        "absorb: the sources would have 1 problem(s) that stop a build: nothing written\n"
    ) in out
    assert source_diff(root) == []
    rebuilt = build(root, root / "build" / "rebuilt.docx")
    assert lines(rebuilt) == lines(docx)


def test_a_figure_typed_over_a_missing_marker_is_entered_into_the_data(tmp_path, capsys):
    root, document = example("ke-hoach-2026-2030", tmp_path)
    marker = "[thiếu: ngheo.target_2030.poor_rate_max]"
    edited = tmp_path / "gop-y.docx"
    reviewed(document, edited, ("tỷ lệ hộ nghèo còn dưới", marker, "5%"))
    assert vanban(["absorb", str(edited), str(root)]) == 0
    out = capsys.readouterr().out
    assert (
        "data/ngheo.yaml:29:18: ngheo.target_2030.poor_rate_max: !missing chờ UBND tỉnh giao "
        "chỉ tiêu giai đoạn 2026-2030 → 5 (entered as “5%” at content/02-muc-tieu.md:11:"
    ) in out
    assert source_diff(root) == [
        "-  poor_rate_max: !missing chờ UBND tỉnh giao chỉ tiêu giai đoạn 2026-2030",
        "+  poor_rate_max: 5",
    ]
    rebuilt = build(root, root / "build" / "rebuilt.docx")
    assert "tỷ lệ hộ nghèo còn dưới 5%," in " ".join(lines(rebuilt))


def test_words_typed_over_a_missing_marker_are_refused_as_not_a_figure(tmp_path, capsys):
    root, document = example("ke-hoach-2026-2030", tmp_path)
    marker = "[thiếu: ngheo.target_2030.poor_rate_max]"
    edited = tmp_path / "gop-y.docx"
    reviewed(document, edited, ("tỷ lệ hộ nghèo còn dưới", marker, "chưa có"))
    assert vanban(["absorb", str(edited), str(root)]) == 1
    out = capsys.readouterr().out
    assert (
        "ngheo.target_2030.poor_rate_max is still to be entered (!missing); “chưa có” is not "
        "a number written the Vietnamese way (1.688,0): not absorbed"
    ) in out
    assert "{.mark}" not in out
    assert source_diff(root) == []


def test_the_so_and_the_date_edited_in_the_masthead_are_written_to_the_metadata(tmp_path, capsys):
    root, document = example("quyet-dinh-kiem-tra-vlncn-lao-cai-2026", tmp_path)
    edited = tmp_path / "gop-y.docx"
    reviewed(
        document,
        edited,
        ("Số: 1050/QĐ-SCT", "1050", "1051"),
        ("ngày 06 tháng 3 năm 2026", "ngày 06", "ngày 07"),
    )
    assert vanban(["absorb", str(edited), str(root)]) == 0
    out = capsys.readouterr().out
    assert "data/document.yaml:13:9: number: 1050 → 1051 (printed “Số: 1051/”)" in out
    assert (
        "data/document.yaml:15:7: date: 2026-03-06 → 2026-03-07 "
        "(printed “ngày 07 tháng 3 năm 2026”)"
    ) in out
    assert source_diff(root) == [
        "-number: 1050",
        "+number: 1051",
        "-date: 2026-03-06",
        "+date: 2026-03-07",
    ]
    rebuilt = " ".join(lines(build(root, root / "build" / "rebuilt.docx")))
    assert "Số: 1051/QĐ-SCT" in rebuilt and "ngày 07 tháng 3 năm 2026" in rebuilt


def test_a_date_that_is_no_date_is_refused_with_its_reason(tmp_path, capsys):
    root, document = example("quyet-dinh-kiem-tra-vlncn-lao-cai-2026", tmp_path)
    edited = tmp_path / "gop-y.docx"
    reviewed(document, edited, ("ngày 06 tháng 3 năm 2026", "06 tháng 3", "30 tháng 2"))
    assert vanban(["absorb", str(edited), str(root)]) == 1
    out = capsys.readouterr().out
    assert "not absorbed: masthead: “ngày 30 tháng 2 năm 2026” is not a date: not absorbed" in out
    assert source_diff(root) == []


def test_the_so_typed_into_a_draft_s_blank_is_written_to_the_metadata(report, tmp_path, capsys):
    document = built(report)
    edited = tmp_path / "so.docx"
    reviewed(document, edited, ("/BC-UBND", "Số:      /BC-UBND", "Số: 05/BC-UBND"))
    assert vanban(["absorb", str(edited), str(report)]) == 0
    assert "number: null → 5 (printed “Số: 05/”)" in capsys.readouterr().out
    assert source_diff(report) == ["-number: null", "+number: 5"]
    rebuilt = " ".join(lines(build(report, report / "build" / "rebuilt.docx")))
    assert "Số: 05/BC-UBND" in rebuilt


def test_a_cell_of_a_table_with_no_heading_is_named_by_its_appendix(report, tmp_path, capsys):
    document = Document(str(built(report)))
    table = next(t for t in document.tables if "Dự án, tiểu dự án" in t.rows[0].cells[1].text)
    total = table.rows[3].cells[2].paragraphs[0]  # Tổng cộng, Năm 2022, Trung ương, tỉnh
    assert total.text == "4.619,0"
    replace_text(total._p, "4.619,0", "4.700,0", False, 300)
    edited = tmp_path / "pl01.docx"
    document.save(str(edited))
    assert vanban(["absorb", str(edited), str(report)]) == 1
    out = capsys.readouterr().out
    assert (
        "not absorbed: appendix table of Phụ lục 01, row “Tổng cộng”, column “Trung ương, "
        "tỉnh”: “4.619,0” → “4.700,0”: a computed figure"
    ) in out
    assert "appendix table “”" not in out


NUMBER_FORMAT = (
    "the same value: a figure prints from its fact in the document's number format (1.688,5: "
    "a dot between thousands, a comma before the decimals), not as typed: not written; change "
    "the fact to change the figure"
)


def test_a_figure_retyped_in_another_form_of_its_value_is_named_where_it_comes_from(
    report, tmp_path, capsys
):
    edited = tmp_path / "dinh-dang.docx"
    reviewed(
        built(report),
        edited,
        ("toàn huyện 29.460", "29.460", "29460"),  # the dot between thousands left out
        ("bảo hiểm y tế đạt 79,91%", "79,91%", "79.91%"),  # a share, a decimal point
        ("23.328.000", "23.328.000", "23,328,000"),  # an appendix cell, commas between
        ("346 người lao động", "346", "350"),  # a value changed: written
    )
    assert vanban(["absorb", str(edited), str(report)]) == 1
    out = capsys.readouterr().out
    assert (
        "not absorbed: content/02-nguon-von.md:3:445: von.allocated (data/von.yaml:7:12): "
        f"“29.460” retyped “29460”, {NUMBER_FORMAT}"
    ) in out
    assert (
        "not absorbed: content/04-muc-tieu.md:15:872: an_sinh.health_insurance.coverage_rate "
        f"(data/an-sinh.yaml:5:18): “79,91%” retyped “79.91%”, {NUMBER_FORMAT}"
    ) in out
    assert (
        "not absorbed: appendix table “1. Bảo hiểm y tế do ngân sách nhà nước đóng, hỗ trợ đóng "
        "(ước thực hiện đến hết quý II năm 2024)”, row “Đại biểu HĐND”, column “Kinh phí thực "
        "hiện (đồng)”: an_sinh.health_insurance.other.groups.council_delegates."
        f"cost_dong (data/an-sinh.yaml:42:20): “23.328.000” retyped “23,328,000”, {NUMBER_FORMAT}"
    ) in out
    # the places print {{ … }} and the fact as the line:col say
    line = (report / "content" / "02-nguon-von.md").read_text("utf-8").split("\n")[2]
    assert line[444:].startswith("{{ von.allocated | so }}")
    facts = (report / "data" / "an-sinh.yaml").read_text("utf-8").split("\n")
    assert facts[4][17:].startswith("79.91") and facts[41][19:].startswith("23328000")
    # the value changed is written; the figures retyped are not
    assert source_diff(report) == [
        '-      participants: 346  # III.4.c năm 2023 "với 346 người lao động tham gia"',
        '+      participants: 350  # III.4.c năm 2023 "với 346 người lao động tham gia"',
    ]


def test_a_row_label_and_a_written_out_table_are_refused_with_where_they_come_from(
    report, tmp_path, capsys
):
    document = Document(str(built(report)))
    table = next(t for t in document.tables if "Dự án, tiểu dự án" in t.rows[0].cells[1].text)
    label = table.rows[3].cells[1].paragraphs[0]
    replace_text(label._p, "Tổng cộng", "Cộng", False, 300)
    edited = tmp_path / "nhan.docx"
    document.save(str(edited))
    assert vanban(["absorb", str(edited), str(report)]) == 1
    assert (
        "not absorbed: appendix table of Phụ lục 01, row “Tổng cộng”: “Tổng cộng” → “Cộng”: a "
        "row's STT and label come from content/appendices.yaml (`stt:`, `label:`) or from the "
        "data its `at:` names (`name`): not absorbed; edit them there"
    ) in capsys.readouterr().out


def widths(docx: Path) -> list[list[str]]:
    """The column widths (w:gridCol) of every table of a document, as Word has them."""
    return [[g.get(qn("w:w")) for g in t._tbl.tblGrid] for t in Document(str(docx)).tables]


def edit_last_table(source: Path, target: Path, r: int, c: int, old: str, new: str) -> str:
    """Save a copy of source with old replaced by new in the cell (r, c) of its last table;
    return the cell's text before."""
    document = Document(str(source))
    cell = document.tables[-1].rows[r].cells[c].paragraphs[0]
    text = cell.text
    replace_text(cell._p, old, new, False, 310)
    document.save(str(target))
    return text


def test_a_cell_of_a_written_out_grid_table_is_wrapped_within_its_column_its_widths_kept(
    tmp_path, capsys
):
    root, built_qd = example("quyet-dinh-kiem-tra-vlncn-lao-cai-2026", tmp_path)
    edited = tmp_path / "ds.docx"
    unit = edit_last_table(built_qd, edited, 1, 1, "xây dựng", "xây dựng và đầu tư phát triển")
    assert unit == "Công ty cổ phần xây dựng giao thông Yên Bái"  # over four lines
    assert (
        "content/appendices.yaml:16:14: table cell: “…Công ty cổ phần xây dựng {+và đầu tư phát "
        "triển +}giao thông Yên Bái…”"
    ) in absorbed_all(edited, root, capsys)
    # the dashes (the printed widths) as they were; the row one line longer for the text
    changed = source_diff(root)
    assert [line[0] + line[7:31] for line in changed] == [
        "-|    | giao thông Yên | ",
        "-|    | Bái            | ",
        "+|    | và đầu tư phát | ",
        "+|    | triển giao     | ",
        "+|    | thông Yên Bái  | ",
    ]
    assert changed[-1].endswith("|                          |" + " " * 60 + "|")
    rebuilt_as(root, edited)
    assert widths(root / "build" / "rebuilt.docx") == widths(built_qd)


def test_a_word_wider_than_a_written_out_grid_column_is_refused_with_why(tmp_path, capsys):
    root, built_qd = example("quyet-dinh-kiem-tra-vlncn-lao-cai-2026", tmp_path)
    edited = tmp_path / "stt.docx"
    edit_last_table(built_qd, edited, 1, 0, "1", "1.1.1")
    assert vanban(["absorb", str(edited), str(root)]) == 1
    assert (
        "not absorbed: content/appendices.yaml:10:7: appendix table of Phụ lục: table cell “1” "
        "→ “1.1.1”: “1.1.1” is wider than its column (2 characters), and a table written out in "
        "the declaration prints its columns as wide as its dashes draw them: widening one would "
        "change the printed widths of all: not absorbed; edit it there"
    ) in capsys.readouterr().out
    assert source_diff(root) == []


def test_a_trich_yeu_edited_in_word_keeps_its_folded_lines(report, tmp_path, capsys):
    edited = tmp_path / "trich-yeu.docx"
    reviewed(
        built(report),
        edited,
        ("Đánh giá kết quả thực hiện", "Đánh giá kết quả", "Đánh giá toàn diện kết quả"),
    )
    assert vanban(["absorb", str(edited), str(report)]) == 0
    capsys.readouterr()
    text = (report / "data" / "document.yaml").read_text(encoding="utf-8")
    block = text.split("summary: >-\n", 1)[1].split("\nrecipients:", 1)[0].split("\n")
    # wrapped at the width of the block's longest line before (89 characters)
    assert block == [
        "  Đánh giá toàn diện kết quả thực hiện Chương trình mục tiêu Quốc gia giảm nghèo bền vững",
        "  giai đoạn 2021-2024 và đề xuất, kiến nghị cho giai đoạn 2026 – 2030",
    ]
    rebuilt = " ".join(lines(build(report, report / "build" / "rebuilt.docx")))
    assert "Đánh giá toàn diện kết quả thực hiện Chương trình" in rebuilt


# --------------------------------------------------------------------------- tables of the text

TABLE = """
| **STT** | **Nội dung** | **Số lượt** |
|---|---|---|
| 1 | Kiểm tra định kỳ | 12 |
| 2 | Kiểm tra đột xuất | {{ vlncn.to_chuc.dich_vu_no_min.to_chuc | so }} |
|   | Ghi chú |   |
"""


def with_text_table(tmp_path: Path, table: str = TABLE) -> tuple[Path, Path]:
    """The Lào Cai example with a Markdown table added at the end of its first file."""
    root = tmp_path / "bang"
    shutil.copytree(
        REPO / "examples" / "bao-cao-vlncn-lao-cai-2025",
        root,
        ignore=shutil.ignore_patterns("build"),
    )
    first = root / "content" / "01-tinh-hinh.md"
    first.write_text(first.read_text(encoding="utf-8") + table, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "draft")
    return root, build(root)


def lines_of_first_file() -> int:
    first = REPO / "examples" / "bao-cao-vlncn-lao-cai-2025" / "content" / "01-tinh-hinh.md"
    return len(first.read_text(encoding="utf-8").splitlines())


def edit_cells(source: Path, target: Path, *edits: tuple[str, int, str, str]) -> None:
    """Save a copy of source with the cell of each (row's label, column, old, new) edited:
    the row whose second cell reads label, old replaced by new in its cell."""
    document = Document(str(source))
    for label, column, old, new in edits:
        row = next(r for t in document.tables for r in t.rows if r.cells[1].text == label)
        cell = row.cells[column]
        if old:
            replace_text(cell.paragraphs[0]._p, old, new, False, 400)
        else:
            cell.paragraphs[0].add_run(new)
    document.save(str(target))


def cells_absorbed(root: Path, docx: Path, capsys, *edits: tuple[str, int, str, str]) -> Path:
    """Edit the cells of root's built docx as edit_cells does, absorb them all into root;
    the edited copy."""
    edited = root.parent / f"{root.name}-cells.docx"
    edit_cells(docx, edited, *edits)
    absorbed_all(edited, root, capsys)
    return edited


def test_a_cell_of_a_markdown_table_in_the_text_is_absorbed_into_its_line(tmp_path, capsys):
    root, docx = with_text_table(tmp_path)
    edited = tmp_path / "bang.docx"
    edit_cells(
        docx,
        edited,
        ("Kiểm tra định kỳ", 2, "12", "15"),
        ("Kiểm tra định kỳ", 1, "định kỳ", "định kỳ | quý"),
        ("Ghi chú", 2, "", "Đã rà soát"),
    )
    assert vanban(["absorb", str(edited), str(root)]) == 0
    out = capsys.readouterr().out
    line = lines_of_first_file() + 4  # the table's first row
    assert f"content/01-tinh-hinh.md:{line}:23: table cell: “…Kiểm tra định kỳ{{+ | quý+}}…”" in out
    assert f"content/01-tinh-hinh.md:{line}:26: table cell: “…[-12-]{{+15+}}…”" in out
    assert f"content/01-tinh-hinh.md:{line + 2}:17: table cell: “…{{+Đã rà soát+}}…”" in out
    assert source_diff(root) == [
        "-| 1 | Kiểm tra định kỳ | 12 |",
        "+| 1 | Kiểm tra định kỳ \\| quý | 15 |",
        "-|   | Ghi chú |   |",
        "+|   | Ghi chú | Đã rà soát  |",  # typed after the empty cell's first space
    ]
    rebuilt = build(root, root / "build" / "rebuilt.docx")
    assert lines(rebuilt) == lines(edited)
    assert "1 | Kiểm tra định kỳ | quý | 15" in lines(rebuilt)


def test_a_figure_in_a_markdown_table_goes_to_its_fact(tmp_path, capsys):
    root, docx = with_text_table(tmp_path)
    edited = tmp_path / "so.docx"
    edit_cells(docx, edited, ("Kiểm tra đột xuất", 2, "6", "7"))
    assert vanban(["absorb", str(edited), str(root)]) == 0
    assert "vlncn.to_chuc.dich_vu_no_min.to_chuc: 6 → 7" in capsys.readouterr().out
    assert source_diff(root) == ["-    to_chuc: 6", "+    to_chuc: 7"]


def test_a_figure_of_a_computed_table_in_the_text_goes_to_its_fact(tmp_path, capsys):
    root, docx = example("bao-cao-vlncn-lao-cai-2025", tmp_path)
    edited = tmp_path / "to-chuc.docx"
    first = "Tìm kiếm, thăm dò, khai thác khoáng sản trên đất liền"
    edit_cells(docx, edited, (first, 2, "40", "41"))
    assert vanban(["absorb", str(edited), str(root)]) == 0
    out = capsys.readouterr().out
    assert (
        "data/vlncn.yaml:9:14: vlncn.to_chuc.khai_thac.to_chuc: 40 → 41 (printed “41” at "
        f"content/01-tinh-hinh.md:5:1: table “to-chuc”, row “{first}”, column “Số lượng tổ "
        "chức”)"
    ) in out
    assert source_diff(root) == [
        "-    to_chuc: 40      # Số lượng tổ chức",
        "+    to_chuc: 41      # Số lượng tổ chức",
    ]


GRID = """
+-----+--------------------+--------+
| STT | Nội dung           | Số lượt|
+=====+====================+========+
| 1   | Kiểm tra định kỳ   | 12     |
+-----+--------------------+--------+
| 2   | Kiểm tra đột xuất  | 3      |
+-----+--------------------+--------+
"""


def test_a_cell_of_a_grid_table_is_written_in_place_its_columns_kept_straight(tmp_path, capsys):
    root, docx = with_text_table(tmp_path, GRID)
    edited = tmp_path / "luoi.docx"
    edit_cells(
        docx,
        edited,
        ("Kiểm tra định kỳ", 1, "định kỳ", "hằng quý"),  # one character more: fits
        ("Kiểm tra đột xuất", 2, "3", "15"),
        ("Kiểm tra đột xuất", 1, "đột xuất", "đột xuất theo chỉ đạo"),  # wider: widened
    )
    assert vanban(["absorb", str(edited), str(root)]) == 0
    line = lines_of_first_file() + 7  # the row of "Kiểm tra đột xuất"
    assert (
        f"content/01-tinh-hinh.md:{line}:26: table cell: “…Kiểm tra đột xuất{{+ theo chỉ đạo+}}…”"
    ) in capsys.readouterr().out
    table = (root / "content" / "01-tinh-hinh.md").read_text(encoding="utf-8").split("\n")[-8:]
    assert table == [
        "+-----+--------------------------------+--------+",
        "| STT | Nội dung                       | Số lượt|",
        "+=====+================================+========+",
        "| 1   | Kiểm tra hằng quý              | 12     |",
        "+-----+--------------------------------+--------+",
        "| 2   | Kiểm tra đột xuất theo chỉ đạo | 15     |",
        "+-----+--------------------------------+--------+",
        "",
    ]
    rebuilt = build(root, root / "build" / "rebuilt.docx")
    assert lines(rebuilt) == lines(edited)


def test_a_cell_of_a_grid_table_a_merged_cell_crosses_is_refused_with_its_place(tmp_path, capsys):
    merged = """
+-----+--------------------+------+
| STT | Nội dung           | Số   |
+=====+====================+======+
| 1   | Kiểm tra định kỳ   | 12   |
+-----+--------------------+------+
| 2   | Ghi chú: cả hai đợt       |
+-----+---------------------------+
"""
    root, docx = with_text_table(tmp_path, merged)
    edited = tmp_path / "luoi.docx"
    edit_cells(docx, edited, ("Kiểm tra định kỳ", 1, "định kỳ", "định kỳ theo kế hoạch năm"))
    assert vanban(["absorb", str(edited), str(root)]) == 1
    assert (
        f"not absorbed: content/01-tinh-hinh.md:{lines_of_first_file() + 2}:1: table cell "
        "“Kiểm tra định kỳ” → “Kiểm tra định kỳ theo kế hoạch năm”: the new text is wider than "
        "its column, and a merged cell crosses it: not absorbed; edit it there"
    ) in capsys.readouterr().out
    assert source_diff(root) == []


def delete_tracked(source: Path, target: Path, context: str, mark: bool = True) -> None:
    """Save a copy of source with the body paragraph holding context deleted as a tracked
    change: its runs, and (mark) its paragraph mark, as Word records a whole paragraph
    selected and deleted; without the mark, its words only (an empty paragraph stays)."""
    document = Document(str(source))
    paragraph = next(
        p
        for p in document.element.body.iter(qn("w:p"))
        if context in "".join(t.text or "" for t in p.iter(qn("w:t")))
    )
    for ident, run in enumerate([r for r in paragraph if r.tag == qn("w:r")]):
        deleted = _revision("w:del", 400 + ident)
        run.addprevious(deleted)
        deleted.append(run)
        for t in run.iter(qn("w:t")):
            t.tag = qn("w:delText")
    if mark:
        ppr = paragraph.get_or_add_pPr()
        rpr = ppr.find(qn("w:rPr"))
        if rpr is None:
            rpr = ppr.makeelement(qn("w:rPr"))
            ppr.append(rpr)
        rpr.append(_revision("w:del", 399))
    document.save(str(target))


@pytest.mark.parametrize("mark", [True, False], ids=["paragraph", "words"])
def test_a_tracked_deletion_of_a_paragraph_takes_it_out_with_its_blank_line(tmp_path, capsys, mark):
    root, docx = example("bao-cao-vlncn-lao-cai-2025", tmp_path)
    path = root / "content" / "02-kho-khan-kien-nghi.md"
    original = path.read_text(encoding="utf-8")
    paragraph = next(line for line in original.splitlines() if line.startswith("Uỷ ban"))
    last = root / "content" / "01-tinh-hinh.md"
    last_original = last.read_text(encoding="utf-8")
    closing = last_original.rstrip("\n").split("\n\n")[-1]
    assert closing.startswith("Nhìn chung công tác quản lý Nhà nước")
    edited = tmp_path / "xoa.docx"
    delete_tracked(docx, edited, paragraph[:40], mark)
    delete_tracked(edited, edited, closing[:40], mark)
    assert vanban(["absorb", str(edited), str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:3] == [
        f"content/01-tinh-hinh.md:39:1: paragraph deleted: “{closing[:80]}”",
        f"content/02-kho-khan-kien-nghi.md:17:1: paragraph deleted: “{paragraph[:80]}”",
    ]
    # each file reads as if the paragraph had never been written
    assert path.read_text(encoding="utf-8") == original.replace(paragraph + "\n\n", "")
    assert last.read_text(encoding="utf-8") == last_original.replace("\n\n" + closing, "")
    assert source_diff(root) == ["-", f"-{closing}", f"-{paragraph}", "-"]
    rebuilt = lines(build(root, root / "build" / "rebuilt.docx"))
    assert rebuilt == [line for line in lines(edited) if line.strip()]
    assert not any(
        line.startswith(("Uỷ ban nhân dân tỉnh Lào Cai đề nghị Bộ", "Nhìn chung công tác"))
        for line in rebuilt
    )


def test_a_tracked_paragraph_deletion_is_listed_at_its_line(tmp_path, capsys):
    root, docx = example("bao-cao-vlncn-lao-cai-2025", tmp_path)
    edited = tmp_path / "xoa.docx"
    delete_tracked(docx, edited, "Uỷ ban nhân dân tỉnh Lào Cai đề nghị Bộ Công Thương")
    assert vanban(["absorb", "--tracked", "list", str(edited), str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == (
        f"content/02-kho-khan-kien-nghi.md:17:1: tracked change ({REVIEWER}, 2026-12-01): "
        "deleted “Uỷ ban nhân dân tỉnh Lào Cai đề nghị Bộ Công Thương một số nội dung như sau:”"
    )
    assert source_diff(root) == []


def test_a_tracked_change_in_a_table_cell_is_listed_with_its_table_row_and_column(
    report, tmp_path, capsys
):
    document = Document(str(built(report)))
    body = document.element.body
    for ident, text in enumerate((TYPED_CELL[0], "4.619,0", "Trung ương, tỉnh")):
        cell = next(
            p
            for p in body.iter(qn("w:p"))
            if "".join(t.text or "" for t in p.iter(qn("w:t"))) == text
        )
        replace_text(cell, text, text + "?", True, 300 + 2 * ident)
    edited = tmp_path / "o.docx"
    document.save(str(edited))
    assert vanban(["absorb", "--tracked", "list", str(edited), str(report)]) == 0
    out = [line for line in capsys.readouterr().out.splitlines() if "tracked change" in line]
    change = f"tracked change ({REVIEWER}, 2026-12-01)"
    heading = "appendix table of Phụ lục 01, heading “Trung ương, tỉnh”"
    total = "appendix table of Phụ lục 01, row “Tổng cộng”, column “Trung ương, tỉnh”"
    assert out == [
        f"{heading}: {change}: deleted “Trung ương, tỉnh”",
        f"{heading}: {change}: inserted “Trung ương, tỉnh?”",
        f"{total}: “4.619,0”: {change}: deleted “4.619,0”",
        f"{total}: “4.619,0”: {change}: inserted “4.619,0?”",
        "appendix table “1. Bảo hiểm y tế do ngân sách nhà nước đóng, hỗ trợ đóng (ước thực hiện "
        "đến hết quý II năm 2024)”, row “Đại biểu HĐND”, column “Kinh phí thực hiện (đồng)”: "
        f"“23.328.000”: {change}: deleted “23.328.000”",
        "appendix table “1. Bảo hiểm y tế do ngân sách nhà nước đóng, hỗ trợ đóng (ước thực hiện "
        "đến hết quý II năm 2024)”, row “Đại biểu HĐND”, column “Kinh phí thực hiện (đồng)”: "
        f"“23.328.000”: {change}: inserted “23.328.000?”",
    ]


def test_a_deleted_list_item_takes_its_line_only(tmp_path, capsys):
    root, docx = example("bao-cao-vlncn-lao-cai-2025", tmp_path)
    path = root / "content" / "02-kho-khan-kien-nghi.md"
    original = path.read_text(encoding="utf-8").split("\n")
    items = [n for n, line in enumerate(original) if line.startswith("- ")]
    # the middle item of the first list, and the last item of the next one (a blank line
    # after it parts the list from the paragraph that follows)
    middle, end = items[1], next(n for n in items if original[n + 1] == "" and n > items[2])
    edited = tmp_path / "xoa-muc.docx"
    delete_tracked(docx, edited, original[middle][2:42])
    delete_tracked(edited, edited, original[end][2:42])
    assert vanban(["absorb", str(edited), str(root)]) == 0
    capsys.readouterr()
    kept = [line for n, line in enumerate(original) if n not in (middle, end)]
    assert path.read_text(encoding="utf-8") == "\n".join(kept)
    rebuilt = lines(build(root, root / "build" / "rebuilt.docx"))
    assert rebuilt == [line for line in lines(edited) if line.strip()]


def test_a_tracked_change_in_a_table_of_the_text_is_listed_at_its_markdown(tmp_path, capsys):
    root, docx = with_text_table(tmp_path)
    document = Document(str(docx))
    row = next(r for t in document.tables for r in t.rows if r.cells[1].text == "Kiểm tra định kỳ")
    replace_text(row.cells[2].paragraphs[0]._p, "12", "15", True, 500)
    edited = tmp_path / "theo-doi.docx"
    document.save(str(edited))
    vanban(["absorb", "--tracked", "list", "--dry-run", str(edited), str(root)])
    listed = [line for line in capsys.readouterr().out.splitlines() if "tracked change" in line]
    place = f"content/01-tinh-hinh.md:{lines_of_first_file() + 4}:1"  # the row's own line
    assert listed == [
        f"{place}: table, row 2, column 3: “12”: tracked change ({REVIEWER}, 2026-12-01): "
        "deleted “12”",
        f"{place}: table, row 2, column 3: “12”: tracked change ({REVIEWER}, 2026-12-01): "
        "inserted “15”",
    ]


def test_a_figure_typed_with_leading_zeros_keeps_them_and_the_comment_its_column(tmp_path, capsys):
    root, docx = example("bao-cao-vlncn-lao-cai-2025", tmp_path)
    edited = tmp_path / "bqp.docx"
    first = "Tìm kiếm, thăm dò, khai thác khoáng sản trên đất liền"
    # two licences moved from the province to the army: the 50 licences still add up
    edit_cells(
        docx, edited, (first, 5, "00", "02"), (first, 6, "39", "37"), (first, 2, "40", "140")
    )
    assert vanban(["absorb", str(edited), str(root)]) == 0
    capsys.readouterr()
    assert source_diff(root) == [
        "-    to_chuc: 40      # Số lượng tổ chức",
        "+    to_chuc: 140     # Số lượng tổ chức",
        '-    bqp: 00          # Bộ Quốc phòng (in "00")',
        "-    ubnd: 39         # UBND tỉnh/Sở Công Thương",
        '+    bqp: 02          # Bộ Quốc phòng (in "00")',
        "+    ubnd: 37         # UBND tỉnh/Sở Công Thương",
    ]
    rebuilt = build(root, root / "build" / "rebuilt.docx")
    assert lines(rebuilt) == lines(edited)


def absorbed_table(edited: Path, root: Path, capsys) -> list[str]:
    """Absorb the edited copy, every edit taken; return the lines of the table at the end
    of the first file, as the edits left them."""
    assert vanban(["absorb", str(edited), str(root)]) == 0
    assert "not absorbed" not in capsys.readouterr().out
    return (root / "content" / "01-tinh-hinh.md").read_text(encoding="utf-8").split("\n")[-8:]


def test_two_cells_of_a_grid_column_widen_it_once_for_both(tmp_path, capsys):
    root, docx = with_text_table(tmp_path, GRID)
    edited = tmp_path / "hai.docx"
    edit_cells(
        docx,
        edited,
        ("Kiểm tra định kỳ", 1, "định kỳ", "định kỳ theo kế hoạch"),
        ("Kiểm tra đột xuất", 1, "đột xuất", "đột xuất theo chỉ đạo"),
    )
    # the column as wide as its widest new cell needs, once
    assert absorbed_table(edited, root, capsys) == [
        "+-----+--------------------------------+--------+",
        "| STT | Nội dung                       | Số lượt|",
        "+=====+================================+========+",
        "| 1   | Kiểm tra định kỳ theo kế hoạch | 12     |",
        "+-----+--------------------------------+--------+",
        "| 2   | Kiểm tra đột xuất theo chỉ đạo | 3      |",
        "+-----+--------------------------------+--------+",
        "",
    ]
    rebuilt = build(root, root / "build" / "rebuilt.docx")
    assert lines(rebuilt) == lines(edited)


def test_a_grid_column_with_its_alignment_is_widened_before_its_colons(tmp_path, capsys):
    aligned = GRID.replace(
        "+=====+====================+========+", "+:===:+" + "=" * 20 + "+=======:+"
    )
    root, docx = with_text_table(tmp_path, aligned)
    edited = tmp_path / "can-le.docx"
    edit_cells(
        docx,
        edited,
        ("Kiểm tra định kỳ", 2, "12", "12 (tăng 3)"),  # the right-aligned column, widened
        ("Kiểm tra đột xuất", 0, "2", "2a"),  # the centred one, a character more: fits
    )
    assert absorbed_table(edited, root, capsys) == [
        "+-----+--------------------+-------------+",
        "| STT | Nội dung           | Số lượt     |",
        "+:===:+====================+============:+",
        "| 1   | Kiểm tra định kỳ   | 12 (tăng 3) |",
        "+-----+--------------------+-------------+",
        "| 2a  | Kiểm tra đột xuất  | 3           |",
        "+-----+--------------------+-------------+",
        "",
    ]
    rebuilt = read_docx(build(root, root / "build" / "rebuilt.docx"))
    printed = next(t for t in rebuilt.tables if t.texts[0] == ["STT", "Nội dung", "Số lượt"])
    # STT centred, Số lượt right as the colons say
    assert [[row[0][0].alignment, row[2][0].alignment] for row in printed.rows[1:]] == [
        ["center", "right"],
        ["center", "right"],
    ]


def imported_forms(tmp_path: Path) -> Path:
    """The nine Biểu mẫu issued as a Phụ lục of their own, imported and committed."""
    from vanban.importer import import_document

    root = tmp_path / "pl"
    import_document(REPO / "tests" / "import" / "pl-bc-ubnd-lamdong-cchc-2025-bieu-mau.docx", root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "draft")
    return root


def test_an_appendix_s_file_of_its_own_is_absorbed_against_that_file(tmp_path, capsys):
    root = imported_forms(tmp_path)
    built = build_report(root)
    (appendix,) = built.attachments
    assert vanban(["absorb", "--dry-run", str(appendix), str(root)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "nothing to absorb: the document reads as it was built"
    )
    edited = tmp_path / "bieu-mau-2.docx"
    # one text counted at the province instead of the xã: the 249 still add up
    edit_cells(
        appendix,
        edited,
        ("Số VBQPPL do cấp tỉnh ban hành", 3, "174", "175"),
        ("Số VBQPPL do cấp xã ban hành", 3, "75", "74"),
    )
    assert vanban(["absorb", str(edited), str(root)]) == 0
    assert (
        "phu_luc.pl1_bang2.r02.c2: 174 → 175 (printed “175” at appendix table “Biểu mẫu 2 Cải "
        "cách thể chế”, row “Số VBQPPL do cấp tỉnh ban hành”, column “Số liệu”)"
    ) in capsys.readouterr().out
    assert source_diff(root) == [
        '-  r02: {name: "Số VBQPPL do cấp tỉnh ban hành", c1: "Văn bản", c2: 174}',
        '-  r03: {name: "Số VBQPPL do cấp xã ban hành", c1: "Văn bản", c2: 75}',
        '+  r02: {name: "Số VBQPPL do cấp tỉnh ban hành", c1: "Văn bản", c2: 175}',
        '+  r03: {name: "Số VBQPPL do cấp xã ban hành", c1: "Văn bản", c2: 74}',
    ]
    (again,) = build_report(root).attachments
    assert lines(again) == lines(edited)


def test_a_written_out_cell_of_two_paragraphs_keeps_them_when_its_words_change(tmp_path, capsys):
    root = imported_forms(tmp_path)
    (appendix,) = build_report(root).attachments
    edited = tmp_path / "bieu-mau-1.docx"
    # Biểu mẫu 1's header cell: “Chỉ tiêu thống kê” bold over “(Sử dụng …)” in italics
    edit_header(appendix, edited, "Chỉ tiêu thống kê", (0, 1, "thống kê", "thống kê chính"))
    assert vanban(["absorb", str(edited), str(root)]) == 0
    assert "content/appendices.yaml:17:46: table cell: “…Chỉ tiêu thống kê{+ chính+} (Sử" in (
        capsys.readouterr().out
    )
    assert [line[:80].rstrip() for line in source_diff(root)] == [
        "-          | **STT**   | **Chỉ tiêu thống kê**",
        "+          | **STT**   | **Chỉ tiêu thống kê** chính",
    ]
    (again,) = build_report(root).attachments
    assert lines(again) == lines(edited)
    printed = read_docx(again).tables[0]
    assert printed.texts[0][1] == (
        "Chỉ tiêu thống kê chính\n(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)"
    )
    header = printed.rows[0][1]
    assert [(r.text, r.italic) for p in header for r in p.runs if r.text.strip()] == [
        ("Chỉ tiêu thống kê", False),
        (" chính", False),
        ("(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)", True),
    ]  # on two lines still, the note in italics


def test_a_computed_header_marked_bold_and_italic_is_refused_with_its_place(tmp_path, capsys):
    root = imported_forms(tmp_path)
    (appendix,) = build_report(root).attachments
    document = Document(str(appendix))
    # Biểu mẫu 2, computed: its label_header "**Chỉ tiêu thống kê**\n*(Sử dụng …)*"
    table = [t for t in document.tables if "Chỉ tiêu thống kê" in t.rows[0].cells[1].text][1]
    replace_text(table.rows[0]._tr.tc_lst[1].find(qn("w:p")), "thống kê", "chính", False, 700)
    edited = tmp_path / "bieu-mau-2.docx"
    document.save(str(edited))
    assert vanban(["absorb", str(edited), str(root)]) == 1
    note = "(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)"
    assert (
        "not absorbed: content/appendices.yaml:71:23: appendix table “Biểu mẫu 2 Cải cách thể "
        f"chế”: heading “Chỉ tiêu thống kê {note}” → “Chỉ tiêu chính {note}”: its words are "
        f"marked bold or italic in “**Chỉ tiêu thống kê**\\n*{note}*”: not absorbed; edit it "
        "there"
    ) in capsys.readouterr().out
    assert source_diff(root) == []


def test_a_cell_of_a_written_out_table_is_written_in_its_markdown_in_the_declaration(
    tmp_path, capsys
):
    root = imported_forms(tmp_path)
    (appendix,) = build_report(root).attachments
    edited = tmp_path / "bieu-mau-1.docx"
    edit_cells(  # Biểu mẫu 1, a grid table written out (merged cells)
        appendix,
        edited,
        ("Số nhiệm vụ đề ra trong kế hoạch", 3, "45", "46"),
        ("Số UBND cấp xã đã kiểm tra", 1, "đã kiểm tra", "đã kiểm tra trong năm"),
    )
    assert vanban(["absorb", str(edited), str(root)]) == 0
    out = capsys.readouterr().out
    # line 29: the header cell “Chỉ tiêu thống kê” / “(Sử dụng …)” keeps its two paragraphs
    assert "content/appendices.yaml:29:109: table cell: “…[-45-]{+46+}…”" in out
    changed = source_diff(root)
    assert [line[:70].rstrip() for line in changed] == [
        "-          | 2.1.      | Số nhiệm vụ đề ra trong kế hoạch",
        "+          | 2.1.      | Số nhiệm vụ đề ra trong kế hoạch",
        "-          | 3.2       | Số UBND cấp xã đã kiểm tra",
        "+          | 3.2       | Số UBND cấp xã đã kiểm tra trong năm",
    ]
    assert len({len(line) for line in changed}) == 1  # the grid's lines keep their width
    (again,) = build_report(root).attachments
    assert lines(again) == lines(edited)


def test_words_typed_before_a_footnote_mark_go_before_its_reference(tmp_path, capsys):
    root, docx = example("bao-cao-cchc-lam-dong-2025", tmp_path)
    edited = tmp_path / "truoc-dau.docx"
    context = "triển khai các nhiệm vụ CCHC trên địa bàn tỉnh"
    reviewed(docx, edited, (context, "trên địa bàn tỉnh", "trên địa bàn tỉnh năm 2025"))
    assert vanban(["absorb", str(edited), str(root)]) == 0
    capsys.readouterr()
    assert source_diff(root) == [
        "-Tỉnh ủy, Ủy ban nhân dân tỉnh đã ban hành nhiều văn bản chỉ đạo điều hành triển khai "
        "các nhiệm vụ CCHC trên địa bàn tỉnh[^fn02].",
        "+Tỉnh ủy, Ủy ban nhân dân tỉnh đã ban hành nhiều văn bản chỉ đạo điều hành triển khai "
        "các nhiệm vụ CCHC trên địa bàn tỉnh năm 2025[^fn02].",
    ]
    rebuilt = read_word(build(root, root / "build" / "rebuilt.docx"))
    paragraph = next(
        b.paragraph for b in rebuilt.blocks if b.paragraph and context in b.paragraph.text
    )
    assert paragraph.text.endswith("trên địa bàn tỉnh năm 2025.")
    assert [at for _, at in paragraph.notes] == [len(paragraph.text) - 1]  # before the full stop


MARKED = """
Tỉnh đã ban hành nhiều văn bản chỉ đạo[^giua] và kiểm tra các sở, ngành trong năm.

| **STT** | **Xã** | **Kết quả** |
|---|---|---|
| 1 | Xã B | Chưa đạt[^o] mục tiêu |

[^giua]: Văn bản chỉ đạo của Ủy ban nhân dân tỉnh.

[^o]: Theo kết quả kiểm tra cuối năm.
"""


def test_words_typed_before_a_mark_mid_sentence_and_in_a_cell_go_before_it(tmp_path, capsys):
    root = tmp_path / "dau"
    shutil.copytree(
        REPO / "examples" / "bao-cao-vlncn-lao-cai-2025",
        root,
        ignore=shutil.ignore_patterns("build"),
    )
    first = root / "content" / "01-tinh-hinh.md"
    first.write_text(first.read_text(encoding="utf-8") + MARKED, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "draft")
    docx = build(root)
    edited = tmp_path / "dau.docx"
    reviewed(docx, edited, ("văn bản chỉ đạo", "văn bản chỉ đạo", "văn bản chỉ đạo mới"))
    edit_cells(edited, edited, ("Xã B", 2, "Chưa đạt", "Chưa đạt được"))
    assert vanban(["absorb", str(edited), str(root)]) == 0
    assert "not absorbed" not in capsys.readouterr().out
    assert source_diff(root) == [
        "-Tỉnh đã ban hành nhiều văn bản chỉ đạo[^giua] và kiểm tra các sở, ngành trong năm.",
        "+Tỉnh đã ban hành nhiều văn bản chỉ đạo mới[^giua] và kiểm tra các sở, ngành trong năm.",
        "-| 1 | Xã B | Chưa đạt[^o] mục tiêu |",
        "+| 1 | Xã B | Chưa đạt được[^o] mục tiêu |",
    ]
    rebuilt = build(root, root / "build" / "rebuilt.docx")
    assert lines(rebuilt) == lines(edited)


# --------------------------------------------------------------------------- header cells


def edit_header(source: Path, target: Path, heading: str, *edits: tuple[int, int, str, str]):
    """Save a copy of source with cells of the header rows of the table whose first row
    holds heading edited: (row, cell as Word has it, a w:tc each, old, new)."""
    document = Document(str(source))
    table = next(t for t in document.tables if heading in t.rows[0].cells[1].text)
    for r, c, old, new in edits:
        cell = table.rows[r]._tr.tc_lst[c]
        replace_text(cell.find(qn("w:p")), old, new, False, 500 + r * 50 + c)
    document.save(str(target))


def test_a_header_of_a_data_table_is_written_where_the_declaration_gives_it(
    report, tmp_path, capsys
):
    edited = tmp_path / "tieu-de.docx"
    edit_header(
        built(report),
        edited,
        "Dự án, tiểu dự án",
        (0, 1, "Dự án, tiểu dự án", "Dự án, tiểu dự án thành phần"),  # label_header
        (0, 5, "Giai đoạn", "Cả giai đoạn"),  # a group's `group:`
        (1, 13, "Tổng", "Tổng số"),  # a column's label, in a flow mapping
        (0, 2, "Năm 2022", "Năm thứ nhất"),  # "Năm {year}", for each year
        (1, 2, "Trung ương, tỉnh", "Trung ương"),  # one label under each year's group
        (2, 0, "A", "STT"),  # the column numbers, counted
    )
    assert vanban(["absorb", str(edited), str(report)]) == 1
    out = capsys.readouterr().out
    assert (
        "content/appendices.yaml:22:19: appendix table of Phụ lục 01: heading “Dự án, tiểu dự "
        "án” → “Dự án, tiểu dự án thành phần”"
    ) in out
    for refused in (
        "not absorbed: content/appendices.yaml:28:16: appendix table of Phụ lục 01: heading "
        "“Năm 2022” → “Năm thứ nhất”: printed from “Năm {year}” (filled in for its values): not "
        "absorbed; edit it there",
        "not absorbed: content/appendices.yaml:30:39: appendix table of Phụ lục 01: heading "
        "“Trung ương, tỉnh” → “Trung ương”: “Trung ương, tỉnh” prints over each value of its "
        "`for`: not absorbed; edit it there",
        "not absorbed: appendix table of Phụ lục 01: heading “A” → “STT”: the row of column "
        "numbers is counted unless `column_numbers:` lists it: not absorbed; edit it in "
        "content/appendices.yaml",
    ):
        assert refused in out
    assert git(report, "diff", "-U0", "--", "content/appendices.yaml").count("\n+ ") == 3
    declaration = (report / "content" / "appendices.yaml").read_text(encoding="utf-8")
    assert "    label_header: Dự án, tiểu dự án thành phần\n" in declaration
    assert "      - group: Cả giai đoạn 2022-2024\n" in declaration
    assert '          - {key: tong, label: "Tổng số", sum: [tw, dp]}\n' in declaration
    rebuilt = Document(str(build(report, report / "build" / "rebuilt.docx")))
    table = next(t for t in rebuilt.tables if "Dự án, tiểu dự án" in t.rows[0].cells[1].text)
    header = [[c.xpath("string(.)") for c in row._tr.tc_lst] for row in table.rows[:2]]
    assert header[0][1] == "Dự án, tiểu dự án thành phần"
    assert header[0][5] == "Cả giai đoạn 2022-2024"
    assert header[1][11:] == ["Trung ương, tỉnh", "Đối ứng địa phương", "Tổng số"]


def test_a_header_in_a_flow_mapping_keeps_its_item_and_is_quoted_when_it_must(tmp_path, capsys):
    root, docx = example("bao-cao-cchc-lam-dong-2025", tmp_path)
    edited = tmp_path / "tieu-de.docx"
    edit_header(
        docx,
        edited,
        "Chỉ tiêu thống kê",
        (1, 2, "Đơn vị tính", "Đơn vị đo"),
        (0, 3, "Ghi chú", "Ghi chú, nguồn"),
    )
    assert vanban(["absorb", str(edited), str(root)]) == 0
    assert "not absorbed" not in capsys.readouterr().out
    assert source_diff(root)[1::2] == [
        "+              - {key: dvt, label: Đơn vị đo, text: unit}",
        '+          - {key: ghi_chu, label: "Ghi chú, nguồn", text: note}',
    ]
    rebuilt = build(root, root / "build" / "rebuilt.docx")
    assert lines(rebuilt) == lines(edited)


# --------------------------------------------------------------------------- grid cells over lines

WRAPPED = """
+-----+--------------------+--------+
| STT | Nội dung           | Số lượt|
+=====+====================+========+
| 1   | Kiểm tra định kỳ   | 12     |
|     | theo kế hoạch      |        |
+-----+--------------------+--------+
| 2   | Kiểm tra đột xuất  | 3      |
+-----+--------------------+--------+
"""


def grid_lines(root: Path) -> list[str]:
    """The grid table at the end of the first content file, its lines."""
    return (root / "content" / "01-tinh-hinh.md").read_text(encoding="utf-8").split("\n")[-9:-1]


def test_a_grid_cell_over_several_lines_is_wrapped_again_within_its_column(tmp_path, capsys):
    root, docx = with_text_table(tmp_path, WRAPPED)
    edited = tmp_path / "dong.docx"
    edit_cells(docx, edited, ("Kiểm tra định kỳ theo kế hoạch", 1, "định kỳ", "định kỳ hằng"))
    out = absorbed_all(edited, root, capsys)
    line = lines_of_first_file() + 6  # the row's second line, where the words go
    assert (
        f"content/01-tinh-hinh.md:{line}:9: table cell: “…Kiểm tra định kỳ {{+hằng +}}theo kế "
        "hoạch…”"
    ) in out
    assert grid_lines(root)[3:5] == [
        "| 1   | Kiểm tra định kỳ   | 12     |",
        "|     | hằng theo kế hoạch |        |",
    ]
    assert "1 | Kiểm tra định kỳ hằng theo kế hoạch | 12" in rebuilt_as(root, edited)


def test_a_grid_cell_over_several_lines_widens_its_column_when_its_lines_are_too_few(
    tmp_path, capsys
):
    root, docx = with_text_table(tmp_path, WRAPPED)
    edited = cells_absorbed(
        root,
        docx,
        capsys,
        ("Kiểm tra định kỳ theo kế hoạch", 1, "kế hoạch", "kế hoạch năm của Ủy ban nhân dân"),
        ("Kiểm tra đột xuất", 1, "đột xuất", "đột xuất theo chỉ đạo"),
    )
    # the column as wide as the row below needs, the cell's two lines filled within it
    assert grid_lines(root) == [
        "+-----+--------------------------------+--------+",
        "| STT | Nội dung                       | Số lượt|",
        "+=====+================================+========+",
        "| 1   | Kiểm tra định kỳ theo kế       | 12     |",
        "|     | hoạch năm của Ủy ban nhân dân  |        |",
        "+-----+--------------------------------+--------+",
        "| 2   | Kiểm tra đột xuất theo chỉ đạo | 3      |",
        "+-----+--------------------------------+--------+",
    ]
    rebuilt_as(root, edited)


def test_a_wrapped_line_of_a_grid_cell_never_begins_with_a_list_s_mark(tmp_path, capsys):
    root, docx = with_text_table(tmp_path, WRAPPED)
    edited = tmp_path / "dau.docx"
    edit_cells(docx, edited, ("Kiểm tra định kỳ theo kế hoạch", 1, "định kỳ", "hằng năm -"))
    absorbed_all(edited, root, capsys)
    # "- theo kế hoạch" on a line of its own would be a list in the cell: the mark stays
    # with the word before it, the column one wider for it
    assert grid_lines(root)[2:6] == [
        "+=====+=====================+========+",
        "| 1   | Kiểm tra hằng năm - | 12     |",
        "|     | theo kế hoạch       |        |",
        "+-----+---------------------+--------+",
    ]
    rebuilt_as(root, edited)


# --------------------------------------------------------------------------- deletions


def quy_che(tmp_path: Path) -> tuple[Path, Path]:
    """The Quyết định with its attached Quy chế, committed and built; its .docx."""
    root = copy_case("quyet-dinh-quy-che", tmp_path)
    commit_all(root)
    return root, build(root)


def styled(docx: Path) -> list[tuple[str, str]]:
    """Each paragraph of a document with text: its style's name, its text."""
    return [(p.style.name, p.text) for p in Document(str(docx)).paragraphs if p.text.strip()]


def delete_and_edit(source: Path, target: Path, deleted: str, heading: str, added: str) -> None:
    """Save a copy of source with the first paragraph holding deleted taken out and the words
    added typed at the end of the paragraph reading heading."""
    document = Document(str(source))
    gone = next(p for p in document.paragraphs if deleted in p.text)
    gone._p.getparent().remove(gone._p)
    kept = next(p for p in document.paragraphs if p.text == heading)
    kept.runs[-1].text += added
    document.save(str(target))


def test_a_paragraph_deleted_before_an_edited_heading_of_a_quy_che_goes_alone(tmp_path, capsys):
    root, docx = quy_che(tmp_path)
    edited = tmp_path / "xoa.docx"
    delete_and_edit(docx, edited, "Tổ giúp việc tham mưu", "Điều 4. Quyền hạn", " và trách nhiệm")
    out = absorbed_all(edited, root, capsys)
    assert "content/kem-theo/quy-che.md:20:1: paragraph deleted: “Tổ giúp việc tham mưu" in out
    assert source_diff(root) == [
        "-Tổ giúp việc tham mưu cho Ban Chỉ đạo về công tác cải cách hành chính.",
        "-",
        "-## Quyền hạn",
        "+## Quyền hạn và trách nhiệm",
    ]
    rebuilt_as(root, edited)
    assert ("Attached Article", "Điều 4. Quyền hạn và trách nhiệm") in styled(
        root / "build" / "rebuilt.docx"
    )


def test_a_list_item_deleted_before_an_edited_heading_of_the_text_goes_alone(
    report, tmp_path, capsys
):
    edited = tmp_path / "xoa.docx"
    heading = "3. Nguyên nhân của các tồn tại, hạn chế"
    delete_and_edit(built(report), edited, "Hiện nay, Bộ Lao động", heading, " chủ yếu")
    out = absorbed_all(edited, report, capsys)
    assert "content/05-danh-gia.md:15:1: paragraph deleted: “- Hiện nay, Bộ Lao động" in out
    assert "content/05-danh-gia.md:17:40: text: “… của các tồn tại, hạn chế{+ chủ yếu+}…”" in out
    changed = source_diff(report)
    assert changed[0].startswith("-- Hiện nay, Bộ Lao động")
    assert changed[1:] == [
        "-",
        "-## Nguyên nhân của các tồn tại, hạn chế",
        "+## Nguyên nhân của các tồn tại, hạn chế chủ yếu",
    ]
    rebuilt_as(report, edited)


def test_words_the_sources_would_print_as_another_kind_of_block_are_refused(tmp_path, capsys):
    root, docx = quy_che(tmp_path)
    edited = tmp_path / "kieu.docx"
    document = Document(str(docx))
    heading = next(p for p in document.paragraphs if p.text == "Điều 4. Quyền hạn")
    heading.style = document.styles["Body Text"]  # the reviewer made it text
    heading.runs[-1].text += " và trách nhiệm"
    document.save(str(edited))
    assert vanban(["absorb", str(edited), str(root)]) == 1
    assert (
        "not absorbed: content/kem-theo/quy-che.md:22:13: with this edit the source would "
        "print “Điều 4. Quyền hạn và trách nhiệm” as a heading of level 2, not as a paragraph "
        "of text as the reviewer has it: not written; edit the source"
    ) in capsys.readouterr().out
    assert source_diff(root) == []


def test_two_cells_of_a_written_out_row_growing_share_the_lines_added_to_it(tmp_path, capsys):
    root, built_qd = example("quyet-dinh-kiem-tra-vlncn-lao-cai-2026", tmp_path)
    edited = tmp_path / "hai-o.docx"
    document = Document(str(built_qd))
    row = document.tables[-1].rows[5]
    replace_text(
        row.cells[1].paragraphs[0]._p, "TNHH", "trách nhiệm hữu hạn một thành viên", False, 1
    )
    replace_text(row.cells[2].paragraphs[0]._p, "Quang", "Quang, nay là tỉnh Tuyên Quang", False, 3)
    document.save(str(edited))
    absorbed_all(edited, root, capsys)
    text = (root / "content" / "appendices.yaml").read_text(encoding="utf-8").split("\n")
    # each cell's text on the row's lines from its first, the blanks after it: pandoc reads
    # a blank line inside a cell as a new paragraph, printed as a break nobody typed
    assert [line[6:56] for line in text[32:37]] == [
        "| 3  | Công ty trách  | Tổ dân phố Chè 8, phường |",
        "|    | nhiệm hữu hạn  | An Tường, tỉnh Tuyên     |",
        "|    | một thành viên | Quang, nay là tỉnh Tuyên |",
        "|    | Hiệp Phú       | Quang                    |",
        "+----+----------------+--------------------------+",
    ]
    rebuilt = root / "build" / "rebuilt.docx"
    rebuilt_as(root, edited)
    cell = Document(str(rebuilt)).tables[-1].rows[5].cells[2]._tc
    assert cell.findall(f".//{qn('w:br')}") == [] and len(cell.findall(qn("w:p"))) == 1
    assert widths(rebuilt) == widths(built_qd)


MARKS = [("- ", "\\- "), ("+ ", "\\+ "), ("1. ", "1\\. "), ("a) ", "a\\) "), ("# ", "\\# ")]
MARKS += [("> ", "\\> "), ("(2) ", "(2\\) "), ("* ", "\\* ")]


def numbered(docx: Path) -> list:
    """The paragraphs of a document's tables Word numbers or bullets (a list's items)."""
    return [p for t in Document(str(docx)).tables for p in t._tbl.iter(qn("w:numPr"))]


@pytest.mark.parametrize("mark,written", MARKS, ids=[m for m, _ in MARKS])
def test_a_mark_typed_at_a_grid_cell_s_start_is_escaped_and_prints_as_typed(
    tmp_path, capsys, mark, written
):
    root, docx = with_text_table(tmp_path, WRAPPED)
    edited = tmp_path / "dau.docx"
    edit_cells(
        docx,
        edited,
        ("Kiểm tra đột xuất", 1, "Kiểm", mark + "Kiểm"),
        ("Kiểm tra định kỳ theo kế hoạch", 1, "Kiểm", mark + "Kiểm"),
    )
    absorbed_all(edited, root, capsys)
    table = "\n".join(grid_lines(root))
    assert f"| {written}Kiểm tra" in table and f"| {mark}Kiểm" not in table
    rebuilt = rebuilt_as(root, edited)
    assert f"2 | {mark}Kiểm tra đột xuất | 3" in rebuilt
    assert f"1 | {mark}Kiểm tra định kỳ theo kế hoạch | 12" in rebuilt
    assert numbered(root / "build" / "rebuilt.docx") == []


@pytest.mark.parametrize("mark,written", MARKS, ids=[m for m, _ in MARKS])
def test_a_mark_typed_at_a_written_out_cell_s_start_is_escaped_and_prints_as_typed(
    tmp_path, capsys, mark, written
):
    root, built_qd = example("quyet-dinh-kiem-tra-vlncn-lao-cai-2026", tmp_path)
    edited = tmp_path / "dau.docx"
    edit_last_table(built_qd, edited, 5, 1, "Công ty", mark + "Công ty")
    absorbed_all(edited, root, capsys)
    text = (root / "content" / "appendices.yaml").read_text(encoding="utf-8").split("\n")
    assert text[32].startswith(f"      | 3  | {written}Công")
    rebuilt_as(root, edited)
    assert numbered(root / "build" / "rebuilt.docx") == []


@pytest.mark.parametrize(
    "old,new",
    [("Chỉ tiêu thống kê", "Các chỉ tiêu thống kê"), ("hàng quý", "hằng quý")],
    ids=["first line", "second line"],
)
def test_a_header_printed_over_two_lines_keeps_its_line_break(tmp_path, capsys, old, new):
    root, docx = example("bao-cao-cchc-lam-dong-2025", tmp_path)
    edited = tmp_path / "hai-dong.docx"
    document = Document(str(docx))
    table = next(t for t in document.tables if "Chỉ tiêu thống kê" in t.rows[0].cells[1].text)
    cell = table.rows[0]._tr.tc_lst[1]
    assert len(cell.findall(f".//{qn('w:br')}")) == 1  # "Chỉ tiêu thống kê", a break, "(Sử…"
    text = next(t for t in cell.iter(qn("w:t")) if old in t.text)
    text.text = text.text.replace(old, new)  # typed in its line, the break kept
    document.save(str(edited))
    absorbed_all(edited, root, capsys)
    wanted = "Chỉ tiêu thống kê\\n(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)".replace(
        old, new
    )
    assert source_diff(root) == [
        '-        label_header: "Chỉ tiêu thống kê\\n(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, '
        'năm)"',
        f'+        label_header: "{wanted}"',
    ]
    rebuilt = Document(str(build(root, root / "build" / "rebuilt.docx")))
    header = next(t for t in rebuilt.tables if new in t.rows[0].cells[1].text).rows[0]._tr
    printed = header.tc_lst[1]
    assert len(printed.findall(f".//{qn('w:br')}")) == 1
    assert [t.text for t in printed.iter(qn("w:t"))] == wanted.split("\\n")


def nfd(text: str) -> str:
    """Text as some keyboards type it: its letters decomposed (Unicode NFD)."""
    import unicodedata

    return unicodedata.normalize("NFD", text)


def is_nfc(path: Path) -> bool:
    import unicodedata

    text = path.read_text(encoding="utf-8")
    return unicodedata.normalize("NFC", text) == text


def test_words_retyped_decomposed_are_no_change(report, tmp_path, capsys):
    edited = tmp_path / "nfd.docx"
    context = "Bộ Lao động – TB&XH chưa có hướng dẫn"
    reviewed(built(report), edited, (context, "chưa có hướng dẫn", nfd("chưa có hướng dẫn")))
    assert vanban(["absorb", "--dry-run", str(edited), str(report)]) == 0
    assert "nothing to absorb: the document reads as it was built" in capsys.readouterr().out


def test_words_typed_decomposed_are_written_composed(report, tmp_path, capsys):
    edited = tmp_path / "nfd.docx"
    context = "Bộ Lao động – TB&XH chưa có hướng dẫn"
    reviewed(
        built(report),
        edited,
        (context, "chưa có hướng dẫn", nfd("chưa có văn bản hướng dẫn")),
        ("Giai đoạn 2022-2024", "Giai đoạn", nfd("Cả giai đoạn")),  # a group's header
    )
    out = absorbed_all(edited, report, capsys)
    assert (
        "content/05-danh-gia.md:15:40: text: “… Lao động – TB&XH chưa có{+ văn bản+} hướng" in out
    )
    assert "      - group: Cả giai đoạn 2022-2024\n" in (
        report / "content" / "appendices.yaml"
    ).read_text(encoding="utf-8")
    assert is_nfc(report / "content" / "05-danh-gia.md")
    assert is_nfc(report / "content" / "appendices.yaml")
    rebuilt = lines(build(report, report / "build" / "rebuilt.docx"))
    assert any("TB&XH chưa có văn bản hướng dẫn" in line for line in rebuilt)


@pytest.mark.parametrize("typed", ["Hiệp Phú", "Hiệp Phú Thịnh Vượng"], ids=["same", "longer"])
def test_a_written_out_cell_typed_decomposed_keeps_its_column_straight(tmp_path, capsys, typed):
    root, built_qd = example("quyet-dinh-kiem-tra-vlncn-lao-cai-2026", tmp_path)
    edited = tmp_path / "nfd.docx"
    edit_last_table(built_qd, edited, 5, 1, "Hiệp Phú", nfd(typed))
    if typed == "Hiệp Phú":
        assert vanban(["absorb", "--dry-run", str(edited), str(root)]) == 0
        assert "nothing to absorb" in capsys.readouterr().out
        return
    absorbed_all(edited, root, capsys)
    declaration = root / "content" / "appendices.yaml"
    assert is_nfc(declaration)
    text = declaration.read_text(encoding="utf-8").split("\n")
    assert [line[6:30] for line in text[32:35]] == [
        "| 3  | Công ty TNHH   | ",
        "|    | Hiệp Phú Thịnh | ",
        "|    | Vượng          | ",
    ]
    assert len({len(line) for line in text[31:36]}) == 1  # every line as long: bars straight
    rebuilt_as(root, edited)


def printed_width(line: str) -> int:
    """The columns a line takes as pandoc reads a grid table: a combining mark none, a wide
    character two."""
    import unicodedata

    wide = ("W", "F")
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in wide else 1
        for c in line
    )


def test_a_grid_cell_s_width_is_counted_in_printed_characters(tmp_path, capsys):
    root, docx = with_text_table(tmp_path, WRAPPED)
    edited = tmp_path / "rong.docx"
    # x̄ (x and a combining macron, one printed character: no composed form), 年 (two)
    edit_cells(docx, edited, ("Kiểm tra đột xuất", 1, "đột xuất", "đột xuất x\u0304 q\u0304"))
    edit_cells(edited, edited, ("Kiểm tra định kỳ theo kế hoạch", 1, "định kỳ", "định kỳ 年"))
    absorbed_all(edited, root, capsys)
    table = grid_lines(root)
    assert table[6] == "| 2   | Kiểm tra đột xuất x\u0304 q\u0304 | 3      |"
    assert {printed_width(line) for line in table} == {printed_width(table[0])}
    rebuilt_as(root, edited)


def test_a_word_wider_than_its_column_in_a_row_of_several_lines_widens_it(tmp_path, capsys):
    root, docx = with_text_table(tmp_path, WRAPPED)
    edited = tmp_path / "rong.docx"
    edit_cells(
        docx,
        edited,
        ("Kiểm tra định kỳ theo kế hoạch", 0, "1", "1.1.1"),
        ("Kiểm tra định kỳ theo kế hoạch", 1, "kế hoạch", "kế-hoạch-năm-2025-của-tỉnh"),
    )
    absorbed_all(edited, root, capsys)
    assert grid_lines(root) == [
        "+-------+----------------------------+--------+",
        "| STT   | Nội dung                   | Số lượt|",
        "+=======+============================+========+",
        "| 1.1.1 | Kiểm tra định kỳ theo      | 12     |",
        "|       | kế-hoạch-năm-2025-của-tỉnh |        |",
        "+-------+----------------------------+--------+",
        "| 2     | Kiểm tra đột xuất          | 3      |",
        "+-------+----------------------------+--------+",
    ]
    rebuilt_as(root, edited)


def test_a_header_of_a_table_the_text_places_is_named_with_its_place_once(tmp_path, capsys):
    root, docx = example("bao-cao-vlncn-lao-cai-2025", tmp_path)
    edited = tmp_path / "tt.docx"
    document = Document(str(docx))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "TT")
    replace_text(table.rows[0]._tr.tc_lst[0].find(qn("w:p")), "TT", "STT", False, 700)
    document.save(str(edited))
    out = absorbed_all(edited, root, capsys)
    assert (
        "content/appendices.yaml:8:17: table “to-chuc” (placed at content/01-tinh-hinh.md:5:1): "
        "heading “TT” → “STT”"
    ) in out
    assert "    stt_header: STT\n" in (root / "content" / "appendices.yaml").read_text("utf-8")


def test_a_figure_emptied_is_refused_with_how_to_leave_a_figure_out(report, tmp_path, capsys):
    edited = tmp_path / "trong.docx"
    document = Document(str(built(report)))
    cell = next(
        p
        for t in document.tables
        for r in t.rows
        for c in r.cells
        for p in c.paragraphs
        if p.text == TYPED_CELL[0]
    )
    for run in cell.runs:
        run.text = ""
    document.save(str(edited))
    assert vanban(["absorb", str(edited), str(report)]) == 1
    out = capsys.readouterr().out
    assert (
        "an_sinh.health_insurance.other.groups.council_delegates.cost_dong: “” is no figure: not "
        "absorbed; a figure not known is written `!missing` in its data (data/an-sinh.yaml:42:20)"
    ) in out
    assert source_diff(report) == []


# --------------------------------------------------------------------------- the signature


def scaffolded_report(kind: str, tmp_path: Path) -> tuple[Path, Path]:
    """A `vanban new` project of this kind in a git repository of its own, built; its .docx."""
    from vanban.scaffold import scaffold

    root = tmp_path / kind
    scaffold(kind, root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "draft")
    return root, build(root)


def signature_lines(docx: Path) -> list[list[str]]:
    """The lines of each cell of the closing's last table (the signatures), as printed."""
    table = Document(str(docx)).tables[-1]
    return [[p.text for p in c.paragraphs if p.text] for c in table.rows[0].cells]


def test_a_word_typed_before_the_signers_position_goes_to_the_position(tmp_path, capsys):
    root, document = scaffolded_report("giay-moi", tmp_path)
    edited = tmp_path / "pho.docx"
    reviewed(document, edited, ("CHÁNH VĂN PHÒNG", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"))
    out = absorbed_all(edited, root, capsys)
    assert (
        "data/document.yaml:26:13: signer.position: “CHÁNH VĂN PHÒNG” → “PHÓ CHÁNH VĂN PHÒNG”"
    ) in out
    assert "signer.authority" not in out
    assert source_diff(root) == [
        "-  position: CHÁNH VĂN PHÒNG  # Q. CHỦ TỊCH khi được giao quyền",
        "+  position: PHÓ CHÁNH VĂN PHÒNG  # Q. CHỦ TỊCH khi được giao quyền",
    ]
    rebuilt = build(root, root / "build" / "rebuilt.docx")
    assert signature_lines(rebuilt)[-1] == ["TL. CHỦ TỊCH", "PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Văn A"]


@pytest.mark.parametrize(
    ("kind", "edits", "absorbed", "signature"),
    [
        (
            "giay-moi",
            [
                ("TL. CHỦ TỊCH", "TL.", "KT."),
                ("CHÁNH VĂN PHÒNG", "CHÁNH VĂN PHÒNG", "PHÓ CHỦ TỊCH"),
            ],
            [
                "data/document.yaml:25:7: signer.authority.0: “TL. CHỦ TỊCH” → “KT. CHỦ TỊCH”",
                "data/document.yaml:26:13: signer.position: “CHÁNH VĂN PHÒNG” → “PHÓ CHỦ TỊCH”",
            ],
            [["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A"]],
        ),
        (
            "bao-cao",
            [
                ("CHỦ TỊCH", "CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
                ("Nguyễn Văn A", "Nguyễn Văn A", "Trần Văn B"),
            ],
            [
                "data/document.yaml:26:13: signer.position: “CHỦ TỊCH” → “PHÓ CHỦ TỊCH”",
                "data/document.yaml:27:9: signer.name: “Nguyễn Văn A” → “Trần Văn B”",
            ],
            [["TM. ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "Trần Văn B"]],
        ),
        (
            "bien-ban",
            [
                ("THƯ KÝ", "THƯ KÝ", "THƯ KÝ CUỘC HỌP"),
                ("Trần Thị B", "Trần Thị B", "Trần Thị Bình"),
            ],
            [
                "data/document.yaml:27:13: secretary.position: “THƯ KÝ” → “THƯ KÝ CUỘC HỌP”",
                "data/document.yaml:28:9: secretary.name: “Trần Thị B” → “Trần Thị Bình”",
            ],
            [["THƯ KÝ CUỘC HỌP", "Trần Thị Bình"], ["CHỦ TỌA", "Nguyễn Văn A"]],
        ),
    ],
)
def test_two_lines_of_one_signature_changed_are_two_fields_absorbed(
    kind, edits, absorbed, signature, tmp_path, capsys
):
    root, document = scaffolded_report(kind, tmp_path)
    edited = tmp_path / "ky.docx"
    word = Document(str(document))
    cells = word.tables[-1].rows[0].cells
    for ident, (line, old, new) in enumerate(edits):
        paragraph = next(p for c in cells for p in c.paragraphs if p.text == line)
        replace_text(paragraph._p, old, new, False, 300 + 2 * ident)
    word.save(str(edited))
    out = absorbed_all(edited, root, capsys)
    assert [line for line in out.splitlines() if line.startswith("data/")] == absorbed
    rebuilt = build(root, root / "build" / "rebuilt.docx")
    assert signature_lines(rebuilt)[-len(signature) :] == signature


def test_a_minutes_two_signatures_changed_are_listed_in_the_order_of_the_metadata_s_lines(
    tmp_path, capsys
):
    root, document = scaffolded_report("bien-ban", tmp_path)
    edited = tmp_path / "ky.docx"
    word = Document(str(document))
    cells = word.tables[-1].rows[0].cells  # the secretary's signature left of the chair's
    edits = [("Trần Thị B", "Trần Thị Bình"), ("THƯ KÝ", "THƯ KÝ CUỘC HỌP")]
    edits += [("Nguyễn Văn A", "Nguyễn Văn An")]
    for ident, (old, new) in enumerate(edits):
        paragraph = next(p for c in cells for p in c.paragraphs if p.text == old)
        replace_text(paragraph._p, old, new, False, 300 + 2 * ident)
    word.save(str(edited))
    out = absorbed_all(edited, root, capsys)
    assert [line for line in out.splitlines() if line.startswith("data/")] == [
        "data/document.yaml:25:9: signer.name: “Nguyễn Văn A” → “Nguyễn Văn An”",
        "data/document.yaml:27:13: secretary.position: “THƯ KÝ” → “THƯ KÝ CUỘC HỌP”",
        "data/document.yaml:28:9: secretary.name: “Trần Thị B” → “Trần Thị Bình”",
    ]


def test_edits_are_listed_file_by_file_each_in_the_order_of_its_lines(report, tmp_path, capsys):
    edited = tmp_path / "thu-tu.docx"
    reviewed(
        built(report),
        edited,
        ("đã phân bổ 100% dự toán", "100%", "99%"),  # von.distributed_pct, line 8
        ("toàn huyện 29.460", "29.460", "29.500"),  # von.allocated, line 7, printed after it
        ("vật nuôi đến", "vật nuôi đến", "vật nuôi cho"),  # content/03-du-an.md
    )
    reviewed(edited, edited, FOOTNOTE_WORD, note=True)  # a note of content/01-quan-ly.md
    assert vanban(["absorb", "--dry-run", str(edited), str(report)]) == 0
    out = capsys.readouterr().out
    listed = [line.split(": ")[0] for line in out.splitlines() if line.startswith(("data/", "con"))]
    assert listed == [
        "data/von.yaml:7:12",
        "data/von.yaml:8:18",
        "content/01-quan-ly.md:23:83",
        "content/03-du-an.md:17:780",
    ]


# A grid table whose lines hold wide characters (年度, two columns each) and a combining
# mark (x̄: x and a macron, one column): its bars are straight as pandoc counts columns,
# not as the characters of its lines fall.
WIDE = WRAPPED.replace("| Kiểm tra định kỳ   |", "| Kiểm tra 年度 x\u0304    |")


def bar_columns(line: str) -> list[int]:
    """The columns a line of a grid table prints its bars and corners at."""
    return [printed_width(line[:k]) for k, ch in enumerate(line) if ch in "|+"]


def test_a_grid_table_holding_wide_characters_is_located_and_written_straight(tmp_path, capsys):
    assert len({printed_width(line) for line in WIDE.strip().split("\n")}) == 1
    root, docx = with_text_table(tmp_path, WIDE)
    edited = cells_absorbed(
        root,
        docx,
        capsys,
        ("Kiểm tra 年度 x\u0304 theo kế hoạch", 2, "12", "15"),  # right of the wide characters
        ("Kiểm tra 年度 x\u0304 theo kế hoạch", 1, "kế hoạch", "kế hoạch 年"),
        ("Kiểm tra đột xuất", 1, "đột xuất", "đột xuất theo chỉ đạo"),  # widens the column
    )
    table = grid_lines(root)
    assert table == [
        "+-----+--------------------------------+--------+",
        "| STT | Nội dung                       | Số lượt|",
        "+=====+================================+========+",
        "| 1   | Kiểm tra 年度 x\u0304                | 15     |",
        "|     | theo kế hoạch 年               |        |",
        "+-----+--------------------------------+--------+",
        "| 2   | Kiểm tra đột xuất theo chỉ đạo | 3      |",
        "+-----+--------------------------------+--------+",
    ]
    assert len({tuple(bar_columns(line)) for line in table if line[0] == "+"}) == 1
    assert {printed_width(line) for line in table} == {printed_width(table[0])}
    rebuilt_as(root, edited)


MERGED_WIDE = """
+-----+--------------------+------+
| STT | Nội dung           | Số   |
+=====+====================+======+
| 1   | Kiểm tra 年度 x\u0304    | 12   |
+-----+--------------------+------+
| 2   | Ghi chú: 年度 cả hai đợt  |
+-----+---------------------------+
"""


def test_a_grid_table_with_wide_characters_goes_through_import_and_absorb_straight(
    tmp_path, capsys
):
    from vanban.importer import import_document

    _, docx = with_text_table(tmp_path, MERGED_WIDE)  # a merged cell: imported as a grid
    root = tmp_path / "imported"
    import_document(docx, root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "imported")
    source = next(p for p in (root / "content").glob("*.md") if "年度" in p.read_text("utf-8"))

    def table() -> list[str]:
        """The lines of the table holding the wide characters."""
        blocks = source.read_text(encoding="utf-8").split("\n\n")
        return next(b for b in blocks if "年度" in b and b.startswith("+-")).strip().split("\n")

    imported = table()
    assert imported[3].startswith("| 1 ") and "Kiểm tra 年度 x\u0304 " in imported[3]
    assert {printed_width(line) for line in imported} == {printed_width(imported[0])}
    edited = cells_absorbed(
        root,
        build(root),
        capsys,
        ("Kiểm tra 年度 x\u0304", 2, "12", "15"),
        ("Kiểm tra 年度 x\u0304", 1, "Kiểm tra", "Kiểm tra hằng quý 年度 x\u0304 tỉnh,"),
    )
    written = table()
    assert "Kiểm tra hằng quý 年度 x\u0304 tỉnh, 年度 x\u0304 " in written[3]
    assert "| 15 " in written[3]
    assert {printed_width(line) for line in written} == {printed_width(written[0])}
    assert len({tuple(bar_columns(line)) for line in written if line[:2] == "+-"}) == 1
    rebuilt_as(root, edited)
