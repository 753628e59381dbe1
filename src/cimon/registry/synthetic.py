"""Synthetic registries (模拟数据) for tests and benchmarks: enterprises with valid codes and
names, 高企 and 科小 qualifications, county moves and carriers, from an explicit seed.

Nothing here is real: every table carries ``SYNTHETIC_LABEL`` in its ``attrs["label"]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cimon.registry.codes import CHARSET, check_character, organisation_check_character

__all__ = ["SYNTHETIC_LABEL", "SyntheticRegistry", "synthetic_codes", "synthetic_registry"]

SYNTHETIC_LABEL = "模拟数据"
_WORDS = list("华宁银川金星恒泰瑞丰源达兴盛海博创智科联新安康远航明德信通")
_TRADES = ("科技", "农业科技", "电子", "新材料", "生物", "信息技术", "能源", "机械")
_FORMS = ("有限公司", "有限责任公司", "股份有限公司")
CARRIER_KINDS = ("众创空间", "科技企业孵化器", "星创天地", "工程技术研究中心", "新型研发机构")
LEVELS = ("国家", "省", "市")


@dataclass(frozen=True)
class SyntheticRegistry:
    """The four tables: ``enterprises`` (id, code, name, county), ``qualifications``,
    ``history`` and ``carriers`` (the shapes :class:`cimon.registry.counts.Registry` reads)."""

    enterprises: pd.DataFrame
    qualifications: pd.DataFrame
    history: pd.DataFrame
    carriers: pd.DataFrame


def synthetic_codes(n: int, regions: Sequence[str], rng: np.random.Generator) -> list[str]:
    """``n`` distinct valid enterprise codes (``91`` + a region + an organisation code)."""
    bodies = rng.choice(np.array(list(CHARSET[:10] + "ABCDEFGH")), size=(n, 8))
    reg = rng.choice(np.asarray(regions), size=n)
    out: list[str] = []
    seen: set[str] = set()
    for i in range(n):
        body = "".join(bodies[i])
        first17 = f"91{reg[i]}{body}{organisation_check_character(body)}"
        while first17 in seen:  # vanishingly rare; keep codes unique
            body = "".join(rng.choice(list(CHARSET[:10]), size=8))
            first17 = f"91{reg[i]}{body}{organisation_check_character(body)}"
        seen.add(first17)
        out.append(first17 + check_character(first17))
    return out


def synthetic_registry(
    n_enterprises: int,
    n_carriers: int,
    counties: Sequence[str],
    years: Sequence[int] = tuple(range(2014, 2024)),
    *,
    move_share: float = 0.05,
    seed: int = 0,
) -> SyntheticRegistry:
    """A registry over ``counties`` (six-digit codes): every enterprise has a code, a name and
    a home county; a ``move_share`` of them move once; about a third hold 高企 certificates
    (some re-recognised), a fifth 科小 entries (one year each); carriers of every kind and
    level, a tenth revoked or expired."""
    rng = np.random.default_rng(seed)
    counties = list(counties)
    ids = np.arange(n_enterprises)
    home = rng.choice(np.asarray(counties, dtype=object), size=n_enterprises)
    codes = synthetic_codes(n_enterprises, counties, rng)
    w = rng.integers(0, len(_WORDS), size=(n_enterprises, 3))
    trade = rng.integers(0, len(_TRADES), size=n_enterprises)
    form = rng.integers(0, len(_FORMS), size=n_enterprises)
    names = [
        f"{_WORDS[a]}{_WORDS[b]}{_WORDS[c]}{i % 997}{_TRADES[t]}{_FORMS[f]}"
        for i, (a, b, c), t, f in zip(ids, w, trade, form, strict=True)
    ]
    enterprises = pd.DataFrame({"id": ids, "code": codes, "name": names, "county": home})
    y0, y1 = min(years), max(years)
    day0 = pd.Timestamp(y0 - 3, 1, 1)
    span = (pd.Timestamp(y1, 12, 31) - day0).days
    movers = rng.random(n_enterprises) < move_share
    moved_to = rng.choice(np.asarray(counties, dtype=object), size=int(movers.sum()))
    move_day = day0 + pd.to_timedelta(rng.integers(0, span, size=int(movers.sum())), unit="D")
    history = pd.concat(
        [
            pd.DataFrame({"enterprise": ids, "county": home, "since": pd.NaT}),
            pd.DataFrame({"enterprise": ids[movers], "county": moved_to, "since": move_day}),
        ],
        ignore_index=True,
    )
    hi = ids[rng.random(n_enterprises) < 0.35]
    hi_start = day0 + pd.to_timedelta(rng.integers(0, span, size=len(hi)), unit="D")
    again = rng.random(len(hi)) < 0.4  # re-recognised in the third year of the first certificate
    hi2_start = hi_start[again] + pd.DateOffset(years=2, months=10)
    small = ids[rng.random(n_enterprises) < 0.2]
    small_start = day0 + pd.to_timedelta(rng.integers(0, span, size=len(small)), unit="D")
    quals = pd.concat(
        [
            pd.DataFrame({"enterprise": hi, "kind": "高新技术企业", "start": hi_start}),
            pd.DataFrame({"enterprise": hi[again], "kind": "高新技术企业", "start": hi2_start}),
            pd.DataFrame(
                {
                    "enterprise": small,
                    "kind": "科技型中小企业",
                    "start": small_start,
                    "end": small_start + pd.DateOffset(years=1),
                }
            ),
        ],
        ignore_index=True,
    )
    quals["id"] = [f"Q{i:07d}" for i in range(len(quals))]
    revoked = rng.random(len(quals)) < 0.02
    quals["revoked"] = pd.NaT
    quals.loc[revoked, "revoked"] = quals.loc[revoked, "start"] + pd.Timedelta(days=200)
    c_start = day0 + pd.to_timedelta(rng.integers(0, span, size=n_carriers), unit="D")
    status = rng.choice(
        np.array(["有效", "撤销", "到期"], dtype=object), size=n_carriers, p=[0.9, 0.05, 0.05]
    )
    status_date = pd.Series(pd.NaT, index=range(n_carriers), dtype="datetime64[ns]")
    ended = status != "有效"
    status_date[ended] = c_start[ended] + pd.to_timedelta(
        rng.integers(30, 2000, size=int(ended.sum())), unit="D"
    )
    carriers = pd.DataFrame(
        {
            "id": [f"C{i:06d}" for i in range(n_carriers)],
            "kind": rng.choice(np.asarray(CARRIER_KINDS, dtype=object), size=n_carriers),
            "level": rng.choice(np.asarray(LEVELS, dtype=object), size=n_carriers),
            "body": "模拟认定单位",
            "start": c_start,
            "county": rng.choice(np.asarray(counties, dtype=object), size=n_carriers),
            "status": status,
            "status_date": status_date,
        }
    )
    for table in (enterprises, quals, history, carriers):
        table.attrs["label"] = SYNTHETIC_LABEL
    return SyntheticRegistry(enterprises, quals, history, carriers)
