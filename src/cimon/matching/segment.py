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

**Speed.** jieba cuts a text block by block: it splits the text at every character outside
``[\u4e00-\u9fd5a-zA-Z0-9+#&._%-]`` (punctuation, spaces) and segments each block on its own, and
search mode adds the pieces of each word on its own. So the tokens of a text are the tokens of its
blocks in order, and :func:`tokenize` keeps the filtered tokens of each block it has seen in a
bounded cache (:data:`BLOCK_CACHE` blocks): a catalogue repeats its phrases (``适合县域推广``,
``枸杞``), and a repeated block costs a dictionary look-up instead of jieba's dynamic programme.
The result is identical to segmenting the whole text (a test checks it against jieba directly).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from functools import lru_cache
from importlib.resources import files
from itertools import chain
from typing import Any

__all__ = ["BLOCK_CACHE", "stopwords", "tokenize", "tokenize_uncached", "tokenizer", "user_terms"]

_DATA = files("cimon.data") / "matching"
_KEEP = re.compile(r"[\w]", re.UNICODE)
_LOCK = threading.Lock()
#: jieba's block pattern (``jieba.re_han_default``): text is segmented block by block
_BLOCK = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)", re.U)
#: the most blocks whose tokens are kept (about 100 bytes each); the cache is emptied when full
BLOCK_CACHE = 200_000
_blocks: dict[str, tuple[str, ...]] = {}


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

    ``None`` or an empty text gives ``[]``. The same tokens as :func:`tokenize_uncached`, with
    the tokens of each jieba block cached (see the module docstring).

    Parameters
    ----------
    text : the title, abstract or problem statement.
    """
    if not text:
        return []
    pieces = _BLOCK.split(unicodedata.normalize("NFKC", str(text)).lower())
    get = _blocks.get
    got = [get(p) for p in pieces]
    if None in got:
        for i, p in enumerate(pieces):
            if got[i] is None:
                got[i] = _cache(p)
    return list(chain.from_iterable(got))  # type: ignore[arg-type]


def _cache(block: str) -> tuple[str, ...]:
    """The filtered tokens of one block, remembered (the cache is emptied when full)."""
    toks = tuple(_filtered(block)) if block else ()
    if len(_blocks) >= BLOCK_CACHE:
        _blocks.clear()
    _blocks[block] = toks
    return toks


def tokenize_uncached(text: str | None) -> list[str]:
    """The tokens of ``text`` segmented whole, without the block cache (the reference)."""
    if not text:
        return []
    return list(_filtered(unicodedata.normalize("NFKC", str(text)).lower()))


def _filtered(norm: str) -> list[str]:
    """jieba's search-mode tokens of normalised text without stop words and punctuation."""
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
