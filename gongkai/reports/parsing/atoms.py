"""Atoms: the token stream cut finer, for the tolerant table reader (decision 1901).

Every token of a read document (:mod:`.sources`) becomes atoms — ``text``, ``num`` or ``empty`` —
each with its source span and the *row* it was printed on (a grid row, or a line of text). Text
tokens are cut where digits are glued to words (``…申请数量640020470二、…``); a digit right before
``.``/``、`` and a word (``00000002.其他…``) is the item number of the next label, not a figure.
Page footers (``第 3 页 共 5 页``, ``- 3 -``) are dropped. Labels are text segments (consecutive
text atoms) matched to the official rows by their distinctive stems or, for OCR misspellings and
reworded labels, by similarity.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from .normalize import label_key, nfkc
from .sources import Token

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_NUMBERING_AFTER = re.compile(r"[.．、]\s*\D")
#: A text segment longer than this (after normalisation) is prose, not a label.
MAX_LABEL = 60
SIMILARITY = 0.72


@dataclass
class Atom:
    """A piece of text, a printed figure (digits) or an empty cell."""

    kind: str  # text | num | empty
    text: str
    source: dict[str, Any]
    row: tuple[Any, ...]
    cell: bool = False  # printed as a cell or word of its own (not glued to text)


def row_id(source: dict[str, Any]) -> tuple[Any, ...]:
    """Return the printed row of a token: its grid row, else its page/paragraph/line."""
    if "table" in source:
        return ("t", source["table"], source.get("row"))
    return ("l", source.get("page"), source.get("paragraph"), source.get("line"))


def _split_text(tok: Token, row: tuple[Any, ...]) -> list[Atom]:
    text = nfkc(tok.text)
    out: list[Atom] = []
    pos = 0
    for m in _DIGITS.finditer(text):
        digits = m.group()
        after = text[m.end() : m.end() + 3]
        numbering = ""
        if "." not in digits and _NUMBERING_AFTER.match(after) and not after[1:2].isdigit():
            numbering, digits = digits[-1], digits[:-1]
        if m.start() > pos:
            out.append(Atom("text", text[pos : m.start()], tok.source, row))
        if digits:
            out.append(Atom("num", digits, tok.source, row))
        if numbering:
            out.append(Atom("text", numbering, tok.source, row))
        pos = m.end()
    if pos < len(text):
        out.append(Atom("text", text[pos:], tok.source, row))
    return out


def to_atoms(tokens: Sequence[Token]) -> list[Atom]:
    """Cut a token stream into atoms and drop page footers."""
    atoms: list[Atom] = []
    for tok in tokens:
        row = row_id(tok.source)
        if tok.kind == "num":
            digits = tok.text.replace(",", "")
            atoms.append(Atom("num", nfkc(digits), tok.source, row, cell=True))
        elif tok.kind == "empty":
            atoms.append(Atom("empty", "", tok.source, row, cell=True))
        elif tok.kind == "text":
            atoms.extend(_split_text(tok, row))
    return _drop_footers(atoms)


def _drop_footers(atoms: list[Atom]) -> list[Atom]:
    drop: set[int] = set()
    for i in range(1, len(atoms) - 1):
        prev, cur, nxt = atoms[i - 1], atoms[i], atoms[i + 1]
        if cur.kind != "num" or prev.kind != "text" or nxt.kind != "text":
            continue
        p, n = prev.text.strip(), nxt.text.strip()
        if (p.endswith(("第", "共")) and n.startswith("页")) or (
            p in ("-", "—", "－") and n.startswith(("-", "—", "－"))
        ):
            drop.add(i)
    return [a for i, a in enumerate(atoms) if i not in drop]


@dataclass
class Segment:
    """Consecutive text atoms ``atoms[start:end]`` and their normal form."""

    start: int
    end: int
    text: str
    key: str
    source: dict[str, Any]
    row: tuple[Any, ...]

    @property
    def keys(self) -> list[str]:
        """Return the normal forms of the segment and its numbered tails."""
        return label_tails(self.text)


def segments(atoms: Sequence[Atom]) -> list[Segment]:
    """Group consecutive text atoms into segments."""
    out: list[Segment] = []
    i = 0
    while i < len(atoms):
        if atoms[i].kind != "text":
            i += 1
            continue
        j = i
        while j < len(atoms) and atoms[j].kind == "text":
            j += 1
        text = "".join(a.text for a in atoms[i:j])
        out.append(Segment(i, j, text, label_key(text), atoms[i].source, atoms[i].row))
        i = j
    return out


@lru_cache(maxsize=4096)
def _similar(key: str, label: str) -> bool:
    tail = key[-(len(label) + 2) :]
    matcher = SequenceMatcher(None, tail, label, autojunk=False)
    return matcher.quick_ratio() >= SIMILARITY and matcher.ratio() >= SIMILARITY


_ITEM = re.compile(r"[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.．、]")


@lru_cache(maxsize=8192)
def label_tails(text: str) -> list[str]:
    """Normal forms of a segment and of its tails from each item number (longest first).

    A label printed after other words (a header, a stray character of a vertical merged label,
    prose without a line break) is found from its own item number on.
    """
    keys = [label_key(text)]
    for m in _ITEM.finditer(text):
        if m.start() > 0:
            keys.append(label_key(text[m.start() :]))
    return [k for k in keys if k]


@lru_cache(maxsize=256)
def _label_key(label: str) -> str:
    return label_key(label)


@lru_cache(maxsize=65536)
def matches(key: str, stems: tuple[str, ...], label: str) -> bool:
    """Return whether a segment's normal form names the row with these stems and label."""
    if not key or len(key) > MAX_LABEL:
        return False
    for stem in stems:
        if len(stem) <= 2:
            if key.endswith(stem) and len(key) <= len(stem) + 4:
                return True
        elif stem in key:
            return True
    lab = _label_key(label)
    return len(lab) >= 4 and len(key) >= 4 and _similar(key, lab)
