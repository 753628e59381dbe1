"""The labelled evaluation set: its size and shape, that its labels follow the stated rule, and
that the engine beats both baselines on it."""

from __future__ import annotations

import csv
import runpy
from collections import Counter
from pathlib import Path

import pytest

from cimon.matching import Engine, top_ids
from cimon.matching.baselines import keyword_rankings, random_rankings
from cimon.matching.evalset import load_evalset
from cimon.matching.metrics import evaluate

ROOT = Path(__file__).resolve().parents[2]
EVALSET = ROOT / "src" / "cimon" / "data" / "matching" / "evalset"


def test_size_grades_and_ids() -> None:
    es = load_evalset()
    assert es.pairs >= 300
    assert len(es.needs) >= 40 and len(es.achievements) >= 70
    grades = Counter(g for gs in es.labels.values() for g in gs.values())
    assert set(grades) == {0, 1, 2, 3} and all(grades[g] > 0 for g in range(4))
    need_ids = {n.id for n in es.needs}
    ach_ids = {a.id for a in es.achievements}
    assert set(es.labels) == need_ids
    assert all(set(gs) <= ach_ids for gs in es.labels.values())
    assert all(any(g == 3 for g in gs.values()) for gs in es.labels.values())


def test_the_county_industries_are_there() -> None:
    with (EVALSET / "needs.csv").open(encoding="utf-8") as f:
        industries = {r["industry_tag"] for r in csv.DictReader(f)}
    assert {"枸杞", "葡萄酒", "滩羊", "冷凉蔬菜", "马铃薯", "肉牛", "光伏"} <= industries


def test_labels_are_what_the_stated_rule_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """scripts/build_matching_qrels.py, run on the shipped needs and achievements, writes the
    shipped qrels.csv byte for byte."""
    for name in ("needs.csv", "achievements.csv"):
        (tmp_path / name).write_bytes((EVALSET / name).read_bytes())
    module = runpy.run_path(str(ROOT / "scripts" / "build_matching_qrels.py"))
    monkeypatch.setitem(module["main"].__globals__, "HERE", tmp_path)
    module["main"]()
    assert (tmp_path / "qrels.csv").read_bytes() == (EVALSET / "qrels.csv").read_bytes()


def test_the_engine_beats_both_baselines() -> None:
    es = load_evalset()
    engine = Engine()
    index = engine.index(es.achievements)
    ids = [n.id for n in es.needs]

    def score(r: list[list[str]]) -> dict[str, float]:
        return evaluate(dict(zip(ids, r, strict=True)), es.labels)

    eng = score(top_ids(es.needs, index, engine))
    kw = score(keyword_rankings(es.needs, index))
    rnd = score(random_rankings(es.needs, index, seed=0))
    assert eng["ndcg@10"] > kw["ndcg@10"] > rnd["ndcg@10"]
    assert eng["recall@10"] >= kw["recall@10"] and eng["mrr"] >= kw["mrr"]
    assert eng["ndcg@10"] > 0.8  # a regression guard: 0.875 when written
