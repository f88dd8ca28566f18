"""`vanban new KIND DIR`: a new report directory that builds at once into a valid draft.

The directory holds everything a document needs and nothing of another: its metadata, a few
sections of starting text in the kind's usual structure, one fact file with its schema and
a rule over it, empty glossary and waivers, the Word templates, a README for the office, the
git attributes of the engine and a CI example. `--like DIR` takes the agency, place, signer,
Word templates and glossary of an existing report, so that an office starts from its own.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

from .classes import dataclass
from .errors import ProjectError
from .kinds import KINDS, NEVER, OPTIONAL, Kind, kind_names

# -------------------------------------------------------------------- what is written


@dataclass(frozen=True)
class Agency:
    """The issuing body and signer a new document starts with."""

    parent: str | None
    lines: tuple[str, ...]
    abbreviation: str
    full_name: str
    drafting_unit: str | None
    place: str
    authority: tuple[str, ...]
    position: str
    signer: str


def default_agency(kind: Kind) -> Agency:
    """Return the ND30 sample's blanks ("HUYỆN …", "…, ngày … tháng … năm …") to fill in."""
    name, abbreviation = kind.agency  # a Nghị quyết's council: HỘI ĐỒNG NHÂN DÂN, HĐND
    return Agency(
        parent=None,
        lines=(name, "HUYỆN …"),
        abbreviation=abbreviation,
        full_name=f"{name[0]}{name[1:].lower()} huyện …",
        drafting_unit="VP",
        place="…",
        authority=kind.authority,
        position=kind.position,
        signer="Nguyễn Văn A",
    )


