"""Official names of units and places (checks/glossary.yaml), and spellings that stray."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..cache import NO_CACHE, Cache
from ..classes import dataclass
from ..facts import load_yaml, place_of
from .findings import WARNING, Finding
from .folding import fold, fold_keeping_length

GLOSSARY_FILE = "checks/glossary.yaml"
_SEPARATORS = " \t\u00a0-–—&,."
# Between the words of a name: any of these, or none, in text folded by _folded (its dashes
# "–" and "—" made "-"): a class of ASCII characters compiles in a sixth of the time that
# one holding "–" and "—" takes (about 70 µs instead of 420, for each form of each name).
_SEPARATOR_CLASS = r"[\s\-&,.]*"


def _folded(text: str) -> str:
    """Return text folded for the patterns: bare lower-case letters, dashes as "-"."""
    return fold_keeping_length(text).replace("–", "-").replace("—", "-")


def loose_pattern(name: str) -> re.Pattern[str]:
    """Return a regex over _folded text matching name with any separators between its words."""
    words = [fold(word) for word in re.split(f"[{re.escape(_SEPARATORS)}]+", name)]
    return re.compile(_SEPARATOR_CLASS.join(re.escape(word) for word in words if word))


@dataclass(frozen=True)
class Entry:
    """One official name, the other accepted forms, and forms to avoid."""

    name: str
    accept: tuple[str, ...]
    avoid: tuple[str, ...]
    note: str | None
    line: int

    def accepted(self) -> set[str]:
        return {" ".join(form.split()).casefold() for form in (self.name, *self.accept)}


@dataclass(frozen=True)
class Glossary:
    """Compiled glossary: each form's pattern over folded text, filed by its first word."""

    entries: tuple[Entry, ...]
    by_first_word: dict[
        str, tuple[re.Pattern[str], list[tuple[re.Pattern[str], Entry, str | None]]]
    ]

    def findings(self, display: str, text: str, place: Any) -> list[Finding]:
        """Return a finding for each name spelt otherwise than the glossary says.

        `text` is the prose of a file; `place(offset)` gives the (line, column) of an offset.
        A form is `right` (the accepted spelling it stands for) or None when it is avoided.
        """
        if not self.by_first_word:
            return []
        folded = _folded(text)
        found = []
        taken: set[int] = set()
        for search, candidates in self.by_first_word.values():
            for hit in search.finditer(folded):
                start = hit.start()
                if start in taken or (start and folded[start - 1].isalnum()):
                    continue
                finding = self._at(display, text, folded, start, candidates, place)
                taken.add(start)
                if finding is not None:
                    found.append(finding)
        found.sort(key=lambda f: (f.line, f.col))
        return found

    def _at(
        self,
        display: str,
        text: str,
        folded: str,
        start: int,
        candidates: list[tuple[re.Pattern[str], Entry, str | None]],
        place: Any,
    ) -> Finding | None:
        for pattern, entry, right in candidates:
            match = pattern.match(folded, start)
            if match is None or (match.end() < len(folded) and folded[match.end()].isalnum()):
                continue
            spelt = text[start : match.end()]
            if spelt.isascii() and spelt.islower() and not any(c.isspace() for c in spelt):
                return None  # part of an identifier or a file name (bao-cao-dak-glei-2024)
            if right is not None and " ".join(spelt.split()).casefold() in entry.accepted():
                return None
            note = f" ({entry.note})" if entry.note else ""
            line, col = place(start)
            return Finding(
                display,
                line,
                col,
                f'"{spelt}" is spelt "{right or entry.name}" in the glossary{note}',
                "glossary",
                WARNING,
                anchors=(spelt,),
            )
        return None


def load_glossary(root: Path, cache: Cache = NO_CACHE) -> tuple[Glossary, list[Finding]]:
    """Read checks/glossary.yaml: a list under `names:` of {name, accept, avoid, note}."""
    empty = Glossary((), {})
    path = root / GLOSSARY_FILE
    if not path.exists():
        return empty, []
    loaded, problems = load_yaml(path, GLOSSARY_FILE, cache)
    findings = [Finding(p.path, p.line, p.col, p.message, None) for p in problems]
    if loaded is None:
        return empty, findings
    document = loaded.document
    items = document.get("names") if isinstance(document, Mapping) else None
    if not isinstance(items, list):
        findings.append(
            Finding(GLOSSARY_FILE, 1, 1, "expected a list of official names under `names:`", None)
        )
        return empty, findings
    entries = []
    for index, item in enumerate(items):
        line, col = place_of(document, ("names", index))
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            findings.append(
                Finding(
                    GLOSSARY_FILE,
                    line,
                    col,
                    "expected an entry with `name:` (the official spelling)",
                    None,
                )
            )
            continue
        unknown = [k for k in item if k not in ("name", "accept", "avoid", "note")]
        for key in unknown:
            kline, kcol = place_of(document, ("names", index, key), key=True)
            findings.append(
                Finding(
                    GLOSSARY_FILE,
                    kline,
                    kcol,
                    f"unknown key {key!r} (expected: name, accept, avoid, note)",
                    None,
                )
            )
        lists = {}
        for key in ("accept", "avoid"):
            value = item.get(key, [])
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                kline, kcol = place_of(document, ("names", index, key))
                findings.append(
                    Finding(
                        GLOSSARY_FILE, kline, kcol, f"`{key}` expects a list of spellings", None
                    )
                )
                value = []
            lists[key] = tuple(str(v) for v in value)
        note = item.get("note")
        entries.append(
            Entry(
                str(item["name"]),
                lists["accept"],
                lists["avoid"],
                str(note) if note else None,
                line,
            )
        )
    return compile_glossary(entries), findings


def compile_glossary(entries: list[Entry]) -> Glossary:
    """Compile each entry's accepted and avoided forms, filed by first word, longest first."""
    forms: list[tuple[int, str, re.Pattern[str], Entry, str | None]] = []
    for entry in entries:
        for form in (entry.name, *entry.accept):
            forms.append((len(form), first_word(form), loose_pattern(form), entry, form))
        for form in entry.avoid:
            forms.append((len(form), first_word(form), loose_pattern(form), entry, None))
    forms.sort(key=lambda f: -f[0])
    by_first_word: dict[str, tuple[re.Pattern[str], list[Any]]] = {}
    for _, word, pattern, entry, right in forms:
        by_first_word.setdefault(word, (re.compile(re.escape(word)), []))[1].append(
            (pattern, entry, right)
        )
    return Glossary(tuple(entries), by_first_word)


def first_word(form: str) -> str:
    return next((fold(w) for w in re.split(f"[{re.escape(_SEPARATORS)}]+", form) if fold(w)), "")
