"""`vanban absorb EDITED.docx [DIR]`: a reviewer's Word edits back into the sources."""

from __future__ import annotations

import argparse
import difflib
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ..appendix.declaration import APPENDICES_FILE
from ..classes import dataclass
from ..errors import VanbanError
from ..files import write_atomic
from ..ooxml import read_parts
from ..project import Project, open_project
from ..provenance import git_revision, read_properties, sources_hash
from .plan import Edit, Mapper, Plan, misprinted
from .wordfile import TRACKED, WordFile, read_word

DESCRIPTION = """\
Bring a reviewer's edits of a built .docx back into the report's sources: a changed figure
into the fact in data/ it was printed from, changed words into the Markdown line of their
paragraph or footnote, masthead and closing edits into data/document.yaml; Word comments are
listed with their source place and written to review/<file>.comments.txt. The base is the
revision recorded in the document's properties (or --base). Writes nothing unless every
change that maps applies cleanly; then runs the check.
"""


class AbsorbError(VanbanError):
    """Raised when an edited document cannot be absorbed: no base, unreadable, conflicts."""


def add_absorb_command(subparsers: Any) -> None:
    """Register `absorb` on the `vanban` subparsers."""
    absorb = subparsers.add_parser(
        "absorb",
        help="bring a reviewer's Word edits back into the sources",
        description=DESCRIPTION,
    )
    absorb.add_argument("edited", help="the .docx the reviewer sent back")
    absorb.add_argument("project", nargs="?", default=".", help="report directory (default: .)")
    absorb.add_argument(
        "--base",
        metavar="REV",
        help="the revision the document was built from (default: its provenance)",
    )
    absorb.add_argument(
        "--tracked",
        choices=TRACKED,
        default="accept",
        help="tracked changes: take them as accepted (default), rejected, or list them only",
    )
    absorb.add_argument(
        "--dry-run", action="store_true", help="print the edits as a unified diff; write nothing"
    )
    absorb.set_defaults(run=run_absorb)


@dataclass(frozen=True)
class Absorbed:
    """The result: the plan, the new texts of changed files, what was written."""

    plan: Plan
    base_label: str
    new_texts: dict[str, str]
    old_texts: dict[str, str]
    comments_file: Path | None


def base_spec(edited: Path, project: Project, base: str | None) -> str:
    """Return the revision (or "." for the working tree) the edited document was built from."""
    if base:
        return base
    try:
        props = read_properties(read_parts(edited))
    except Exception as exc:  # noqa: BLE001 - any unreadable zip or XML
        raise AbsorbError(f"{edited}: not a readable .docx ({exc})") from None
    recorded = props.get("vanban.sources")
    if recorded is None:
        raise AbsorbError(
            f"{edited}: records no source revision (built before vanban recorded provenance, "
            "or its properties were removed): give the revision it was built from with --base REV"
        )
    if recorded == sources_hash(project):
        return "."
    revision = props.get("vanban.revision")
    report = props.get("vanban.report")
    if revision and report is not None:
        here = git_revision(project)
        if here is not None and here[2] != report:
            raise AbsorbError(
                f"{edited}: built from the report in {report}/ of the repository, not from "
                f"{here[2]}/: absorb it there, or give --base REV to compare anyway"
            )
    if revision and props.get("vanban.dirty") == "false":
        known = subprocess.run(
            ["git", "-C", str(project.root), "cat-file", "-e", f"{revision}^{{commit}}"],
            capture_output=True,
            check=False,
        )
        if known.returncode != 0:
            raise AbsorbError(
                f"{edited}: built from revision {revision[:7]}, which this repository does not "
                "have: fetch it (git fetch), or give the revision it was built from with --base REV"
            )
        return revision
    raise AbsorbError(
        f"{edited}: built from sources that were not committed and have changed since "
        f"({recorded[:19]}…): give the revision closest to them with --base REV"
    )


