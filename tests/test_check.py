"""`vanban check`: exact findings per scenario, the issued report's findings, the number lint."""

from __future__ import annotations

import argparse
import json
import re
import shlex
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO
from vanban.check import fact_context
from vanban.check.command import add_check_command, check_project, run_checks
from vanban.check.folding import fold
from vanban.check.glossary import Entry, compile_glossary, fold_keeping_length
from vanban.check.lint import (
    FigureIndex,
    Source,
    lint_source,
    misprint,
    number_problem,
    numbers_in,
    read_source,
    typed_figures,
)
from vanban.check.store import FactStore
from vanban.narrative import render_narrative
from vanban.numbers import format_number, parse_number
from vanban.project import load_facts, open_project

CASES = Path(__file__).resolve().parent / "cases-check"
CHECK_CASES = sorted(p.parent.name for p in CASES.glob("*/expected.txt"))


def make_case(name: str, dest: Path) -> Path:
    """Copy tests/cases-check/_base with the case's files laid over it."""
    project = dest / name
    shutil.copytree(CASES / "_base", project)
    shutil.copytree(CASES / name, project, dirs_exist_ok=True)
    (project / "expected.txt").unlink()
    return project


def check(*args: str) -> int:
    """Run `vanban check ARGS` through the command's own argument parser."""
    parser = argparse.ArgumentParser(prog="vanban")
    add_check_command(parser.add_subparsers(dest="command", required=True))
    namespace = parser.parse_args(["check", *args])
    return int(namespace.run(namespace))


# --- one fixture project per kind of finding ----------------------------------------------


