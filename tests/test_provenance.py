"""Every build records where it came from in its document properties."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from vanban import __version__
from vanban.cli import main as vanban
from vanban.ooxml import read_parts
from vanban.pipeline import build
from vanban.project import open_project
from vanban.provenance import read_properties, sources_hash

TITLE = (
    "Đánh giá kết quả thực hiện Chương trình mục tiêu Quốc gia giảm nghèo bền vững giai đoạn "
    "2021-2024 và đề xuất, kiến nghị cho giai đoạn 2026 – 2030"
)


def copy_report(dest: Path) -> Path:
    shutil.copytree(
        REPO,
        dest,
        ignore=shutil.ignore_patterns("build", ".git", "src", "tests", ".venv", "examples"),
    )
    return dest


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_report(tmp_path_factory.mktemp("prov") / "report")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-q", "-m", "draft")
    return root


def test_a_build_in_git_records_its_commit_clean(repository, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733011200")
    parts = read_parts(build(repository, tmp_path / "a.docx"))
    props = read_properties(parts)
    assert props["vanban.revision"] == git(repository, "rev-parse", "HEAD")
    assert props["vanban.dirty"] == "false"
    assert props["vanban.report"] == "."
    assert props["vanban.sources"] == sources_hash(open_project(repository))
    assert props["vanban.version"] == __version__
    assert props["vanban.built"] == "2024-12-01T00:00:00Z"
    assert props["title"] == TITLE
    assert props["creator"] == "Ủy ban nhân dân huyện Đắk Glei"
    assert props["subject"] == "Báo cáo số …/BC-UBND"  # the số is blank in the draft
    assert props["created"] == props["modified"] == "2024-12-01T00:00:00Z"
    app = parts["docProps/app.xml"].decode()
    for stale in ("<Words>", "<Pages>", "<Lines>", "<Characters>", "Normal.dotm", "Microsoft"):
        assert stale not in app
    assert f"<Application>vanban {__version__}</Application>" in app


def test_an_edited_source_makes_the_build_dirty_and_changes_the_hash(repository, tmp_path):
    clean = read_properties(read_parts(build(repository, tmp_path / "a.docx")))
    von = repository / "data" / "von.yaml"
    original = von.read_bytes()
    try:
        von.write_bytes(original.replace(b"11042", b"11043", 1))
        dirty = read_properties(read_parts(build(repository, tmp_path / "b.docx")))
    finally:
        von.write_bytes(original)
    assert dirty["vanban.dirty"] == "true"
    assert dirty["vanban.revision"] == clean["vanban.revision"]
    assert dirty["vanban.sources"] != clean["vanban.sources"]


def test_outside_git_the_hash_of_the_sources_is_the_revision(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = copy_report(tmp_path / "report")
    first = read_properties(read_parts(build(root, tmp_path / "a.docx")))
    assert "vanban.revision" not in first
    assert first["vanban.sources"].startswith("sha256:")
    (root / "build").mkdir(exist_ok=True)
    (root / "build" / "other.txt").write_text("not a source")
    again = read_properties(read_parts(build(root, tmp_path / "b.docx")))
    assert again["vanban.sources"] == first["vanban.sources"]


def test_docx_text_prints_the_provenance(repository, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733011200")
    docx = build(repository, tmp_path / "a.docx")
    assert vanban(["docx-text", "--properties", str(docx)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"title: {TITLE}"
    assert f"vanban.revision: {git(repository, 'rev-parse', 'HEAD')}" in out
    assert "vanban.built: 2024-12-01T00:00:00Z" in out
    assert vanban(["docx-text", str(docx)]) == 0
    assert "vanban.revision" not in capsys.readouterr().out
