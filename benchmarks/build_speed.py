#!/usr/bin/env python3
"""Time `vanban` as a user runs it, new processes, against a bare pandoc run.

Usage: python benchmarks/build_speed.py [REPORT_DIR] [--runs N] [--copies N]

Every case is a new process, as a user types it (the installed `vanban` script: Python
start-up and imports included, bytecode kept as an installation keeps it), run N times,
the cases interleaved round by round so that a busy machine slows them alike; min / median
/ max are printed, and each median as a ratio to the bare pandoc run of the same document:

- bare pandoc: the pandoc binary converting the report's rendered Markdown (what vanban
  hands it) with the same reference document, no vanban at all;
- build, cold cache: `vanban build` with an empty cache every run (a first build);
- build, warm cache: `vanban build` again with nothing changed;
- build, one line edited: after a one-line edit of one section of the text;
- check, warm / cold: `vanban check`;
- diff --docx: `vanban diff HEAD . --docx` after a one-line edit (the redline), against
  one warm build (the target's measure), and against the one-line edit's build (a warm
  build with nothing changed is answered from its kept result; the edited one does work);
- the same for the report ×COPIES (the text repeated, notes and headings numbered apart).

Peak memory (the sum of the proportional set sizes of the process and its children, sampled
every few milliseconds in separate runs, not the timed ones; the median of three runs) is
printed for pandoc and a cold build, and for pandoc with the smaller heap vanban runs it
with (GHCRTS), beside. The targets of point 1 are printed beside the ratios.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vanban.pandoc import docx_command
from vanban.pandoc_command import RUNTIME_OPTIONS
from vanban.pipeline import gather
from vanban.project import open_project

SOURCES = ("content", "data", "schema", "checks", "templates")
_NOTE = re.compile(r"\[\^([^\]\s]+)\]")


@dataclass
class Case:
    """A command run as a new process, with what it needs before each run (not timed)."""

    name: str
    command: Callable[[int], list[str]]
    env: Callable[[int], dict[str, str]]
    before: Callable[[int], None] = lambda run: None
    times: list[float] = field(default_factory=list)


def copy_report(source: Path, dest: Path, copies: int = 1) -> Path:
    """Copy a report's sources; with copies > 1, its text repeated with notes renamed and
    headings told apart (a longer document, not the same one twice)."""
    for folder in SOURCES:
        if (source / folder).exists():
            shutil.copytree(source / folder, dest / folder)
    if copies > 1:
        originals = sorted((dest / "content").glob("*.md"))
        for copy in range(1, copies):
            for path in originals:
                text = path.read_text(encoding="utf-8")
                text = _NOTE.sub(rf"[^\1-{copy}]", text)
                text = re.sub(r"(?m)^(#{1,6} .*?)( \{[^}]*\})?$", rf"\1 ({copy + 1})\2", text)
                (dest / "content" / f"{copy:02d}-{path.name}").write_text(text, "utf-8")
        for path in originals:
            path.rename(path.with_name(f"00-{path.name}"))
    return dest


def edit(root: Path) -> Callable[[int], None]:
    """Return an action changing one line of one section, differently on each run."""
    section = sorted((root / "content").glob("*.md"))[
        len(list((root / "content").glob("*.md"))) // 2
    ]
    original = section.read_text(encoding="utf-8")
    first_paragraph = next(
        i for i, line in enumerate(original.splitlines()) if line and line[0].isalpha()
    )

    def action(run: int) -> None:
        lines = original.splitlines(keepends=True)
        lines[first_paragraph] = lines[first_paragraph].rstrip("\n") + f" Lần sửa {run}.\n"
        section.write_text("".join(lines), encoding="utf-8")

    return action


def run_timed(command: list[str], env: dict[str, str]) -> float:
    """Run a command as a new process; return its wall time (stop on a failure)."""
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr.decode(errors='replace')}")
    return elapsed


def _tree_pss(root_pid: int) -> int:
    """Return the proportional set size (kB) of a process and its descendants (Linux /proc):
    the binary's pages two pandoc runs share count once, as they do in memory. A child not
    yet past its exec (the same command line as its parent's) is not counted: Python spawns
    by vfork, whose child shares its parent's memory, and /proc shows that memory twice."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree = {root_pid}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    total = 0
    for pid in tree:
        if pid != root_pid and _cmdline(pid) == _cmdline(parents[pid]):
            continue  # spawned, not yet exec'd: vfork's child shares its parent's memory
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
                total += next(int(x.split()[1]) for x in handle if x.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            continue
    return total


def _cmdline(pid: int) -> bytes | None:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return None


def peak_memory(command: list[str], env: dict[str, str]) -> int:
    """Return the peak proportional set size (kB) of a run, its children included (sampled)."""
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak = 0

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, _tree_pss(process.pid))
            time.sleep(0.003)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    sampler.join()
    return peak


MEMORY_SAMPLES = 3


def median_peak(command: list[str], env: Callable[[], dict[str, str]]) -> int:
    """Return the median of the peak memory (kB) of MEMORY_SAMPLES runs, one after another
    (a single sample moves by a tenth between runs); env is called for each run."""
    return int(statistics.median(peak_memory(command, env()) for _ in range(MEMORY_SAMPLES)))


def machine() -> str:
    model = ""
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next(
            (x.split(":", 1)[1].strip() for x in lscpu.splitlines() if x.startswith("Model name")),
            "",
        )
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{model or platform.processor()}, {cores} cores (nproc), Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}"
    )


