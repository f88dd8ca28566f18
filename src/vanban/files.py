"""Writing files so that a reader sees the old content or the new, never a part."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError


def umask_mode() -> int:
    """Return the mode a new file gets from the process's umask (0o644 under umask 022)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # where /proc is absent: read it by setting it, and put it back
    os.umask(mask)
    return 0o666 & ~mask


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def write_atomic(path: Path, data: bytes, display: str | None = None) -> None:
    """Write data to path so that a reader sees the old file or the new one, never a part.

    The file gets the mode the umask gives. Any failure (a directory that cannot be written,
    a full disk, a read-only target) raises OutputError naming the file (`display`, else
    the path); the temporary file is removed and the previous file is left as it was.
    """
    shown = display or str(path)
    kept = "the previous file is unchanged" if path.exists() else "nothing was written"
    if path.is_file() and not path.stat().st_mode & 0o222:
        raise OutputError(
            f"cannot write {shown}: the file is read-only (make it writable, or write "
            f"elsewhere with --output); {kept}"
        )
    if path.parent.exists() and not path.parent.is_dir():
        raise OutputError(f"cannot write {shown}: {path.parent} is not a directory; {kept}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {_reason(exc)}; {kept}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), umask_mode())
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write {shown}: {_reason(exc)}; {kept}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_all_atomic(files: list[tuple[Path, bytes, str]]) -> None:
    """Write several files (path, data, display) so that either all are replaced or none:
    each is written in full beside its target first, then all are moved into place.

    A failure while writing raises OutputError naming the file, removes what was written
    and leaves every previous file as it was.
    """
    if len(files) == 1:
        path, data, display = files[0]
        write_atomic(path, data, display)
        return
    for path, _, display in files:
        if path.is_file() and not path.stat().st_mode & 0o222:
            raise OutputError(
                f"cannot write {display}: the file is read-only (make it writable, or write "
                "elsewhere with --output); nothing was written"
            )
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data, display in files:
            staging = path.with_name(f".{path.name}.new")
            write_atomic(staging, data, display)
            staged.append((staging, path))
        for staging, path in staged:
            try:
                os.replace(staging, path)
            except OSError as exc:
                raise OutputError(
                    f"cannot write {path}: {_reason(exc)}"
                ) from None  # rare: a rename
    finally:
        for staging, _ in staged:
            staging.unlink(missing_ok=True)
