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
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

from .errors import ProjectError
from .kinds import KINDS, Kind, kind_names

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
    return Agency(
        parent=None,
        lines=("ỦY BAN NHÂN DÂN", "HUYỆN …"),
        abbreviation="UBND",
        full_name="Ủy ban nhân dân huyện …",
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
    text = unicodedata.normalize("NFD", directory.resolve().name.replace("đ", "d").replace("Đ", "D"))
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


def document_yaml(kind: Kind, agency: Agency, output: str, year: int) -> str:
    """Return data/document.yaml for a new draft of this kind."""
    sample = SAMPLES[kind.key]
    lines = [
        "# Thông tin văn bản: loại, cơ quan ban hành, số, ngày, trích yếu, nơi nhận, người ký.",
        "# Sửa các chỗ có dấu … ; `vanban build` báo lỗi kèm dòng, cột nếu thiếu hay sai.",
        f"kind: {kind.key}            # {kind.name} ({kind.sample}, Phụ lục III Nghị định 30)",
        "status: draft            # draft: số và ngày để trống cho văn thư; final: bắt buộc có",
        f"output: {output}",
        "agency:",
        f"  parent: {scalar(agency.parent)}   # cơ quan chủ quản (nếu có), ví dụ: UBND TỈNH …",
        "  name:                  # tên cơ quan ban hành, mỗi dòng in một dòng",
        _items(agency.lines, "    "),
        f"  abbreviation: {scalar(agency.abbreviation)}   # chữ viết tắt trong ký hiệu",
        f"  full_name: {scalar(agency.full_name)}",
    ]
    if kind.abbreviation is None:
        lines.append(
            f"  drafting_unit: {scalar(agency.drafting_unit)}   # đơn vị soạn thảo: "
            f"Số: …/{agency.abbreviation}-{agency.drafting_unit}"
        )
    lines += [
        "number: null",
        f"place: {scalar(agency.place)}",
        "date: null",
        f"year: {year}",
        "# period: {start: 2026, end: 2030}   # giai đoạn (nếu có): {{ document.period }}",
        f"summary: {scalar(sample['summary'].replace('$year', str(year)))}",
    ]
    if kind.issuer:
        issuer = f"CHỦ TỊCH {agency.full_name.upper()}"
        lines.append(f"issuer: {scalar(issuer)}   # thẩm quyền ban hành")
    if sample.get("to"):
        lines.append("recipients_to:           # Kính gửi; văn bản tự in “- Như trên;” ở Nơi nhận")
        lines.append(_items(sample["to"]))
    lines += [
        "recipients:               # Nơi nhận",
        _items(sample["received"]),
        "signer:",
    ]
    if agency.authority:
        lines.append("  authority:              # TM., KT., TL., TUQ. (Phụ lục I, II.7.b)")
        lines.append(_items(agency.authority, "    "))
    else:
        lines.append("  authority: null         # ký với thẩm quyền của chính mình")
    lines += [
        f"  position: {scalar(agency.position)}",
        f"  name: {scalar(agency.signer)}",
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
# VANBAN: cách cài công cụ vanban (tên gói, hoặc địa chỉ git của bản cơ quan dùng).
name: vanban
on: [push, pull_request]
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      VANBAN: vanban
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install "$VANBAN"
      - run: vanban build .
      - uses: actions/upload-artifact@v4
        with:
          name: van-ban
          path: build/*.docx
"""

README = Template("""\
# $title: $summary

Thư mục này là một văn bản ($kind, $sample, Phụ lục III Nghị định 30/2020/NĐ-CP) dựng bằng
[vanban](https://pypi.org/project/vanban/): nội dung viết bằng Markdown, số liệu bằng YAML,
phần đầu và phần ký là mẫu Word; lệnh `vanban build` ghép thành tệp `.docx` đúng thể thức.

## Dựng văn bản

```sh
vanban build .     # ghi build/$output.docx; báo lỗi dạng tệp:dòng:cột nếu có
vanban check .     # đối chiếu số liệu, cách viết số, tên riêng, chú thích
```

## Các tệp

| tệp | nội dung |
|---|---|
| `data/document.yaml` | loại văn bản, nháp/chính thức, cơ quan, số, ngày, trích yếu, nơi nhận, người ký |
| `content/*.md` | nội dung theo thứ tự tên tệp; `#`, `##`, `###` là I., 1., a) (không gõ số) |
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


# The starting text of each kind: its trích yếu, Kính gửi, Nơi nhận and sections.
SAMPLES: dict[str, dict[str, Any]] = {
    "bao-cao": {
        "summary": "Kết quả thực hiện công tác giảm nghèo năm $year",
        "received": [
            "Ủy ban nhân dân tỉnh (b/c);",
            "Thường trực Huyện ủy (b/c);",
            "Lưu: VT, VP.",
        ],
        "content": {
            "00-mo-dau.md": """\
Thực hiện Kế hoạch số …/KH-UBND ngày … của Ủy ban nhân dân tỉnh về công tác giảm nghèo năm $year[^ke-hoach-tinh], Ủy ban nhân dân huyện báo cáo kết quả thực hiện như sau:

[^ke-hoach-tinh]: Kế hoạch số …/KH-UBND ngày … của Ủy ban nhân dân tỉnh về thực hiện công tác giảm nghèo năm $year.
""",
            "01-ket-qua.md": """\
# KẾT QUẢ THỰC HIỆN

## Công tác chỉ đạo, điều hành

Ủy ban nhân dân huyện đã ban hành kế hoạch, phân công nhiệm vụ cho các cơ quan, đơn vị và Ủy ban nhân dân các xã, thị trấn.

## Kết quả giảm nghèo: {.run-in}

Đến cuối năm $year, toàn huyện còn {{ so_lieu.ho_ngheo.households | so }} hộ nghèo trên tổng số {{ so_lieu.ho_ngheo.total_households | so }} hộ, chiếm tỷ lệ {{ so_lieu.ho_ngheo.rate | pct }}.

## Tồn tại, hạn chế

- Nguồn lực thực hiện còn hạn chế.

- Một số chính sách chưa có hướng dẫn cụ thể.

# PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI

- Tiếp tục triển khai đồng bộ các chính sách giảm nghèo.

- Tăng cường kiểm tra, giám sát việc thực hiện.
""",
            "02-ket-thuc.md": """\
Trên đây là báo cáo kết quả thực hiện công tác giảm nghèo năm $year của Ủy ban nhân dân huyện./.
""",
        },
    },
    "ke-hoach": {
        "summary": "Thực hiện công tác giảm nghèo bền vững năm $year",
        "received": [
            "Ủy ban nhân dân tỉnh (b/c);",
            "Thường trực Huyện ủy (b/c);",
            "Các cơ quan, đơn vị thuộc huyện;",
            "Ủy ban nhân dân các xã, thị trấn;",
            "Lưu: VT, VP.",
        ],
        "content": {
            "00-mo-dau.md": """\
Căn cứ Kế hoạch số …/KH-UBND ngày … của Ủy ban nhân dân tỉnh, Ủy ban nhân dân huyện ban hành Kế hoạch thực hiện công tác giảm nghèo bền vững năm $year như sau:
""",
            "01-noi-dung.md": """\
# MỤC ĐÍCH, YÊU CẦU

## Mục đích: {.run-in}

Triển khai đồng bộ, hiệu quả các chính sách giảm nghèo, cải thiện đời sống của người nghèo.

## Yêu cầu: {.run-in}

Các cơ quan, đơn vị xác định rõ nhiệm vụ, thời gian hoàn thành và chịu trách nhiệm về kết quả thực hiện.

# MỤC TIÊU

Phấn đấu giảm số hộ nghèo từ {{ so_lieu.ho_ngheo.households | so }} hộ (tỷ lệ {{ so_lieu.ho_ngheo.rate | pct }}) vào cuối năm.

# NHIỆM VỤ, GIẢI PHÁP

- Đẩy mạnh công tác tuyên truyền, vận động.

- Lồng ghép các nguồn lực thực hiện Chương trình.

# KINH PHÍ THỰC HIỆN

Tổng kinh phí dự kiến {{ so_lieu.kinh_phi | so }} triệu đồng, từ nguồn ngân sách nhà nước và các nguồn huy động hợp pháp khác.

# TỔ CHỨC THỰC HIỆN

## Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện: {.run-in}

Theo dõi, đôn đốc việc thực hiện Kế hoạch; tổng hợp, báo cáo Ủy ban nhân dân huyện.

## Ủy ban nhân dân các xã, thị trấn: {.run-in}

Xây dựng kế hoạch thực hiện tại địa phương, báo cáo kết quả định kỳ.
""",
            "02-ket-thuc.md": """\
Trên đây là Kế hoạch thực hiện công tác giảm nghèo bền vững năm $year; yêu cầu các cơ quan, đơn vị và Ủy ban nhân dân các xã, thị trấn triển khai thực hiện./.
""",
        },
    },
    "to-trinh": {
        "summary": "Đề nghị phê duyệt kinh phí thực hiện công tác giảm nghèo năm $year",
        "to": ["Ủy ban nhân dân tỉnh …"],
        "received": [
            "Sở Tài chính tỉnh;",
            "Lưu: VT, VP.",
        ],
        "content": {
            "00-mo-dau.md": """\
*Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015;*

*Căn cứ Kế hoạch số …/KH-UBND ngày … của Ủy ban nhân dân tỉnh.*

Ủy ban nhân dân huyện kính trình Ủy ban nhân dân tỉnh xem xét, phê duyệt kinh phí thực hiện công tác giảm nghèo năm $year, cụ thể như sau:
""",
            "01-noi-dung.md": """\
# SỰ CẦN THIẾT

Toàn huyện còn {{ so_lieu.ho_ngheo.households | so }} hộ nghèo, chiếm tỷ lệ {{ so_lieu.ho_ngheo.rate | pct }}; nguồn lực của địa phương chưa đáp ứng nhu cầu hỗ trợ.

# NỘI DUNG ĐỀ NGHỊ

Đề nghị Ủy ban nhân dân tỉnh phê duyệt kinh phí {{ so_lieu.kinh_phi | so }} triệu đồng để thực hiện các chính sách hỗ trợ hộ nghèo năm $year.
""",
            "02-ket-thuc.md": """\
Ủy ban nhân dân huyện kính trình Ủy ban nhân dân tỉnh xem xét, quyết định./.
""",
        },
    },
    "cong-van": {
        "summary": "đề nghị cung cấp số liệu giảm nghèo năm $year",
        "to": [
            "Phòng Lao động - Thương binh và Xã hội",
            "Ủy ban nhân dân các xã, thị trấn",
        ],
        "received": [
            "Chủ tịch, các Phó Chủ tịch UBND huyện;",
            "Lưu: VT, VP.",
        ],
        "content": {
            "00-noi-dung.md": """\
Để có cơ sở báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện công tác giảm nghèo năm $year (toàn huyện hiện còn {{ so_lieu.ho_ngheo.households | so }} hộ nghèo), Ủy ban nhân dân huyện đề nghị:

- Phòng Lao động - Thương binh và Xã hội tổng hợp kết quả rà soát hộ nghèo, hộ cận nghèo trên địa bàn huyện.

- Ủy ban nhân dân các xã, thị trấn báo cáo kết quả thực hiện các chính sách giảm nghèo tại địa phương.

Văn bản gửi về Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện trước ngày … để tổng hợp./.
""",
        },
    },
    "quyet-dinh": {
        "summary": "Về việc phê duyệt kinh phí hỗ trợ hộ nghèo năm $year",
        "received": [
            "Như Điều 3;",
            "Ủy ban nhân dân tỉnh (b/c);",
            "Lưu: VT, VP.",
        ],
        "content": {
            "00-can-cu.md": """\
*Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;*

*Căn cứ Luật Ngân sách nhà nước ngày 25 tháng 6 năm 2015;*

*Theo đề nghị của Trưởng phòng Lao động - Thương binh và Xã hội huyện.*

::: {custom-style="Title"}
QUYẾT ĐỊNH:
:::
""",
            "01-dieu.md": """\
**Điều 1.** Phê duyệt kinh phí hỗ trợ hộ nghèo năm $year trên địa bàn huyện với tổng số tiền {{ so_lieu.kinh_phi | so }} triệu đồng, hỗ trợ {{ so_lieu.ho_ngheo.households | so }} hộ nghèo.

**Điều 2.** Phòng Tài chính - Kế hoạch huyện hướng dẫn việc sử dụng và thanh quyết toán kinh phí theo quy định.

**Điều 3.** Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện, Trưởng phòng Tài chính - Kế hoạch, Trưởng phòng Lao động - Thương binh và Xã hội, Chủ tịch Ủy ban nhân dân các xã, thị trấn và các cơ quan, đơn vị liên quan chịu trách nhiệm thi hành Quyết định này./.
""",
        },
    },
}


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
    sample = SAMPLES[kind.key]
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
            title=kind.name,
            summary=fill(sample["summary"]),
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
