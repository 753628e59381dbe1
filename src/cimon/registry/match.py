"""Match incoming list rows (code, name, county) to existing enterprise records.

Order, for each incoming row:

1. **By code**: a valid 统一社会信用代码 (:func:`cimon.registry.codes.check_code`) that a record
   holds → that record (``code``). If the row's name (key, :func:`cimon.registry.names.name_key`)
   belongs to *other* records, the row is a ``conflict``: the code says record A, the name says
   record B; a person decides. So is a code that two records hold.
2. **By name**: the exact name key held by one record → that record (``name``); held by
   several → ``ambiguous``. A valid code that no record holds, with a name whose record holds a
   different valid code, is a ``conflict`` too (a new enterprise under an old name, or a typo in
   either).
3. **Fuzzy**: otherwise the names of the same county (the *block*; without a known county, the
   names starting with the same two characters) are scored with RapidFuzz's normalised Indel
   similarity (``fuzz.ratio``, 0–100) on the keys; every record at or above ``cutoff`` is a
   candidate and the row is ``ambiguous`` — even with a single candidate: a fuzzy match is
   never taken without a person.
4. Nothing → ``new``.

``ambiguous`` and ``conflict`` rows carry their candidates with scores (``code`` and exact name
candidates score 100) and are for a person to confirm (:func:`needs_review`); they must not be
counted until confirmed. Records are indexed once (:class:`RecordIndex`); scoring is one
:func:`rapidfuzz.process.cdist` call per block and chunk of rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cimon.registry.codes import check_code, normalise_code
from cimon.registry.names import name_keys

__all__ = [
    "REVIEW_STATUSES",
    "STATUSES",
    "Candidate",
    "RecordIndex",
    "match_rows",
    "needs_review",
]

#: Every status a row can get, and the ones a person must settle.
STATUSES = ("code", "name", "ambiguous", "conflict", "new")
REVIEW_STATUSES = ("ambiguous", "conflict")
#: Lowest fuzzy score (0–100) that makes a record a candidate, and candidates kept per row.
DEFAULT_CUTOFF = 85.0
DEFAULT_LIMIT = 5
#: Rows scored against a block in one cdist call (bounds the score matrix's memory).
CHUNK = 512


@dataclass(frozen=True)
class Candidate:
    """A record a row may be: its id, its name as stored, the score (0–100) and how it was
    found (``code``, ``name`` or ``fuzzy``)."""

    record: Hashable
    name: str
    score: float
    via: str


@dataclass
class RecordIndex:
    """Existing records indexed for matching. Build it with :meth:`build`.

    ``records`` has one row per (record, name): columns ``id``, ``code``, ``name`` and
    ``county``; a record with a name history appears once per name, so an old name still
    matches.
    """

    ids: np.ndarray
    names: np.ndarray
    keys: np.ndarray
    by_code: dict[str, list[Hashable]]
    code_of: dict[Hashable, str]
    name_of: dict[Hashable, str]  # the first name listed for each record
    by_key: dict[str, list[int]]  # name key → row positions
    blocks: dict[str, np.ndarray] = field(default_factory=dict)  # county → row positions
    prefixes: dict[str, np.ndarray] = field(default_factory=dict)  # first 2 chars → positions

    @classmethod
    def build(cls, records: pd.DataFrame) -> RecordIndex:
        """Index ``records`` (columns ``id``, ``code``, ``name``, ``county``)."""
        ids = records["id"].to_numpy(dtype=object)
        names = records["name"].fillna("").astype(str).to_numpy(dtype=object)
        keys = np.array(name_keys(names), dtype=object)
        codes = [normalise_code(c) for c in records["code"].tolist()]
        by_code: dict[str, list[Hashable]] = defaultdict(list)
        code_of: dict[Hashable, str] = {}
        for rid, code in zip(ids, codes, strict=True):
            if code and rid not in code_of:
                code_of[rid] = code
                by_code[code].append(rid)
        name_of: dict[Hashable, str] = {}
        for rid, name in zip(ids, names, strict=True):
            name_of.setdefault(rid, str(name))
        by_key: dict[str, list[int]] = defaultdict(list)
        for pos, key in enumerate(keys):
            by_key[key].append(pos)
        counties = records["county"].fillna("").astype(str).to_numpy()
        blocks = _groups(counties)
        prefixes = _groups(np.array([k[:2] for k in keys], dtype=object))
        return cls(
            ids, names, keys, dict(by_code), code_of, name_of, dict(by_key), blocks, prefixes
        )

    def name_candidates(self, key: str) -> list[Candidate]:
        """Records holding exactly this name key (one per record)."""
        out: dict[Hashable, Candidate] = {}
        for pos in self.by_key.get(key, ()):
            rid = self.ids[pos]
            out.setdefault(rid, Candidate(rid, str(self.names[pos]), 100.0, "name"))
        return list(out.values())

    def code_candidates(self, code: str) -> list[Candidate]:
        """Records holding this code (more than one is a fault of the records)."""
        return [
            Candidate(r, self.name_of.get(r, ""), 100.0, "code") for r in self.by_code.get(code, ())
        ]


def _groups(labels: np.ndarray) -> dict[str, np.ndarray]:
    """label → positions holding it, from one stable sort."""
    if len(labels) == 0:
        return {}
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    cuts = np.flatnonzero(sorted_labels[1:] != sorted_labels[:-1]) + 1
    starts = np.concatenate(([0], cuts))
    ends = np.concatenate((cuts, [len(labels)]))
    return {str(sorted_labels[s]): order[s:e] for s, e in zip(starts, ends, strict=True)}


def match_rows(
    incoming: pd.DataFrame,
    index: RecordIndex | pd.DataFrame,
    *,
    cutoff: float = DEFAULT_CUTOFF,
    limit: int = DEFAULT_LIMIT,
) -> pd.DataFrame:
    """Match ``incoming`` rows (columns ``code``, ``name``, ``county``; any may be blank) to
    the records of ``index`` (a :class:`RecordIndex`, or the records to build one from).

    Returns a frame with ``incoming``'s index and the columns ``status`` (one of
    :data:`STATUSES`), ``record`` (the matched id for ``code``/``name``, else None),
    ``code`` (normalised), ``code_valid``, ``code_problem`` (why an invalid code is invalid,
    Chinese / English; "" for a valid or blank one), ``key`` (the name key) and
    ``candidates`` (a tuple of :class:`Candidate`, best first). An invalid code is not used to
    match; the row goes on by name.
    """
    idx = index if isinstance(index, RecordIndex) else RecordIndex.build(index)
    n = len(incoming)
    codes = [normalise_code(c) for c in _column(incoming, "code", n)]
    keys = name_keys(_column(incoming, "name", n))
    counties = ["" if _blank(c) else str(c) for c in _column(incoming, "county", n)]
    status: list[str] = ["new"] * n
    record: list[Hashable | None] = [None] * n
    valid = [False] * n
    problem = [""] * n
    cands: list[tuple[Candidate, ...]] = [()] * n
    fuzzy_rows: list[int] = []
    for i in range(n):
        code, key = codes[i], keys[i]
        by_code: list[Candidate] = []
        if code:
            check = check_code(code)
            valid[i] = check.valid
            problem[i] = "" if check.valid else check.message()
            if check.valid:
                by_code = idx.code_candidates(code)
        by_name = idx.name_candidates(key) if key else []
        if by_code:
            coded = {c.record for c in by_code}
            others = [c for c in by_name if c.record not in coded]
            if others or len(by_code) > 1:
                status[i], cands[i] = "conflict", (*by_code, *others)
            else:
                status[i], record[i], cands[i] = "code", by_code[0].record, (by_code[0],)
        elif by_name:
            held = {idx.code_of.get(c.record, "") for c in by_name}
            if len(by_name) > 1:
                status[i], cands[i] = "ambiguous", tuple(by_name)
            elif valid[i] and held - {""} and code not in held:
                status[i], cands[i] = "conflict", tuple(by_name)
            else:
                status[i], record[i], cands[i] = "name", by_name[0].record, tuple(by_name)
        elif key:
            fuzzy_rows.append(i)
    for i, found in _fuzzy(idx, fuzzy_rows, keys, counties, cutoff, limit).items():
        status[i], cands[i] = "ambiguous", found
    return pd.DataFrame(
        {
            "status": status,
            "record": record,
            "code": codes,
            "code_valid": valid,
            "code_problem": problem,
            "key": keys,
            "candidates": cands,
        },
        index=incoming.index,
    )


def needs_review(result: pd.DataFrame) -> pd.DataFrame:
    """The rows of a :func:`match_rows` result that a person must settle."""
    return result[result["status"].isin(REVIEW_STATUSES)]


def _column(frame: pd.DataFrame, name: str, n: int) -> list[object]:
    return frame[name].tolist() if name in frame.columns else [None] * n


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or not str(value).strip()


def _fuzzy(
    idx: RecordIndex,
    rows: Sequence[int],
    keys: Sequence[str],
    counties: Sequence[str],
    cutoff: float,
    limit: int,
) -> dict[int, tuple[Candidate, ...]]:
    """Fuzzy candidates of ``rows`` within their blocks: row → candidates (rows without any
    are left out)."""
    from rapidfuzz import fuzz, process

    by_block: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in rows:
        county = counties[i]
        if county and county in idx.blocks:
            by_block[("county", county)].append(i)
        else:
            by_block[("prefix", keys[i][:2])].append(i)
    out: dict[int, tuple[Candidate, ...]] = {}
    for (kind, label), members in by_block.items():
        positions = (idx.blocks if kind == "county" else idx.prefixes).get(label)
        if positions is None or len(positions) == 0:
            continue
        choices = idx.keys[positions].tolist()
        for start in range(0, len(members), CHUNK):
            chunk = members[start : start + CHUNK]
            scores = process.cdist(
                [keys[i] for i in chunk],
                choices,
                scorer=fuzz.ratio,
                score_cutoff=cutoff,
                dtype=np.float32,
                workers=1,
            )
            for r, i in enumerate(chunk):
                hits = np.flatnonzero(scores[r] >= cutoff)
                if len(hits) == 0:
                    continue
                best = hits[np.argsort(-scores[r][hits], kind="stable")]
                found: dict[Hashable, Candidate] = {}
                for h in best:
                    pos = positions[h]
                    rid = idx.ids[pos]
                    if rid not in found:
                        found[rid] = Candidate(
                            rid, str(idx.names[pos]), round(float(scores[r][h]), 1), "fuzzy"
                        )
                    if len(found) == limit:
                        break
                out[i] = tuple(found.values())
    return out
