"""The build: load facts → validate → render narrative → convert → assemble → write."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import NO_CACHE, Cache, user_cache
from .classes import dataclass, field, replace
from .errors import Problem, ProblemsError, ProjectError, in_order, relpath
from .files import write_all_atomic

# The engines are imported where they are used: a build whose whole result is kept (see
# vanban.results) loads none of them.
if TYPE_CHECKING:
    from .appendix import Appendices, Declaration
    from .appendix.attached import ConvertedText
    from .check import CheckResult, Finding
    from .metadata import Metadata
    from .pandoc import BodyConversion
    from .pdf import Converted
    from .project import Facts, Project
    from .provenance import Provenance
    from .rendered import Narrative


def _no_appendices() -> Appendices:
    from .appendix import Appendices

    return Appendices()


@dataclass(frozen=True)
class Sources:
    """Everything a build needs, gathered and checked before anything is written."""

    project: Project
    facts: Facts
    metadata: Metadata
    narrative: Narrative
    appendices: Appendices = field(default_factory=_no_appendices)
    checked: CheckResult | None = None
    # the check of these sources, when gather was asked to leave it for later (checked_now)
    check_later: Callable[[], CheckResult] | None = None

    def checked_now(self) -> Sources:
        """Return these sources with their check run, if it was left for later."""
        if self.check_later is None:
            return self
        return replace(self, checked=self.check_later(), check_later=None)


def gather(
    project: Project,
    cache: Cache = NO_CACHE,
    on_rendered: Callable[[str], None] | None = None,
    *,
    stop_on_findings: bool = True,
    on_narrative: Callable[[Narrative], None] | None = None,
    check_later: bool = False,
) -> Sources:
    """Load, render and validate every source; raise with all problems found.

    on_rendered (the Markdown) and on_narrative (its sections too) are called as soon as the
    narrative is known to be sound, so that pandoc can convert it while the facts are
    validated. Without stop_on_findings, sources whose only problems are the check's
    errors are returned, with the findings in `checked`; with check_later (which implies
    it), the check is not run: Sources.checked_now() runs it, on what was gathered.
    """
    from .appendix import APPENDICES_FILE, Appendices, build_appendices, load_declaration
    from .check import check_sources, derived_facts
    from .check.run import early_check
    from .project import load_facts, load_metadata, validate_facts
    from .rendered import ran_out_of_time

    inputs = sources_key(project)
    # a check to run: its near-miss runs are cut meanwhile (by a worker, for a long text,
    # started before the facts load)
    early = None
    if not check_later and not cache.has("checked", inputs):
        early = early_check(project, cache)
    try:
        facts, parsed = load_facts(project, cache)
        metadata, meta_problems = load_metadata(project, cache)
        declaration_path = project.content_dir / APPENDICES_FILE
        declaration, declared = load_declaration(
            declaration_path, project.display(declaration_path), cache
        )
        rendered: tuple[Narrative, list[Problem]] | None = cache.get("narrative", inputs)  # type: ignore[assignment]
        if rendered is None:
            rendered = render(project, facts, metadata, declaration, cache)
            if not ran_out_of_time(p.message for p in rendered[1]):  # else: the machine's doing
                cache.put("narrative", inputs, rendered)
        narrative, render_problems = rendered
        sound = not any(parsed.values()) and not meta_problems and not render_problems
        if sound and metadata is not None:
            if on_rendered is not None:
                on_rendered(narrative.markdown)
            if on_narrative is not None:
                on_narrative(narrative)
        validated = validate_facts(facts, cache)
        problems = [p for name, found in parsed.items() for p in found + validated.get(name, [])]
        tables_computable = not problems and not declared  # sound facts and declaration
        problems += meta_problems + render_problems + declared
        appendices = Appendices()
        tabled: list[Problem] = []
        if tables_computable:
            derived = derived_facts(project, facts, cache)
            printed = metadata.printed_fields() if metadata is not None else None
            appendices, tabled = build_appendices(declaration, facts, cache, derived, printed)

        def check() -> CheckResult:
            return cache.value(  # type: ignore[no-any-return]
                "checked",
                inputs,
                lambda: check_sources(
                    project, facts, narrative, cache, appendices.findings(), early
                ),
            )

        if check_later:
            if problems or tabled or metadata is None:
                raise ProblemsError(problems + tabled)
            return Sources(project, facts, metadata, narrative, appendices, None, check)
        checked = check()
        findings = [f.problem() for f in checked.findings if f.status == "error"]
        if problems or tabled or metadata is None or (findings and stop_on_findings):
            # the check's warnings beside the errors, all in the order `vanban check` prints
            warned = [f.problem() for f in checked.findings if f.status == "warning"]
            raise ProblemsError(in_order(problems + findings + tabled), warned)
        return Sources(project, facts, metadata, narrative, appendices, checked)
    finally:
        if early is not None:
            early.cancel()


SOURCE_DIRS = ("content", "data", "schema", "checks")


def sources_key(project: Project) -> bytes:
    """Return every source file's name and bytes (content, data, schema, checks): what the
    narrative and the checks are computed from, so that they are cached by it."""
    from .project import files_key

    return files_key(project.root, SOURCE_DIRS)


def render(
    project: Project,
    facts: Facts,
    metadata: Metadata | None,
    declaration: Declaration,
    cache: Cache = NO_CACHE,
) -> tuple[Narrative, list[Problem]]:
    """Render the content files with the facts (derived ones included), the metadata as
    `document` and the appendices' names; problems in file order."""
    from .appendix import declaration_bytes
    from .check import fact_context
    from .check.run import fact_inputs
    from .conventions import DEFAULT_SCHEME
    from .narrative import render_narrative

    context: dict[str, Any] = dict(fact_context(project, facts, cache))
    if metadata is not None:
        context["document"] = metadata
    context.update(declaration.template_globals())
    files = [(project.display(p), p) for p in project.content_files()]
    problems = []
    if not files:
        problems.append(
            Problem(project.display(project.content_dir), 0, 0, "no Markdown sections (*.md)")
        )
    headings = metadata.headings if metadata is not None else DEFAULT_SCHEME
    # What the context is made from: the facts' files (with the metadata and the rules that
    # derive facts) and the appendices' declaration.
    context_key = fact_inputs(project) + b"\0" + declaration_bytes(project.content_dir)
    attached, missing = attached_texts(project, declaration)
    narrative, found = render_narrative(
        files, context, facts.unavailable, cache, headings, context_key, attached
    )
    return narrative, problems + missing + found


