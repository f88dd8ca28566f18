"""Every document the tool writes opens in current Word as a native file: it validates with
openxml-audit (a port of Microsoft's Open XML SDK validator) for Office 2019 and Microsoft 365,
declares Word 2013+'s compatibility mode, and carries no leftovers of pandoc's sample document."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree
from openxml_audit import FileFormat, OpenXmlValidator

from conftest import REPO, copy_case
from vanban.cli import main as vanban
from vanban.kinds import KINDS
from vanban.ooxml import R_NS, parse_xml, qn, read_parts
from vanban.pipeline import build, build_report

FORMATS = (FileFormat.OFFICE_2019, FileFormat.MICROSOFT_365)
TEMPLATES = REPO / "templates"


def audit(path: Path) -> list[str]:
    """Return openxml-audit's errors for the file, for each format it is checked against."""
    errors = []
    for file_format in FORMATS:
        result = OpenXmlValidator(file_format=file_format).validate(str(path))
        errors += [f"{file_format.value}: {error}" for error in result.errors]
    return errors


def copy_report(source: Path, dest: Path) -> Path:
    shutil.copytree(
        source, dest, ignore=shutil.ignore_patterns("build", ".git", "src", "tests", ".venv")
    )
    return dest


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build every kind of document the tool writes, once for the module."""
    root = tmp_path_factory.mktemp("written")
    files = {name: TEMPLATES / name for name in ("reference.docx", "masthead.docx", "closing.docx")}
    files["report"] = build(copy_report(REPO, root / "report"))
    files["plan"] = build(copy_report(REPO / "examples" / "ke-hoach-2026-2030", root / "plan"))
    for key in KINDS:
        project = root / f"new-{key}"
        assert vanban(["new", key, str(project)]) == 0
        files[f"new {key}"] = build(project)
    # A Quy chế in chapters: the heading styles restyled for the scheme, the title style added.
    chapters = root / "new-quyet-dinh"
    document = chapters / "data" / "document.yaml"
    text = document.read_text(encoding="utf-8").replace(
        "headings: legal", "headings: [chapter, article]"
    )
    document.write_text(text, encoding="utf-8")
    articles = chapters / "content" / "01-dieu.md"
    text = articles.read_text(encoding="utf-8").replace("# {.run-in}", "## {.run-in}")
    articles.write_text("# Những quy định chung\n\n" + text, encoding="utf-8")
    (chapters / "content" / "02-chuong.md").write_text(
        "# Tổ chức thực hiện\n\n## Trách nhiệm thi hành\n\nCác cơ quan thi hành./.\n",
        encoding="utf-8",
    )
    files["chapters"] = build(chapters)
    # A redline of the report against a draft with one figure changed.
    draft = copy_report(root / "report", root / "draft")
    von = draft / "data" / "von.yaml"
    von.write_text(von.read_text(encoding="utf-8").replace("11042", "11043", 1), encoding="utf-8")
    redline = root / "review.docx"
    assert vanban(["diff", str(root / "report"), str(draft), "--docx", str(redline)]) == 0
    assert redline.exists()
    files["redline"] = redline
    # A published document nobody here wrote, imported and built again.
    imported = root / "imported"
    source = REPO / "tests" / "import" / "bc-ubnd-lamdong-cchc-2025.docx"
    assert vanban(["import", str(source), str(imported)]) == 0
    files["imported"] = build(imported)
    # Issued electronically, ô 12 and ô 13 given: the appendices after the text, then each
    # in a file of its own.
    issued = copy_case("appendix-basic", root / "electronic")
    document = issued / "data" / "document.yaml"
    extra = (
        "issuance: electronic\ndrafter: NVA\ncopies: 12\n"
        "contact: {address: Thị trấn Thử Nghiệm, phone: 0260 3861 234}\n"
    )
    document.write_text(document.read_text(encoding="utf-8") + extra, encoding="utf-8")
    files["electronic"] = build(issued, root / "electronic.docx")
    document.write_text(
        document.read_text(encoding="utf-8") + "appendix_files: separate\n", encoding="utf-8"
    )
    built = build_report(issued)
    files["electronic, appendix file"] = built.attachments[-1]
    return files


NAMES = [
    "reference.docx",
    "masthead.docx",
    "closing.docx",
    "report",
    "plan",
    *(f"new {key}" for key in KINDS),
    "chapters",
    "redline",
    "imported",
    "electronic",
    "electronic, appendix file",
]


@pytest.mark.parametrize("name", NAMES)
def test_openxml_audit_finds_no_error(written: dict[str, Path], name: str) -> None:
    assert audit(written[name]) == []


@pytest.mark.parametrize("name", NAMES)
def test_word_opens_it_in_its_current_mode(written: dict[str, Path], name: str) -> None:
    settings = parse_xml(read_parts(written[name])["word/settings.xml"])
    modes = [
        s.get(qn("w:val"))
        for s in settings.iter(qn("w:compatSetting"))
        if s.get(qn("w:name")) == "compatibilityMode"
    ]
    assert modes == ["15"]


@pytest.mark.parametrize("name", ["report", "plan", "redline"])
def test_the_footnote_separators_are_named_in_the_settings(
    written: dict[str, Path], name: str
) -> None:
    settings = parse_xml(read_parts(written[name])["word/settings.xml"])
    names = settings.find(qn("w:footnotePr"))
    assert names is not None
    assert [n.get(qn("w:id")) for n in names.iter(qn("w:footnote"))] == ["-1", "0"]


@pytest.mark.parametrize("name", NAMES)
def test_the_font_table_declares_only_the_fonts_in_use(written: dict[str, Path], name: str) -> None:
    parts = read_parts(written[name])
    declared = {
        font.get(qn("w:name")) for font in parse_xml(parts["word/fontTable.xml"]).iter(qn("w:font"))
    }
    used = {
        value
        for part, data in parts.items()
        if part.startswith("word/") and part.endswith(".xml") and part != "word/fontTable.xml"
        for fonts in parse_xml(data).iter(qn("w:rFonts"))
        for key, value in fonts.attrib.items()
        if not key.endswith("Theme}") and "Theme" not in key
    }
    assert declared == {"Times New Roman"}
    assert used <= declared


@pytest.mark.parametrize("name", NAMES)
def test_no_relationship_points_at_content_that_is_gone(
    written: dict[str, Path], name: str
) -> None:
    parts = read_parts(written[name])
    for part in [p for p in parts if p.startswith("word/") and p.endswith(".xml")]:
        rels_name = f"word/_rels/{part.removeprefix('word/')}.rels"
        if rels_name not in parts:
            continue
        named = {
            value
            for element in parse_xml(parts[part]).iter()
            for key, value in element.attrib.items()
            if key.startswith(f"{{{R_NS}}}")
        }
        for rel in parse_xml(parts[rels_name]):
            if rel.get("Type", "").endswith(("/hyperlink", "/image", "/header", "/footer")):
                assert rel.get("Id") in named, (part, etree.tostring(rel))
    if name != "reference.docx":  # its sample text shows the Hyperlink style with a link
        assert b"example.com" not in b"".join(parts.values())


def test_the_reference_document_s_sample_table_has_a_grid() -> None:
    document = parse_xml(read_parts(TEMPLATES / "reference.docx")["word/document.xml"])
    for table in document.iter(qn("w:tbl")):
        columns = len(table.find(qn("w:tr")).findall(qn("w:tc")))
        assert len(table.find(qn("w:tblGrid")).findall(qn("w:gridCol"))) == columns
