"""A build's (and a check's) whole result, kept by every input it depends on.

A build reads the report's sources (every file in content/, data/, schema/, templates/ and
checks/). Its document and its check's findings depend besides only on the engine (vanban's
version, its code and data files, the Python version and the libraries that parse,
validate, render and write: the cache's engine fingerprint), the pandoc binary and the
command line it is run with, the zlib that compresses the package, the locale, and whether
the body was converted by units. When none of these changed since a build that succeeded,
the next build is answered from what that build kept: the document (and the appendices'
own files, when each has one) and the findings.

What a build stamps on the document besides its content is made anew every time, as a full
build makes it: the revision and dirty state from git, the sources' hash, the build time
($SOURCE_DATE_EPOCH or the clock). So a kept build writes the bytes a full build would
write at that moment, and prints the same findings (tests/test_speed.py compares both).

`vanban check` keeps its result the same way, under the same inputs (pandoc included: it
reads the appendices' literal tables), but for the conversion by units.

A result is kept only when the sources read after the build are those read before it: a
file saved while a build ran never leaves a document under the key of other sources.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import kept as keys
from .cache import Cache
from .classes import dataclass
from .project import read_sources

if TYPE_CHECKING:
    from .check.findings import Finding
    from .provenance import Provenance

KIND = keys.BUILD_KIND
CHECK_KIND = keys.CHECK_KIND
CHECK_OUTPUT_KIND = keys.CHECK_OUTPUT_KIND


@dataclass(frozen=True)
class KeptBuild:
    """What a build that succeeded leaves for the next one with the same inputs."""

    documents: tuple[bytes, ...]  # as that build wrote them: the document, its appendices'
    findings: tuple[Finding, ...]
    output: str  # the document's file name without .docx (build/<output>.docx)
    provenance: Provenance  # its title, creator and subject; the rest is made anew


@dataclass(frozen=True)
class Lookup:
    """The inputs of a build as read before it, and what a build of them kept, if any."""

    root: Path
    files: tuple[tuple[str, bytes], ...]
    key: bytes
    kept: Any  # a KeptBuild, a check's CheckResult, or None
    kind: str = KIND

    def documents_now(self) -> list[bytes]:
        """Return the kept documents with the properties a build writes now."""
        from .parts import read_parts, write_parts  # not for a kept check
        from .provenance import hash_of_sources, restamped, write_provenance

        assert isinstance(self.kept, KeptBuild)
        provenance = restamped(self.kept.provenance, self.root, hash_of_sources(self.files))
        documents = []
        for document in self.kept.documents:
            parts = read_parts(document)
            write_provenance(parts, provenance)
            documents.append(write_parts(parts))
        return documents


def _key(root: Path, files: tuple[tuple[str, bytes], ...], how: bytes) -> bytes:
    return keys.result_key(str(root), files, how)


def lookup(cache: Cache, root: Path, by_units: bool) -> Lookup | None:
    """Read the inputs of a build of the report at root and what a build of them kept;
    None when the cache is off."""
    if cache.directory is None:
        return None
    files = read_sources(root)
    key = _key(root, files, b"units" if by_units else b"whole")
    found = cache.get(KIND, key)
    return Lookup(root, files, key, found if isinstance(found, KeptBuild) else None)


def lookup_check(cache: Cache, root: Path, output: bytes | None = None) -> Lookup | None:
    """Read the inputs of a check of the report at root and what a check of them kept (a
    CheckResult); None when the cache is off.

    With output (the options a check prints with), what is kept is the check as printed with
    them, (text, exit status): printing it loads none of the check's classes."""
    if cache.directory is None:
        return None
    files = read_sources(root)
    key = _key(root, files, b"check")
    if output is not None:
        key = keys.check_output_key(key, output)
        return Lookup(root, files, key, cache.get(CHECK_OUTPUT_KIND, key), CHECK_OUTPUT_KIND)
    return Lookup(root, files, key, cache.get(CHECK_KIND, key), CHECK_KIND)


def keep(cache: Cache, before: Lookup, kept: object) -> bool:
    """Keep a result under the inputs read before it, if they are still those."""
    if read_sources(before.root) != before.files:
        return False  # a source changed while it was computed
    cache.put(before.kind, before.key, kept)
    return True
