"""Alignment: blocks against blocks, and words against words, with difflib.

Blocks are matched by their text; runs of blocks that differ are paired by similarity, so
an edited paragraph is one change, not a deletion and an insertion. Words are tokens of the
text (a number such as 1.688,0 is one token), compared without their formatting; a space or
a punctuation mark left alone between two changes is absorbed into them, so that a rewritten
phrase reads as one deletion and one insertion rather than a comb of small ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from difflib import SequenceMatcher
from typing import Literal

from ..classes import dataclass

# A number with its group and decimal marks ("1.688,0", "18,91") is one token.
WORD = re.compile(r"\d+(?:[.,]\d+)*|\w+|.", re.DOTALL)

Op = Literal["equal", "change", "delete", "insert"]

# Blocks this similar (share of words in common) are one edited block.
SIMILAR = 0.5
# Blocks this similar, one deleted and one inserted elsewhere, were moved.
MOVED = 0.9
# Past this many tokens, similarity is measured without regard to order.
LONG = 400


@dataclass(frozen=True)
class Pair:
    """One step of an alignment: equal, change (both), delete (a only), insert (b only)."""

    op: Op
    a: int | None
    b: int | None


def words(text: str) -> list[str]:
    return WORD.findall(text)


def similarity(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Return the share of tokens a and b have in common (difflib's ratio).

    Past a few hundred tokens (a long table) the share of tokens in common regardless of
    order stands in for it: the exact ratio costs time quadratic in the length.
    """
    if not a and not b:
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if max(len(a), len(b)) > LONG or matcher.real_quick_ratio() < SIMILAR:
        return matcher.quick_ratio()
    quick = matcher.quick_ratio()
    return quick if quick < SIMILAR else matcher.ratio()


def align(
    a_keys: Sequence[Hashable],
    b_keys: Sequence[Hashable],
    pairable: Callable[[int, int], bool],
    similar: Callable[[int, int], float],
) -> list[Pair]:
    """Align two sequences; in a run that differs, pair items that are alike.

    pairable(i, j) says whether a[i] and b[j] can be compared part by part at all (a
    paragraph and a table cannot); similar(i, j) how alike they are, from 0 to 1. A run of
    as many items on each side is paired in order when the items are pairable (a rewritten
    paragraph stays one change); otherwise each item takes the most similar one (≥ SIMILAR).
    """
    pairs: list[Pair] = []
    matcher = SequenceMatcher(None, a_keys, b_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += [Pair("equal", i1 + k, j1 + k) for k in range(i2 - i1)]
        elif tag == "delete":
            pairs += [Pair("delete", i, None) for i in range(i1, i2)]
        elif tag == "insert":
            pairs += [Pair("insert", None, j) for j in range(j1, j2)]
        else:
            pairs += _pair_run(i1, i2, j1, j2, pairable, similar)
    return pairs


def _pair_run(
    i1: int,
    i2: int,
    j1: int,
    j2: int,
    pairable: Callable[[int, int], bool],
    similar: Callable[[int, int], float],
) -> list[Pair]:
    if i2 - i1 == j2 - j1 and all(pairable(i1 + k, j1 + k) for k in range(i2 - i1)):
        if i2 - i1 == 1 or all(similar(i1 + k, j1 + k) >= SIMILAR for k in range(i2 - i1)):
            return [Pair("change", i1 + k, j1 + k) for k in range(i2 - i1)]
    # Best pairs in order: each a item takes the most similar b item after the last one taken.
    matched: list[tuple[int, int]] = []
    next_b = j1
    for i in range(i1, i2):
        best, best_score = None, SIMILAR
        for j in range(next_b, j2):
            if not pairable(i, j):
                continue
            score = similar(i, j)
            if score >= best_score:
                best, best_score = j, score
                if score == 1.0:
                    break
        if best is not None:
            matched.append((i, best))
            next_b = best + 1
    pairs: list[Pair] = []
    i, j = i1, j1
    for mi, mj in [*matched, (i2, j2)]:
        # A gap with as many items on each side: the items were rewritten in place.
        if mi - i == mj - j and all(pairable(i + k, j + k) for k in range(mi - i)):
            pairs += [Pair("change", i + k, j + k) for k in range(mi - i)]
        else:
            pairs += [Pair("delete", k, None) for k in range(i, mi)]
            pairs += [Pair("insert", None, k) for k in range(j, mj)]
        if mi < i2:
            pairs.append(Pair("change", mi, mj))
        i, j = mi + 1, mj + 1
    return pairs


# --------------------------------------------------------------------------- words


def _trivial(keys: Sequence[Hashable]) -> bool:
    """Return True for a short run of spaces and punctuation between two changes."""
    return len(keys) <= 3 and all(
        isinstance(key, str) and (key.isspace() or (len(key) == 1 and not key.isalnum()))
        for key in keys
    )


def word_opcodes(
    a_keys: Sequence[Hashable], b_keys: Sequence[Hashable]
) -> list[tuple[str, int, int, int, int]]:
    """Return difflib opcodes over tokens, with trivial equal runs merged into the changes."""
    opcodes = SequenceMatcher(None, a_keys, b_keys, autojunk=False).get_opcodes()
    merged: list[tuple[str, int, int, int, int]] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        between = 0 < index < len(opcodes) - 1
        if tag == "equal" and between and _trivial(a_keys[i1:i2]):
            tag = "replace"
        if merged and tag != "equal" and merged[-1][0] != "equal":
            _, pi1, _, pj1, _ = merged[-1]
            merged[-1] = ("replace", pi1, i2, pj1, j2)
        else:
            merged.append((tag, i1, i2, j1, j2))
    return [
        ("delete" if tag == "replace" and j1 == j2 else "insert" if tag == "replace" and i1 == i2
         else tag, i1, i2, j1, j2)
        for tag, i1, i2, j1, j2 in merged
    ]  # fmt: skip


@dataclass(frozen=True)
class Segment:
    """A piece of a word diff: unchanged (None), deleted or inserted text."""

    status: Literal["deleted", "inserted"] | None
    text: str


def word_diff(a: str, b: str) -> list[Segment]:
    """Return the word diff of two texts as segments."""
    a_words, b_words = words(a), words(b)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in word_opcodes(a_words, b_words):
        if tag == "equal":
            segments.append(Segment(None, "".join(b_words[j1:j2])))
            continue
        if i2 > i1:
            segments.append(Segment("deleted", "".join(a_words[i1:i2])))
        if j2 > j1:
            segments.append(Segment("inserted", "".join(b_words[j1:j2])))
    return segments
