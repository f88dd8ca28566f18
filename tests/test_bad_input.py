"""Hostile and broken input: an exact, placed message, exit 1, no traceback, and the last
good build/ output byte for byte as it was."""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import copy_case
from vanban.cli import main

CONTENT = "content/01-ket-qua.md"
DATA = "data/so-lieu.yaml"
DOCUMENT = "data/document.yaml"
OUTPUT = "build/thu-nghiem.docx"


def built_minimal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, bytes]:
    """Return the minimal case built once, and the bytes of its good output."""
    project = copy_case("minimal", tmp_path)
    assert main(["build", str(project)]) == 0
    capsys.readouterr()
    return project, (project / OUTPUT).read_bytes()


def paragraphs(docx: Path) -> list[tuple[str, str]]:
    """Return the text and style of every body paragraph, in order."""
    from docx_reader import Paragraph, read_docx

    return [(b.text, b.style) for b in read_docx(docx).blocks if isinstance(b, Paragraph)]


def append(path: str, text: str) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        target = project / path
        target.write_text(target.read_text(encoding="utf-8") + text, encoding="utf-8")

    return edit


def replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        target = project / path
        text = target.read_text(encoding="utf-8")
        assert old in text
        target.write_text(text.replace(old, new), encoding="utf-8")

    return edit


