"""`vanban batch`: every report of a tree built in one run, failures summed up at the end."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from reuse_cli import vanban
from vanban.batch import batch_command, collect, find_reports, run_batch
from vanban.scaffold import scaffold


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A province's tree: three districts' reports, one of them with a wrong figure."""
    root = tmp_path_factory.mktemp("tinh")
    for district in ("huyen-a", "huyen-b", "huyen-c"):
        scaffold("bao-cao", root / "bao-cao" / district)
    data = root / "bao-cao" / "huyen-b" / "data" / "so-lieu.yaml"
    data.write_text(
        data.read_text("utf-8").replace("households: 120 ", "households: 1.200 "), "utf-8"
    )
    (root / "ghi-chu").mkdir()  # not a report
    return root


def test_reports_are_found_below_the_roots(tmp_path: Path) -> None:
    scaffold("bao-cao", tmp_path / "a")
    scaffold("ke-hoach", tmp_path / "a" / "examples" / "kh")  # a report inside a report
    scaffold("cong-van", tmp_path / "tests" / "case")
    scaffold("cong-van", tmp_path / ".hidden" / "x")
    scaffold("cong-van", tmp_path / "a" / "content" / "not-searched")
    found = find_reports([tmp_path], exclude=["tests"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a", "a/examples/kh"]
    assert find_reports([tmp_path / "a" / "examples" / "kh"]) == [tmp_path / "a/examples/kh"]


def test_one_failure_does_not_stop_the_others(province: Path, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    status = batch_command([province], jobs=2, collect_into=tmp_path / "all", out=out, err=err)
    assert status == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == "batch: 3 reports, 2 at a time"
    progress = lines[1:4]
    assert sorted(line[:6] for line in progress) == ["[1/3] ", "[2/3] ", "[3/3] "]
    done = {re.sub(r"^\[\d/3\] ", "", line).split(" (")[0] for line in progress}
    a, b, c = (province / "bao-cao" / d for d in ("huyen-a", "huyen-b", "huyen-c"))
    assert done == {
        f"ok    {a} → {a / 'build' / 'huyen-a.docx'}",
        f"FAIL  {b}",
        f"ok    {c} → {c / 'build' / 'huyen-c.docx'}",
    }
    assert lines[-2] == f"collected 2 documents in {tmp_path / 'all'}"
    assert re.fullmatch(r"batch: 2 built, 1 failed, 0 with warnings, in \d+\.\d s", lines[-1])
    assert err.getvalue().splitlines() == [
        "",
        f"{b}: failed",
        f"  {b}/data/so-lieu.yaml:5:15: error: ho_ngheo.households: expected a whole number "
        "(hộ), got 1.200 (a decimal: did you mean 1200?)",
        f"  {b}/data/so-lieu.yaml:7:9: error: so_lieu.ho_ngheo.rate = 5,25% but 1,200 / 2.286 = "
        "0,0525% (difference 5,1975) [poor-rate]",
        "  2 errors; nothing was written",
    ]
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == ["huyen-a.docx", "huyen-c.docx"]
    assert not (b / "build").exists()


def test_in_process_and_in_a_pool_give_the_same_outcomes(province: Path) -> None:
    reports = find_reports([province])
    seen: list[int] = []
    alone = run_batch(reports, jobs=1, on_done=lambda count, _: seen.append(count))
    pooled = run_batch(reports, jobs=3)
    assert seen == [1, 2, 3]
    assert [(o.report, o.ok, o.problems) for o in alone] == [
        (o.report, o.ok, o.problems) for o in pooled
    ]


def test_documents_with_the_same_name_are_collected_apart(province: Path, tmp_path: Path) -> None:
    outcomes = run_batch(find_reports([province]), jobs=1)
    twice = [outcomes[0], outcomes[0]]
    copied = collect(twice, tmp_path, province)
    assert [p.name for p in copied] == [
        "bao-cao--huyen-a--huyen-a.docx",
        "bao-cao--huyen-a--huyen-a.docx",
    ]


def test_no_report_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert vanban(["batch", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"error: no report directory (data/document.yaml and content/) under {tmp_path}\n"
    )


def test_this_repository_builds_every_document(tmp_path: Path) -> None:
    """What build.py and CI do: the reference report, the 2026-2030 plan and the real
    documents of examples/, side by side (on a copy, so that the test writes nothing into
    the repository)."""
    assert find_reports([REPO], exclude=["tests"]) == [
        REPO,
        REPO / "examples" / "bao-cao-cchc-lam-dong-2025",
        REPO / "examples" / "bao-cao-vlncn-lao-cai-2025",
        REPO / "examples" / "bien-ban-hop-hdql-quy-khuyen-hoc-binh-thuan-2025",
        REPO / "examples" / "ke-hoach-2026-2030",
        REPO / "examples" / "nghi-quyet-noi-quy-ky-hop-nha-be-2021",
        REPO / "examples" / "quyet-dinh-kiem-tra-vlncn-lao-cai-2026",
    ]
    repo = tmp_path / "repo"
    for part in ("content", "data", "schema", "checks", "templates"):
        shutil.copytree(REPO / part, repo / part)
    shutil.copytree(REPO / "examples", repo / "examples", ignore=shutil.ignore_patterns("build"))
    shutil.copytree(REPO / "tests" / "cases", repo / "tests" / "cases")  # fixtures: excluded
    out, err = io.StringIO(), io.StringIO()
    assert batch_command([repo], exclude=["tests"], out=out, err=err) == 0, err.getvalue()
    assert re.search(r"batch: 7 built, 0 failed, 1 with warnings", out.getvalue())
    assert (repo / "build" / "bao-cao-dak-glei-2024.docx").is_file()
    plan = repo / "examples/ke-hoach-2026-2030/build/ke-hoach-giam-ngheo-dak-glei-2026-2030.docx"
    assert plan.is_file()
