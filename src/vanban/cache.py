"""A cache of parsed sources, keyed by content, so that rebuilds skip re-parsing.

It lives in $VANBAN_CACHE_DIR, else $XDG_CACHE_HOME/vanban, else ~/.cache/vanban; setting
VANBAN_CACHE_DIR to "off" disables it. It is shared by every report on the machine.

Entries are keyed by a hash of the vanban version, the entry kind and the exact source bytes,
so an edited file is never served stale. A damaged or unreadable entry is ignored and
recomputed: the cache can only make a build faster, never different.

It is kept under a size ($VANBAN_CACHE_MAX_MB megabytes, 1 000 by default): at most once a
day a write looks, and when the entries take more, the oldest written go until they take
four fifths of it. An entry gone is computed again.
"""

from __future__ import annotations

import marshal
import os
import pickle
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from .inputs import LIBRARIES as LIBRARIES
from .inputs import cache_directory, entry_name
from .inputs import engine_fingerprint as engine_fingerprint
from .inputs import library_version as library_version

T = TypeVar("T")


class Cache:
    """Content-addressed store of pickled (or marshalled) values."""

    def __init__(self, directory: Path | None):
        self.directory = directory
        self._pruned = False

    def _path(self, kind: str, content: bytes) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / entry_name(kind, content)

    def _read(self, path: Path | None, loads: Callable[[bytes], object]) -> object | None:
        if path is None:
            return None
        try:
            return loads(path.read_bytes())
        except Exception:  # noqa: BLE001 - any damaged entry is simply recomputed
            return None

    def _write(self, path: Path | None, data: bytes) -> None:
        if path is None:
            return
        self._prune_daily()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            import tempfile  # here: a lookup that only reads (a kept check) never loads it

            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except OSError:
            pass  # a read-only tree still builds, only slower

    def _prune_daily(self) -> None:
        """Prune the cache when it was last pruned more than a day ago (or never)."""
        if self.directory is None or self._pruned:
            return
        self._pruned = True  # once for this cache object; the marker tells the others
        marker = self.directory / PRUNED_MARKER
        try:
            if time.time() - marker.stat().st_mtime < PRUNE_EVERY_SECONDS:
                return
        except OSError:
            pass  # never pruned, or no cache yet
        self.prune(max_bytes())
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            marker.touch()
        except OSError:
            pass

    def prune(self, limit: int) -> int:
        """Remove the entries written longest ago while they take more than limit bytes,
        down to four fifths of it; return how many went. Safe while others read and write:
        a reader of a removed entry computes it again, and writes replace whole files."""
        if self.directory is None:
            return 0
        entries = []
        try:
            with os.scandir(self.directory) as found:
                for entry in found:
                    if entry.name.startswith(".") or entry.name == PRUNED_MARKER:
                        continue
                    try:
                        stat = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if entry.is_file(follow_symlinks=False):
                        entries.append((stat.st_mtime, stat.st_size, entry.path))
        except OSError:
            return 0
        total = sum(size for _, size, _ in entries)
        if total <= limit:
            return 0
        removed = 0
        for _, size, path in sorted(entries):
            if total <= limit * 4 // 5:
                break
            try:
                os.unlink(path)
            except OSError:
                continue
            total -= size
            removed += 1
        return removed

    def has(self, kind: str, content: bytes) -> bool:
        """Return True when a value is stored for content (it may still fail to load)."""
        path = self._path(kind, content)
        return path is not None and path.is_file()

    def get(self, kind: str, content: bytes) -> object | None:
        """Return the pickled value stored for content, or None."""
        return self._read(self._path(kind, content), pickle.loads)

    def put(self, kind: str, content: bytes, value: object) -> None:
        """Store a value for content (pickled)."""
        self._write(self._path(kind, content), pickle.dumps(value, pickle.HIGHEST_PROTOCOL))

    def value(self, kind: str, content: bytes, compute: Callable[[], T]) -> T:
        """Return the pickled value stored for content, computing and storing it if absent."""
        path = self._path(kind, content)
        found = self._read(path, pickle.loads)
        if found is not None:
            return found  # type: ignore[return-value]
        value = compute()
        if value is not None:
            self._write(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        return value

    def code(self, kind: str, content: bytes, compute: Callable[[], T]) -> T:
        """Return a code object stored for content (marshal), compiling it if absent."""
        path = self._path(kind, content)
        found = self._read(path, marshal.loads)
        if found is not None:
            return found  # type: ignore[return-value]
        value = compute()
        self._write(path, marshal.dumps(value))  # type: ignore[arg-type]
        return value


NO_CACHE = Cache(None)

PRUNED_MARKER = "pruned"  # its time: when the cache was last pruned
PRUNE_EVERY_SECONDS = 24 * 3600
DEFAULT_MAX_MB = 1000


def shared_key(part: bytes) -> bytes:
    """Return a short stand-in for a long part that many keys share (the bytes of every
    data file, say): its SHA-256. Keys made with it are as distinct as with the part
    itself, and each is hashed without hashing the part again."""
    import hashlib

    return hashlib.sha256(part).digest()


def value_key(value: object) -> bytes | None:
    """Return bytes that equal values give alike, however their parts are shared (a value
    read from the cache shares fewer objects than one computed): a pickle without memo;
    None for a value that cannot be one."""
    import io
    import pickle

    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True  # no memo: the same bytes for equal values
    try:
        pickler.dump(value)
    except (pickle.PicklingError, TypeError, ValueError, RecursionError):
        return None
    return out.getvalue()


def max_bytes() -> int:
    """Return the size the cache is kept under: $VANBAN_CACHE_MAX_MB megabytes, or 1 000."""
    configured = os.environ.get("VANBAN_CACHE_MAX_MB", "").strip()
    megabytes = int(configured) if configured.isdigit() and int(configured) > 0 else DEFAULT_MAX_MB
    return megabytes * 1024 * 1024


def user_cache() -> Cache:
    """Return the cache of this user, or NO_CACHE when it is switched off."""
    directory = cache_directory()
    return NO_CACHE if directory is None else Cache(Path(directory))
