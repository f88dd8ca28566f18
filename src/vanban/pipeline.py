"""The build: load facts → validate → render narrative → convert → assemble → write."""

from __future__ import annotations

import functools
import importlib
import os
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .appendix import APPENDICES_FILE, Appendices, build_appendices, load_declaration
from .cache import NO_CACHE, Cache, user_cache
from .check import CheckResult, Finding, check_sources, fact_context
from .errors import Problem, ProblemsError, ProjectError, relpath
from .facts import Loaded, check_schema, load_yaml, plain, unit_of, validate
from .metadata import Metadata, metadata_from
from .narrative import FactTree, Narrative, render_narrative
from .pandoc import Conversion, markdown_to_docx

METADATA_FILE = "document.yaml"


@dataclass(frozen=True)
class Project:
    """A report directory: where its sources are and where its output goes."""

    root: Path

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def schema_dir(self) -> Path:
        return self.root / "schema"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    def display(self, path: Path) -> str:
        return relpath(path, self.root)

    def content_files(self) -> list[Path]:
        return sorted(self.content_dir.glob("*.md"))

    def fact_files(self) -> list[Path]:
        return sorted(p for p in self.data_dir.glob("*.yaml") if p.name != METADATA_FILE)


def open_project(root: Path) -> Project:
    """Return the project at root, or explain which part is missing."""
    project = Project(root.resolve())
    missing = [
        name
        for name, path in (
            ("content/", project.content_dir),
            ("data/", project.data_dir),
            ("data/" + METADATA_FILE, project.data_dir / METADATA_FILE),
        )
        if not path.exists()
    ]
    if missing:
        raise ProjectError(f"{root}: not a vanban report directory: missing {', '.join(missing)}")
    return project


@dataclass(frozen=True)
class DataFile:
    """One fact file with its schema (None when the schema file is missing or unreadable)."""

    name: str
    loaded: Loaded
    schema_file: Loaded | None

    @property
    def schema(self) -> Mapping[str, Any]:
        """Return the schema's field rules (empty without a schema)."""
        document = self.schema_file.document if self.schema_file else None
        return document if isinstance(document, Mapping) else {}


@dataclass(frozen=True)
class Facts:
    """All fact files of a report, by the name templates use (data/an-sinh.yaml → an_sinh)."""

    files: dict[str, DataFile]
    unavailable: frozenset[str] = frozenset()

    def context(self) -> dict[str, FactTree]:
        """Return the template names: one FactTree per data file."""
        return {
            name: FactTree(f.loaded.document, name, _unit_lookup(f.schema, name))
            for name, f in self.files.items()
        }


def _unit_lookup(schema: Mapping[str, Any], name: str) -> Callable[[str], str | None]:
    def lookup(dotted: str) -> str | None:
        return unit_of(schema, tuple(dotted.split(".")[1:]))

    return lookup


def template_name(path: Path) -> str:
    """Return the name a data file has in templates: its stem with "-" as "_"."""
    return path.stem.replace("-", "_")


def load_facts(project: Project, cache: Cache = NO_CACHE) -> tuple[Facts, dict[str, list[Problem]]]:
    """Parse every fact file and its schema; problems by data file, in file order."""
    problems: dict[str, list[Problem]] = {}
    files: dict[str, DataFile] = {}
    unavailable: set[str] = set()
    for path in project.fact_files():
        display = project.display(path)
        loaded, found = load_yaml(path, display, cache)
        problems[display] = found
        if loaded is None:
            unavailable.add(template_name(path))
            continue
        schema_path = project.schema_dir / path.name
        schema_file = None
        if not schema_path.exists():
            found.append(
                Problem(display, 0, 0, f"no schema: expected {project.display(schema_path)}")
            )
        else:
            schema_file, bad = load_yaml(schema_path, project.display(schema_path), cache)
            found += bad
        files[template_name(path)] = DataFile(template_name(path), loaded, schema_file)
    return Facts(files, frozenset(unavailable)), problems


def _validate_file(data: DataFile) -> list[Problem]:
    assert data.schema_file is not None
    schema = plain(data.schema_file.document)
    return check_schema(schema, data.schema_file.display) or validate(
        data.loaded, schema, data.schema_file.display
    )


def validate_facts(facts: Facts, cache: Cache = NO_CACHE) -> dict[str, list[Problem]]:
    """Validate every fact file against its schema; problems by data file.

    The result depends only on the two files' bytes, so it is cached by them.
    """
    results: dict[str, list[Problem]] = {}
    for data in facts.files.values():
        if data.schema_file is None:
            continue
        key = data.loaded.raw + b"\0" + data.schema_file.raw
        results[data.loaded.display] = cache.value(
            "validation", key, functools.partial(_validate_file, data)
        )
    return results


