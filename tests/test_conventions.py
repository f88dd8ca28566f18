"""ND30 body conventions: heading numbers, run-in headings, dash paragraphs."""

from __future__ import annotations

from vanban.conventions import apply_conventions, letter, roman


def test_roman_and_vietnamese_letters() -> None:
    assert [roman(n) for n in (1, 4, 6, 9, 14, 40)] == ["I", "IV", "VI", "IX", "XIV", "XL"]
    assert [letter(n) for n in (1, 4, 5, 6, 7, 23, 24)] == ["a", "d", "đ", "e", "g", "y", "aa"]


def test_headings_are_numbered_by_level_and_restart() -> None:
    source = "# MỘT\n\n## hai\n\n### ba\n\n### bốn\n\n## năm\n\n### sáu\n\n# BẢY\n\n## tám\n"
    assert apply_conventions(source) == (
        "# I. MỘT\n\n## 1. hai\n\n### a) ba\n\n### b) bốn\n\n## 2. năm\n\n### a) sáu\n\n"
        "# II. BẢY\n\n## 1. tám\n"
    )


def test_run_in_heading_joins_the_next_paragraph() -> None:
    source = "## Công tác điều hành: {.run-in}\n\nCác cấp, các ngành\nkịp thời.\n\n## Khác\n"
    assert apply_conventions(source) == (
        '[1. Công tác điều hành:]{custom-style="Heading 2 Char"} Các cấp, các ngành\nkịp thời.'
        "\n\n## 2. Khác\n"
    )


def test_list_items_become_dash_paragraphs() -> None:
    source = "Mở đầu.\n\n- một\n- hai\n\n    - cộng\n\nKết.\n"
    assert apply_conventions(source) == ("Mở đầu.\n\n\\- một\n\n\\- hai\n\n\\+ cộng\n\nKết.\n")


def test_a_dash_inside_a_paragraph_or_code_is_left_alone() -> None:
    source = "Năm 2021\n- 2025 là giai đoạn.\n\n```\n# not a heading\n- not an item\n```\n"
    assert apply_conventions(source) == source


def test_a_heading_needs_a_blank_line_before_it() -> None:
    assert apply_conventions("văn bản\n# không phải\n") == "văn bản\n# không phải\n"


def test_a_heading_right_after_a_fenced_div_is_a_heading() -> None:
    source = '::: {custom-style="Title"}\nQUYẾT ĐỊNH:\n:::\n# {.run-in}\n\nThành lập.\n'
    assert apply_conventions(source, "legal") == (
        '::: {custom-style="Title"}\nQUYẾT ĐỊNH:\n:::\n[Điều 1.]{custom-style="Heading 1 Char"} '
        "Thành lập.\n"
    )


def test_a_scheme_given_as_levels() -> None:
    source = "# a\n\n## b\n\n## c\n\n### d\n\n# e\n\n## f\n"
    assert apply_conventions(source, ["number", "decimal", "decimal"]) == (
        "# 1. a\n\n## 1.1. b\n\n## 1.2. c\n\n### 1.2.1. d\n\n# 2. e\n\n## 2.1. f\n"
    )
    assert apply_conventions(source, ["number", "letter"]) == (
        "# 1. a\n\n## a) b\n\n## b) c\n\n### d\n\n# 2. e\n\n## a) f\n"  # ### is not numbered
    )


def test_centred_levels_print_their_label_over_the_title_and_articles_run_on() -> None:
    source = "# Quy định chung\n\n## Phạm vi\n\n# Thi hành\n\n## Trách nhiệm\n"
    br = "`<w:r><w:br/></w:r>`{=openxml}"
    title = '{custom-style="Heading Title"}'
    assert apply_conventions(source, ["chapter", "article"]) == (
        f"# Chương I{br}[Quy định chung]{title}\n\n## Điều 1. Phạm vi\n\n"
        f"# Chương II{br}[Thi hành]{title}\n\n## Điều 2. Trách nhiệm\n"
    )
    parts = apply_conventions(
        "# A\n\n## B\n\n### C\n\n#### D\n", ["part", "chapter", "section", "subsection"]
    )
    assert [line.split("`")[0] for line in parts.split("\n\n")] == [
        "# Phần I", "## Chương I", "### Mục 1", "#### Tiểu mục 1"]  # fmt: skip


def test_a_run_in_title_is_bold_only_at_a_bold_level() -> None:
    source = "# Kết quả\n\n## Chủng loại: {.run-in}\n\n1.939.211 kg.\n\n## Khác\n"
    assert apply_conventions(source, ["number", "letter"]) == (
        '# 1. Kết quả\n\n[a) Chủng loại:]{custom-style="Heading 2 Char"} 1.939.211 kg.\n\n'
        "## b) Khác\n"
    )
