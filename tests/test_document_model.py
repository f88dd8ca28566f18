"""The document model as a reader of the built DOCX sees it: the số as written, the Kính
gửi, and the heading schemes with numbered items."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import copy_case, needs_libreoffice, pdf_pages, to_pdf
from docx_reader import Document, read_docx
from reuse_cli import vanban
from vanban.conventions import SCHEME_ORDER
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


def with_text(project: Path, name: str, text: str) -> None:
    """Replace the project's content files with one file of this text."""
    for path in (project / "content").glob("*.md"):
        path.unlink()
    (project / "content" / name).write_text(text, encoding="utf-8")


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
    assert not any(r.bold for r in line.text_runs)  # upright, not bold (ND30 II.9.d)
    assert doc.tables[-1].rows[0][0][1].text == "- Như trên;"


def test_several_recipients_print_upright_the_label_too(tmp_path: Path) -> None:
    doc = built(scaffolded(tmp_path, "ke-hoach", TO_TWO))
    start = next(i for i, p in enumerate(doc.paragraphs) if p.text == "Kính gửi:")
    head, *items = doc.paragraphs[start : start + 3]
    assert not head.bold and not head.italic
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
        "data/document.yaml:21:1: error: recipients_to: a Quyết định has no Kính gửi (ND30 Phụ "
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
    with_text(project, "01-noi-dung.md", BODY)
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
    ("scheme", "labels", "bold"),
    [
        (None, ("I.", "1.", "a)", "II."), (True, True, False)),
        ("roman", ("I.", "1.", "a)", "II."), (True, True, False)),
        ("decimal", ("1.", "1.1.", "1.1.1.", "2."), (True, True, True)),
        ("legal", ("Điều 1.", "1.", "a)", "Điều 2."), (True, True, False)),
        # A Báo cáo with no Roman level: 1. / a) / - (ND30 6b without its Mục level).
        ("[number, letter, letter]", ("1.", "a)", "a)", "2."), (True, False, False)),
        ("[roman, decimal, decimal]", ("I.", "1.", "1.1.", "II."), (True, True, True)),
        ("[article, number, decimal]", ("Điều 1.", "1.", "1.1.", "Điều 2."), (True, True, True)),
    ],
)
def test_heading_schemes_and_numbered_items(
    tmp_path: Path, scheme: str | None, labels: tuple[str, ...], bold: tuple[bool, ...]
) -> None:
    top, second, third, next_top = labels
    items = [(text, "body", False) for text in ITEMS]
    assert body_texts(headed(tmp_path, scheme)) == [
        (f"{top} Mục đích, yêu cầu", "heading 1", bold[0]),
        *items,
        (f"{second} Nhiệm vụ cụ thể", "heading 2", bold[1]),
        ("1. Rà soát hộ nghèo.", "body", False),  # items restart after a heading
        (f"{third} Đối với cấp xã", "heading 3", bold[2]),
        ("Thực hiện rà soát.", "body", False),
        (f"{next_top} Tổ chức thực hiện", "heading 1", True),
        ("1. Phòng Lao động chủ trì.", "body", False),
    ]


def _caps_by_level(docx: Path) -> dict[str, bool]:
    """Return, for each Heading N style of a built document, whether it prints in capitals."""
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    styles = etree.fromstring(zipfile.ZipFile(docx).read("word/styles.xml"))
    found = {}
    for style in styles.iter(f"{w}style"):
        name = style.get(f"{w}styleId")
        if name in ("Heading1", "Heading2", "Heading3"):
            caps = style.find(f"{w}rPr/{w}caps")
            found[name] = caps is not None and caps.get(f"{w}val") not in ("0", "false")
    return found


@pytest.mark.parametrize(
    ("scheme", "caps"),
    [
        (None, (True, False, False)),
        ("decimal", (False, False, False)),
        ("legal", (False, False, False)),
        ("[part, roman, letter]", (False, True, False)),  # "Phần I" itself in lower case
        ("[chapter, article]", (False, False, False)),  # "Chương I" itself in lower case
    ],
)
def test_the_title_of_a_roman_level_prints_in_capitals_however_typed(
    tmp_path: Path, scheme: str | None, caps: tuple[bool, bool, bool]
) -> None:
    edits = {"summary:": f"headings: {scheme}\nsummary:"} if scheme else {}
    project = scaffolded(tmp_path, "ke-hoach", edits)
    with_text(project, "01-noi-dung.md", BODY)  # "# Mục đích, yêu cầu" typed in lower case
    path = build_report(project).path
    levels = ("Heading1", "Heading2", "Heading3")
    assert _caps_by_level(path) == dict(zip(levels, caps, strict=True))


