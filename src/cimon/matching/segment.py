"""Chinese segmentation for matching: jieba with cimon's domain dictionary and stop words.

jieba's default dictionary splits domain terms that carry the meaning of a need (``滩羊`` →
``滩``/``羊``, ``脱毒种薯`` → ``脱毒``/``种薯``); the user dictionary shipped in
``cimon/data/matching/userdict.txt`` keeps them whole. Tokens are lower-cased after NFKC
normalisation (full-width letters and digits become half-width); punctuation, single digits,
whitespace and the stop words of ``stopwords.txt`` are dropped. A term of the user dictionary
longer than two characters also contributes its two-character pieces when jieba's dictionary
knows them (``冷凉蔬菜`` gives ``冷凉蔬菜`` and ``蔬菜``), so a need that says ``蔬菜`` still meets
an achievement that says ``冷凉蔬菜``: this is jieba's search mode (``cut_for_search``).

The tokenizer is built once per process (loading jieba's dictionary takes about a second with
its cache) and is safe to share between threads for reading.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import lru_cache
from importlib.resources import files
from typing import Any

__all__ = ["stopwords", "tokenize", "tokenizer", "user_terms"]

_DATA = files("cimon.data") / "matching"
_KEEP = re.compile(r"[\w]", re.UNICODE)
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The stop words shipped with cimon (one per line)."""
    text = (_DATA / "stopwords.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip())


@lru_cache(maxsize=1)
def user_terms() -> tuple[str, ...]:
    """The terms of the domain user dictionary, in file order."""
    text = (_DATA / "userdict.txt").read_text(encoding="utf-8")
    return tuple(line.split()[0] for line in text.splitlines() if line.strip())


def tokenizer() -> Any:
    """The shared jieba tokenizer with the domain dictionary loaded."""
    with _LOCK:
        return _tokenizer()


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for line in (_DATA / "userdict.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if parts:
            tok.add_word(parts[0], int(parts[1]) if len(parts) > 1 else None)
    return tok


def tokenize(text: str | None) -> list[str]:
    """The tokens of ``text`` for matching, in order, repeats kept (BM25 counts them).

    ``None`` or an empty text gives ``[]``. Parameters
    ----------
    text : the title, abstract or problem statement.
    """
    if not text:
        return []
    norm = unicodedata.normalize("NFKC", str(text)).lower()
    stop = stopwords()
    out: list[str] = []
    for tok in tokenizer().cut_for_search(norm):
        tok = tok.strip()
        if not tok or tok in stop or not _KEEP.search(tok):
            continue
        if tok.isdigit() and len(tok) == 1:
            continue
        out.append(tok)
    return out
