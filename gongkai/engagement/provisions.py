"""Drafts as 章/条/款 with stable identifiers (pure functions: no database).

``parse`` splits a draft's text (from a DOCX's paragraphs or typed) into provisions: a line
starting 第X章 opens a chapter, a line starting 第X条 an article, and every further paragraph
of an article is one of its 款. ``carry_keys`` gives the provisions of a new version the keys
of the old ones they continue — an article keeps its key when renumbered or lightly edited — so
a comment attached to an article (and a quote from it) survives a new version of the draft.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

_NUM = "〇零一二三四五六七八九十百千两0-9"
CHAPTER = re.compile(rf"^第[{_NUM}]+章")
ARTICLE = re.compile(rf"^(第[{_NUM}]+条)[\s\u3000]*")
#: A new article continues an old one when their texts are at least this similar.
SIMILAR = 0.6


@dataclass(frozen=True)
class Provision:
    """One chapter heading (章), article (条) or paragraph of an article (款)."""

    kind: str  # "章", "条", "款"
    label: str  # 第三章 / 第五条 / 第五条第二款
    text: str
    key: str = ""
    parent: str = ""  # the article's key, for a 款


def parse(paragraphs: Sequence[str]) -> list[Provision]:
    """The provisions of a draft, in order, keyed ``C1``, ``A1``, ``A1.2`` by position."""
    out: list[Provision] = []
    chapters = articles = clauses = 0
    article = ""
    article_label = ""
    for raw in paragraphs:
        line = raw.strip().replace("\u3000", " ").strip()
        if not line:
            continue
        if CHAPTER.match(line):
            chapters += 1
            out.append(Provision("章", line.split()[0], line, f"C{chapters}"))
            article = ""
            continue
        m = ARTICLE.match(line)
        if m:
            articles += 1
            clauses = 1
            article, article_label = f"A{articles}", m.group(1)
            out.append(Provision("条", article_label, line, article))
        elif article:
            clauses += 1
            out.append(
                Provision(
                    "款", f"{article_label}第{clauses}款", line, f"{article}.{clauses}", article
                )
            )
    return out


def docx_paragraphs(data: bytes) -> list[str]:
    """The paragraphs of a DOCX file (python-docx)."""
    import docx

    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def _body(p: Provision) -> str:
    """An article's text without its number (renumbering does not change it)."""
    return ARTICLE.sub("", p.text) if p.kind == "条" else p.text


def carry_keys(old: Sequence[Provision], new: Sequence[Provision]) -> list[Provision]:
    """Give ``new`` provisions the keys of the ``old`` ones they continue; fresh keys otherwise.

    Articles are matched greedily by text similarity (number ignored); a 款 keeps the key of
    the same 款 of the matched article; chapters match by heading text. Unmatched provisions
    get keys after the highest used, so no key is ever reused for different text.
    """
    old_articles = [p for p in old if p.kind == "条"]
    used_numbers = [int(re.sub(r"\D", "", p.key.split(".")[0]) or 0) for p in old]
    next_article = max([0, *[n for p, n in zip(old, used_numbers, strict=True) if p.kind == "条"]])
    next_chapter = max([0, *[n for p, n in zip(old, used_numbers, strict=True) if p.kind == "章"]])
    taken: set[str] = set()
    mapping: dict[str, str] = {}
    out: list[Provision] = []
    for p in new:
        if p.kind == "章":
            match = next(
                (o for o in old if o.kind == "章" and o.text == p.text and o.key not in taken), None
            )
            if match is None:
                next_chapter += 1
                key = f"C{next_chapter}"
            else:
                key = match.key
            taken.add(key)
            out.append(replace(p, key=key))
        elif p.kind == "条":
            scored = [
                (difflib.SequenceMatcher(None, _body(p), _body(o)).ratio(), o)
                for o in old_articles
                if o.key not in taken
            ]
            best = max(scored, key=lambda s: s[0], default=(0.0, None))
            if best[1] is not None and best[0] >= SIMILAR:
                key = best[1].key
            else:
                next_article += 1
                key = f"A{next_article}"
            taken.add(key)
            mapping[p.key] = key
            out.append(replace(p, key=key))
        else:
            parent = mapping.get(p.parent, p.parent)
            out.append(replace(p, key=f"{parent}.{p.key.split('.')[1]}", parent=parent))
    return out
