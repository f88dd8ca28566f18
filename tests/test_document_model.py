"""The document model as a reader of the built DOCX sees it: the số as written, the Kính
gửi, and the heading schemes with numbered items."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import copy_case
from docx_reader import Document, read_docx
from reuse_cli import vanban
from vanban.errors import ProblemsError
from vanban.pipeline import build_report
from vanban.scaffold import scaffold


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def scaffolded(tmp_path: Path, kind: str, edits: dict[str, str] | None = None) -> Path:
    """Return a `vanban new` project of this kind with data/document.yaml edited."""
    project = tmp_path / kind
    scaffold(kind, project)
    for old, new in (edits or {}).items():
        edit(project / "data" / "document.yaml", old, new)
    return project


def built(project: Path) -> Document:
    return read_docx(build_report(project).path)


def problems_of(project: Path) -> list[str]:
    with pytest.raises(ProblemsError) as caught:
        build_report(project)
    return [str(p) for p in caught.value.problems]


# ------------------------------------------------------------------- the number


@pytest.mark.parametrize("written", ["0204", '"0204"'])
def test_number_keeps_its_leading_zeros_in_the_masthead_and_the_appendix(
    tmp_path: Path, written: str
) -> None:
    project = copy_case("appendix-basic", tmp_path)
    edit(project / "data" / "document.yaml", "number: null", f"number: {written}  # số")
    doc = built(project)
    number = doc.tables[0].rows[1][0][0]
    assert number.text == "Số: 0204/BC-UBND"
    attached = [p.text for p in doc.paragraphs if p.text.startswith("(Kèm theo")]
    assert attached and all(" số 0204/BC-UBND " in text for text in attached), attached


def test_number_below_ten_gets_nd30_leading_zero(tmp_path: Path) -> None:
    project = copy_case("appendix-basic", tmp_path)
    edit(project / "data" / "document.yaml", "number: null", "number: 5")
    assert built(project).tables[0].rows[1][0][0].text == "Số: 05/BC-UBND"


def test_number_as_yaml_1_1_reads_it_keeps_the_written_digits(tmp_path: Path) -> None:
    project = copy_case("appendix-basic", tmp_path)
    path = project / "data" / "document.yaml"
    path.write_text("%YAML 1.1\n---\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    edit(path, "number: null", "number: 0204")
    assert built(project).tables[0].rows[1][0][0].text == "Số: 0204/BC-UBND"


@pytest.mark.parametrize(
    ("written", "shown"),
    [('"02a4"', "'02a4'"), ("0x1F", "'0x1F'"), ("1_000", "'1_000'"), ('" 12"', "' 12'")],
)
def test_number_that_is_not_digits_is_refused_with_its_place(
    tmp_path: Path, written: str, shown: str
) -> None:
    project = copy_case("appendix-basic", tmp_path)
    edit(project / "data" / "document.yaml", "number: null", f"number: {written}")
    assert problems_of(project) == [
        "data/document.yaml:9:9: error: number: expected the số in digits as it is printed "
        f"(5, 05, 0204), got {shown}"
    ]


# --------------------------------------------------------------------- Kính gửi

TO_ONE = {"recipients:": "recipients_to: Sở Tài chính tỉnh\nrecipients:"}
TO_TWO = {"recipients:": "recipients_to:\n  - Sở Tài chính tỉnh\n  - Sở Nội vụ tỉnh\nrecipients:"}


def test_a_ke_hoach_addressed_to_a_body_builds_with_its_kinh_gui(tmp_path: Path) -> None:
    doc = built(scaffolded(tmp_path, "ke-hoach", TO_ONE))
    (line,) = [p for p in doc.paragraphs if p.text.startswith("Kính gửi:")]
    assert line.text == "Kính gửi: Sở Tài chính tỉnh" and line.alignment == "center"
    assert [(r.text, r.bold) for r in line.text_runs] == [
        ("Kính gửi:", True),
        (" Sở Tài chính tỉnh", False),
    ]
    assert doc.tables[-1].rows[0][0][1].text == "- Như trên;"


def test_several_recipients_only_the_label_is_bold(tmp_path: Path) -> None:
    doc = built(scaffolded(tmp_path, "ke-hoach", TO_TWO))
    start = next(i for i, p in enumerate(doc.paragraphs) if p.text == "Kính gửi:")
    head, *items = doc.paragraphs[start : start + 3]
    assert head.bold
    assert [(p.text, p.bold) for p in items] == [
        ("- Sở Tài chính tỉnh;", False),
        ("- Sở Nội vụ tỉnh.", False),
    ]


KE_HOACH_WARNING = (
    "data/document.yaml:19:1: warning: recipients_to: ND30's sample of a Kế hoạch (Mẫu 1.4, "
    "Phụ lục III) has no Kính gửi (ND30 Phụ lục I, II.9.b: only a Tờ trình, a Báo cáo to a "
    "higher body and a Công văn have one); keep it if this Kế hoạch is addressed to a body, "
    "else list the body under recipients [recipients-to]"
)


def test_check_warns_of_a_kinh_gui_the_sample_does_not_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = scaffolded(tmp_path, "ke-hoach", TO_ONE)
    assert vanban(["check", str(project)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line for line in out if "recipients" in line] == [KE_HOACH_WARNING]
    assert vanban(["check", "--strict", str(project)]) == 1


@pytest.mark.parametrize("kind", ["bao-cao", "to-trinh"])
def test_no_warning_where_nd30_gives_a_kinh_gui(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    edits = TO_ONE if kind == "bao-cao" else None
    assert vanban(["check", str(scaffolded(tmp_path, kind, edits))]) == 0
    assert "recipients-to" not in capsys.readouterr().out


def test_a_quyet_dinh_still_refuses_a_kinh_gui(tmp_path: Path) -> None:
    project = scaffolded(tmp_path, "quyet-dinh", TO_ONE)
    assert problems_of(project) == [
        "data/document.yaml:20:1: error: recipients_to: a Quyết định has no Kính gửi (ND30 Phụ "
        "lục I, II.9.b: only a Tờ trình, a Báo cáo to a higher body and a Công văn have one); "
        "list its recipients under recipients"
    ]


def test_a_waiver_accepts_the_kinh_gui_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = scaffolded(tmp_path, "ke-hoach", TO_ONE)
    waivers = project / "checks" / "waivers.yaml"
    waiver = (
        "waivers:\n  - rule: recipients-to\n    at: recipients_to\n"
        "    reason: Kế hoạch gửi Sở Tài chính thẩm định.\n    by: Nguyễn Văn B\n"
    )
    waivers.write_text(waiver, encoding="utf-8")
    assert vanban(["check", str(project)]) == 1  # it must say what it accepted
    found = re.search(r"add: (accepted: \{fingerprint: \"\w+\"\})", capsys.readouterr().out)
    assert found is not None
    waivers.write_text(f"{waiver}    {found.group(1)}\n", encoding="utf-8")
    assert vanban(["check", "--strict", str(project)]) == 0
    out = capsys.readouterr().out
    assert "1 acknowledged" in out and "stale-waiver" not in out


# ------------------------------------------------------ headings and numbered items

BODY = """# Mục đích, yêu cầu