@needs_libreoffice
def test_a_roman_heading_typed_in_lower_case_reads_in_capitals_on_the_page(
    tmp_path: Path,
) -> None:
    project = scaffolded(tmp_path, "bao-cao")
    with_text(project, "01-noi-dung.md", BODY)
    text = pdf_pages(to_pdf(build_report(project).path, tmp_path))[0]["text"]
    assert "I. MỤC ĐÍCH, YÊU CẦU" in text and "II. TỔ CHỨC THỰC HIỆN" in text
    assert "1. Nhiệm vụ cụ thể" in text  # the level under it as typed


LEVELS = "part, chapter, section, subsection, article, roman, number, decimal, letter"


@pytest.mark.parametrize(
    ("value", "messages"),
    [
        ("la-ma", [f"headings: expected roman, decimal, legal or a list of levels ({LEVELS}), "
                   "got 'la-ma'"]),
        ("[chapter, khoan, diem]", [f"headings[1]: expected one of {LEVELS}, got 'khoan'",
                                    f"headings[2]: expected one of {LEVELS}, got 'diem'"]),
        ("[part, chapter, section, subsection, article, number, letter]",
         ["headings: expected at most 6 levels (#, ## … ######), got 7"]),
        ("[article, chapter]", ["headings[1]: chapter under article: the levels go in ND30's "
                                f"order ({SCHEME_ORDER})"]),
        ("[chapter, chapter, article]", ["headings[1]: chapter under chapter: the levels go in "
                                         f"ND30's order ({SCHEME_ORDER})"]),
    ],
)  # fmt: skip
def test_a_wrong_heading_scheme_is_located_and_names_what_is_allowed(
    tmp_path: Path, value: str, messages: list[str]
) -> None:
    project = scaffolded(tmp_path, "ke-hoach", {"summary:": f"headings: {value}\nsummary:"})
    found = problems_of(project)
    line = next(
        number
        for number, text in enumerate(
            (project / "data" / "document.yaml").read_text(encoding="utf-8").splitlines(), 1
        )
        if text.startswith("headings:")
    )
    assert [problem.split(": error: ", 1)[1] for problem in found] == messages
    assert all(problem.startswith(f"data/document.yaml:{line}:") for problem in found)


CHAPTERS = """\
# Quy định chung

## Phạm vi điều chỉnh

Quy chế này quy định việc quản lý kinh phí hỗ trợ hộ nghèo.

## Đối tượng áp dụng

#. Hộ nghèo trên địa bàn huyện.
#. Các cơ quan, đơn vị có liên quan:
  #. Phòng Tài chính - Kế hoạch;
  #. Ủy ban nhân dân các xã.

# Tổ chức thực hiện

## Trách nhiệm thi hành

Các cơ quan có liên quan chịu trách nhiệm thi hành Quy chế này./.
"""


def chaptered(tmp_path: Path, scheme: str) -> Path:
    project = scaffolded(tmp_path, "quyet-dinh", {"headings: legal": f"headings: {scheme}"})
    with_text(project, "01-quy-che.md", CHAPTERS)
    return project


