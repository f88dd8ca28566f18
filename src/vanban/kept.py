"""Where a kept result is found (see vanban.results): its key and its cache entry, computed
with the standard library alone, so that a check answered from what it printed before loads
nothing of the engine (vanban.launch).
"""

from __future__ import annotations

import os
import zlib

from .inputs import cache_directory, entry_name, joined
from .pandoc_command import docx_command

BUILD_KIND = "build-result"
CHECK_KIND = "check-result"
CHECK_OUTPUT_KIND = "check-output"  # a check as printed, by its options
_LOCALE = ("LC_ALL", "LC_CTYPE", "LANG")


def toolchain() -> bytes:
    """Return what identifies the programs a build runs besides vanban's own code: the
    pandoc binary (path, size, time) with its command line, zlib and the locale."""
    command = docx_command("reference.docx")
    binary = os.stat(command[0])
    return "\0".join(
        [
            *command,
            f"{binary.st_size}:{binary.st_mtime_ns}",
            zlib.ZLIB_RUNTIME_VERSION,
            *(f"{name}={os.environ.get(name, '')}" for name in _LOCALE),
        ]
    ).encode()


def result_key(root: str, files: tuple[tuple[str, bytes], ...], how: bytes) -> bytes:
    """Return the key of a result of the report at root (resolved) made of files, by how
    it was made ("units", "whole", "check")."""
    items = [root.encode(), how, toolchain()]
    for name, data in files:
        items += [name.encode("utf-8"), data]
    return joined(items)


def check_options(output_format: str, strict: bool, show_acknowledged: bool) -> bytes:
    """Return the options a check's printed output is kept by."""
    return f"{output_format}\0{strict}\0{show_acknowledged}".encode()


def check_output_key(check_key: bytes, options: bytes) -> bytes:
    """Return the key of a check's printed output: its result's key and the options."""
    return check_key + b"\0output\0" + options


def printed_check(value: object) -> tuple[str, int] | None:
    """Return a kept check's printed output as (text, exit status); None for anything else
    (an entry of another shape is not one)."""
    if isinstance(value, tuple) and len(value) == 2:
        text, status = value
        if isinstance(text, str) and type(status) is int:
            return text, status
    return None


def entry_path(kind: str, key: bytes) -> str | None:
    """Return the path of the cache entry of kind for key; None when the cache is off."""
    directory = cache_directory()
    return None if directory is None else os.path.join(directory, entry_name(kind, key))