def attached_texts(
    project: Project, declaration: Declaration
) -> tuple[list[tuple[str, str, Path, Sequence[str]]], list[Problem]]:
    """Return the appendices' own texts to render (name, display, path, heading scheme),
    and a problem at the `text:` of each that names no file."""
    texts: list[tuple[str, str, Path, Sequence[str]]] = []
    problems = []
    for spec in declaration.appendices:
        if spec.text is None or "/" not in spec.text:  # no folder: the declaration says so
            continue
        path = project.content_dir / spec.text
        display = project.display(path)
        if not path.is_file():
            problems.append(declaration.problem((*spec.path, "text"), f"no file {display}"))
            continue
        texts.append((spec.name, display, path, spec.headings))
    return texts, problems


def reference_doc(project: Project, headings: Sequence[str] | None = None) -> Path:
    """Return the reference document whose styles and page setup the body takes: the
    project's, its heading styles fitted to the heading scheme's levels when given."""
    reference = project.templates_dir / "reference.docx"
    if not reference.exists():
        raise ProjectError(f"missing {project.display(reference)}: run `vanban templates`")
    if headings is None:
        return reference
    from .heading_styles import scheme_reference

    return scheme_reference(reference, headings)


def render_docx(
    sources: Sources,
    body: bytes | Mapping[str, bytes] | None = None,
    rendered: tuple[Any, Any] | None = None,
    provenance: Provenance | None = None,
    texts: Mapping[str, ConvertedText] | None = None,
) -> bytes:
    """Convert the narrative with pandoc (unless done), put masthead and closing around it
    (rendered already, or now) and the appendices after it, in one file even where they
    are issued as files of their own (a redline shows the whole document)."""
    return render_documents(sources, body, rendered, provenance, one_file=True, texts=texts)[0]


