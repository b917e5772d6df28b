"""Chinese word segmentation for indexing and querying (jieba-rs through ``rjieba``).

Two segmenters are used. The *platform* segmenter carries the user dictionary: the shipped
government terms (``data/govterms.txt``), every agency name and short name, and every synonym
term. The *base* segmenter is jieba's plain dictionary. Documents are indexed with the search-mode
cut of the platform segmenter, plus the base search-mode cut of each dictionary word the base
dictionary lacks (so a long dictionary word such as an agency name is found by its parts as well),
and a query word from the user dictionary also matches its base pieces, so documents indexed
before a word was added to the dictionary are still found.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from gongkai.agencies.models import Agency

DATA_DIR = Path(__file__).with_name("data")
#: Seconds a process trusts its dictionary before checking the database for changes.
DICTIONARY_TTL = 30.0

_WORD = re.compile(r"\w")
_NON_WORD = re.compile(r"[^\w]+")
_TERM_SPLIT = re.compile(r"[\s,，;；、|/]+")

#: Query words that carry no meaning on their own (dropped while other words remain).
QUERY_STOPWORDS = frozenset(
    """的 了 和 与 及 或 在 是 有 我 我们 你 您 他 怎么 怎样 如何 哪里 哪儿 哪个 什么 吗 呢 啊 吧
    请问 想 想要 要 查 查询 查找 查看 找 一下 关于 个 能 可以 需要 应该 去 到 给 把 被 对 从 等
    谁 多少 哪些 几 都 也 就 还 又 最新 相关 一些 这个 那个 里 中 上 下""".split()
)


def normalise(text: str) -> str:
    """Fold full-width forms (NFKC) and case, the same way for documents and queries."""
    return unicodedata.normalize("NFKC", text or "").lower()


def split_terms(value: str) -> list[str]:
    """Split a list of terms written with commas, spaces or 、 into clean terms."""
    return [t for t in (normalise(p).strip() for p in _TERM_SPLIT.split(value or "")) if t]


def clean_token(token: str) -> str:
    """Return the token without punctuation (empty when nothing is left)."""
    return _NON_WORD.sub("", token) if _WORD.search(token) else ""


@lru_cache(maxsize=1)
def _govterms() -> tuple[str, ...]:
    lines = (DATA_DIR / "govterms.txt").read_text(encoding="utf-8").splitlines()
    return tuple(t for line in lines if (t := line.split("#", 1)[0].strip()))


@dataclass
class Dictionary:
    """The user dictionary and synonym groups the segmenter was built from."""

    words: frozenset[str] = frozenset()
    synonyms: dict[str, frozenset[str]] = field(default_factory=dict)


class Segmenter:
    """Cut text into index tokens and queries into word groups (with synonym alternatives)."""

    def __init__(self, dictionary: Dictionary) -> None:
        import rjieba  # loaded by the first segmenter, not at import (34 MB of dictionary)

        self.dictionary = dictionary
        self._base: ModuleType = rjieba
        self._jieba = rjieba.Jieba()
        for word in sorted(dictionary.words):
            if len(word) > 1:
                self._jieba.add_word(word, None, None)
        #: Dictionary words the base dictionary lacks: the ones whose base pieces are indexed.
        self._own_words = frozenset(
            w for w in dictionary.words if len(w) > 1 and not rjieba.has_word(w)
        )
        self._pieces: dict[str, tuple[str, ...]] = {}

    def index_tokens(self, text: str) -> list[str]:
        """All tokens of ``text`` for the index: the platform search-mode cut, and for each
        dictionary word jieba's base dictionary does not know, that word's base search-mode
        cut (so 茂名市人力资源和社会保障局 is found by 人力资源, 保障局 …). One cut of the text
        (decision 0704); the words' pieces are cut once per segmenter."""
        if not text:
            return []
        # one space between words (runs of anything else collapsed), so spaces are the only
        # blank tokens the cut returns; filter() and set look-ups keep the loops in C
        text = _NON_WORD.sub(" ", normalise(text))
        tokens = list(filter(" ".__ne__, self._jieba.cut_for_search(text, False)))
        extra = list(filter(self._own_words.__contains__, tokens))
        if extra:
            seen = set(tokens)
            for word in extra:
                for piece in self._base_pieces(word):
                    if piece not in seen:
                        seen.add(piece)
                        tokens.append(piece)
        return tokens

    def _base_pieces(self, word: str) -> tuple[str, ...]:
        pieces = self._pieces.get(word)
        if pieces is None:
            cut = self._base.cut_for_search(word, False)
            pieces = self._pieces[word] = tuple(t for t in cut if not t.isspace())
        return pieces

    def index_text(self, text: str) -> str:
        """The index tokens joined by spaces (what backends store)."""
        return " ".join(self.index_tokens(text))

    def query_words(self, text: str) -> list[str]:
        """The meaningful words of a query, in order, without repeats."""
        words: list[str] = []
        for word in self._jieba.cut(_NON_WORD.sub(" ", normalise(text)), False):
            if not word.isspace() and word not in words:
                words.append(word)
        meaningful = [w for w in words if w not in QUERY_STOPWORDS]
        return meaningful or words

    def alternatives(self, word: str) -> list[tuple[str, ...]]:
        """Ways a query word may appear in the index: itself, its base pieces, its synonyms.

        Each alternative is a conjunction of index tokens.
        """
        result: list[tuple[str, ...]] = []
        for term in [word, *sorted(self.dictionary.synonyms.get(word, ()))]:
            for alt in self._forms(term):
                if alt not in result:
                    result.append(alt)
        return result

    def _forms(self, term: str) -> list[tuple[str, ...]]:
        forms: list[tuple[str, ...]] = []
        term = _NON_WORD.sub(" ", term)
        own = tuple(t for t in self._jieba.cut(term, False) if not t.isspace())
        base = tuple(t for t in self._base.cut(term, False) if not t.isspace())
        for form in (own, base):
            if form and form not in forms:
                forms.append(form)
        return forms

    def highlight_terms(self, groups: list[list[tuple[str, ...]]]) -> list[str]:
        """Every token a snippet should mark, longest first."""
        terms = {t for group in groups for alt in group for t in alt}
        # single characters (pieces of unknown words) would light up half a page
        longer = {t for t in terms if len(t) > 1}
        return sorted(longer or terms, key=lambda t: (-len(t), t))