def command_line() -> list[str]:
    """Return the `vanban` command as a user types it: the script installed beside this
    Python (what `pip install` writes), else `python -m vanban`."""
    script = Path(sys.executable).parent / ("vanban.exe" if os.name == "nt" else "vanban")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "vanban"]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("project", nargs="?", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--copies", type=int, default=20)
    args = parser.parse_args()
    source = Path(args.project).resolve()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    vanban = command_line()
    print(f"vanban runs as: {' '.join(vanban)}")

    with tempfile.TemporaryDirectory(prefix="vanban-bench-") as scratch_name:
        scratch = Path(scratch_name)
        documents = {"report": copy_report(source, scratch / "report")}
        if args.copies > 1:
            documents[f"×{args.copies}"] = copy_report(source, scratch / "long", args.copies)
        cases: dict[str, list[Case]] = {}
        sizes: dict[str, int] = {}
        counter = iter(range(10**9))
        for label, root in documents.items():
            os.environ["VANBAN_CACHE_DIR"] = "off"
            markdown = gather(open_project(root)).narrative.markdown
            sizes[label] = len(markdown)
            body = scratch / f"{label}.md"
            body.write_text(markdown, encoding="utf-8")
            out = scratch / f"{label}.docx"
            pandoc = docx_command(root / "templates" / "reference.docx")[:-1] + [
                str(out),
                str(body),
            ]
            warm_env = {**env, "VANBAN_CACHE_DIR": str(scratch / f"cache-{label}")}
            edit_env = {**env, "VANBAN_CACHE_DIR": str(scratch / f"cache-edit-{label}")}

            def cold_env(run: int) -> dict[str, str]:
                return {**env, "VANBAN_CACHE_DIR": str(scratch / f"cold-{next(counter)}")}

            build = [*vanban, "build", str(root), "-o", str(out)]
            check = [*vanban, "check", str(root)]
            edited = copy_report(root, scratch / f"edited-{label}")
            subprocess.run(["git", "init", "-q", str(edited)], check=True)
            subprocess.run(["git", "-C", str(edited), "add", "."], check=True)
            subprocess.run(
                ["git", "-C", str(edited), "-c", "user.name=b", "-c", "user.email=b@b",
                 "commit", "-qm", "draft"],
                check=True,
            )  # fmt: skip
            change = edit(edited)
            cases[label] = [
                Case("bare pandoc", lambda r, c=pandoc: c, lambda r: env),
                Case("build, cold cache", lambda r, c=build: c, cold_env),
                Case("build, warm cache", lambda r, c=build: c, lambda r, e=warm_env: e),
                Case(
                    "build, one line edited",
                    lambda r, e=edited, o=out: [*vanban, "build", str(e), "-o", str(o)],
                    lambda r, e=edit_env: e,
                    change,
                ),
                Case("check, warm cache", lambda r, c=check: c, lambda r, e=warm_env: e),
                Case("check, cold cache", lambda r, c=check: c, cold_env),
            ]
            if label == "report":
                cases[label] += [
                    Case(
                        "diff --docx",
                        lambda r, e=edited: [
                            *vanban,
                            "diff",
                            "HEAD",
                            ".",
                            "--docx",
                            str(scratch / "r.docx"),
                        ],
                        lambda r, e=edit_env: e,
                    ),
                ]
            for case in cases[label]:  # warm-up: fill the caches, compile the bytecode
                case.before(0)
                run_timed(
                    _in(case.command(0), edited if "diff" in case.name else None), case.env(0)
                )

        for run in range(1, args.runs + 1):
            for label in documents:
                for case in cases[label]:
                    case.before(run)
                    command = _in(
                        case.command(run),
                        scratch / f"edited-{label}" if "diff" in case.name else None,
                    )
                    case.times.append(run_timed(command, case.env(run)))
        memory = {}
        for label in documents:
            bare, cold = cases[label][0], cases[label][1]
            memory[label] = (
                median_peak(bare.command(0), lambda b=bare: b.env(0)),
                median_peak(cold.command(0), lambda c=cold: c.env(0)),
                median_peak(
                    bare.command(0), lambda b=bare: {**b.env(0), "GHCRTS": RUNTIME_OPTIONS}
                ),
            )

    print(f"machine: {machine()}")
    print(f"{args.runs} runs of each case, interleaved; new processes; times in ms")
    failures = 0
    for label in documents:
        by_name = {case.name: case for case in cases[label]}
        bare = statistics.median(by_name["bare pandoc"].times)
        warm_build = statistics.median(by_name["build, warm cache"].times)
        edited_build = statistics.median(by_name["build, one line edited"].times)
        print(f"\n{label}: {sizes[label]} characters of rendered Markdown")
        print(f"  {'case':<24} {'min':>6} {'median':>7} {'max':>6}   ratio            target")
        for case in cases[label]:
            median = statistics.median(case.times)
            if case.name == "diff --docx":
                ratio, against = median / warm_build, "× warm build"
            else:
                ratio, against = median / bare, "× bare pandoc"
            target = TARGETS.get(case.name)
            verdict = ""
            if target is not None:
                holds = median * 1000 <= target[0] if target[1] == "ms" else ratio <= target[0]
                failures += not holds
                verdict = f"≤ {target[0]:g} {target[1]}: {'holds' if holds else 'MISSED'}"
            print(
                f"  {case.name:<24} {min(case.times) * 1000:6.0f} {median * 1000:7.0f} "
                f"{max(case.times) * 1000:6.0f}   {ratio:5.2f} {against:<14} {verdict}"
            )
            if case.name == "diff --docx":
                # A warm build may be answered from its kept result; the diff builds the
                # edited side: the build that does the same work is the one-line edit's.
                print(
                    f"  {'':<24} {'':>6} {'':>7} {'':>6}   {median / edited_build:5.2f} "
                    "× the one-line edit's build"
                )
        pandoc_kb, vanban_kb, small_heap_kb = memory[label]
        ratio = vanban_kb / pandoc_kb
        holds = ratio <= 1.2
        failures += not holds
        print(
            f"  peak memory: bare pandoc {pandoc_kb / 1024:.0f} MB, cold build "
            f"{vanban_kb / 1024:.0f} MB (with its pandoc runs): {ratio:.2f} × ≤ 1.2: "
            f"{'holds' if holds else 'MISSED'}"
        )
        print(
            f"  {'':<13}(bare pandoc with the heap vanban gives it, GHCRTS={RUNTIME_OPTIONS}: "
            f"{small_heap_kb / 1024:.0f} MB; the cold build is "
            f"{vanban_kb / small_heap_kb:.2f} × that)"
        )
    print(f"\n{failures} target{'s' if failures != 1 else ''} missed")
    return 0


def _in(command: list[str], directory: Path | None) -> list[str]:
    """Run `vanban diff` inside the edited repository (it compares HEAD with `.`)."""
    if directory is None:
        return command
    return ["sh", "-c", f'cd "{directory}" && exec "$@"', "sh", *command]


TARGETS: dict[str, tuple[float, str]] = {
    "build, cold cache": (1.0, "× bare pandoc"),
    "build, warm cache": (0.9, "× bare pandoc"),
    "build, one line edited": (0.5, "× bare pandoc"),
    "check, warm cache": (100, "ms"),
    "check, cold cache": (0.6, "× bare pandoc"),
    "diff --docx": (1.5, "× warm build"),
}


if __name__ == "__main__":
    sys.exit(main())