def render_documents(
    sources: Sources,
    body: bytes | Mapping[str, bytes] | None = None,
    rendered: tuple[Any, Any] | None = None,
    provenance: Provenance | None = None,
    *,
    one_file: bool = False,
    texts: Mapping[str, ConvertedText] | None = None,
) -> list[bytes]:
    """Return the document, then, when the appendices go in files of their own
    (appendix_files: separate) and not one_file, each appendix as a document, in order;
    their properties from provenance (made now when not given). The body is a DOCX or its
    parts (as the conversion by units gives them: the document is zipped once, here).
    texts: appendices' own texts converted already (ConvertedText, by appendix name: a
    redline's), the others converted here."""
    from .appendix.docx import appendix_sections, place_body_tables
    from .layout import KeptSection, assemble, render_layout, standalone_section
    from .ooxml import read_parts
    from .pandoc import BodyConversion
    from .provenance import provenance_of

    if body is None:
        narrative = sources.narrative
        sections = narrative.sections or (narrative.markdown,)
        reference = reference_doc(sources.project, narrative.headings)
        body = BodyConversion(sections, reference).result_parts()
    parts = body if isinstance(body, Mapping) else read_parts(body)
    body = place_body_tables(parts, dict(sources.appendices.body))
    metadata = sources.metadata
    cache = user_cache()
    markups: dict[str, str] = {}
    if sources.narrative.attached:
        from .appendix.attached import convert_text, merge_texts

        reference = reference_doc(sources.project)
        given = texts or {}
        converted = [
            given.get(t.name) or convert_text(t, reference, cache)
            for t in sources.narrative.attached
        ]
        body = dict(body)
        merged = merge_texts(body, converted)
        markups = {t.name: m for t, m in zip(sources.narrative.attached, merged, strict=True)}
    sections_after = [
        KeptSection(s, cache) for s in appendix_sections(sources.appendices, metadata, markups)
    ]
    separate = metadata.appendix_files == "separate" and not one_file
    context = metadata.template_context()
    if rendered is None:
        rendered = render_layout(sources.project.templates_dir, context, cache)
    if provenance is None:
        provenance = provenance_of(sources.project, metadata)
    document = assemble(
        body,
        sources.project.templates_dir,
        context,
        () if separate else sections_after,
        rendered,
        provenance,
        first_page_footer=metadata.contact_lines,
    )
    if not separate:
        return [document]
    return [document] + [standalone_section(body, s, provenance) for s in sections_after]


def output_path(sources: Sources) -> Path:
    return sources.project.build_dir / f"{sources.metadata.output}.docx"


# The file of the appendix number N (1, 2, …) when each appendix has a file of its own:
# build/<output>-phu-luc-01.docx, …-02.docx, in the order of content/appendices.yaml.
APPENDIX_FILE = "{output}-phu-luc-{number:02d}"
_APPENDIX_FILE_GLOB = "{output}-phu-luc-[0-9][0-9].*"


def appendix_paths(target: Path, count: int) -> list[Path]:
    """Return the paths of the appendix files beside the document at target."""
    return [
        target.with_name(APPENDIX_FILE.format(output=target.stem, number=n) + ".docx")
        for n in range(1, count + 1)
    ]


def stale_appendix_files(target: Path, kept: list[Path]) -> list[Path]:
    """Return the appendix files (DOCX and PDF) of an earlier build beside target that this
    build does not write: they would be sent with the document otherwise."""
    wanted = {p.with_suffix(s) for p in kept for s in (".docx", ".pdf")}
    found = target.parent.glob(_APPENDIX_FILE_GLOB.format(output=target.stem))
    return sorted(p for p in found if p.suffix in (".docx", ".pdf") and p not in wanted)


@dataclass(frozen=True)
class Built:
    """A finished build: where the document went (and its PDF), the appendices' own files
    and what the checks found; the sources it gathered (None when the build was answered
    from its kept result)."""

    path: Path
    findings: tuple[Finding, ...]
    pdf: Converted | None = None
    attachments: tuple[Path, ...] = ()  # the appendices' own files, when separate
    attachment_pdfs: tuple[Converted, ...] = ()
    sources: Sources | None = None


