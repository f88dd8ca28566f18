"""Run every check of a report: its rules over the facts, the lint of its text, its waivers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cache import shared_key, user_cache
from ..classes import dataclass
from ..facts import Loaded, load_yaml, type_of, unit_of
from ..metadata import (
    COSIGNERS_RULE,
    RECIPIENTS_TO_RULE,
    centred_line_findings,
    metadata_warnings,
    text_findings,
)
from ..project import files_key
from ..rendered import FactTree, Narrative
from .findings import WARNING, Finding, sort_findings
from .findings import CheckResult as CheckResult
from .glossary import Glossary, load_glossary
from .lint import (
    FigureIndex,
    Note,
    Source,
    definitions,
    duplicate_footnotes,
    lint_data_text,
    lint_mentions,
    lint_source,
    lint_text_file,
    literal_lines,
    note_words,
    read_source,
    rendered_notes,
)
from .lint import (
    data_texts as data_texts_of,
)
from .missing import missing_figures, printed_at
from .nearmiss import PendingRuns, near_misses
from .rules import derive, evaluate, load_rules
from .store import FactStore
from .waivers import apply_waivers, load_waivers
from .wordruns import WORKER_CHARS

if TYPE_CHECKING:
    from ..appendix.tables import TableFinding
    from ..cache import Cache
    from ..project import Facts, Project


def store_of(facts: Facts) -> FactStore:
    """Return the facts of a report by dotted name, as the rules see them."""
    return FactStore(
        {name: f.loaded.document for name, f in facts.files.items()},
        {name: f.loaded.display for name, f in facts.files.items()},
        facts.unavailable,
        _by_schema(facts, lambda schema, keys: type_of(schema, keys) == "count"),
    )


def _units(facts: Facts) -> Any:
    """Return the function giving a fact's unit by its dotted name."""
    return _by_schema(facts, unit_of)


def _by_schema(facts: Facts, read: Callable[[Any, tuple[str, ...]], Any]) -> Any:
    """Return the function giving what read finds in a fact's schema by its dotted name
    (each name looked up in its schema once: a long text prints the same facts many times)."""
    known: dict[str, Any] = {}

    def lookup(dotted: str) -> Any:
        if dotted not in known:
            name, *keys = dotted.split(".")
            data = facts.files.get(name)
            known[dotted] = read(data.schema, tuple(keys)) if data else None
        return known[dotted]

    return lookup


class EarlyCheck:
    """What a check started before the text is rendered has ready for check_sources: the
    content files read (each decoded once) and the near-miss runs being cut from them."""

    def __init__(self, read: list[_Read], runs: PendingRuns) -> None:
        self.read, self.runs = read, runs

    def cancel(self) -> None:
        """Stop cutting the runs (the build stopped before its check)."""
        self.runs.cancel()


def early_check(project: Project, cache: Cache | None = None) -> EarlyCheck | None:
    """Read the content files and start cutting the near-miss check's runs of words, so
    that a worker cuts them while the text is rendered; check_sources takes both (`early`).
    None when the files cannot be read now (the check says why, later), and when they are
    too short for a worker: the check then reads them itself, after pandoc has started."""
    cache = user_cache() if cache is None else cache
    try:
        if sum(path.stat().st_size for path in project.content_files()) < WORKER_CHARS:
            return None  # no fewer bytes than characters: no worker would start
        glossary, _ = load_glossary(project.root, cache)
        read = _read_content(project)
    except Exception:  # noqa: BLE001 - the check meets the same files and says what is wrong
        return None
    return EarlyCheck(read, PendingRuns([source for _, source, _ in read], glossary, cache))


# A content file read: its bytes, its text and prose, what decoding it found.
_Read = tuple[bytes, Source, list[Finding]]


def _read_content(
    project: Project, known: Sequence[_Read] = (), attached: Sequence[str] = ()
) -> list[_Read]:
    """Read and decode each content file, then the appendices' own texts (their paths in
    the report); one whose bytes are those `known` (read earlier by this build) holds is
    not decoded again."""
    earlier = {source.display: (raw, source, found) for raw, source, found in known}
    read = []
    for path in project.content_files() + [project.root / name for name in attached]:
        raw = path.read_bytes()
        display = project.display(path)
        same = earlier.get(display)
        read.append(
            same if same is not None and same[0] == raw else (raw, *read_source(display, raw))
        )
    return read


