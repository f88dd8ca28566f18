"""Where a built document came from, written into its document properties (docProps/).

- `docProps/custom.xml`: the source revision (git commit and whether the sources differ from
  it), a hash of the sources, vanban's version and the build time;
- `docProps/core.xml`: the title (trích yếu), the agency as creator, the build's dates;
- `docProps/app.xml`: the application, without the counts the reference document carried.

The build time is `SOURCE_DATE_EPOCH` when set (reproducible builds), else the clock.
`vanban absorb` reads the revision back to rebuild what a reviewer was sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .classes import dataclass, replace
from .parts import CONTENT_TYPES_PART, escape
from .project import SOURCE_DIRS, read_sources, source_files_below

if TYPE_CHECKING:  # a kept build stamps its provenance without loading the sources' engines
    import subprocess

    from .metadata import Metadata
    from .project import Project


CORE_PART = "docProps/core.xml"
APP_PART = "docProps/app.xml"
CUSTOM_PART = "docProps/custom.xml"

_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_PACKAGE_RELS = "_rels/.rels"
_PARTS = {
    CORE_PART: (
        "application/vnd.openxmlformats-package.core-properties+xml",
        "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
    ),
    APP_PART: (
        "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
    ),
    CUSTOM_PART: (
        "application/vnd.openxmlformats-officedocument.custom-properties+xml",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties",
    ),
}

# Custom property names, in the order they are written.
REVISION = "vanban.revision"
DIRTY = "vanban.dirty"
REPORT = "vanban.report"
SOURCES = "vanban.sources"
VERSION = "vanban.version"
BUILT = "vanban.built"


@dataclass(frozen=True)
class Provenance:
    """Where a document came from: revision, sources, engine, time; title and creator."""

    sources_hash: str
    built: dt.datetime
    title: str
    creator: str
    subject: str = ""
    revision: str | None = None
    dirty: bool = False
    report: str = ""
    version: str = __version__

    def properties(self) -> dict[str, str]:
        """Return the custom properties as name → text, in the order they are written."""
        found = {}
        if self.revision:
            found[REVISION] = self.revision
            found[DIRTY] = "true" if self.dirty else "false"
            found[REPORT] = self.report or "."
        found[SOURCES] = self.sources_hash
        found[VERSION] = self.version
        found[BUILT] = _w3cdtf(self.built)
        return found


def build_time() -> dt.datetime:
    """Return the build time: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def source_files(project: Project) -> Iterator[Path]:
    """Yield every file a build reads, in a fixed order."""
    yield from source_files_below(project.root)


def sources_hash(project: Project) -> str:
    """Return "sha256:…" over the source files' paths and bytes: equal sources, equal hash."""
    return hash_of_sources(read_sources(project.root))


def hash_of_sources(files: Iterable[tuple[str, bytes]]) -> str:
    """Return the sources hash of files read by read_sources."""
    digest = hashlib.sha256()
    for name, data in files:
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return "sha256:" + digest.hexdigest()