def build(root: Path, output: Path | None = None) -> Path:
    """Build the report at root into build/<output>.docx; nothing is written on failure."""
    return build_report(root, output).path


def build_report(
    root: Path,
    output: Path | None = None,
    *,
    pdf: bool = False,
    pdfa: bool = False,
    by_units: bool = True,
) -> Built:
    """Build the report at root and return the result with the checks' findings; with pdf
    (or pdfa: PDF/A-2b), convert the written documents to PDFs beside them.

    The body is converted by units in parallel, each kept in the cache (by_units), or in
    one pandoc run: the document is the same. When no input changed since a build that
    succeeded, its kept result answers (see vanban.results): the same documents, stamped now.
    """
    from . import results

    cache = user_cache()
    before = results.lookup(cache, Path(root).resolve(), by_units)
    if before is not None and before.kept is not None:
        kept = before.kept
        target = output or before.root / "build" / f"{kept.output}.docx"
        written = _write(target, before.documents_now(), before.root)
        return _finished(written, kept.findings, pdf, pdfa)
    sources, documents, provenance = _build_fully(root, cache, by_units)
    target = output or output_path(sources)
    written = _write(target, documents, sources.project.root)
    findings = sources.checked.findings if sources.checked else ()
    if before is not None:
        name = sources.metadata.output
        kept = results.KeptBuild(tuple(documents), findings, name, provenance)
        results.keep(cache, before, kept)
    return _finished(written, findings, pdf, pdfa, sources)


def _write(target: Path, documents: Sequence[bytes], root: Path) -> list[Path]:
    """Write the document at target and the appendices' own files beside it, all or none;
    remove the appendix files of an earlier build this one does not write."""
    document, *appendices = documents
    attachments = appendix_paths(target, len(appendices))
    outputs = [(target, document), *zip(attachments, appendices, strict=True)]
    write_all_atomic([(path, data, relpath(path, root)) for path, data in outputs])
    for path in stale_appendix_files(target, attachments):
        path.unlink(missing_ok=True)
    return [target, *attachments]


def _finished(
    written: list[Path],
    findings: tuple[Finding, ...],
    pdf: bool,
    pdfa: bool,
    sources: Sources | None = None,
) -> Built:
    target, *attachments = written
    if pdf or pdfa:
        from .pdf import convert as convert_to_pdf

        converted, *attached = convert_to_pdf(
            [(path, path.with_suffix(".pdf")) for path in written], pdfa=pdfa
        )
        return Built(target, findings, converted, tuple(attachments), tuple(attached), sources)
    return Built(target, findings, None, tuple(attachments), (), sources)


def _build_fully(
    root: Path, cache: Cache, by_units: bool
) -> tuple[Sources, list[bytes], Provenance]:
    """Gather, convert and assemble; return the sources, the documents and their provenance."""
    from .heading_styles import scheme_reference
    from .pandoc import BodyConversion
    from .project import open_project
    from .provenance import provenance_of

    project = open_project(root)
    reference = project.templates_dir / "reference.docx"
    conversion: BodyConversion | None = None

    def convert(narrative: Narrative) -> None:
        nonlocal conversion
        if reference.exists():
            sections = narrative.sections if by_units else ()
            styled = scheme_reference(reference, narrative.headings)
            conversion = BodyConversion(sections or (narrative.markdown,), styled, cache)
            # The Word layer's imports (lxml and the XML builders) load while pandoc works.
            threading.Thread(target=importlib.import_module, args=("vanban.layout",)).start()

    try:
        sources = gather(project, cache, on_narrative=convert)
        from .layout import render_layout  # while pandoc still works

        rendered = render_layout(project.templates_dir, sources.metadata.template_context(), cache)
        provenance = provenance_of(project, sources.metadata)  # git asked while pandoc works
        body = conversion.result_parts() if conversion is not None else None
    except BaseException:
        if conversion is not None:
            conversion.cancel()
        raise
    return sources, render_documents(sources, body, rendered, provenance), provenance