def assert_refused(
    project: Path,
    good: bytes,
    capsys: pytest.CaptureFixture[str],
    expected: str,
    warned: bool = True,
) -> None:
    """The build fails with exactly `expected` on stderr, after the minimal case's own
    warning (first in the order of `vanban check`), and leaves build/ as it was."""
    assert main(["build", str(project)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if not warned:  # the sources are sound: the file could not be written
        assert err == expected
    else:
        counted = re.sub(r"(\d+ errors?); nothing", r"\1, 1 warning; nothing", expected)
        assert err == f"{MINIMAL_WARNING}\n{counted}"
    assert (project / OUTPUT).read_bytes() == good
    assert sorted(p.name for p in (project / "build").iterdir()) == ["thu-nghiem.docx"]


MINIMAL_WARNING = (
    f"{CONTENT}:9:89: warning: footnote marker [^qd-90-2022] right after a number: it prints "
    "like an exponent (2025⁵); put it after the word that follows [footnote-placement]"
)
INTERNALS = (
    "is not available in a section: a template reads the facts and calls the filters "
    "(so, pct, printed), not Python's internals"
)
NO_FILES = (
    "a section cannot include, import or extend another file ('chung.md'): write the text in "
    "this section, or in a section of its own (content/*.md are joined in order), and define "
    "macros in the section that uses them"
)
PLAIN_YAML = (
    "vanban reads plain YAML (text, numbers, dates, true/false, lists, mappings) and !missing "
    "for a figure still to be entered"
)

# (name, edit, the first line of stderr; the count line follows)
CASES: list[tuple[str, Callable[[Path], None], str]] = [
    # --- the sandbox --------------------------------------------------------------------
    (
        "mro",
        append(CONTENT, "\n{{ ''.__class__.__mro__ }}\n"),
        f"{CONTENT}:22:7: error: '__class__' {INTERNALS}",
    ),
    (
        "self-globals",
        append(CONTENT, "\nXem {{ self.__init__.__globals__ }}\n"),
        f"{CONTENT}:22:13: error: '__init__' {INTERNALS}",
    ),
    (
        "lipsum-globals",
        append(CONTENT, "\n{{ lipsum.__globals__ }}\n"),
        f"{CONTENT}:22:11: error: '__globals__' {INTERNALS}",
    ),
    (
        "cycler-globals",
        append(CONTENT, "\n{{ cycler.__init__.__globals__ }}\n"),
        f"{CONTENT}:22:11: error: '__init__' {INTERNALS}",
    ),
    (
        "include",
        append(CONTENT, "\n{% include 'chung.md' %}\n"),
        f"{CONTENT}:22:13: error: {NO_FILES}",
    ),
    (
        "import",
        append(CONTENT, "\n{% import 'chung.md' as chung %}\n"),
        f"{CONTENT}:22:12: error: {NO_FILES}",
    ),
    (
        "from-import",
        append(CONTENT, "\n{% from 'chung.md' import muc %}\n"),
        f"{CONTENT}:22:10: error: {NO_FILES}",
    ),
    (
        "extends",
        append(CONTENT, "\n{% extends 'chung.md' %}\n"),
        f"{CONTENT}:22:13: error: {NO_FILES}",
    ),
    (
        "recursive-macro",
        append(CONTENT, "\n{% macro lap() %}{{ lap() }}{% endmacro %}\n{{ lap() }}\n"),
        f"{CONTENT}:22:1: error: macros call each other too deeply: does a macro call itself "
        "without end?",
    ),
    (
        "repeated-text",
        append(CONTENT, "\n{{ 'x' * 300000000 }}\n"),
        f"{CONTENT}:22:8: error: '*' would make a text of 300.000.000 items: a section prints "
        "at most 5.000.000 characters",
    ),
    (
        "long-loop",
        append(CONTENT, "\n{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}\n"),
        f"{CONTENT}:22:1: error: this section would print more than 5.000.000 characters: a "
        "loop or a repetition without end?",
    ),
    (
        "huge-power",
        append(CONTENT, "\n{{ 10 ** 10000000 }}\n"),
        f"{CONTENT}:22:7: error: 10 ** 10000000 is too large a number to compute (more than "
        "100.000 binary digits)",
    ),
    # --- YAML ---------------------------------------------------------------------------
    (
        "python-tag-in-data",
        append(DATA, "ghi_chu: !!python/object/apply:os.system ['echo hi']\n"),
        f"{DATA}:7:10: error: unknown tag !!python/object/apply:os.system: {PLAIN_YAML}",
    ),
    (
        "python-tag-in-document",
        replace(DOCUMENT, '  - "Lưu: VT."', "  - !!python/object/apply:os.getcwd []"),
        f"{DOCUMENT}:16:5: error: unknown tag !!python/object/apply:os.getcwd: {PLAIN_YAML}",
    ),
    (
        "unknown-tag",
        replace(DATA, "households: 2532", "households: !so 2532"),
        f"{DATA}:2:15: error: unknown tag !so: {PLAIN_YAML}",
    ),
    (
        "binary-tag",
        replace(DOCUMENT, "place: Thử Nghiệm", "place: !!binary VGjhu60="),
        f"{DOCUMENT}:10:8: error: unknown tag !!binary: {PLAIN_YAML}",
    ),
    (
        "alias-bomb",
        append(
            DATA,
            "bom0: &b0 [x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"bom{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 9) + "]\n" for i in range(1, 10)
            ),
        ),
        f"{DATA}:11:7: error: the aliases (*name) of this anchor expand the file by more than "
        "100.000 values (an alias bomb?): write the values out, or alias fewer",
    ),
    (
        "alias-loop",
        append(DATA, "vong: &v [1, *v]\n"),
        f"{DATA}:7:7: error: an alias (*name) inside the value of its own anchor: a loop",
    ),
    (
        "nested-500",
        append(DATA, "sau: " + "[" * 500 + "]" * 500 + "\n"),
        f"{DATA}:7:45: error: nested more than 40 levels deep",
    ),
    (
        "invalid-date",
        replace(DOCUMENT, "date: null", "date: 2024-02-30"),
        f"{DOCUMENT}:11:7: error: invalid date '2024-02-30': day is out of range for month",
    ),
    # --- numbers ------------------------------------------------------------------------
    (
        "26-digits",
        replace(DATA, "households: 2532", "households: 12345678901234567890123456"),
        f"{DATA}:2:15: error: expected a figure of at most 18 digits before the decimal mark, "
        "got '12345678901234567890123456'",
    ),
    (
        "1e30",
        replace(DATA, "rate: 18.91", "rate: 1e30"),
        f"{DATA}:3:9: error: expected a figure of at most 18 digits before the decimal mark, "
        "got '1e30'",
    ),
    (
        "so-40",
        append(CONTENT, "\nCòn {{ so_lieu.ngheo.households | so(40) }} hộ.\n"),
        f"{CONTENT}:22:33: error: so(40): the number of decimals must be a whole number from 0 "
        "to 12",
    ),
    (
        "pct-negative",
        append(CONTENT, "\nTỷ lệ {{ so_lieu.ngheo.rate | pct(-1) }}.\n"),
        f"{CONTENT}:22:29: error: pct(-1): the number of decimals must be a whole number from 0 "
        "to 12",
    ),
    (
        "so-width",
        append(CONTENT, "\nMã {{ so_lieu.ngheo.households | so(0, 1000000000) }}.\n"),
        f"{CONTENT}:22:32: error: so: the width must be a whole number from 1 to 40, got "
        "1000000000",
    ),
    (
        "computed-too-large",
        append(CONTENT, "\n{{ (so_lieu.ngheo.households.value * 10 ** 20) | so }}\n"),
        f"{CONTENT}:22:48: error: so: 253200000000000000000000 has more than 18 digits before "
        "the decimal mark; vanban prints figures up to that size",
    ),
]


@pytest.mark.parametrize(("name", "edit", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_a_located_error(
    name: str,
    edit: Callable[[Path], None],
    expected: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    project, good = built_minimal(tmp_path, capsys)
    edit(project)
    started = time.perf_counter()
    assert_refused(project, good, capsys, expected + "\n1 error; nothing was written\n")
    assert time.perf_counter() - started < 5  # alias bomb, loops: bounded, not slow


def test_loops_that_print_nothing_end_with_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project, good = built_minimal(tmp_path, capsys)
    monkeypatch.setattr("vanban.narrative.MAX_RENDER_SECONDS", 0.5)  # 10 s in use
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    append(CONTENT, f"\n{loops}\n")(project)
    started = time.perf_counter()
    assert_refused(
        project,
        good,
        capsys,
        f"{CONTENT}:22:1: error: this section takes more than 0.5 s to render: a loop without "
        "end?\n1 error; nothing was written\n",
    )
    assert time.perf_counter() - started < 5


def test_every_sandbox_escape_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, good = built_minimal(tmp_path, capsys)
    attempts = [
        "{{ ''.__class__ }}",
        "{% include 'chung.md' %}",
        "{{ 'x' * 10 ** 8 }}",
        "{% set cac_xa = ['Đắk Pék'] %}{{ cac_xa.append('Đắk Man') }}",  # what others read
    ]
    for number, attempt in enumerate(attempts, start=2):
        (project / "content" / f"0{number}-thu.md").write_text(attempt + "\n", encoding="utf-8")
    assert_refused(
        project,
        good,
        capsys,
        f"content/02-thu.md:1:7: error: '__class__' {INTERNALS}\n"
        f"content/03-thu.md:1:13: error: {NO_FILES}\n"
        "content/04-thu.md:1:8: error: '*' would make a text of 100.000.000 items: a section "
        "prints at most 5.000.000 characters\n"
        f"content/05-thu.md:1:41: error: 'append' {INTERNALS}\n"
        "4 errors; nothing was written\n",
    )


def test_a_byte_order_mark_is_not_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = copy_case("minimal", tmp_path / "plain")
    marked = copy_case("minimal", tmp_path / "marked")
    for path in [*marked.glob("content/*.md"), *marked.glob("data/*.yaml")]:
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert main(["build", str(plain)]) == 0
    plain_err = capsys.readouterr().err
    assert main(["build", str(marked)]) == 0
    assert capsys.readouterr().err == plain_err  # the same warnings at the same places
    expected = paragraphs(plain / OUTPUT)
    assert paragraphs(marked / OUTPUT) == expected
    assert ("I. KẾT QUẢ THỰC HIỆN", "heading 1") in expected


def test_crlf_line_ends_build_the_same_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = copy_case("minimal", tmp_path / "plain")
    crlf = copy_case("minimal", tmp_path / "crlf")
    for path in [*crlf.glob("content/*.md"), *crlf.glob("data/*.yaml"), *crlf.glob("schema/*")]:
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert main(["build", str(plain)]) == 0
    plain_err = capsys.readouterr().err
    assert main(["build", str(crlf)]) == 0
    assert capsys.readouterr().err == plain_err
    assert paragraphs(crlf / OUTPUT) == paragraphs(plain / OUTPUT)


def test_unknown_keys_by_the_thousand_are_counted_not_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, good = built_minimal(tmp_path, capsys)
    extra = "".join(f"khoa_{i}: {i}\n" for i in range(20_000))
    append(DATA, extra)(project)
    started = time.perf_counter()
    assert main(["build", str(project)]) == 1
    elapsed = time.perf_counter() - started
    err = capsys.readouterr().err.splitlines()
    # the text's warning first (the years it types, "Năm 2022", are values of new keys but
    # no typed figure), then the file's errors in the order of `vanban check`: the count of
    # those not shown first
    assert [line.split(": ")[0] for line in err[:1]] == [f"{CONTENT}:9:89"]
    assert err[1] == f"{DATA}: error: 19.950 more errors in this file, not shown (the first 50 are)"
    assert err[2] == f"{DATA}:7:1: error: khoa_0: unknown key 'khoa_0'"
    assert err[51] == f"{DATA}:56:1: error: khoa_49: unknown key 'khoa_49'"
    assert err[52:] == ["51 errors, 1 warning; nothing was written"]
    assert (project / OUTPUT).read_bytes() == good
    assert elapsed < 30  # quadratic in Cerberus: minutes


def test_a_50_mb_data_file_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, good = built_minimal(tmp_path, capsys)
    line = "khoa: {gia_tri: 1, ghi_chu: một dòng ghi chú}\n".encode()
    with (project / DATA).open("ab") as out:
        out.write(line * (50_000_000 // len(line)))
    size = (project / DATA).stat().st_size
    started = time.perf_counter()
    assert_refused(
        project,
        good,
        capsys,
        f"{DATA}: error: {size:,} bytes is more than vanban reads in one YAML file ".replace(
            ",", "."
        )
        + "(2.000.000 bytes): split the file, or move bulk data out of it\n"
        "1 error; nothing was written\n",
    )
    assert time.perf_counter() - started < 30


# --- output -------------------------------------------------------------------------------


def _mount(directory: Path, options: str) -> None:
    """Mount a tmpfs at directory, or skip the test where mounting is not permitted."""
    import shutil
    import subprocess

    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root (the real full or read-only disk)")
    directory.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"mount -t tmpfs is not permitted here: {done.stderr.strip()}")


@pytest.fixture
def build_on_tmpfs(tmp_path: Path) -> Iterator[Callable[[Path, str], None]]:
    """Mount tmpfs file systems on request; unmount them after the test."""
    import subprocess

    mounted: list[Path] = []

    def mount(directory: Path, options: str) -> None:
        _mount(directory, options)
        mounted.append(directory)

    yield mount
    for directory in reversed(mounted):
        subprocess.run(["umount", "-l", str(directory)], check=False)


def test_a_full_disk_keeps_the_previous_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], build_on_tmpfs: Callable[[Path, str], None]
) -> None:
    project = copy_case("minimal", tmp_path)
    build_on_tmpfs(project / "build", "size=256k")
    assert main(["build", str(project)]) == 0
    capsys.readouterr()
    output = project / OUTPUT
    good = output.read_bytes()
    filler = project / "build" / "filler"
    with filler.open("wb", buffering=0) as out:  # fill the disk to the last block
        try:
            while True:
                out.write(b"\0" * 4096)
                out.flush()
        except OSError:
            pass
    os.truncate(filler, filler.stat().st_size - 8192)  # room for a part of the new file
    append(CONTENT, "\nMột đoạn mới, để tài liệu khác đi.\n")(project)
    assert main(["build", str(project)]) == 1
    assert capsys.readouterr().err == (
        f"error: cannot write {OUTPUT}: No space left on device; the previous file is unchanged\n"
    )
    assert output.read_bytes() == good
    assert sorted(p.name for p in (project / "build").iterdir()) == ["filler", "thu-nghiem.docx"]


def test_a_read_only_build_directory_keeps_the_previous_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], build_on_tmpfs: Callable[[Path, str], None]
) -> None:
    import subprocess

    project = copy_case("minimal", tmp_path)
    build_on_tmpfs(project / "build", "size=1m")
    assert main(["build", str(project)]) == 0
    good = (project / OUTPUT).read_bytes()
    subprocess.run(["mount", "-o", "remount,ro", str(project / "build")], check=True)
    append(CONTENT, "\nMột đoạn mới.\n")(project)
    capsys.readouterr()
    assert main(["build", str(project)]) == 1
    assert capsys.readouterr().err == (
        f"error: cannot write {OUTPUT}: Read-only file system; the previous file is unchanged\n"
    )
    assert (project / OUTPUT).read_bytes() == good
    assert sorted(p.name for p in (project / "build").iterdir()) == ["thu-nghiem.docx"]


def test_build_is_a_file_not_a_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_case("minimal", tmp_path)
    (project / "build").write_text("không phải thư mục", encoding="utf-8")
    assert main(["build", str(project)]) == 1
    assert capsys.readouterr().err == (
        f"error: cannot write {OUTPUT}: {project / 'build'} is not a directory; nothing was "
        "written\n"
    )
    assert (project / "build").read_text(encoding="utf-8") == "không phải thư mục"


def test_a_read_only_target_is_not_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, good = built_minimal(tmp_path, capsys)
    (project / OUTPUT).chmod(0o444)
    append(CONTENT, "\nMột đoạn mới.\n")(project)
    assert_refused(
        project,
        good,
        capsys,
        f"error: cannot write {OUTPUT}: the file is read-only (make it writable, or write "
        "elsewhere with --output); the previous file is unchanged\n",
        warned=False,
    )


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_the_built_file_has_the_mode_the_umask_gives(
    umask: int, mode: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_case("minimal", tmp_path)
    old = os.umask(umask)
    try:
        assert main(["build", str(project)]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((project / OUTPUT).stat().st_mode) == mode


def test_pandoc_cutting_its_output_short_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import shlex

    import vanban.pandoc

    real = vanban.pandoc.docx_command

    def truncated(reference_doc: Path) -> list[str]:
        # the real pandoc, its output cut after 2000 bytes, and an exit status of 0
        return ["/bin/sh", "-c", f"{shlex.join(real(reference_doc))} | head -c 2000"]

    project, good = built_minimal(tmp_path, capsys)
    monkeypatch.setenv("VANBAN_CACHE_DIR", "off")
    monkeypatch.setattr(vanban.pandoc, "docx_command", truncated)
    append(CONTENT, "\nMột đoạn mới.\n")(project)
    assert main(["build", str(project)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "error: pandoc exited with 0 but wrote an incomplete document (2.000 bytes, not a "
        "whole DOCX): /bin/sh -c "
    )
    assert err.count("\n") == 1 and "BadZipFile" not in err
    assert (project / OUTPUT).read_bytes() == good


def test_an_unforeseen_error_is_one_line_and_exit_70(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import vanban.pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("stage")

    project, good = built_minimal(tmp_path, capsys)
    monkeypatch.setattr(vanban.pipeline, "render_documents", broken)
    append(CONTENT, "\nMột đoạn mới.\n")(project)  # changed sources: a build, not its kept result
    assert main(["build", str(project)]) == 70
    assert capsys.readouterr().err == (
        "vanban: internal error (KeyError: 'stage'): this is a defect in vanban, please report "
        "it with the command and the files that caused it (VANBAN_TRACEBACK=1 shows where it "
        "happened)\n"
    )
    assert (project / OUTPUT).read_bytes() == good


def test_a_long_figure_typed_in_the_text_is_a_warning_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_case("minimal", tmp_path)
    append(CONTENT, "\nTổng 95.120.259.153 đồng.\n")(project)
    assert main(["build", str(project)]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and "InvalidOperation" not in err
    assert (
        f'{CONTENT}:22:6: warning: "95.120.259.153 đồng" typed by hand, and no fact in đồng has '
        "this value: a money figure comes from data; put it in data/ and print it with so "
        "[typed-figure]\n"
    ) in err


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root writes through chmod 0555: the read-only mount test covers this as root",
)
def test_a_build_directory_without_write_permission(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, good = built_minimal(tmp_path, capsys)
    append(CONTENT, "\nMột đoạn mới.\n")(project)
    (project / "build").chmod(0o555)
    try:
        assert_refused(
            project,
            good,
            capsys,
            f"error: cannot write {OUTPUT}: Permission denied; the previous file is unchanged\n",
        )
    finally:
        (project / "build").chmod(0o755)
