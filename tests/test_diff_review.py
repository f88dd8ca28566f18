"""`vanban diff` for a reviewer: appendix cells, footnotes by printed number, Vietnamese labels."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from vanban.cli import main as vanban

CELL = "Phụ lục 04 · 1. Bảo hiểm y tế do ngân sách nhà nước đóng, hỗ trợ đóng (ước thực hi… · "


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report committed, then one appendix figure and one footnote word changed."""
    root = tmp_path_factory.mktemp("review") / "report"
    shutil.copytree(
        REPO,
        root,
        ignore=shutil.ignore_patterns(
            "build", ".git", "src", "tests", ".venv", "examples", "benchmarks"
        ),
    )
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@e"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "draft"], check=True)
    data = root / "data" / "an-sinh.yaml"
    data.write_text(
        data.read_text("utf-8").replace("cost_dong: 23328000", "cost_dong: 23400000"), "utf-8"
    )
    text = root / "content" / "01-quan-ly.md"
    text.write_text(text.read_text("utf-8").replace("về phê duyệt Chương", "về ban hành Chương"))
    return root


def diff(root: Path, capsys, *args: str) -> str:
    assert vanban(["diff", "-C", str(root), "HEAD", ".", *args]) == 0
    return capsys.readouterr().out


def test_text_shows_the_changed_cells_and_numbers_the_notes(edited, capsys, monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    out = diff(edited, capsys, "--color", "never")
    assert "Appendix cells: 3 changed\n" in out
    assert (
        f"  {CELL}Đại biểu HĐND · Kinh phí thực hiện (đồng): 23.328.000 → 23.400.000\n"
        "      an_sinh.health_insurance.other.groups.council_delegates.cost_dong\n"
    ) in out
    assert f"  {CELL}Tổng cộng · Kinh phí thực hiện (đồng): 9.754.077.882 → 9.754.149.882\n" in out
    assert "      computed: the rows of the table added up\n" in out
    assert "  [^qd-90-2022] (note 1) ~ " in out
    assert "  [^bhyt-nhom-doi-tuong] (note 57) ~ " in out


def test_vietnamese_labels_by_option_and_by_locale(edited, capsys, monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    out = diff(edited, capsys, "--lang", "vi")
    assert "Ô của phụ lục: 3 sửa\n" in out and "Số liệu: 1 sửa\n" in out
    assert "  [^qd-90-2022] (chú thích 1) ~ " in out
    assert "      tính ra: the rows of the table added up\n" in out
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    assert "Chú thích: 2 sửa\n" in diff(edited, capsys)
    assert "Footnotes: 2 changed\n" in diff(edited, capsys, "--lang", "en")


def test_markdown_and_json_hold_the_cells_and_note_numbers(edited, capsys, monkeypatch):
    monkeypatch.setenv("LANG", "C.UTF-8")
    markdown = diff(edited, capsys, "--format", "markdown")
    assert "#### Appendix cells\n\n| cell | old | new | source |\n|---|--:|--:|---|\n" in markdown
    assert (
        "· Đại biểu HĐND · Kinh phí thực hiện (đồng) | 23.328.000 | 23.400.000 | "
        "`an_sinh.health_insurance.other.groups.council_delegates.cost_dong` |"
    ) in markdown
    assert "- `[^qd-90-2022]` (note 1): " in markdown
    data = json.loads(diff(edited, capsys, "--format", "json"))
    assert [n["number"] for n in data["footnotes"]] == [1, 57]
    cell = next(c for c in data["cells"] if c["row"] == "Đại biểu HĐND")
    assert cell == {
        "appendix": "Phụ lục 04",
        "table": "1. Bảo hiểm y tế do ngân sách nhà nước đóng, hỗ trợ đóng (ước thực hiện đến "
        "hết quý II năm 2024)",
        "row": "Đại biểu HĐND",
        "column": "Kinh phí thực hiện (đồng)",
        "old": "23.328.000",
        "new": "23.400.000",
        "fact": "an_sinh.health_insurance.other.groups.council_delegates.cost_dong",
    }
    total = next(c for c in data["cells"] if c["row"] == "Tổng cộng")
    assert total["computed"] == "the rows of the table added up" and "fact" not in total