def check_sources(
    project: Project,
    facts: Facts,
    narrative: Narrative,
    cache: Cache | None = None,
    tables: Iterable[TableFinding] = (),
    early: EarlyCheck | None = None,
) -> CheckResult:
    """Apply the report's rules to its facts and lint its Markdown; apply the waivers.

    tables are what the appendix tables found (a stated total that is not the computed
    one) with the fact each is about and the figures it compared, reported and waived like
    the rules' findings. The checks/*.yaml files are parsed through the build's cache (the
    user's, by default).
    early: what early_check read and started: its files are not decoded again where their
    bytes are the same, and its near-miss runs are used when they are still those of the
    sources and the glossary.
    """
    root = project.root
    cache = user_cache() if cache is None else cache
    findings: list[Finding] = []
    inputs = fact_inputs(project)
    glossary, glossary_problems = load_glossary(root, cache)
    attached = [text.source for text in narrative.attached]
    read = _read_content(project, early.read if early is not None else (), attached)
    sources: dict[str, Source] = {source.display: source for _, source, _ in read}
    # the near-miss check's runs of words are cut meanwhile (for a long text, by a worker),
    # unless they were started before the text was rendered (early_check)
    pending = early.runs if early is not None else None
    if pending is None or not pending.usable(list(sources.values()), glossary):
        if pending is not None:
            pending.cancel()
        pending = PendingRuns(sources.values(), glossary, cache)
    from ..appendix import declaration_bytes

    try:
        # What depends on the facts, the rules and the glossary only is kept by those
        # files: an edit of the text does not evaluate the rules or lint the data again.
        checked = cache.value(
            "checked-facts",
            inputs + b"\0" + declaration_bytes(project.content_dir),  # linted with the data
            partial(_check_facts, project, facts, glossary, cache),
        )
        findings += printed_at(checked.rules, sources.values())
        findings += glossary_problems
        figures: list[FigureIndex] = []  # made when a source is linted, once

        def lint(source: Source, read: list[Finding]) -> list[Finding]:
            if not figures:
                figures.append(FigureIndex(store_of(facts), _units(facts)))
            return (
                read
                + lint_source(source, figures[0])
                + glossary.findings(source.display, source.masked_text, source.place)
            )

        places: dict[str, tuple[str, int]] = {}
        shared = shared_key(inputs)
        for raw, source, found in read:
            # each file's own findings, kept by its bytes and the facts' inputs
            key = shared + b"\0" + source.display.encode() + b"\0" + raw
            findings += cache.value("checked-source", key, partial(lint, source, found))
            for name, line in definitions(source).items():
                places.setdefault(name, (source.display, line))
        findings += near_misses(list(sources.values()), glossary, cache, pending)
    finally:
        pending.cancel()
    notes = [
        Note(name, *places[name], note_words(text))
        for name, text in rendered_notes(narrative.markdown).items()
        if name in places
    ]
    findings += duplicate_footnotes(notes)
    findings += _text_needs(project, [(s.display, s.text) for s in sources.values()], cache)
    findings += lint_mentions(
        narrative.mentions, store_of(facts), lambda display: _lines(sources, root, display)
    )
    findings += checked.data_files
    findings += [
        Finding(
            t.problem.path,
            t.problem.line,
            t.problem.col,
            t.problem.message,
            t.problem.rule,
            t.problem.severity,
            t.fact,
            values=t.values,
        )
        for t in tables
    ]
    findings += checked.data_texts
    waivers, found = load_waivers(root, cache)
    findings += found
    findings = apply_waivers(findings, waivers)
    return CheckResult(
        tuple(sort_findings(findings)), checked.rule_count, checked.compared, checked.derived
    )


_FACT_DIRS = ("data", "schema", "checks")


def fact_inputs(project: Project) -> bytes:
    """Return the name and bytes of every file the facts, the rules, the waivers and the
    glossary come from (data, schema, checks): what the facts' findings are kept by."""
    return files_key(project.root, _FACT_DIRS)


@dataclass(frozen=True)
class _FactFindings:
    """What the check finds in the facts and the data files, in the order it reports them."""

    rules: list[Finding]  # the rules' (and their files'), missing figures, the metadata's
    data_files: list[Finding]  # the data files' text (NFC, encoding)
    data_texts: list[Finding]  # the texts inside the data (typed figures, glossary)
    rule_count: int
    compared: int
    derived: int


def _check_facts(project: Project, facts: Facts, glossary: Glossary, cache: Cache) -> _FactFindings:
    """Apply the rules to the facts and lint the data files."""
    rules, found = load_rules(project.root, cache)
    store = store_of(facts)
    run = evaluate(rules, store)
    head = found + run.findings + missing_figures(store, final=_is_final(project, cache))
    head += _document_warnings(project, cache)
    data_files = []
    for path in sorted(project.data_dir.glob("*.yaml")):
        data_files += lint_text_file(project.display(path), path.read_bytes())
    data_texts: list[Finding] = []
    for display, document, lines in _data_documents(project, facts, cache):
        for value_line, value_col, value in data_texts_of(document, lines):
            for line, col, text in literal_lines(value_line, value_col, value, lines):
                data_texts += lint_data_text(display, line, col, text)
                data_texts += glossary.findings(
                    display, text, lambda offset, line=line, col=col: (line, col + offset)
                )
    return _FactFindings(head, data_files, data_texts, len(rules), run.compared, run.derived)


def _data_documents(
    project: Project, facts: Facts, cache: Cache
) -> Iterator[tuple[str, Any, list[str]]]:
    """Yield (display, document, lines) of data/document.yaml, of every fact file and of the
    appendices' declaration (its titles, notes and tables written out in Markdown)."""
    from ..appendix import APPENDICES_FILE  # loaded already: the appendices are built first

    documents = []
    for path in (project.metadata_path, project.content_dir / APPENDICES_FILE):
        if path.exists():
            loaded, _ = load_yaml(path, project.display(path), cache)
            if loaded is not None:
                documents.append(loaded)
    documents += [data.loaded for data in facts.files.values()]
    for loaded in sorted(documents, key=lambda d: d.display):
        raw = loaded.raw or loaded.path.read_bytes()
        text = raw.decode("utf-8", errors="replace").removeprefix("\ufeff")
        yield loaded.display, loaded.document, text.split("\n")