def test_chapters_print_centred_over_their_title_and_articles_run_through(
    tmp_path: Path,
) -> None:
    doc = built(chaptered(tmp_path, "[chapter, article]"))
    start = next(i for i, p in enumerate(doc.paragraphs) if p.text.startswith("Chương I\n"))
    body = [p for p in doc.paragraphs[start:] if p.text][:11]
    kinds = [p.style if p.style.startswith("heading") else "body" for p in body]
    seen = zip(body, kinds, strict=True)
    assert [(p.text, kind, p.alignment, p.first_line, p.bold) for p, kind in seen] == [
        ("Chương I\nQuy định chung", "heading 1", "center", 0, True),
        ("Điều 1. Phạm vi điều chỉnh", "heading 2", "both", 720, True),
        ("Quy chế này quy định việc quản lý kinh phí hỗ trợ hộ nghèo.", "body", "both", 720, False),
        ("Điều 2. Đối tượng áp dụng", "heading 2", "both", 720, True),
        ("1. Hộ nghèo trên địa bàn huyện.", "body", "both", 720, False),
        ("2. Các cơ quan, đơn vị có liên quan:", "body", "both", 720, False),
        ("a) Phòng Tài chính - Kế hoạch;", "body", "both", 720, False),
        ("b) Ủy ban nhân dân các xã.", "body", "both", 720, False),
        # Chương II restarts nothing below it: an Điều is numbered through the document.
        ("Chương II\nTổ chức thực hiện", "heading 1", "center", 0, True),
        ("Điều 3. Trách nhiệm thi hành", "heading 2", "both", 720, True),
        ("Các cơ quan có liên quan chịu trách nhiệm thi hành Quy chế này./.",
         "body", "both", 720, False),
    ]  # fmt: skip


@needs_libreoffice
def test_a_chapter_title_reads_in_capitals_on_the_page(tmp_path: Path) -> None:
    project = chaptered(tmp_path, "[part, chapter, section, article]")
    text = (project / "content" / "01-quy-che.md").read_text(encoding="utf-8")
    text = text.replace(
        "# Quy định chung", "# Những quy định chung\n\n## Quy định chung\n\n### Phạm vi\n"
    ).replace("## Phạm vi điều chỉnh", "#### Phạm vi điều chỉnh")
    text = text.replace("## Đối tượng", "#### Đối tượng").replace("# Tổ chức", "## Tổ chức")
    text = text.replace("## Trách nhiệm", "#### Trách nhiệm")
    (project / "content" / "01-quy-che.md").write_text(text, encoding="utf-8")
    built_ = build_report(project)
    pages = pdf_pages(to_pdf(built_.path, tmp_path))
    lines = [line.strip() for page in pages for line in page["text"].splitlines() if line.strip()]
    start = lines.index("Phần I")
    assert lines[start : start + 7] == [
        "Phần I",
        "NHỮNG QUY ĐỊNH CHUNG",
        "Chương I",
        "QUY ĐỊNH CHUNG",
        "Mục 1",
        "PHẠM VI",
        "Điều 1. Phạm vi điều chỉnh",
    ]
    assert "Chương II" in lines and "TỔ CHỨC THỰC HIỆN" in lines
    assert "Điều 3. Trách nhiệm thi hành" in lines  # through the chapters


def test_legal_articles_without_a_title_run_into_their_text(tmp_path: Path) -> None:
    project = scaffolded(tmp_path, "quyet-dinh")  # headings: legal, # {.run-in}
    doc = built(project)
    (article,) = [p for p in doc.paragraphs if p.text.startswith("Điều 1.")]
    assert article.text.startswith("Điều 1. Phê duyệt kinh phí hỗ trợ hộ nghèo")
    assert [(r.text, r.bold) for r in article.text_runs][0] == ("Điều 1.", True)
    assert not article.text_runs[-1].bold


def test_a_run_in_title_looks_as_its_level_does(tmp_path: Path) -> None:
    project = scaffolded(tmp_path, "bao-cao", {"summary:": "headings: [number, letter]\nsummary:"})
    with_text(
        project,
        "01-noi-dung.md",
        "# Kết quả: {.run-in}\n\nĐạt kế hoạch.\n\n## Chủng loại: {.run-in}\n\n1.939.211 kg.\n",
    )
    doc = built(project)
    top = doc.paragraph("1. Kết quả: Đạt kế hoạch.")
    point = doc.paragraph("a) Chủng loại: 1.939.211 kg.")
    assert [(r.text, r.bold) for r in top.text_runs] == [
        ("1. Kết quả:", True),
        ("Đạt kế hoạch.", False),
    ]
    assert [(r.text, r.bold) for r in point.text_runs] == [
        ("a) Chủng loại:", False),  # ND30 II.6.đ: a điểm upright, not bold
        ("1.939.211 kg.", False),
    ]