def agency_like(project: Path, kind: Kind) -> Agency:
    """Return the agency, place and signer of an existing report's data/document.yaml."""
    from .facts import load_yaml

    path = project / "data" / "document.yaml"
    if not path.is_file():
        raise ProjectError(f"{project}: --like needs a report directory: missing {path}")
    loaded, problems = load_yaml(path, str(path))
    if loaded is None or not isinstance(loaded.document, Mapping):
        detail = "; ".join(str(p) for p in problems) or "expected a mapping"
        raise ProjectError(f"{path}: cannot read it: {detail}")
    data = loaded.document
    try:
        agency = data["agency"]
        signer = data["signer"]
        authority = signer.get("authority")
        return Agency(
            parent=agency.get("parent"),
            lines=tuple(agency["name"]),
            abbreviation=agency["abbreviation"],
            full_name=agency["full_name"],
            drafting_unit=agency.get("drafting_unit") or "VP",
            place=data["place"],
            authority=(
                (authority,) if isinstance(authority, str) else tuple(authority or kind.authority)
            ),
            position=signer["position"],
            signer=signer["name"],
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise ProjectError(f"{path}: not a valid document.yaml ({exc}): run vanban check") from None


def output_name(directory: Path) -> str:
    """Return the output name for a directory: its name in ASCII kebab case."""
    text = unicodedata.normalize(
        "NFD", directory.resolve().name.replace("đ", "d").replace("Đ", "D")
    )
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug or "van-ban"


_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#]*$")


def scalar(value: str | None) -> str:
    """Write a YAML scalar: plain when that reads back as the same text, else quoted."""
    if value is None:
        return "null"
    special = value.lower() in {"null", "true", "false", "yes", "no", "on", "off", "~"}
    looks_numeric = re.fullmatch(r"[-+.\d_eE]+", value) is not None
    if _PLAIN.match(value) and not special and not looks_numeric and value == value.strip():
        return value
    return json.dumps(value, ensure_ascii=False)


def _items(values: tuple[str, ...] | list[str], indent: str = "  ") -> str:
    return "\n".join(f"{indent}- {scalar(v)}" for v in values)


COMMENT_COLUMN = 26


def _line(text: str, comment: str = "") -> str:
    """Return a YAML line with its comment in the comment column."""
    if not comment:
        return text
    return (
        f"{text:<{COMMENT_COLUMN}}# {comment}"
        if len(text) < COMMENT_COLUMN
        else f"{text}  # {comment}"
    )


# What each heading scheme a sample names prints, in data/document.yaml's own words.
HEADING_NOTES = {
    "legal": "# là Điều 1., ## là khoản 1., ### là điểm a); # {.run-in} là Điều không tiêu đề",
}


def document_yaml(kind: Kind, agency: Agency, output: str, year: int) -> str:
    """Return data/document.yaml for a new draft of this kind, its fields explained."""
    sample = samples()[kind.key]
    symbol = kind.symbol(agency.abbreviation, agency.drafting_unit)
    lines = [
        "# Thông tin văn bản: loại, cơ quan ban hành, số, ngày, trích yếu, nơi nhận, người ký.",
        "# Sửa các chỗ có dấu …; `vanban build` báo lỗi kèm dòng, cột nếu thiếu hay sai.",
        _line(f"kind: {kind.key}", f"{kind.name} ({kind.sample}, Phụ lục III Nghị định 30)"),
        _line("status: draft", "draft: số và ngày để trống cho văn thư; final: bắt buộc có"),
        _line(f"output: {output}", f"build/{output}.docx"),
        "agency:",
        _line(f"  parent: {scalar(agency.parent)}", "cơ quan chủ quản (nếu có): UBND TỈNH …"),
        _line("  name:", "tên cơ quan ban hành, mỗi dòng in một dòng"),
        _items(agency.lines, "    "),
        _line(f"  abbreviation: {scalar(agency.abbreviation)}", f"ký hiệu: Số: …/{symbol}"),
        f"  full_name: {scalar(agency.full_name)}",
    ]
    if kind.abbreviation is None:
        unit = f"  drafting_unit: {scalar(agency.drafting_unit)}"
        lines.append(_line(unit, "đơn vị soạn thảo (công văn)"))
    lines += [
        "number: null",
        _line(
            f"place: {scalar(agency.place)}",
            "" if kind.date_line else "không in dưới quốc hiệu: nội dung ghi thời gian, địa điểm",
        ),
        "date: null",
        f"year: {year}",
        _line("# period: {start: 2026, end: 2030}", "giai đoạn: {{ document.period }}"),
    ]
    if kind.summary == NEVER:  # a Giấy giới thiệu: only the rule under its name
        lines.append(f"# không có trích yếu ({kind.sample}: dưới tên loại chỉ có đường kẻ)")
    else:
        summary = scalar(sample["summary"].replace("$year", str(year)))
        lines.append(
            _line(f"summary: {summary}", "trích yếu; có thể bỏ" if kind.summary == OPTIONAL else "")
        )
    if sample.get("headings"):
        scheme = sample["headings"]
        lines.append(_line(f"headings: {scheme}", HEADING_NOTES.get(scheme, "")))
    if kind.issuer and sample.get("issuer"):  # a council's name and its session
        lines.append(_line("issuer:", "thẩm quyền ban hành, mỗi dòng in một dòng"))
        named = [line.replace("$agency", agency.full_name.upper()) for line in sample["issuer"]]
        lines.append(_items(named))
    elif kind.issuer:
        issuer = f"CHỦ TỊCH {agency.full_name.upper()}"
        what = "người gửi, in “… điện:”" if kind.dispatch else "thẩm quyền ban hành"
        lines.append(_line(f"issuer: {scalar(issuer)}", what))
    if sample.get("to") and kind.dispatch:
        lines.append(_line("recipients_to:", "nơi nhận điện, in dưới “… điện:”"))
        lines.append(_items(sample["to"]))
    elif sample.get("to"):
        lines.append(_line("recipients_to:", "Kính gửi; Nơi nhận tự in “- Như trên;” đầu tiên"))
        lines.append(_items(sample["to"]))
    lines += [
        _line("recipients:", "Nơi nhận"),
        _items(sample["received"]),
        "signer:",
    ]
    if agency.authority:
        lines.append(_line("  authority:", "TM., KT., TL., TUQ. (Phụ lục I, II.7.b)"))
        lines.append(_items(agency.authority, "    "))
    else:
        lines.append(_line("  authority: null", "người ký theo thẩm quyền của chính mình"))
    lines += [
        _line(f"  position: {scalar(agency.position)}", "Q. CHỦ TỊCH khi được giao quyền"),
        f"  name: {scalar(agency.signer)}",
    ]
    if kind.cosigned:
        lines += [
            _line("secretary:", "thư ký, ký bên trái chủ tọa (Mẫu 1.9)"),
            "  position: THƯ KÝ",
            "  name: Trần Thị B",
        ]
    if kind.confirmation is not None:
        lines.append(
            _line("# confirmation: true", "khối Xác nhận … nơi nghỉ phép, nếu cần (Mẫu 1.10)")
        )
    lines += [
        "# Khi phát hành (bỏ dấu # để dùng):",
        _line("# drafter: NVA", "ô 12: ký hiệu người soạn thảo, in cuối dòng Lưu"),
        _line("# copies: 10", "ô 12: số lượng bản phát hành"),
        _line("# contact: {address: …, phone: …, email: …}", "ô 13: chân trang thứ nhất"),
        _line("# issuance: electronic", "văn bản điện tử, ký số (Phụ lục I, II.7–8, III.1)"),
        _line("# appendix_files: separate", "văn bản điện tử: mỗi phụ lục một tệp"),
    ]
    return "\n".join(lines) + "\n"


FACTS = """\
# Số liệu của văn bản: mỗi số ghi một lần ở đây, văn bản in ra từ đây, ví dụ
# {{ so_lieu.ho_ngheo.households | so }} in "120"; {{ so_lieu.ho_ngheo.rate | pct }} in "5,25%".
# Số chưa có thì ghi !missing: bản nháp in [thiếu: …], bản chính thức không dựng được.
ho_ngheo:
  households: 120          # số hộ nghèo
  total_households: 2286   # tổng số hộ dân
  rate: 5.25               # tỷ lệ hộ nghèo (%)
kinh_phi: 250.0            # kinh phí (triệu đồng)
"""

SCHEMA = """\
# Lược đồ của data/so-lieu.yaml: kiểu, đơn vị và tên của từng số liệu.
ho_ngheo:
  type: dict
  required: true
  schema:
    households:
      type: count
      required: true
      meta: {unit: "hộ", label: "Số hộ nghèo"}
    total_households:
      type: count
      required: true
      meta: {unit: "hộ", label: "Tổng số hộ dân"}
    rate:
      type: percent
      required: true
      meta: {unit: "%", label: "Tỷ lệ hộ nghèo"}
kinh_phi:
  type: money
  required: true
  meta: {unit: "triệu đồng", label: "Kinh phí"}
"""

RULES = """\
# Quy tắc đối chiếu số liệu: mỗi bản dựng và `vanban check` đều áp dụng.
# Các loại: sum, difference, ratio, share, equal (xem README của vanban).
rules:
  - id: poor-rate
    title: Tỷ lệ hộ nghèo = số hộ nghèo / tổng số hộ / poor rate = poor households / all households
    ratio:
      numerator: so_lieu.ho_ngheo.households
      denominator: so_lieu.ho_ngheo.total_households
      result: so_lieu.ho_ngheo.rate
      percent: true
"""

GLOSSARY = """\
# Tên riêng (đơn vị, địa danh) và cách viết chuẩn; `vanban check` báo cách viết khác.
#   - name: Đắk Glei
#     note: huyện
#     accept: [...]   # cách viết khác cũng đúng
#     avoid: [...]    # cách viết cần báo
names: []
"""

WAIVERS = """\
# Những phát hiện của `vanban check` đã được xem xét và chấp nhận (kèm lý do, người, ngày).
#   - rule: poor-rate
#     at: so_lieu.ho_ngheo.rate
#     reason: ...
#     by: ...
#     date: 2025-01-01
waivers: []
"""

GITATTRIBUTES = """\
# `git diff` shows a Word document as its text and a fact file as one line per fact once
# `vanban git-setup` has been run in the clone.
*.docx diff=vanban-docx
data/*.yaml diff=vanban-facts
"""

GITIGNORE = "build/\n*.pdf\n"

CI = """\
# Ví dụ CI (GitHub Actions): mỗi lần đẩy mã, dựng văn bản và lưu tệp .docx.
name: vanban
on: [push, pull_request]
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      # Nơi cài công cụ vanban: địa chỉ git (git+https://…/vanban.git) hoặc thư mục của nó.
      VANBAN: ""
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: |
          test -n "$VANBAN" || { echo "Đặt VANBAN: nơi cài công cụ vanban"; exit 1; }
          pip install "$VANBAN"
      - run: vanban build .
      - uses: actions/upload-artifact@v4
        with:
          name: van-ban
          path: build/*.docx
"""

README = Template("""\
# $title

Thư mục này là một văn bản ($kind, $sample, Phụ lục III Nghị định 30/2020/NĐ-CP) dựng bằng
công cụ vanban: nội dung viết bằng Markdown, số liệu bằng YAML, phần đầu và phần ký là mẫu
Word; lệnh `vanban build` ghép thành tệp `.docx` đúng thể thức.

## Dựng văn bản

```sh
vanban build .     # ghi build/$output.docx; báo lỗi dạng tệp:dòng:cột nếu có
vanban check .     # đối chiếu số liệu, cách viết số, tên riêng, chú thích
```

## Các tệp

| tệp | nội dung |
|---|---|
| `data/document.yaml` | loại, nháp/chính thức, cơ quan, số, ngày, trích yếu, nơi nhận, người ký |
| `content/*.md` | nội dung theo thứ tự tệp; `#`, `##`… đánh số theo `headings:` (không gõ số) |
| `data/*.yaml`, `schema/*.yaml` | số liệu và lược đồ kiểm tra từng số |
| `checks/` | quy tắc đối chiếu số liệu, tên riêng, các phát hiện đã chấp nhận |
| `templates/` | mẫu Word của phần đầu và phần ký: mở bằng Word để sửa |

## Số liệu chưa có

Ghi `!missing` thay cho số (`households: !missing`). Bản nháp in `[thiếu: tên số liệu]` tô
vàng và liệt kê mọi số còn thiếu; bản chính thức (`status: final`) không dựng khi còn thiếu.

## Sang kỳ sau

```sh
vanban rollover . ../ten-thu-muc-moi --period 2026-2030
```

giữ cấu trúc, mẫu, quy tắc, bảng tên; xóa số liệu thành `!missing`; chuyển các số ghi ở
`carry_forward` của `data/document.yaml` (ví dụ tỷ lệ hộ nghèo cuối kỳ làm mức đầu kỳ mới).
""")


SAMPLES_FILE = "data/new-documents.yaml"


@lru_cache(maxsize=1)
def samples() -> dict[str, Any]:
    """Return the starting text of each kind (src/vanban/data/new-documents.yaml)."""
    from .facts import load_yaml, plain

    source = resources.files("vanban").joinpath(SAMPLES_FILE)
    with resources.as_file(source) as path:
        loaded, problems = load_yaml(path, SAMPLES_FILE)
    assert loaded is not None and not problems, problems
    found: dict[str, Any] = plain(loaded.document)
    assert set(found) == set(KINDS), f"{SAMPLES_FILE} must give every kind: {sorted(KINDS)}"
    return found


# --------------------------------------------------------------------------- command


def scaffold(kind_key: str, directory: Path, like: Path | None = None) -> list[Path]:
    """Write a new report directory of this kind; return the files written.

    Refuses a directory that exists and is not empty: `vanban new` never overwrites.
    """
    kind = KINDS.get(kind_key)
    if kind is None:
        raise ProjectError(f"unknown kind {kind_key!r}: expected one of {kind_names()}")
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ProjectError(f"{directory}: exists and is not empty; vanban new never overwrites")
    agency = agency_like(like, kind) if like is not None else default_agency(kind)
    year = dt.date.today().year
    sample = samples()[kind.key]
    output = output_name(directory)

    def fill(text: str) -> str:
        return text.replace("$year", str(year))

    files: dict[str, str] = {
        "data/document.yaml": document_yaml(kind, agency, output, year),
        "data/so-lieu.yaml": FACTS,
        "schema/so-lieu.yaml": SCHEMA,
        "checks/rules.yaml": RULES,
        "checks/glossary.yaml": GLOSSARY,
        "checks/waivers.yaml": WAIVERS,
        ".gitattributes": GITATTRIBUTES,
        ".gitignore": GITIGNORE,
        ".github/workflows/vanban.yml": CI,
        "README.md": README.substitute(
            title=f"{kind.name}: {fill(sample['summary'])}" if "summary" in sample else kind.name,
            kind=kind.name,
            sample=kind.sample,
            output=output,
        ),
        **{f"content/{name}": fill(text) for name, text in sample["content"].items()},
    }
    if like is not None and (like / "checks" / "glossary.yaml").is_file():
        files["checks/glossary.yaml"] = (like / "checks" / "glossary.yaml").read_text("utf-8")
    written = []
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(unicodedata.normalize("NFC", text), encoding="utf-8")
        written.append(path)
    written += _templates(directory / "templates", like)
    return written


def _templates(dest: Path, like: Path | None) -> list[Path]:
    """Copy the Word templates of the report given with --like, else write the defaults."""
    if like is not None and (like / "templates").is_dir():
        dest.mkdir(parents=True, exist_ok=True)
        copied = []
        for source in sorted((like / "templates").glob("*.docx")):
            shutil.copyfile(source, dest / source.name)
            copied.append(dest / source.name)
        if copied:
            return copied
    from .templates_gen import write_templates

    return write_templates(dest)
