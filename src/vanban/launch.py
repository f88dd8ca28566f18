"""The `vanban` command.

A check of sources no file of which changed since a check printed them is answered from what
that check printed, before the command line's parser and the engine load: the sources are
read and the key of the kept output is computed with the standard library alone (see
vanban.kept), as the check itself computes it. Anything else (another command, options this
step does not know, a cache that does not have it, any trouble at all) goes to vanban.cli,
which parses the command line, runs the command and keeps what the check printed.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing itself is not loaded for a kept check
if TYPE_CHECKING:
    from collections.abc import Sequence

# The options of `vanban check` this step reads; any other word goes to the parser.
_FORMATS = ("text", "json")


def command() -> None:
    """The `vanban` script: run the command line, then end the process at once.

    What the command wrote is flushed and every exit handler run first (as Python would at
    exit); what is left is the interpreter's teardown, which frees every object of the
    modules the command loaded one by one: 25–40 ms after a build, nothing anyone waits for.
    """
    end(main())


def end(status: int) -> None:
    """End the process with status, as Python would at exit but without its teardown: join
    the threads still working, run the exit handlers, flush the standard streams."""
    threading = sys.modules.get("threading")
    if threading is not None:
        current = threading.current_thread()
        try:
            for thread in threading.enumerate():
                if thread is not current and not thread.daemon:
                    thread.join()
        except KeyboardInterrupt:  # Ctrl-C while waiting: stop waiting, no traceback
            status = 130
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`vanban check | head`), a closed stream
            pass
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `vanban` command line; return its exit status."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    kept = kept_check(arguments)
    if kept is not None:
        text, status = kept
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # `vanban check | head`
            return 0
        return status
    from .cli import main as run

    return run(arguments)


def check_arguments(arguments: Sequence[str]) -> tuple[str, str, bool, bool] | None:
    """Return (report directory, format, strict, show acknowledged) of a `vanban check`
    command line of the plain forms argparse gives those values for; None for any other."""
    if not arguments or arguments[0] != "check":
        return None
    project, output_format, strict, acknowledged = None, "text", False, False
    words = list(arguments[1:])
    while words:
        word = words.pop(0)
        if word == "--strict":
            strict = True
        elif word == "--show-acknowledged":
            acknowledged = True
        elif word.startswith("--format="):
            output_format = word.partition("=")[2]
            if output_format not in _FORMATS:
                return None
        elif word == "--format":
            if not words or words[0] not in _FORMATS:
                return None
            output_format = words.pop(0)
        elif word.startswith("-") or not word or project is not None:
            return None  # --help, an abbreviation, "--", a second directory: the parser's
        else:
            project = word
    return (project or "."), output_format, strict, acknowledged


def kept_check(arguments: Sequence[str]) -> tuple[str, int] | None:
    """Return what a check of these arguments printed and its exit status, when a check of
    the same sources, engine and options kept it; None otherwise."""
    parsed = check_arguments(arguments)
    if parsed is None:
        return None
    project, output_format, strict, acknowledged = parsed
    try:
        from . import kept
        from .inputs import REPORT_PARTS, read_sources

        root = os.path.realpath(project)
        if not all(os.path.exists(os.path.join(root, part)) for part in REPORT_PARTS):
            return None  # not a report: the command says what is missing
        check_key = kept.result_key(root, read_sources(root), b"check")
        options = kept.check_options(output_format, strict, acknowledged)
        path = kept.entry_path(kept.CHECK_OUTPUT_KIND, kept.check_output_key(check_key, options))
        if path is None:
            return None
        with open(path, "rb") as handle:
            data = handle.read()
        import pickle

        return kept.printed_check(pickle.loads(data))
    except Exception:  # noqa: BLE001 - no entry, or any trouble: the command runs
        return None