def _metadata_read(project: Project, cache: Cache) -> Loaded | None:
    """Return data/document.yaml as read (not validated), or None when it is missing or
    does not read as YAML (the metadata's own load says why)."""
    path = project.metadata_path
    if not path.exists():
        return None
    return load_yaml(path, project.display(path), cache)[0]


def _document_warnings(project: Project, cache: Cache) -> list[Finding]:
    """Return the warnings about data/document.yaml (a Kính gửi where ND30's sample of the
    kind shows none), beside its errors too: every problem in one run."""
    loaded = _metadata_read(project, cache)
    if loaded is None:
        return []
    return [
        Finding(
            p.path,
            p.line,
            p.col,
            p.message,
            p.rule,
            WARNING,
            anchors=_ANCHORS.get(p.rule or "", ()),
        )
        for p in metadata_warnings(loaded)
    ]


# What a waiver's `at:` names for each warning of data/document.yaml.
_ANCHORS = {RECIPIENTS_TO_RULE: ("recipients_to",), COSIGNERS_RULE: ("secretary", "signer")}


def _text_needs(project: Project, texts: Sequence[tuple[str, str]], cache: Cache) -> list[Finding]:
    """Return what the kind of data/document.yaml needs its text (each file's display and
    Markdown) to say and the text does not (a Giấy mời's time and place), and the lines it
    says wrongly (a Nghị quyết's QUYẾT NGHỊ: typed as a paragraph). The file is read, not
    validated again: an edit of the text does not load the schema's validator."""
    loaded = _metadata_read(project, cache)
    if loaded is None:
        return []
    return [
        Finding(p.path, p.line, p.col, p.message, p.rule, p.severity, anchors=("kind",))
        for p in text_findings(loaded, texts)
    ] + [
        Finding(p.path, p.line, p.col, p.message, p.rule, p.severity)
        for p in centred_line_findings(loaded, texts)
    ]


def _is_final(project: Project, cache: Cache) -> bool:
    """Return True when data/document.yaml says the document is final (status: final)."""
    path = project.metadata_path
    if not path.exists():
        return False
    loaded, _ = load_yaml(path, project.display(path), cache)
    document = loaded.document if loaded is not None else None
    return isinstance(document, Mapping) and document.get("status") == "final"


def _lines(sources: Mapping[str, Source], root: Path, display: str) -> tuple[str, ...]:
    source = sources.get(display)
    if source is not None:
        return source.lines
    path = root / display
    return (
        tuple(path.read_text(encoding="utf-8", errors="replace").split("\n"))
        if path.exists()
        else ()
    )


# --- derived facts for the templates ----------------------------------------------------


def _derived_store(project: Project, facts: Facts, cache: Cache | None) -> FactStore:
    store = store_of(facts)
    rules, _ = load_rules(project.root, user_cache() if cache is None else cache)
    derive(rules, store)
    return store


def derived_facts(
    project: Project, facts: Facts, cache: Cache | None = None
) -> dict[str, dict[str, Any]]:
    """Return the facts the rules derive, as nested dicts by data file (for the tables)."""
    store = _derived_store(project, facts, cache)
    return {name: store.derived_tree(name) for name in facts.files}


def fact_context(project: Project, facts: Facts, cache: Cache | None = None) -> dict[str, FactTree]:
    """Return the template names of the facts, with the facts the rules derive laid over them.

    A derived fact (a rule with `derive: true` whose result the data does not type) reads in
    templates like a typed one: {{ von.du_an_4.gdnn.y2022.carried_over | so }}.
    """
    store = _derived_store(project, facts, cache)
    unit = _units(facts)
    return {
        name: FactTree(_Overlay(data.loaded.document, store.derived_tree(name)), name, unit)
        for name, data in facts.files.items()
    }


class _Overlay(Mapping[str, Any]):
    """A data document with derived facts added where the document has no value."""

    __slots__ = ("_typed", "_derived")

    def __init__(self, typed: Any, derived: Mapping[str, Any]):
        self._typed = typed if isinstance(typed, Mapping) else {}
        self._derived = derived

    def __getitem__(self, key: str) -> Any:
        if key in self._typed:
            value = self._typed[key]
            extra = self._derived.get(key)
            if isinstance(value, Mapping) and isinstance(extra, Mapping):
                return _Overlay(value, extra)
            return value
        extra = self._derived[key]
        return _Overlay({}, extra) if isinstance(extra, Mapping) else extra

    def __iter__(self) -> Iterator[str]:
        yield from self._typed
        yield from (key for key in self._derived if key not in self._typed)

    def __len__(self) -> int:
        return len(self._typed) + sum(1 for key in self._derived if key not in self._typed)