#. Tổ chức triển khai kịp thời.
#. Bảo đảm đúng đối tượng:
  #. hộ nghèo;
  #. hộ cận nghèo.

## Nhiệm vụ cụ thể

#. Rà soát hộ nghèo.

### Đối với cấp xã

Thực hiện rà soát.

# Tổ chức thực hiện

#. Phòng Lao động chủ trì.
"""


def headed(tmp_path: Path, scheme: str | None) -> Document:
    edits = {"summary:": f"headings: {scheme}\nsummary:"} if scheme else {}
    project = scaffolded(tmp_path, "ke-hoach", edits)
    for path in (project / "content").glob("*.md"):
        path.unlink()
    (project / "content" / "01-noi-dung.md").write_text(BODY, encoding="utf-8")
    return built(project)


def body_texts(doc: Document) -> list[tuple[str, str, bool]]:
    """Return (text, style, bold) of the body between the masthead and the closing."""
    paragraphs = [p for p in doc.paragraphs if p.text]
    start = next(i for i, p in enumerate(paragraphs) if p.style.startswith("heading"))
    end = next((i for i, p in enumerate(paragraphs) if p.text == "Nơi nhận:"), len(paragraphs))
    out = []
    for p in paragraphs[start:end]:
        assert (p.alignment, p.first_line) == ("both", 720), p.text  # the body's indent
        style = p.style if p.style.startswith("heading") else "body"
        out.append((p.text, style, p.bold))
    return out


ITEMS = [
    "1. Tổ chức triển khai kịp thời.",
    "2. Bảo đảm đúng đối tượng:",
    "a) hộ nghèo;",
    "b) hộ cận nghèo.",
]


@pytest.mark.parametrize(
    ("scheme", "labels"),
    [
        (None, ("I.", "1.", "a)", "II.")),
        ("roman", ("I.", "1.", "a)", "II.")),
        ("decimal", ("1.", "1.1.", "1.1.1.", "2.")),
        ("legal", ("Điều 1.", "1.", "a)", "Điều 2.")),
    ],
)
def test_heading_schemes_and_numbered_items(
    tmp_path: Path, scheme: str | None, labels: tuple[str, ...]
) -> None:
    top, second, third, next_top = labels
    items = [(text, "body", False) for text in ITEMS]
    assert body_texts(headed(tmp_path, scheme)) == [
        (f"{top} Mục đích, yêu cầu", "heading 1", True),
        *items,
        (f"{second} Nhiệm vụ cụ thể", "heading 2", True),
        ("1. Rà soát hộ nghèo.", "body", False),  # items restart after a heading
        (f"{third} Đối với cấp xã", "heading 3", False),
        ("Thực hiện rà soát.", "body", False),
        (f"{next_top} Tổ chức thực hiện", "heading 1", True),
        ("1. Phòng Lao động chủ trì.", "body", False),
    ]


def test_an_unknown_heading_scheme_names_the_schemes(tmp_path: Path) -> None:
    project = scaffolded(tmp_path, "ke-hoach", {"summary:": "headings: la-ma\nsummary:"})
    (problem,) = problems_of(project)
    assert "headings" in problem and "roman" in problem and "legal" in problem


def test_legal_articles_without_a_title_run_into_their_text(tmp_path: Path) -> None:
    project = scaffolded(tmp_path, "quyet-dinh", {"summary:": "headings: legal\nsummary:"})
    content = sorted((project / "content").glob("*.md"))
    for path in content:
        path.write_text(
            path.read_text(encoding="utf-8").replace("**Điều 1.**", "# {.run-in}\n\n"),
            encoding="utf-8",
        )
    doc = built(project)
    (article,) = [p for p in doc.paragraphs if p.text.startswith("Điều 1.")]
    assert article.text.startswith("Điều 1. Phê duyệt kinh phí hỗ trợ hộ nghèo")
    assert [(r.text, r.bold) for r in article.text_runs][0] == ("Điều 1.", True)
    assert not article.text_runs[-1].bold
