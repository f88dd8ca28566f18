"""`vanban new KIND DIR`: a report directory that builds at once into a valid draft."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import REPO
from docx_reader import read_docx
from reuse_cli import vanban
from vanban.facts import load_yaml
from vanban.kinds import KINDS
from vanban.ooxml import read_parts
from vanban.scaffold import output_name, samples, scaffold, scalar

EXPECTED_FILES = {
    ".gitattributes",
    ".gitignore",
    ".github/workflows/vanban.yml",
    "README.md",
    "checks/glossary.yaml",
    "checks/rules.yaml",
    "checks/waivers.yaml",
    "data/document.yaml",
    "data/so-lieu.yaml",
    "schema/so-lieu.yaml",
    "templates/closing.docx",
    "templates/masthead.docx",
    "templates/reference.docx",
}


def test_new_cong_van_then_build_gives_a_clean_draft(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "demo-cv"
    assert vanban(["new", "cong-van", str(project)]) == 0
    assert capsys.readouterr().out == (
        f"wrote 14 files into {project}\nnext: vanban build {project}\n"
    )
    assert vanban(["build", str(project)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "check: 0 errors, 0 warnings, 0 acknowledged" in captured.out
    doc = read_docx(project / "build" / "demo-cv.docx")
    assert doc.tables[0].rows[1][0][0].text == "Số:      /UBND-VP"
    assert doc.paragraph("Kính gửi:")
    assert "120 hộ nghèo" in doc.all_text  # a fact from data/so-lieu.yaml


def test_the_directory_holds_every_part_of_a_report(tmp_path: Path) -> None:
    project = tmp_path / "bao-cao-quy-1"
    written = scaffold("bao-cao", project)
    names = {p.relative_to(project).as_posix() for p in written}
    assert EXPECTED_FILES <= names
    assert {n for n in names if n.startswith("content/")} == {
        f"content/{name}" for name in samples()["bao-cao"]["content"]
    }
    for path in written:
        if path.suffix in (".md", ".yaml", ".yml") or path.name.startswith("."):
            text = path.read_text(encoding="utf-8")
            assert text.endswith("\n"), path
    attributes = (project / ".gitattributes").read_text(encoding="utf-8")
    assert "*.docx diff=vanban-docx" in attributes
    assert "vanban build ." in (project / ".github/workflows/vanban.yml").read_text("utf-8")
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Báo cáo: Kết quả thực hiện công tác giảm nghèo năm ")
    assert "vanban rollover" in readme and "!missing" in readme


def test_document_yaml_is_the_kind_s_with_this_year(tmp_path: Path) -> None:
    scaffold("quyet-dinh", tmp_path / "qd")
    loaded, problems = load_yaml(tmp_path / "qd/data/document.yaml", "document.yaml")
    assert problems == [] and loaded is not None
    data = loaded.document
    year = dt.date.today().year
    assert (data["kind"], data["status"], data["output"], data["year"]) == (
        "quyet-dinh",
        "draft",
        "qd",
        year,
    )
    assert data["issuer"] == "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN …"
    assert data["summary"] == f"Về việc phê duyệt kinh phí hỗ trợ hộ nghèo năm {year}"
    assert data["recipients"][-1] == "Lưu: VT, VP."  # quoted in the file: "Lưu: VT, VP."


def test_the_issuing_keys_are_listed_and_build_when_taken_up(tmp_path: Path) -> None:
    from vanban.pipeline import build

    project = tmp_path / "bc"
    scaffold("bao-cao", project)
    document = project / "data" / "document.yaml"
    text = document.read_text(encoding="utf-8")
    keys = ("drafter", "copies", "contact", "issuance", "appendix_files")
    assert [line.split(":")[0] for line in text.splitlines()[-5:]] == [f"# {k}" for k in keys]
    for key in keys[:4]:
        text = text.replace(f"# {key}:", f"{key}:")
    document.write_text(text, encoding="utf-8")
    doc = read_docx(build(project))
    assert "- Lưu: VT, VP. NVA.(10)." in doc.all_text.split("\n")
    assert doc.section.footers["first"].text == "…\nĐT: …\nE-Mail: …"


def test_every_kind_has_its_starting_text() -> None:
    assert set(samples()) == set(KINDS)
    for kind, sample in samples().items():
        assert sample["content"], kind
        assert ("to" in sample) == (KINDS[kind].recipients_to == "required"), kind


def test_like_takes_the_office_s_agency_signer_templates_and_glossary(tmp_path: Path) -> None:
    project = tmp_path / "cv"
    scaffold("cong-van", project, like=REPO)
    loaded, _ = load_yaml(project / "data/document.yaml", "document.yaml")
    assert loaded is not None
    data = loaded.document
    assert data["agency"]["name"] == ["ỦY BAN NHÂN DÂN", "HUYỆN ĐẮK GLEI"]
    assert (data["place"], data["signer"]["name"]) == ("Đắk Glei", "Y Thanh")
    assert data["agency"]["drafting_unit"] == "VP"  # the report has none; a Công văn needs one
    assert (project / "checks/glossary.yaml").read_bytes() == (
        REPO / "checks/glossary.yaml"
    ).read_bytes()
    for name in ("masthead.docx", "closing.docx", "reference.docx"):
        assert (project / "templates" / name).read_bytes() == (
            REPO / "templates" / name
        ).read_bytes()
    assert vanban(["build", str(project)]) == 0
    doc = read_docx(project / "build" / "cv.docx")
    assert doc.tables[0].rows[1][1][0].text.startswith("Đắk Glei, ngày")


def test_it_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "cv").mkdir()
    (tmp_path / "cv" / "ghi-chu.txt").write_text("giữ nguyên", encoding="utf-8")
    assert vanban(["new", "cong-van", str(tmp_path / "cv")]) == 1
    assert capsys.readouterr().err == (
        f"error: {tmp_path / 'cv'}: exists and is not empty; vanban new never overwrites\n"
    )
    assert [p.name for p in (tmp_path / "cv").iterdir()] == ["ghi-chu.txt"]


def test_an_unknown_kind_is_refused_by_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        vanban(["new", "thong-tu", str(tmp_path / "x")])
    assert "invalid choice: 'thong-tu'" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_templates_are_the_generated_defaults(tmp_path: Path) -> None:
    scaffold("ke-hoach", tmp_path / "kh")
    for name in ("masthead.docx", "closing.docx"):
        fresh = read_parts(tmp_path / "kh" / "templates" / name)
        committed = read_parts(REPO / "templates" / name)
        assert fresh["word/document.xml"] == committed["word/document.xml"], name


@pytest.mark.parametrize(
    ("directory", "name"),
    [("demo-cv", "demo-cv"), ("Báo cáo Đắk Glei 2025", "bao-cao-dak-glei-2025"), ("…", "van-ban")],
)
def test_the_output_name_comes_from_the_directory(directory: str, name: str) -> None:
    assert output_name(Path("/tmp") / directory) == name


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("ỦY BAN NHÂN DÂN", "ỦY BAN NHÂN DÂN"),
        ("Lưu: VT, VP.", '"Lưu: VT, VP."'),
        ("- Như trên;", '"- Như trên;"'),
        ("2025", '"2025"'),
        ("null", '"null"'),
        (None, "null"),
        ("Sở Lao động - TB&XH tỉnh (b/c);", "Sở Lao động - TB&XH tỉnh (b/c);"),
    ],
)
def test_yaml_values_read_back_as_written(tmp_path: Path, value: str | None, written: str) -> None:
    assert scalar(value) == written
    path = tmp_path / "x.yaml"
    path.write_text(f"key: {written}\n", encoding="utf-8")
    loaded, _ = load_yaml(path, "x.yaml")
    assert loaded is not None and loaded.document["key"] == value
