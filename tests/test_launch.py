"""The `vanban` command's first step: a check answered from what it printed before, with the
standard library alone, exactly as the full command prints it."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import copy_case
from test_speed import CHANGES
from vanban import inputs
from vanban.launch import check_arguments

# Run as a user runs it, a new process; report on stderr which modules it loaded.
_RUN = (
    "import sys\n"
    "from vanban.launch import main\n"
    "status = main(sys.argv[1:])\n"
    "loaded = sorted(m for m in sys.modules if m.startswith('vanban') or m == 'argparse')\n"
    "print('\\nloaded: ' + ' '.join(loaded), file=sys.stderr)\n"
    "sys.exit(status)\n"
)


def _vanban(cache: Path | str, *arguments: str) -> tuple[int, str, list[str]]:
    """Run `vanban ARGUMENTS` in a new process; return its status, output and the modules it
    loaded."""
    environment = dict(os.environ, VANBAN_CACHE_DIR=str(cache))
    done = subprocess.run(
        [sys.executable, "-c", _RUN, *arguments],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    errors, _, loaded = done.stderr.rpartition("\nloaded: ")
    assert "Traceback" not in errors
    return done.returncode, done.stdout + errors, loaded.split()


OPTIONS = [
    (),
    ("--strict",),
    ("--format", "json"),
    ("--format=json", "--strict"),
    ("--show-acknowledged",),
]


@pytest.mark.parametrize("options", OPTIONS, ids=" ".join)
def test_a_kept_check_is_printed_before_the_engine_loads_as_the_check_printed_it(
    options: tuple[str, ...], tmp_path: Path
) -> None:
    root = copy_case("minimal", tmp_path)
    cache = tmp_path / "cache"
    unkept = _vanban("off", "check", str(root), *options)
    first = _vanban(cache, "check", *options, str(root))  # checked, and kept
    assert "vanban.cli" in first[2]
    again = _vanban(cache, "check", str(root), *options)
    assert again[:2] == first[:2] == unkept[:2]
    light = ["vanban", "vanban.inputs", "vanban.kept", "vanban.launch", "vanban.pandoc_command"]
    assert again[2] == light  # no parser, no engine
    assert again[0] == (1 if "--strict" in "".join(options) else 0)  # warnings, no errors
    if "json" in "".join(options):
        assert json.loads(again[1])["summary"]["failed"] is ("--strict" in options)
    else:
        assert "warning: footnote marker [^qd-90-2022] right after a number" in again[1]


def test_a_check_after_a_change_is_checked_again_and_from_another_directory_too(
    tmp_path: Path,
) -> None:
    root = copy_case("minimal", tmp_path)
    cache = tmp_path / "cache"
    first = _vanban(cache, "check", str(root))
    CHANGES["checks"](root)  # the warning acknowledged in checks/waivers.yaml
    changed = _vanban(cache, "check", str(root))
    assert "vanban.cli" in changed[2]
    assert changed[:2] == _vanban("off", "check", str(root))[:2]
    assert "right after a number" in first[1] and "right after a number" not in changed[1]
    assert "1 acknowledged finding not listed" in changed[1]
    here = subprocess.run(  # `vanban check` inside the report: the same key, the kept output
        [sys.executable, "-c", _RUN, "check"],
        capture_output=True,
        text=True,
        cwd=root,
        env=dict(os.environ, VANBAN_CACHE_DIR=str(cache)),
        check=False,
    )
    assert here.stdout == changed[1]
    assert "vanban.cli" not in here.stderr.rpartition("\nloaded: ")[2]


def test_a_directory_that_is_not_a_report_gets_the_command_s_message(tmp_path: Path) -> None:
    status, printed, loaded = _vanban(tmp_path / "cache", "check", str(tmp_path / "nowhere"))
    assert status == 1 and "vanban.cli" in loaded
    assert printed == (
        f"error: {tmp_path / 'nowhere'}: not a vanban report directory: "
        "missing content/, data/, data/document.yaml\n"
    )


@pytest.mark.parametrize(
    "arguments",
    [
        ["check"],
        ["check", "report"],
        ["check", "--strict", "report"],
        ["check", "report", "--format", "json", "--show-acknowledged"],
        ["check", "--format=text", "--strict", "--strict"],
    ],
)
def test_the_first_step_reads_a_check_command_line_as_the_parser_does(
    arguments: list[str],
) -> None:
    from vanban.cli import parser

    parsed = parser(arguments).parse_args(arguments)
    expected = (parsed.project, parsed.format, parsed.strict, parsed.show_acknowledged)
    assert check_arguments(arguments) == expected


@pytest.mark.parametrize(
    "arguments",
    [
        [],
        ["build"],
        ["check", "--help"],
        ["check", "--str"],  # an abbreviation: the parser's to expand
        ["check", "--format", "xml"],
        ["check", "--format"],
        ["check", "a", "b"],
        ["check", "--", "report"],
        ["check", ""],
        ["--version"],
    ],
)
def test_any_other_command_line_goes_to_the_parser(arguments: list[str]) -> None:
    assert check_arguments(arguments) is None


def test_the_sources_are_listed_in_the_order_paths_sort_in(tmp_path: Path) -> None:
    root = tmp_path / "report"
    for name in ["content/a-c.md", "content/a/b.md", "content/.hidden", "content/Z.md", "data/x"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name, "utf-8")
    (root / "content" / "linked").symlink_to(root / "data")  # a linked folder: not entered
    (root / "content" / "note.md").symlink_to(root / "data" / "x")  # a linked file: read
    expected = [
        path.relative_to(root).as_posix()
        for folder in inputs.SOURCE_DIRS
        if (root / folder).is_dir()
        for path in sorted(p for p in (root / folder).rglob("*") if p.is_file())
    ]
    assert [name for name, _ in inputs.source_files(str(root))] == expected
    assert expected == [
        "content/.hidden",
        "content/Z.md",
        "content/a/b.md",
        "content/a-c.md",
        "content/note.md",
        "data/x",
    ]
    assert dict(inputs.read_sources(str(root)))["content/note.md"] == b"data/x"


@pytest.mark.parametrize("module", [*inputs.LIBRARIES, "pypandoc"])
def test_a_library_is_found_where_python_finds_it(module: str) -> None:
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    assert inputs.module_origin(module) == os.path.abspath(spec.origin)


# A process that ends through vanban.launch.end, with a thread still working, an exit
# handler registered, and output still in the buffers of both standard streams.
_ENDING = (
    "import atexit, sys, threading, time\n"
    "from vanban.launch import end\n"
    "atexit.register(print, 'exit handler ran')\n"
    "def late():\n"
    "    time.sleep(0.2)\n"
    "    print('thread finished')\n"
    "threading.Thread(target=late).start()\n"
    "sys.stdout.write('written; ')\n"
    "sys.stderr.write('to stderr')\n"
    "end(3)\n"
)


def test_a_command_ends_with_its_output_flushed_its_threads_done_and_exit_handlers_run() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _ENDING], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        3,
        "written; thread finished\nexit handler ran\n",
        "to stderr",
    )


def test_ctrl_c_while_a_command_waits_for_a_thread_ends_it_without_a_traceback() -> None:
    waiting = (
        "import os, signal, sys, threading, time\n"
        "from vanban.launch import end\n"
        "threading.Thread(target=time.sleep, args=(30,)).start()\n"
        "threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()\n"
        "print('done', flush=True)\n"
        "end(0)\n"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", waiting], capture_output=True, text=True, check=False, timeout=20
    )
    assert (done.returncode, done.stdout, done.stderr) == (130, "done\n", "")
    assert time.monotonic() - started < 20


@pytest.mark.parametrize("options", [(), ("--strict",)], ids=["plain", "strict"])
def test_the_vanban_command_prints_and_exits_as_its_command_line_runs(
    options: tuple[str, ...], tmp_path: Path
) -> None:
    root = copy_case("minimal", tmp_path)
    in_process = _vanban("off", "check", str(root), *options)
    environment = dict(os.environ, VANBAN_CACHE_DIR="off")
    done = subprocess.run(
        [sys.executable, "-m", "vanban", "check", str(root), *options],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert (done.returncode, done.stdout + done.stderr) == in_process[:2]
    assert done.returncode == (1 if options else 0)
    assert "footnote marker [^qd-90-2022] right after a number" in done.stdout