def _start_git(root: Path, *args: str) -> subprocess.Popen[bytes] | None:
    import subprocess  # only where git runs: a kept check reads no revision

    try:
        return subprocess.Popen(
            ["git", "-C", str(root), *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except OSError:
        return None


def _git_output(process: subprocess.Popen[bytes] | None) -> str | None:
    import subprocess

    if process is None:
        return None
    try:
        stdout, _ = process.communicate(timeout=30)
    except subprocess.SubprocessError:
        process.kill()
        process.communicate()
        return None
    return stdout.decode("utf-8", "replace") if process.returncode == 0 else None


def git_revision(project: Project) -> tuple[str, bool, str] | None:
    """Return (commit, dirty, the report's path in the repository), or None outside git.

    Dirty means a source file differs from the commit, or is new and not ignored."""
    return git_revision_at(project.root)


def git_revision_at(root: Path) -> tuple[str, bool, str] | None:
    """git_revision of the report at root; both git commands run at once."""
    head_run = _start_git(root, "rev-parse", "HEAD", "--show-prefix")
    status_run = _start_git(
        root, "status", "--porcelain", "--untracked-files=all", "--", *SOURCE_DIRS
    )
    head, status = _git_output(head_run), _git_output(status_run)
    if head is None:
        return None
    commit, _, prefix = head.partition("\n")
    dirty = status is None or bool(status.strip())
    return commit.strip(), dirty, prefix.strip().rstrip("/") or "."


def provenance_of(project: Project, metadata: Metadata) -> Provenance:
    """Return the provenance of a build of the project now."""
    described = Provenance(
        sources_hash="",
        built=build_time(),
        title=" ".join((metadata.summary or metadata.kind_info.name).split()),
        creator=metadata.agency_full_name,
        subject=subject_of(metadata),
    )
    return restamped(described, project.root, sources_hash(project))


def restamped(provenance: Provenance, root: Path, sources: str) -> Provenance:
    """Return a provenance with the sources hash given and the revision and time of now:
    what a build of the same document (title, creator, subject) writes now."""
    revision = git_revision_at(root)
    return replace(
        provenance,
        sources_hash=sources,
        built=build_time(),
        revision=revision[0] if revision else None,
        dirty=revision[1] if revision else False,
        report=revision[2] if revision else "",
        version=__version__,
    )


def subject_of(metadata: Metadata) -> str:
    """Return the kind and the số with its ký hiệu: "Báo cáo số 05/BC-UBND" ("số …/" in a
    draft whose number is blank); LibreOffice makes it the PDF's Subject."""
    number = str(metadata.number) if metadata.number is not None else "…"
    return f"{metadata.kind_title.capitalize()} số {number}/{metadata.symbol}"


def _w3cdtf(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------- parts


def core_xml(provenance: Provenance) -> bytes:
    """Return docProps/core.xml: title, subject, creator, language and the build's dates."""
    when = _w3cdtf(provenance.built)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(provenance.title)}</dc:title>"
        f"<dc:creator>{escape(provenance.creator)}</dc:creator>"
        + (f"<dc:subject>{escape(provenance.subject)}</dc:subject>" if provenance.subject else "")
        + f"<cp:lastModifiedBy>{escape(provenance.creator)}</cp:lastModifiedBy>"
        "<dc:language>vi-VN</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


def app_xml(provenance: Provenance) -> bytes:
    """Return docProps/app.xml naming vanban, with no page or word counts (Word recounts)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_APP_NS}" xmlns:vt="{_VT_NS}">'
        f"<Application>vanban {escape(provenance.version)}</Application>"
        "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged>"
        "</Properties>"
    ).encode()


def custom_xml(provenance: Provenance) -> bytes:
    """Return docProps/custom.xml with the provenance as custom properties."""
    items = []
    for pid, (name, value) in enumerate(provenance.properties().items(), start=2):
        if name == DIRTY:
            typed = f"<vt:bool>{value}</vt:bool>"
        elif name == BUILT:
            typed = f"<vt:filetime>{value}</vt:filetime>"
        else:
            typed = f"<vt:lpwstr>{escape(value)}</vt:lpwstr>"
        items.append(f'<property fmtid="{_FMTID}" pid="{pid}" name="{name}">{typed}</property>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{"".join(items)}</Properties>'
    ).encode()


def write_provenance(parts: dict[str, bytes], provenance: Provenance) -> None:
    """Put the three property parts into a package's parts, declared and related."""
    parts[CORE_PART] = core_xml(provenance)
    parts[APP_PART] = app_xml(provenance)
    parts[CUSTOM_PART] = custom_xml(provenance)
    _declare(parts)


def _declare(parts: dict[str, bytes]) -> None:
    types = parts.get(CONTENT_TYPES_PART, b"").decode("utf-8")
    rels = parts.get(_PACKAGE_RELS, b"").decode("utf-8")
    if not types or not rels:
        return
    for part, (content_type, relationship) in _PARTS.items():
        if f'PartName="/{part}"' not in types:
            override = f'<Override PartName="/{part}" ContentType="{content_type}"/>'
            types = types.replace("</Types>", override + "</Types>")
        if f'Target="{part}"' not in rels and f'Target="/{part}"' not in rels:
            rid = f"rIdVanban{len(rels)}"
            relation = f'<Relationship Id="{rid}" Type="{relationship}" Target="{part}"/>'
            rels = rels.replace("</Relationships>", relation + "</Relationships>")
    parts[CONTENT_TYPES_PART] = types.encode("utf-8")
    parts[_PACKAGE_RELS] = rels.encode("utf-8")


# --------------------------------------------------------------------------- reading


def read_properties(parts: Mapping[str, bytes]) -> dict[str, str]:
    """Return a document's custom properties (name → text), its title, subject and creator."""
    from .ooxml import parse_xml

    found: dict[str, str] = {}
    if CORE_PART in parts:
        core = parse_xml(parts[CORE_PART])
        for element in core:
            name = element.tag.rpartition("}")[2]
            if name in ("title", "subject", "creator", "created", "modified") and element.text:
                found[name] = element.text
    if CUSTOM_PART in parts:
        for prop in parse_xml(parts[CUSTOM_PART]):
            name = prop.get("name")
            if name and len(prop):
                found[name] = prop[0].text or ""
    return found