def load_metadata(
    project: Project, cache: Cache = NO_CACHE
) -> tuple[Metadata | None, list[Problem]]:
    """Load and validate data/document.yaml."""
    path = project.data_dir / METADATA_FILE
    loaded, problems = load_yaml(path, project.display(path), cache)
    if loaded is None:
        return None, problems
    return metadata_from(loaded, cache)


@dataclass(frozen=True)
class Sources:
    """Everything a build needs, gathered and checked before anything is written."""

    project: Project
    facts: Facts
    metadata: Metadata
    narrative: Narrative
    appendices: Appendices = Appendices()
    checked: CheckResult | None = None


def gather(
    project: Project,
    cache: Cache = NO_CACHE,
    on_rendered: Callable[[str], None] | None = None,
) -> Sources:
    """Load, render and validate every source; raise with all problems found.

    on_rendered receives the rendered Markdown as soon as it is known to be sound, so that
    pandoc can convert it while the facts are validated.
    """
    facts, parsed = load_facts(project, cache)
    metadata, meta_problems = load_metadata(project, cache)
    declaration_path = project.content_dir / APPENDICES_FILE
    declaration, declared = load_declaration(
        declaration_path, project.display(declaration_path), cache
    )
    context: dict[str, Any] = dict(fact_context(project, facts, cache))
    if metadata is not None:
        context["document"] = metadata
    context.update(declaration.template_globals())
    sources = [(project.display(p), p) for p in project.content_files()]
    render_problems = []
    if not sources:
        render_problems.append(
            Problem(project.display(project.content_dir), 0, 0, "no Markdown sections (*.md)")
        )
    narrative, found = render_narrative(sources, context, facts.unavailable, cache)
    render_problems += found
    sound = not any(parsed.values()) and not meta_problems and not render_problems
    if on_rendered is not None and sound and metadata is not None:
        on_rendered(narrative.markdown)
    validated = validate_facts(facts, cache)
    problems = [p for name, found in parsed.items() for p in found + validated.get(name, [])]
    tables_computable = not problems and not declared  # sound facts and declaration
    problems += meta_problems + render_problems + declared
    checked = check_sources(project, facts, narrative, cache)
    problems += [f.problem() for f in checked.findings if f.status == "error"]
    appendices = Appendices()
    if tables_computable:
        appendices, declared = build_appendices(declaration, facts, cache)
        problems += declared
    if problems or metadata is None:
        raise ProblemsError(problems)
    return Sources(project, facts, metadata, narrative, appendices, checked)


def reference_doc(project: Project) -> Path:
    """Return the reference document whose styles and page setup the body takes."""
    reference = project.templates_dir / "reference.docx"
    if not reference.exists():
        raise ProjectError(f"missing {project.display(reference)}: run `vanban templates`")
    return reference


def render_docx(
    sources: Sources, body: bytes | None = None, rendered: tuple[Any, Any] | None = None
) -> bytes:
    """Convert the narrative with pandoc (unless done), put masthead and closing around it
    (rendered already, or now) and the appendices after it."""
    from .appendix.docx import appendix_sections
    from .layout import assemble

    if body is None:
        body = markdown_to_docx(sources.narrative.markdown, reference_doc(sources.project))
    sections = appendix_sections(sources.appendices, sources.metadata)
    context = sources.metadata.template_context()
    return assemble(body, sources.project.templates_dir, context, sections, rendered)


def write_atomic(path: Path, data: bytes) -> None:
    """Write data to path so that a reader sees the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def output_path(sources: Sources) -> Path:
    return sources.project.build_dir / f"{sources.metadata.output}.docx"


@dataclass(frozen=True)
class Built:
    """A finished build: where the document went and what the checks found."""

    path: Path
    sources: Sources

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.sources.checked.findings if self.sources.checked else ()


def build(root: Path, output: Path | None = None) -> Path:
    """Build the report at root into build/<output>.docx; nothing is written on failure."""
    return build_report(root, output).path


def build_report(root: Path, output: Path | None = None) -> Built:
    """Build the report at root and return the result with the checks' findings."""
    project = open_project(root)
    cache = user_cache()
    reference = project.templates_dir / "reference.docx"
    conversion = Conversion(reference) if reference.exists() else None
    fed = False

    def convert(markdown: str) -> None:
        nonlocal fed
        if conversion is not None:
            conversion.feed(markdown)
            fed = True
            # The Word layer's imports (python-docx, docxtpl) cost as much as a third of
            # pandoc's run: load them while pandoc works.
            threading.Thread(target=importlib.import_module, args=("vanban.layout",)).start()

    try:
        sources = gather(project, cache, convert)
        from .layout import render_layout  # while pandoc still works

        rendered = render_layout(project.templates_dir, sources.metadata.template_context())
        body = conversion.result() if conversion is not None and fed else None
    except BaseException:
        if conversion is not None:
            conversion.cancel()
        raise
    document = render_docx(sources, body, rendered)
    target = output or output_path(sources)
    write_atomic(target, document)
    return Built(target, sources)
