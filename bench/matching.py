"""Benchmark the matching engine (issue #18): speed at provincial scale, quality on the labelled set.

Synthetic scale (模拟数据, fixed seed): 100,000 achievements and 10,000 needs written from
vocabulary pools of the county industries (industry × topic × technique phrases, random regions
of Ningxia's 22 counties and a few outside, random TRL and discipline). Timed:

* **index build**: :meth:`cimon.matching.Engine.index` over all achievements (segmentation with
  jieba and the domain dictionary, BM25 weights). Goal: < 60 s.
* **one need**: :func:`cimon.matching.rank` for a single need, top 10 with explanations, median of
  ``--repeat`` needs. Goal: < 50 ms.
* **all needs**: :func:`cimon.matching.top_ids` for every need, top 10, in batches. Goal: < 60 s.
* **memory**: the process's peak resident set size (``ru_maxrss``). Goal: < 2 GB.

Quality: the labelled evaluation set shipped with cimon (40 needs, 70 achievements, 547 graded
pairs; :mod:`cimon.matching.evalset`), recall@10, MRR and nDCG@10 for the engine, the plain
keyword baseline and the random baseline (:mod:`cimon.matching.baselines`), side by side.

``--small`` uses 10,000 achievements and 1,000 needs and finishes in under a minute; the last line
is ``matching: nDCG@10 engine X, keyword Y, random Z``.

Wall-clock and CPU seconds are both printed: on a shared machine the wall clock includes waiting
for a core, so the load average is printed too. ``--baseline`` also times, in the same run, the
previous implementation: the index with every text segmented whole (no block cache) and all needs
ranked from :meth:`~cimon.matching.Engine.scores` (``top_ids(..., fast=False)``), and counts the
needs whose top 10 are the same. Run: ``.venv/bin/python bench/matching.py [--small]
[--baseline]``. Not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from unittest.mock import patch

import numpy as np

from cimon.matching import Achievement, Engine, Need, rank, top_ids
from cimon.matching.baselines import keyword_rankings, random_rankings
from cimon.matching.evalset import load_evalset
from cimon.matching.metrics import evaluate
from cimon.matching.segment import tokenize_uncached, tokenizer

INDUSTRIES = ("枸杞", "酿酒葡萄", "滩羊", "冷凉蔬菜", "马铃薯", "肉牛", "奶牛", "光伏", "黄花菜",
              "硒砂瓜", "中药材", "小杂粮", "苹果", "羊绒", "煤化工")  # fmt: skip
TOPICS = ("病虫害绿色防控", "良种繁育", "水肥一体化", "精深加工", "贮藏保鲜", "冷链物流",
          "机械化装备", "质量检测", "产地溯源", "粪污资源化利用", "智慧管理平台", "节水灌溉",
          "品质提升", "废弃物综合利用", "标准化生产")  # fmt: skip
TECHNIQUES = ("物联网监测", "生物菌剂", "热泵干燥", "膜分离", "无人机巡检", "基因组选择",
              "滴灌", "气调包装", "近红外检测", "区块链", "好氧发酵", "组培快繁", "变量施肥",
              "智能分级", "低温等离子")  # fmt: skip
EFFECTS = ("成本降低20%", "效率提高3倍", "损耗减少一半", "产量提高15%", "用工减少40%",
           "品质显著改善")  # fmt: skip
DISCIPLINES = ("210", "230", "550", "460", "610", "520", "470", "180", "570", "360")
INDUSTRY_CODES = ("01", "03", "13", "14", "15", "44", "35", "59", "77")
COUNTIES = ("640104", "640105", "640121", "640122", "640181", "640221", "640302", "640303",
            "640323", "640324", "640381", "640402", "640422", "640423", "640424", "640425",
            "640502", "640521", "640522", "610403", "110108", "620102")  # fmt: skip


#: characters the filler terms are made of (a real catalogue has tens of thousands of terms)
CHARS = "田园林牧渔种养菌肥药械温湿光热水土气风沙盐碱绿色优质高效精准智能数字标准集约循环生态安全"


def filler_terms(rng: np.random.Generator, n: int = 20_000) -> list[str]:
    """Two- and three-character pseudo terms: the long tail of a real vocabulary."""
    lengths = rng.integers(2, 4, n)
    picks = rng.integers(0, len(CHARS), (n, 3))
    return ["".join(CHARS[c] for c in row[:k]) for row, k in zip(picks, lengths, strict=True)]


def synthetic(n_ach: int, n_need: int, seed: int) -> tuple[list[Achievement], list[Need]]:
    """Achievements and needs from the pools; each text also draws Zipf-distributed filler terms."""
    rng = np.random.default_rng(seed)
    filler = filler_terms(rng)

    def tail(n: int) -> list[str]:
        ranks = np.minimum(rng.zipf(1.3, (n, 6)), len(filler)) - 1
        return ["、".join(filler[r] for r in row) for row in ranks]

    def pick(pool: tuple[str, ...], n: int) -> np.ndarray:
        return rng.integers(0, len(pool), n)

    ind, top, tec, eff = (pick(p, n_ach) for p in (INDUSTRIES, TOPICS, TECHNIQUES, EFFECTS))
    disc, reg, trl = pick(DISCIPLINES, n_ach), pick(COUNTIES, n_ach), rng.integers(3, 10, n_ach)
    extra = tail(n_ach)
    achievements = [
        Achievement(
            id=f"A{i:06d}",
            title=f"{INDUSTRIES[ind[i]]}{TOPICS[top[i]]}技术",
            abstract=f"采用{TECHNIQUES[tec[i]]}，实现{INDUSTRIES[ind[i]]}{TOPICS[top[i]]}，"
            f"{EFFECTS[eff[i]]}，涉及{extra[i]}，适合县域推广。",
            discipline=DISCIPLINES[disc[i]],
            trl=int(trl[i]),
            region=COUNTIES[reg[i]],
        )
        for i in range(n_ach)
    ]
    ind, top, tec = (pick(p, n_need) for p in (INDUSTRIES, TOPICS, TECHNIQUES))
    code, county = pick(INDUSTRY_CODES, n_need), pick(COUNTIES[:19], n_need)
    extra = tail(n_need)
    needs = [
        Need(
            id=f"N{i:05d}",
            problem=f"{INDUSTRIES[ind[i]]}生产中{TOPICS[top[i]]}跟不上，想引进{TECHNIQUES[tec[i]]}，关注{extra[i]}。",
            chain=INDUSTRIES[ind[i]],
            industry=INDUSTRY_CODES[code[i]],
            county=COUNTIES[county[i]],
        )
        for i in range(n_need)
    ]
    return achievements, needs


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def quality() -> dict[str, dict[str, float]]:
    es = load_evalset()
    engine = Engine()
    index = engine.index(es.achievements)
    ids = [n.id for n in es.needs]
    runs = {
        "engine": top_ids(es.needs, index, engine),
        "keyword": keyword_rankings(es.needs, index),
        "random": random_rankings(es.needs, index, seed=0),
    }
    return {name: evaluate(dict(zip(ids, r, strict=True)), es.labels) for name, r in runs.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", action="store_true", help="10,000 achievements, 1,000 needs")
    ap.add_argument("--achievements", type=int, default=100_000)
    ap.add_argument("--needs", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=21, help="single needs timed (median)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--baseline",
        action="store_true",
        help="also time the previous implementation (segmentation without the block cache, "
        "ranking from Engine.scores) in the same run",
    )
    args = ap.parse_args()
    n_ach, n_need = (10_000, 1_000) if args.small else (args.achievements, args.needs)

    t = time.perf_counter()
    tokenizer()
    print(f"jieba and the domain dictionary loaded: {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    achievements, needs = synthetic(n_ach, n_need, args.seed)
    print(f"synthetic data (模拟数据): {n_ach:,} achievements, {n_need:,} needs "
          f"in {time.perf_counter() - t:.1f} s")  # fmt: skip

    engine = Engine()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores shared)")
    if args.baseline:
        # the previous implementation: every text segmented whole (no block cache)
        with patch("cimon.matching.index.tokenize", tokenize_uncached):
            t, c = time.perf_counter(), time.process_time()
            engine.index(achievements)
            base = time.perf_counter() - t, time.process_time() - c
        print(f"index build, no block cache (previous): {base[0]:6.2f} s  (CPU {base[1]:.2f} s)")
    t, c = time.perf_counter(), time.process_time()
    index = engine.index(achievements)
    build, cpu = time.perf_counter() - t, time.process_time() - c
    print(
        f"index build:  {build:6.2f} s  (CPU {cpu:.2f} s; goal < 60 s; {len(index.vocab):,} terms)"
    )

    one = []
    for need in needs[: args.repeat]:
        t = time.perf_counter()
        rank([need], index, engine, 10)
        one.append(time.perf_counter() - t)
    print(
        f"one need:     {statistics.median(one) * 1000:6.1f} ms (median of {len(one)}; goal < 50 ms)"
    )

    if args.baseline:
        t, c = time.perf_counter(), time.process_time()
        ref = top_ids(needs, index, engine, 10, fast=False)
        base = time.perf_counter() - t, time.process_time() - c
        print(f"all needs, Engine.scores (previous): {base[0]:6.2f} s  (CPU {base[1]:.2f} s)")
    t, c = time.perf_counter(), time.process_time()
    got = top_ids(needs, index, engine, 10)
    every, cpu = time.perf_counter() - t, time.process_time() - c
    print(
        f"all needs:    {every:6.2f} s  (CPU {cpu:.2f} s; {len(got):,} needs, top 10; goal < 60 s)"
    )
    if args.baseline:
        same = sum(a == b for a, b in zip(got, ref, strict=True))
        print(f"same top 10 as the previous path: {same:,} of {len(got):,} needs")
    print(f"peak memory:  {peak_mb():6.0f} MB (goal < 2,048 MB)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    q = quality()
    print("\nlabelled set (模拟数据; 40 needs, 70 achievements, 547 graded pairs):")
    print(f"{'':10}{'recall@10':>10}{'MRR':>8}{'nDCG@10':>9}")
    for name, m in q.items():
        print(f"{name:10}{m['recall@10']:10.3f}{m['mrr']:8.3f}{m['ndcg@10']:9.3f}")
    print(
        f"matching: nDCG@10 engine {q['engine']['ndcg@10']:.3f}, "
        f"keyword {q['keyword']['ndcg@10']:.3f}, random {q['random']['ndcg@10']:.3f}"
    )


if __name__ == "__main__":
    main()