@pytest.mark.parametrize("name", CHECK_CASES)
def test_findings_are_exact(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = (CASES / name / "expected.txt").read_text(encoding="utf-8")
    status = check(str(make_case(name, tmp_path)))
    assert capsys.readouterr().out == expected
    assert status == (1 if ": error: " in expected else 0)


def test_near_misses_found_through_the_cache_are_those_found_without(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_case("near-miss", tmp_path)
    expected = (CASES / "near-miss" / "expected.txt").read_text(encoding="utf-8")
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    for _ in range(2):
        check(str(project))
        assert capsys.readouterr().out == expected
    # a second file that uses "chuyên nguồn" three more times: no longer a rare slip
    (project / "content" / "02-them.md").write_text(
        "# Thêm\n\n" + "Kinh phí chuyên nguồn năm sau.\n\n" * 3, encoding="utf-8"
    )
    check(str(project))
    cached = capsys.readouterr().out
    monkeypatch.setenv("VANBAN_CACHE_DIR", "off")
    check(str(project))
    assert cached == capsys.readouterr().out
    assert "chuyên nguồn" not in cached and '"ây dựng"' in cached


def test_an_edit_that_keeps_the_terms_works_out_the_new_phrases_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from vanban.check import nearmiss

    project = make_case("near-miss", tmp_path)
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    check(str(project))
    capsys.readouterr()
    worked_out: list[str] = []
    original = nearmiss._choice
    monkeypatch.setattr(
        nearmiss, "_choice", lambda text, *a: worked_out.append(text) or original(text, *a)
    )
    text = project / "content" / "01-ket-qua.md"
    # a paragraph with a new slip of a term; the terms and their order stay as they were
    text.write_text(
        text.read_text(encoding="utf-8") + "\nĐề nghị xây dụng thêm.\n", encoding="utf-8"
    )
    check(str(project))
    cached = capsys.readouterr().out
    assert sorted(worked_out) == ["dụng thêm", "nghị xây", "xây dụng"]  # the new runs
    assert '"xây dụng" differs only by its diacritics from "xây dựng"' in cached
    monkeypatch.setenv("VANBAN_CACHE_DIR", "off")
    check(str(project))
    assert cached == capsys.readouterr().out


def test_every_kind_of_finding_has_a_case() -> None:
    found = set()
    for name in CHECK_CASES:
        text = (CASES / name / "expected.txt").read_text(encoding="utf-8")
        found |= set(re.findall(r"\[([a-z0-9-]+)\]$", text, re.MULTILINE))
    assert found >= {
        "number-format",
        "typed-figure",
        "duplicate-footnote",
        "superscript-marker",
        "typed-heading-number",
        "not-nfc",
        "not-utf8",
        "glossary",
        "footnote-placement",
        "printed-not-needed",
        "stale-waiver",
        "unused-rule",
    }
    assert {
        "sum-breaks",
        "difference-breaks",
        "ratio-breaks",
        "share-breaks",
        "equal-breaks",
        "derived-fact",
        "rules-file-mistakes",
        "waivers",
    } <= set(CHECK_CASES)


def test_json_for_machines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(str(make_case("waivers", tmp_path)), "--format", "json") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {
        "errors": 2,
        "warnings": 1,
        "acknowledged": 2,
        "rules": 1,
        "comparisons": 1,
        "derived": 0,
        "failed": True,
    }
    waived = next(f for f in data["findings"] if f["rule"] == "total-by-year")
    assert waived == {
        "path": "data/so-lieu.yaml",
        "line": 2,
        "col": 14,
        "severity": "acknowledged",
        "rule": "total-by-year",
        "message": "so_lieu.von.allocated = 100,0 but its parts add up to 105,0 "
        "(40,0 + 65,0; difference 5,0)",
        "fact": "so_lieu.von.allocated",
        "operands": [
            {"fact": "so_lieu.von.y2022.allocated", "value": "40,0"},
            {"fact": "so_lieu.von.y2023.allocated", "value": "65,0"},
        ],
        "found_as": "error",
        "acknowledged": {
            "reason": "As issued in the signed report; the years add up to 105,0.",
            "by": "Nguyễn Văn B, chuyên viên",
            "date": "2024-06-20",
            "waiver": "checks/waivers.yaml:2",
        },
    }


def test_strict_fails_on_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = str(make_case("typed-figure", tmp_path))
    assert check(project) == 0
    assert check(project, "--strict") == 1
    assert capsys.readouterr().out.count("2 warnings") == 2


def test_run_checks_gives_problems_for_the_build(tmp_path: Path) -> None:
    problems = run_checks(open_project(make_case("waivers", tmp_path)))
    assert [p.severity for p in problems] == [
        "warning",
        "error",
        "acknowledged",
        "error",
        "acknowledged",
    ]
    assert str(problems[4]).startswith(
        "data/so-lieu.yaml:2:14: acknowledged: so_lieu.von.allocated = 100,0 but its parts add "
        "up to 105,0 (40,0 + 65,0; difference 5,0) — error acknowledged by Nguyễn Văn B, chuyên "
        "viên, 2024-06-20: As issued in the signed report"
    )
    assert str(problems[4]).endswith("[total-by-year]")


def test_derived_facts_reach_the_templates(tmp_path: Path) -> None:
    project = open_project(make_case("derived-fact", tmp_path))
    facts, _ = load_facts(project)
    page = tmp_path / "page.md"
    page.write_text(
        "{{ so_lieu.von.allocated | so }}; {{ so_lieu.von.y2023.remaining | so }}; "
        "{{ so_lieu.von.y2022.remaining | so }}",
        encoding="utf-8",
    )
    narrative, problems = render_narrative([("page.md", page)], dict(fact_context(project, facts)))
    assert problems == []
    assert narrative.markdown == "105,0; 14,5; 12,0\n"  # a typed fact wins over the rule


def test_patterns_and_derived_facts_in_the_store() -> None:
    store = FactStore(
        {"von": {"a": {"y2022": {"x": 1}, "y2023": {"x": 2}}, "b": {"units": {"u": {"x": 3}}}}},
        {"von": "data/von.yaml"},
    )
    assert store.numbers("von.*.y*.x") == ["von.a.y2022.x", "von.a.y2023.x"]
    assert store.numbers("von.**.x") == ["von.a.y2022.x", "von.a.y2023.x", "von.b.units.u.x"]
    assert store.expand("von.b.**") == ["von.b", "von.b.units", "von.b.units.u", "von.b.units.u.x"]
    store.add_derived("von.a.total", Decimal("3.0"), "sum-a")
    assert store.numbers("von.a.*") == ["von.a.total"]
    assert store.is_derived("von.a.total") and not store.is_derived("von.a.y2022.x")
    assert store.derived_tree("von") == {"a": {"total": Decimal("3.0")}}


# --- the issued report --------------------------------------------------------------------

# (rule, fact) of every inconsistency of the issued report the rules cover; the README lists
# them with their arithmetic.
ISSUED = {
    ("programme-disbursed-by-project", "von.stated_by_year.y2022.disbursed"),
    ("programme-2022-balance", "von.stated_by_year.y2022.carried_over"),
    ("programme-carried-by-project", "von.stated_by_year.y2022.carried_over"),
    ("programme-disbursed-by-project", "von.stated_by_year.y2023.disbursed"),
    ("carried-over", "von.stated_by_year.y2023.carried_over"),
    ("programme-2023-balance", "von.stated_by_year.y2023.carried_over"),
    ("project-by-year", "von.du_an_2.stated_by_year.y2024"),
    ("carried-over", "von.du_an_2.mo_hinh_cong_dong.y2022.carried_over"),
    ("carried-over", "von.du_an_2.mo_hinh_cong_dong.y2023.carried_over"),
    ("local-share", "von.du_an_2.mo_hinh_cong_dong.y2024.local"),
    ("subproject-by-unit", "von.du_an_4.gdnn.y2022.disbursed"),
    ("carried-over", "von.du_an_4.gdnn.y2022.units.phong_nn.carried_over"),
    ("carried-over", "von.du_an_4.gdnn.y2022.units.phong_ldtbxh.carried_over"),
    ("carried-over", "von.du_an_4.gdnn.y2022.units.tt_gdnn.carried_over"),
    ("carried-over", "von.du_an_4.gdnn.y2022.units.ubnd_xa.carried_over"),
    ("subproject-by-unit", "von.du_an_4.gdnn.y2023.disbursed"),
    ("carried-over", "von.du_an_4.gdnn.y2023.units.ubnd_xa.carried_over"),
    ("carried-over", "von.du_an_4.viec_lam_ben_vung.y2023.carried_over"),
    ("project-by-year", "von.du_an_6.stated_by_year.y2024"),
    ("subproject-by-unit", "von.du_an_6.giam_ngheo_thong_tin.y2024.allocated"),
    ("subproject-by-unit", "von.du_an_6.giam_ngheo_thong_tin.y2024.local"),
    ("local-share", "von.du_an_6.truyen_thong_da_chieu.y2023.local"),
    ("carried-over", "von.du_an_6.truyen_thong_da_chieu.y2023.carried_over"),
    ("carried-over", "von.du_an_7.nang_cao_nang_luc.y2022.units.ubnd_xa.carried_over"),
    ("carried-over", "von.du_an_7.nang_cao_nang_luc.y2023.units.ubnd_xa.carried_over"),
    ("poverty-target-achievement", "ngheo.reduction_2023.achievement"),
    ("number-format", "von.du_an_4.gdnn.y2022.disbursed"),
    ("number-format", "von.du_an_6.truyen_thong_da_chieu.y2023.disbursed"),
    ("number-format", "von.du_an_7.nang_cao_nang_luc.y2022.units.ubnd_xa.carried_over"),
    ("number-format", "von.du_an_7.nang_cao_nang_luc.y2023.units.ubnd_xa.carried_over"),
    ("number-format", "von.du_an_3.stated_by_year.y2023"),
    ("number-format", "von.du_an_4.gdnn.y2022.units.tt_gdnn.carried_over"),
    # the appendices' stated totals that their rows do not add up to (Phụ lục 01–03)
    ("appendix-stated-total", "ngheo.reduction_2023.achievement"),
    ("appendix-stated-total", "von.stated_by_year.y2022.disbursed"),
    ("appendix-stated-total", "von.stated_by_year.y2022.carried_over"),
    ("appendix-stated-total", "von.stated_by_year.y2023.local"),
    ("appendix-stated-total", "von.stated_by_year.y2023.disbursed"),
    ("appendix-stated-total", "von.stated_by_year.y2023.carried_over"),
    ("appendix-stated-total", "von.stated_by_year.y2024.local"),
    ("appendix-stated-total", "von.du_an_2.stated_by_year.y2024"),
    ("appendix-stated-total", "von.du_an_4.gdnn.y2022.disbursed"),
    ("appendix-stated-total", "von.du_an_4.gdnn.y2023.disbursed"),
    ("appendix-stated-total", "von.du_an_6.stated_by_year.y2024"),
    ("appendix-stated-total", "von.du_an_6.giam_ngheo_thong_tin.y2024.allocated"),
    ("appendix-stated-total", "von.du_an_6.giam_ngheo_thong_tin.y2024.local"),
}


def reference_copy(dest: Path) -> Path:
    project = dest / "bao-cao"
    for part in ("content", "data", "schema", "checks", "templates"):
        if (REPO / part).exists():
            shutil.copytree(REPO / part, project / part)
    return project


def test_issued_report_findings_are_found_and_all_acknowledged(tmp_path: Path) -> None:
    result = check_project(open_project(reference_copy(tmp_path)))
    assert [str(f.problem()) for f in result.findings if f.status != "acknowledged"] == []
    facts = {(f.rule, f.fact) for f in result.findings if f.fact}
    assert facts == ISSUED
    footnotes = {a for f in result.findings if f.rule == "duplicate-footnote" for a in f.anchors}
    assert {
        "[^phoi-hop-dinh-duong-2024]",
        "[^qd-3452-2023-nam-2024]",
        "[^tt-06-2022-truyen-thong]",
        "[^hoat-dong-truyen-thong-2024]",
        "[^tt-02-2021]",
    } <= footnotes


def test_a_broken_sum_stops_the_build_naming_file_line_rule_and_values(tmp_path: Path) -> None:
    project = reference_copy(tmp_path)
    data = project / "data" / "von.yaml"
    text = data.read_text(encoding="utf-8")
    assert "    y2022: 716  # fn 19" in text
    data.write_text(
        text.replace("    y2022: 716  # fn 19", "    y2022: 761  # fn 19"), encoding="utf-8"
    )
    line = next(n for n, s in enumerate(data.read_text("utf-8").splitlines(), 1) if ": 761" in s)
    errors = [str(p) for p in run_checks(open_project(project)) if p.severity == "error"]
    assert (
        f"data/von.yaml:{line}:12: error: von.du_an_3.stated_by_year.y2022 = 761 but its parts "
        "add up to 716,0 (716,0; difference 45,0) [project-by-year]"
    ) in errors
    assert len(errors) == 3  # and the project's and the programme's totals


# --- the number formatter and the number lint ---------------------------------------------

amounts = st.builds(
    lambda digits, places: Decimal(digits).scaleb(-places),
    st.integers(min_value=0, max_value=10**13),
    st.integers(min_value=0, max_value=6),
)


@given(amounts)
def test_every_formatted_value_round_trips_and_passes_the_lint(value: Decimal) -> None:
    text = format_number(value)
    assert parse_number(text) == value
    assert str(parse_number(text)) == str(value)  # the decimals survive too
    assert number_problem(text) is None
    assert list(numbers_in(f"chi {text} triệu đồng")) == [(4, text, None)]
    assert misprint(text, value) is None


@given(amounts)
def test_a_dot_as_decimal_mark_is_a_misprint(value: Decimal) -> None:
    text = str(value)  # "704.543": English style
    problem = misprint(text, value)
    if "." in text:
        assert problem is not None and problem[1] == format_number(value)


# Text made mostly of digits, separators and units, where the lint has the most to decide.
numberish = st.one_of(
    st.text(),
    st.text(alphabet="0123456789.,  -/%triệuđồng ", max_size=60),
    st.from_regex(r"[0-9]{1,40}(?:[.,] ?[0-9]{1,40}){0,4}%?", fullmatch=True),
)


@given(numberish)
def test_the_number_lint_never_crashes(text: str) -> None:
    for offset, token, problem in numbers_in(text):
        assert text[offset : offset + len(token)] == token
        assert problem is None or isinstance(problem[0], str)
    source, _ = read_source("x.md", text.encode("utf-8", errors="surrogatepass"))
    lint_source(source, None)


@given(numberish, amounts)
def test_misprint_never_crashes(printed: str, value: Decimal) -> None:
    problem = misprint(printed, value)
    assert problem is None or problem[1] == format_number(value)


@given(st.text())
def test_folding_keeps_offsets(text: str) -> None:
    assert len(fold_keeping_length(text)) == len(text)


def test_folding_keeping_length_is_fold_letter_by_letter() -> None:
    # Each character: a Latin letter (ASCII capitals, Latin-1 to Latin Extended-B, Latin
    # Extended Additional) whose fold is one letter becomes it; anything else stays.
    latin = [*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]

    def one(char: str) -> str:
        bare = fold(char)
        return bare if ord(char) in latin and char.isalpha() and len(bare) == 1 else char

    every = "".join(chr(code) for code in range(0x2400) if not 0xD800 <= code < 0xE000)
    assert fold_keeping_length(every) == "".join(one(char) for char in every)
    assert fold_keeping_length("Đắk Glei – “Ủy ban”") == "dak glei – “uy ban”"


def test_known_misprints() -> None:
    assert misprint("704.543", Decimal("704.543")) == (
        '"." is the thousands mark in Vietnamese, so it reads as 704543, a thousand times the fact',
        "704,543",
    )
    assert misprint("2517", 2517) == ("no thousands separator", "2.517")
    assert misprint("507, 7", Decimal("507.7")) == ("a space inside the number", "507,7")
    assert misprint("1.688", Decimal("1688.0")) is None  # so(0)


# --- waivers bound to what they accepted ----------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _waiver(project: Path, rule: str, at: str) -> int:
    """Return the line of the waiver for (rule, at) in a report's checks/waivers.yaml."""
    lines = (project / "checks" / "waivers.yaml").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if line == f"  - rule: {rule}" and lines[number].strip() in (f"at: {at}", f'at: "{at}"'):
            return number
    raise AssertionError(f"no waiver for [{rule}] at {at}")


def _open(project: Path) -> list[str]:
    result = check_project(open_project(project))
    return [str(f.problem()) for f in result.findings if f.status != "acknowledged"]


def test_a_waived_figure_that_changes_is_open_again(tmp_path: Path) -> None:
    project = reference_copy(tmp_path)
    _edit(project / "data" / "von.yaml", "disbursed: 704.543", "disbursed: 604.543")
    found = _open(project)
    sub = _waiver(project, "subproject-by-unit", "von.du_an_4.gdnn.y2022.disbursed")
    fmt = _waiver(project, "number-format", "von.du_an_4.gdnn.y2022.disbursed")
    assert (
        "data/von.yaml:116:18: error: von.du_an_4.gdnn.y2022.disbursed = 604,543 but its parts "
        "add up to 712,427 (48,6 + 174,290 + 342,0 + 147,537; difference 107,884) — waiver "
        f"checks/waivers.yaml:{sub} no longer applies (von.du_an_4.gdnn.y2022.disbursed: accepted "
        "704,543, now 604,543) [subproject-by-unit]"
    ) in found
    # the misprint kept with printed("704.543") is open again too: the build stops
    assert (
        'content/03-du-an.md:49:209: error: printed "704.543" for '
        "von.du_an_4.gdnn.y2022.disbursed = 604,543: it reads as 704.543; print 604,543 — "
        f"waiver checks/waivers.yaml:{fmt} no longer applies (von.du_an_4.gdnn.y2022.disbursed: "
        "accepted 704,543, now 604,543) [number-format]"
    ) in found
    assert (
        f"checks/waivers.yaml:{sub}:5: warning: waiver for [subproject-by-unit] at "
        "von.du_an_4.gdnn.y2022.disbursed is stale: von.du_an_4.gdnn.y2022.disbursed: accepted "
        "704,543, now 604,543: the finding at data/von.yaml:116:18 is open again; if the new "
        "figures stand, re-accept them: accepted: {von.du_an_4.gdnn.y2022.disbursed: "
        '"604,543", von.du_an_4.gdnn.y2022.units.phong_nn.disbursed: "48,6", '
        'von.du_an_4.gdnn.y2022.units.phong_ldtbxh.disbursed: "174,290", '
        'von.du_an_4.gdnn.y2022.units.tt_gdnn.disbursed: "342,0", '
        'von.du_an_4.gdnn.y2022.units.ubnd_xa.disbursed: "147,537"} [stale-waiver]'
    ) in found
    assert [line.split(": ")[1] for line in found].count("error") == 3  # and footnote 14's sum


def test_a_rounding_warning_turned_error_is_open_again(tmp_path: Path) -> None:
    project = reference_copy(tmp_path)
    _edit(project / "data" / "von.yaml", "carried_over: 103.427", "carried_over: 133.427")
    found = _open(project)
    at = _waiver(project, "carried-over", "von.du_an_4.gdnn.y2022.units.ubnd_xa.carried_over")
    assert (
        "data/von.yaml:137:25: error: von.du_an_4.gdnn.y2022.units.ubnd_xa.carried_over = 133,427 "
        f"but 251,0 − 147,537 = 103,463 (difference 29,964) — waiver checks/waivers.yaml:{at} no "
        "longer applies (von.du_an_4.gdnn.y2022.units.ubnd_xa.carried_over: accepted 103,427, "
        "now 133,427) [carried-over]"
    ) in found
    assert any(
        line.startswith(f"checks/waivers.yaml:{at}:5: warning: waiver for") for line in found
    )


def test_changing_a_kept_misprint_reopens_it(tmp_path: Path) -> None:
    project = reference_copy(tmp_path)
    _edit(project / "content" / "03-du-an.md", 'printed("704.543")', 'printed("704.534")')
    found = _open(project)
    at = _waiver(project, "number-format", "von.du_an_4.gdnn.y2022.disbursed")
    assert (
        'content/03-du-an.md:49:209: error: printed "704.534" for '
        "von.du_an_4.gdnn.y2022.disbursed = 704,543: it reads as 704.534; print 704,543 — waiver "
        f"checks/waivers.yaml:{at} no longer applies (printed: accepted 704.543, now 704.534) "
        "[number-format]"
    ) in found


def test_new_misspellings_are_not_acknowledged_by_an_old_glossary_waiver(tmp_path: Path) -> None:
    project = reference_copy(tmp_path)
    page = project / "content" / "06-de-xuat.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n" + "Huyện Đăk Glei đề nghị. " * 5 + "\n",
        encoding="utf-8",
    )
    found = _open(project)
    at = _waiver(project, "glossary", "Đăk Glei")
    new = [line for line in found if line.startswith("content/06-de-xuat.md:27:")]
    assert len(new) == 5
    assert new[0] == (
        'content/06-de-xuat.md:27:7: warning: "Đăk Glei" is spelt "Đắk Glei" in the glossary '
        f"(huyện, thị trấn) — waiver checks/waivers.yaml:{at} did not accept this place [glossary]"
    )
    (stale,) = [line for line in found if line.startswith(f"checks/waivers.yaml:{at}:5:")]
    assert stale.startswith(
        f"checks/waivers.yaml:{at}:5: warning: waiver for [glossary] at Đăk Glei is stale: 5 more "
        "found (content/06-de-xuat.md:27 ×5); if they are accepted too: places: "
        '["content/01-quan-ly.md:15", '
    )
    assert stale.endswith(
        '"content/06-de-xuat.md:13", "content/06-de-xuat.md:27 ×5", "content/07-ket-thuc.md:1"] '
        "[stale-waiver]"
    )


def test_acknowledged_findings_are_counted_unless_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = str(reference_copy(tmp_path))
    assert check(project) == 0
    assert capsys.readouterr().out == (
        "112 acknowledged findings not listed: vanban check --show-acknowledged lists them with "
        "their reasons\n"
        "check: 0 errors, 0 warnings, 112 acknowledged (23 rules, 95 comparisons, 7 derived "
        "facts)\n"
    )
    assert check(project, "--show-acknowledged") == 0
    shown = capsys.readouterr().out.splitlines()
    assert len(shown) == 113
    assert shown[0].startswith("content/01-quan-ly.md:5:563: acknowledged: footnote marker")


def test_json_says_why_a_finding_is_open_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check(str(make_case("waiver-values-changed", tmp_path)), "--format", "json") == 1
    data = json.loads(capsys.readouterr().out)
    total = next(f for f in data["findings"] if f["rule"] == "total-by-year")
    assert total["severity"] == "error"
    assert total["reopened"] == (
        "waiver checks/waivers.yaml:2 no longer applies "
        "(so_lieu.von.y2023.allocated: accepted 65,0, now 75,0)"
    )


def test_the_hook_says_how_to_install_vanban_when_it_is_missing(tmp_path: Path) -> None:
    from ruamel.yaml import YAML

    config = YAML(typ="safe").load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
    (hook,) = config["repos"][0]["hooks"]
    empty = tmp_path / "bin"
    empty.mkdir()
    sh = shutil.which("sh")
    assert sh is not None
    ran = subprocess.run(
        shlex.split(hook["entry"]),
        cwd=tmp_path,
        env={"PATH": str(empty)},
        capture_output=True,
        text=True,
        check=False,
        executable=sh,
    )
    assert ran.returncode == 1
    assert ran.stdout == (
        "vanban check: the vanban command is not installed in this environment.\n"
        "Install it: python3 -m venv .venv && . .venv/bin/activate && pip install -e "
        "/path/to/vanban\n"
        "(or activate the environment that has it), then commit again.\n"
    )


def test_a_money_figure_typed_by_hand_is_a_warning_naming_the_likely_fact(tmp_path: Path) -> None:
    project = reference_copy(tmp_path)
    page = project / "content" / "03-du-an.md"
    _edit(page, "{{ von.du_an_2.allocated | so }}** triệu đồng", "11.024** triệu đồng")
    found = _open(project)
    assert found == [
        'content/03-du-an.md:15:104: warning: "11.024 triệu đồng" typed by hand, and no fact in '
        "triệu đồng has this value (the fact von.du_an_2.allocated is 11.042: a slip of the "
        "keys?): a money figure comes from data; put it in data/ and print it with so "
        "[typed-figure]"
    ]


@given(numberish)
def test_the_figure_lint_never_crashes(text: str) -> None:
    store = FactStore({"von": {"a": Decimal("704.543"), "b": 11042}}, {"von": "data/von.yaml"})
    figures = FigureIndex(store, lambda name: "triệu đồng")
    for extra in ("", " triệu đồng", " đồng", " tấn"):
        source, _ = read_source("x.md", (text + extra).encode("utf-8", errors="surrogatepass"))
        lint_source(source, figures)


def test_long_figures_typed_in_the_text_are_warnings_not_crashes() -> None:
    store = FactStore({"von": {"a": Decimal("704.543")}}, {"von": "data/von.yaml"})
    source, _ = read_source(
        "x.md", "Chi 95.120.259.153 đồng và 12345678901234567890123456 đồng.".encode()
    )
    assert [f.message for f in lint_source(source, FigureIndex(store, lambda n: "đồng"))] == [
        '"95.120.259.153 đồng" typed by hand, and no fact in đồng has this value: a money '
        "figure comes from data; put it in data/ and print it with so",
        '"12345678901234567890123456 đồng" typed by hand, and no fact in đồng has this value: '
        "a money figure comes from data; put it in data/ and print it with so",
    ]


def test_a_typed_figure_counts_and_a_number_that_names_is_none() -> None:
    """What a rollover lists and an import counts as left: the figures, not the years,
    dates, document numbers, the numbers naming a part, a day or a row, nor a printed fact."""
    text = (
        "# 2. Kết quả quý I năm 2026\n"
        "Theo Điều 5 khoản 2 Nghị định 30/2020/NĐ-CP ngày 05/3/2020 và Đề án 06, đến ngày 25 "
        "tháng 3, (1) tiếp nhận 120.088 hồ sơ, đạt 97,44 %; 12 xã, "
        "{{ so_lieu.f001 | so }} người; Chính quyền số 4.0.\n"
        "| **1.** | Số văn bản (Biểu mẫu 1) | 29 |\n"
    )
    source, _ = read_source("x.md", text.encode("utf-8"))
    found = [(*source.place(offset), token) for offset, token in typed_figures(source.masked_text)]
    assert found == [(2, 108, "120.088"), (2, 127, "97,44"), (2, 136, "12"), (3, 38, "29")]
    assert [source.lines[line - 1][col - 1 :][: len(token)] for line, col, token in found] == [
        "120.088",
        "97,44",
        "12",
        "29",
    ]


def test_the_build_stops_when_the_fact_behind_a_kept_misprint_changes(tmp_path: Path) -> None:
    from vanban.errors import ProblemsError
    from vanban.pipeline import gather

    project = reference_copy(tmp_path)
    _edit(project / "data" / "von.yaml", "disbursed: 704.543", "disbursed: 604.543")
    with pytest.raises(ProblemsError) as raised:
        gather(open_project(project))
    assert any(
        str(p).startswith(
            'content/03-du-an.md:49:209: error: printed "704.543" for '
            "von.du_an_4.gdnn.y2022.disbursed = 604,543: it reads as 704.543; print 604,543"
        )
        for p in raised.value.problems
    )


def test_a_long_file_is_linted_with_its_prose_split_into_lines_once() -> None:
    # each line's prose was found by splitting the whole file again: quadratic in its length
    splits = []

    class Counting(Source):
        @property
        def masked(self) -> list[str]:
            splits.append(1)
            return super().masked

    read, _ = read_source("content/x.md", "Dòng có số 1.234 và chữ ².\n\n".encode() * 500)
    findings = lint_source(Counting(*vars(read).values()), None)
    assert len(splits) == 1
    assert len([f for f in findings if f.rule == "superscript-marker"]) == 500


@pytest.mark.parametrize("between", [" - ", " – ", " — ", "\u00a0–\u00a0", "-", " ", "–", " & "])
def test_a_glossary_name_is_found_whatever_dash_or_space_joins_its_words(between: str) -> None:
    glossary = compile_glossary([Entry("Phòng Lao động - TB&XH", (), ("Phòng LĐ-TBXH",), None, 1)])
    text = f"Báo cáo của Phòng Lao  động{between}TB&XH huyện và Phòng LĐ{between}TBXH."
    found = glossary.findings("content/a.md", text, lambda offset: (1, offset + 1))
    spelt = f"Phòng Lao  động{between}TB&XH"
    name = f'"{spelt}" is spelt "Phòng Lao động - TB&XH" in the glossary'
    avoided = f'"Phòng LĐ{between}TBXH" is spelt "Phòng Lao động - TB&XH" in the glossary'
    expected = [(13, name)] if " ".join(spelt.split()) != "Phòng Lao động - TB&XH" else []
    assert [(f.col, f.message) for f in found] == [*expected, (text.index("Phòng LĐ") + 1, avoided)]


def test_a_footnote_placement_waiver_accepts_what_the_marker_was_typed_after(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_case("footnote-placement", tmp_path)
    (project / "checks").mkdir(exist_ok=True)
    (project / "checks" / "waivers.yaml").write_text(
        "waivers:\n"
        "  - rule: footnote-placement\n    at: '[^qd-199]'\n    reason: Như ban hành.\n"
        '    by: người soạn\n    accepted: {typed: "2025[^qd-199]"}\n'
        "  - rule: footnote-placement\n    at: '[^tt-46]'\n    reason: Như ban hành.\n"
        '    by: người soạn\n    accepted: {typed: "định [^tt-46]"}\n'
        "  - rule: footnote-placement\n    at: '[^von]'\n    reason: Như ban hành.\n"
        '    by: người soạn\n    accepted: {typed: "{{ so_lieu.von.allocated | so }}**[^von]"}\n',
        encoding="utf-8",
    )
    assert check("--strict", str(project)) == 0
    assert (
        capsys.readouterr()
        .out.splitlines()[-1]
        .startswith("check: 0 errors, 0 warnings, 3 acknowledged")
    )
    text = project / "content" / "01-ket-qua.md"
    text.write_text(
        text.read_text(encoding="utf-8").replace("2021- 2025[^qd-199]", "2021- 2026[^qd-199]"),
        encoding="utf-8",
    )
    assert check(str(project)) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "checks/waivers.yaml:2:5: warning: waiver for [footnote-placement] at [^qd-199] is "
        "stale: typed: accepted 2025[^qd-199], now 2026[^qd-199]: the finding at "
        "content/01-ket-qua.md:3:21 is open again; if the new figures stand, re-accept them: "
        'accepted: {typed: "2026[^qd-199]"} [stale-waiver]'
    )
    assert out[-1].startswith("check: 0 errors, 2 warnings, 2 acknowledged")
