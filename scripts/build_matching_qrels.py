"""Write ``src/cimon/data/matching/evalset/qrels.csv``: graded relevance (0–3) of achievements for
needs in the matching evaluation set (issue #18), from the industry and topic tags written by hand
on every need and achievement.

The engine never reads the tags (``industry_tag``, ``topic_tag``, ``topics``): they exist so the
grades follow one stated rule rather than the engine's own scores. The rule:

* 3: same industry, and the achievement's topic is the need's first topic;
* 2: same industry and the topic is another topic of the need, or a cross-industry (``通用``)
  achievement whose topic is the need's first topic;
* 1: same industry, another topic; or another industry of the same group (crops, livestock) with
  the need's first topic; or any industry with the need's first topic when that topic carries over
  between industries (storage, quality, waste, digital, machinery, water);
* 0: anything else. For each need, every pair graded 1–3 is written, plus three pairs graded 0
  chosen with a fixed seed, so the file lists explicit negatives too.

Run: ``python scripts/build_matching_qrels.py``.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "src" / "cimon" / "data" / "matching" / "evalset"
GROUPS = {
    "livestock": {"滩羊", "肉牛", "奶牛"},
    "crops": {
        "枸杞",
        "葡萄酒",
        "冷凉蔬菜",
        "马铃薯",
        "黄花菜",
        "硒砂瓜",
        "中药材",
        "小杂粮",
        "苹果",
    },
}
CARRY_OVER = {"store", "quality", "waste", "digital", "machine", "water"}


def group(industry: str) -> str | None:
    return next((g for g, members in GROUPS.items() if industry in members), None)


def grade(need: dict[str, str], ach: dict[str, str]) -> int:
    topics = need["topics"].split(";")
    first, same = topics[0], need["industry_tag"] == ach["industry_tag"]
    topic = ach["topic_tag"]
    if same:
        return 3 if topic == first else 2 if topic in topics else 1
    if ach["industry_tag"] == "通用" and topic == first:
        return 2
    if topic == first and (
        first in CARRY_OVER
        or (
            group(need["industry_tag"])
            and group(need["industry_tag"]) == group(ach["industry_tag"])
        )
    ):
        return 1
    return 0


def main() -> None:
    with (HERE / "needs.csv").open(encoding="utf-8") as f:
        needs = list(csv.DictReader(f))
    with (HERE / "achievements.csv").open(encoding="utf-8") as f:
        achs = list(csv.DictReader(f))
    rng = random.Random(18)
    rows = []
    for need in needs:
        graded = [(a["id"], grade(need, a)) for a in achs]
        rows += [(need["id"], a, g) for a, g in graded if g > 0]
        zeros = sorted(a for a, g in graded if g == 0)
        rows += [(need["id"], a, 0) for a in sorted(rng.sample(zeros, 3))]
    with (HERE / "qrels.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["need", "achievement", "grade"])
        w.writerows(rows)
    print(f"{len(rows)} pairs written")


if __name__ == "__main__":
    main()