_lock = threading.Lock()
_state: dict[str, object] = {"segmenter": None, "checked": 0.0, "version": None}


def _dictionary_version() -> tuple[object, ...]:
    from django.db.models import Count, Max

    # Cycle: search.models imports this module (split_terms).
    from gongkai.search.models import Synonym

    syn = Synonym.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    ag = Agency.objects.aggregate(n=Count("id"), last=Max("id"))
    return (syn["n"], syn["last"], ag["n"], ag["last"])


def load_dictionary() -> Dictionary:
    """Read the user dictionary and synonym groups from the shipped list and the database."""
    # Cycle: search.models imports this module (split_terms).
    from gongkai.search.models import Synonym

    words: set[str] = set(_govterms())
    for name, short in Agency.objects.values_list("name", "short_name"):
        words.update(normalise(n) for n in (name, short) if n)
    synonyms: dict[str, set[str]] = {}
    for terms in Synonym.objects.filter(is_active=True).values_list("terms", flat=True):
        group = split_terms(terms)
        words.update(group)
        for term in group:
            synonyms.setdefault(term, set()).update(t for t in group if t != term)
    return Dictionary(frozenset(words), {k: frozenset(v) for k, v in synonyms.items()})


def get_segmenter() -> Segmenter:
    """The process's segmenter, rebuilt when agencies or synonyms changed (checked every 30 s)."""
    now = time.monotonic()
    seg = _state["segmenter"]
    if isinstance(seg, Segmenter) and now - float(_state["checked"]) < DICTIONARY_TTL:  # type: ignore[arg-type]
        return seg
    with _lock:
        version = _dictionary_version()
        if not isinstance(seg, Segmenter) or version != _state["version"]:
            seg = Segmenter(load_dictionary())
            _state.update(segmenter=seg, version=version)
        _state["checked"] = now
        return seg


def reset_segmenter() -> None:
    """Forget the cached segmenter (after a synonym or agency change, and between tests)."""
    with _lock:
        _state.update(segmenter=None, checked=0.0, version=None)