def absorb(edited: Path, root: Path, base: str | None, tracked: str) -> Absorbed:
    """Plan the absorption of the edited document into the report at root."""
    from ..cache import user_cache
    from ..diff.sides import SECTION_PATTERN, Workspace, gather_side, open_side
    from ..layout import render_layout
    from ..pandoc import convert_body
    from ..pipeline import gather, reference_doc, render_documents

    project = open_project(root)
    if not edited.is_file():
        raise AbsorbError(f"{edited}: no such file")
    spec = base_spec(edited, project, base)
    cache = user_cache()
    with Workspace() as workspace:
        if spec == ".":  # the sources as they are: what the last build read, cached
            base_project = project
            sources = gather(project, cache, stop_on_findings=False)
        else:
            side = open_side(spec, project.root, workspace, "base")
            base_project = side.project
            sources = gather_side(side, cache)
        texts: dict[str, str] = {}
        files = base_project.content_files() + sorted(base_project.data_dir.glob("*.yaml"))
        files += [base_project.root / t.source for t in sources.narrative.attached]
        declaration = base_project.content_dir / APPENDICES_FILE  # its written-out tables
        files += [declaration] if declaration.is_file() else []
        for path in files:
            text = path.read_text(encoding="utf-8")
            marker = SECTION_PATTERN.search(text)
            if marker is not None and path.suffix == ".md" and spec != ".":
                text = text[: text.rfind("\n", 0, marker.start())]
            texts[base_project.display(path)] = text
        narrative = sources.narrative
        body = convert_body(
            narrative.sections or (narrative.markdown,),
            reference_doc(base_project, narrative.headings),
            cache,
        )
        rendered = render_layout(
            base_project.templates_dir, sources.metadata.template_context(), cache
        )
        documents = render_documents(sources, body, rendered)
        try:
            edited_word = read_word(edited, tracked)
        except Exception as exc:  # noqa: BLE001 - any unreadable zip or XML
            raise AbsorbError(f"{edited}: not a readable .docx ({exc})") from None
        # the document, or an appendix's file of its own: the one the edited copy reads as
        bases = [read_word(document) for document in documents]
        part = max(range(len(bases)), key=lambda k: _shared(bases[k], edited_word))
        base_word = bases[part]
        plan = Mapper(sources, texts, base_word, cache, rendered, part).map(edited_word)
        prove(plan, base_project, texts, base_word, edited_word, part)
    new_texts = apply_edits(texts, plan.edits)
    comments_file = None
    if plan.comments:
        comments_file = project.root / "review" / f"{edited.stem}.comments.txt"
    label = "the working tree" if spec == "." else spec
    return Absorbed(plan, label, new_texts, texts, comments_file)


def _shared(base: WordFile, edited: WordFile) -> int:
    """Return how many paragraphs and tables of edited read as base has them."""
    keys = {b.key for b in base.blocks if b.key.strip()}
    return sum(1 for b in edited.blocks if b.key in keys)


def prove(
    plan: Plan,
    project: Project,
    texts: dict[str, str],
    base: WordFile,
    edited: WordFile,
    part: int = 0,
) -> None:
    """Build the sources with the planned edits of words (content/, data/document.yaml) and
    take back, as refused, those of each paragraph that would not print what the reviewer
    wrote. Facts are left out: a fact prints wherever it is used, and is typed, not cut."""
    words = {project.display(p) for p in project.content_files()}
    words.add(project.display(project.metadata_path))
    words.update(p for p in texts if p.endswith(".md"))  # the appendices' own texts too
    words.add(f"content/{APPENDICES_FILE}")  # and its tables written out

    def written(edit: Edit) -> bool:
        return edit.path in words

    for _ in range(3):
        if not any(written(e) for e in plan.edits):
            return
        rebuilt = rebuild(project, texts, [e for e in plan.edits if written(e)], part)
        if rebuilt is None:
            return  # the sources would not build: the check before writing says why
        wrong = misprinted(plan, base, edited, rebuilt, written)
        if not wrong:
            return
        for origin, reason in wrong:
            plan.drop(origin, reason)


def rebuild(
    project: Project, texts: dict[str, str], edits: list[Edit], part: int = 0
) -> WordFile | None:
    """Return the document (or the appendix's file, part) the sources build with the edits,
    read; None if they do not."""
    import shutil

    from ..cache import user_cache
    from ..errors import ProblemsError
    from ..layout import render_layout
    from ..pandoc import convert_body
    from ..pipeline import gather, reference_doc, render_documents
    from ..project import SOURCE_DIRS

    cache = user_cache()
    with tempfile.TemporaryDirectory(prefix="vanban-absorb-") as tmp:
        root = Path(tmp)
        for name in SOURCE_DIRS:
            if (project.root / name).is_dir():
                shutil.copytree(project.root / name, root / name)
        for display, text in apply_edits(texts, edits).items():
            (root / display).write_text(text, encoding="utf-8")
        copy = open_project(root)
        try:
            sources = gather(copy, cache, stop_on_findings=False)
            narrative = sources.narrative
            body = convert_body(
                narrative.sections or (narrative.markdown,),
                reference_doc(copy, narrative.headings),
                cache,
            )
            rendered = render_layout(copy.templates_dir, sources.metadata.template_context(), cache)
            documents = render_documents(sources, body, rendered)
            return read_word(documents[part]) if part < len(documents) else None
        except (ProblemsError, AbsorbError):
            return None


def apply_edits(texts: dict[str, str], edits: list[Edit]) -> dict[str, str]:
    """Apply the edits to the base texts; raise when two of them overlap."""
    by_path: dict[str, list[Edit]] = {}
    for edit in edits:
        if edit not in by_path.setdefault(edit.path, []):
            by_path[edit.path].append(edit)
    result = {}
    for path, found in by_path.items():
        found.sort(key=lambda e: (e.start, e.end))
        for before, after in zip(found, found[1:], strict=False):
            if after.start < before.end:
                raise AbsorbError(
                    f"{path}: two edits overlap at offset {after.start}: nothing written"
                )
        text = texts[path]
        for edit in reversed(found):
            text = text[: edit.start] + edit.text + text[edit.end :]
        if text != texts[path]:
            result[path] = text
    return result


def merged(current: str, base: str, new: str, display: str) -> str:
    """Return the new text merged into the file as it is now (it may have moved on)."""
    if current == base:
        return new
    with tempfile.TemporaryDirectory(prefix="vanban-absorb-") as tmp:
        files = []
        for name, text in (("current", current), ("base", base), ("new", new)):
            path = Path(tmp) / name
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
        result = subprocess.run(
            ["git", "merge-file", "-p", "--quiet", *files], capture_output=True, check=False
        )
    if result.returncode != 0:
        raise AbsorbError(
            f"{display}: changed since the document was built, and the reviewer's edits do not "
            "merge into it cleanly: nothing written"
        )
    return result.stdout.decode("utf-8")


def problems_after(project: Project, finals: dict[Path, str]) -> list[Any]:
    """Return the problems that would stop a build of the sources with the new texts, in a
    temporary copy (the report's own problems of before are not counted again)."""
    import shutil

    from ..cache import user_cache
    from ..errors import ProblemsError
    from ..pipeline import gather
    from ..provenance import SOURCE_DIRS

    def problems_of(root: Path) -> list[Any]:
        try:
            gather(open_project(root), user_cache())
        except ProblemsError as exc:
            return list(exc.problems)
        return []

    before = {str(p) for p in problems_of(project.root)}
    with tempfile.TemporaryDirectory(prefix="vanban-absorb-") as tmp:
        root = Path(tmp)
        for name in SOURCE_DIRS:
            if (project.root / name).is_dir():
                shutil.copytree(project.root / name, root / name)
        for path, text in finals.items():
            target = root / project.display(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return [p for p in problems_of(root) if str(p) not in before]


def run_absorb(args: argparse.Namespace) -> int:
    """Absorb the edited document; print what maps, what does not, and the check."""
    started = time.perf_counter()
    root = Path(args.project)
    edited = Path(args.edited)
    result = absorb(edited, root, args.base, args.tracked)
    project = open_project(root)
    plan = result.plan
    print(f"absorb: {edited} against {result.base_label}")
    for line in plan.absorbed:
        print(line)
    for line in plan.comments:
        print(line)
    if plan.revisions and args.tracked == "list":
        for line in plan.revisions:
            print(line)
    for line in plan.refused:
        print(f"not absorbed: {line}")
    if not result.new_texts and not plan.comments:
        if plan.refused:
            count = len(plan.refused)
            print(
                f"nothing absorbed: the {'change' if count == 1 else f'{count} changes'} "
                "listed above cannot be written into the sources"
            )
            return 1
        print("nothing to absorb: the document reads as it was built")
        return 0
    finals = {}
    for display, text in result.new_texts.items():
        path = project.root / display
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        finals[path] = merged(current, result.old_texts[display], text, display)
    if args.dry_run:
        for path, text in finals.items():
            display = project.display(path)
            old = path.read_text(encoding="utf-8")
            sys.stdout.writelines(
                difflib.unified_diff(
                    old.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    f"a/{display}",
                    f"b/{display}",
                )
            )
        print(f"dry run: {len(finals)} file(s) would change; nothing written")
        return 1 if plan.refused else 0
    problems = problems_after(project, finals)
    if problems:
        for problem in problems:
            print(problem)
        print(
            f"absorb: the sources would have {len(problems)} problem(s) that stop a build: "
            "nothing written"
        )
        return 1
    for path, text in finals.items():
        write_atomic(path, text.encode("utf-8"))
    if result.comments_file is not None:
        lines = [f"# Comments in {edited.name} (against {result.base_label})", ""]
        write_atomic(
            result.comments_file, ("\n".join(lines + plan.comments) + "\n").encode("utf-8")
        )
    written = [project.display(p) for p in finals]
    if result.comments_file is not None:
        written.append(project.display(result.comments_file))
    elapsed = time.perf_counter() - started
    print(f"wrote {', '.join(written)} in {elapsed:.2f} s")
    from ..cache import user_cache
    from ..errors import ProblemsError
    from ..pipeline import gather

    # The check the next build runs (vanban check over the sources as a build gathers them).
    try:
        checked = gather(project, user_cache(), stop_on_findings=False).checked
    except ProblemsError as exc:
        for problem in exc.problems:
            print(problem)
        print(f"check: the sources have {len(exc.problems)} problem(s); the build would stop")
        return 1
    assert checked is not None
    for finding in checked.findings:
        if finding.status in ("error", "warning"):
            print(finding.problem())
    print(checked.summary())
    return 1 if plan.refused or any(f.status == "error" for f in checked.findings) else 0
