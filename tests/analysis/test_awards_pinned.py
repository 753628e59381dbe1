"""Every award of the demo, pinned (#15): the incentive rules became a registry of rule classes
that produce lines, and not one amount or reason text changed.

The digests below were computed by the code **before** the registry existed (one ``award()``
function), over every county and year of the bundled demo (2020–2025), for both bundled rule
sets, both readings of ``rank.places`` and the other options of the rule set, and over the
synthetic cases of ``test_incentives.py`` (which reach the code-change paths the demo has not).
Each digest covers every field the outputs read — code, name, year, classes, transition, places,
jump, rank, bonus, reduction, total — and every reason (key, Chinese, English), in order.

A few totals are also written out, so a failure says more than "the digest differs".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

import pytest

from cimon.analysis.incentives import Award, incentives_for_runs, total_owed
from cimon.analysis.rules import RuleSet, load_rules, parse_rules
from cimon.engine.run import Run

from .test_incentives import CASES, run_case, with_options

VARIANTS: dict[str, dict[str, Any]] = {
    "default": {},
    "literal": {"places": "literal"},
    "class_changed=none": {"class_changed": "none"},
    "class_changed=overall": {"class_changed": "overall"},
    "class_changed=entry": {"class_changed": "entry"},
    "literal, class_changed=none": {"places": "literal", "class_changed": "none"},
    "literal, class_changed=overall": {"places": "literal", "class_changed": "overall"},
    "literal, class_changed=entry": {"places": "literal", "class_changed": "entry"},
    "ties=max": {"ties": "max"},
    "literal, ties=max": {"places": "literal", "ties": "max"},
    "multi_step=sum": {"multi_step": "sum"},
    "multi_step=highest": {"multi_step": "highest"},
    "first_year=lowest_class": {"first_year": "lowest_class"},
}

#: sha256 of the awards (see :func:`digest`), computed before the registry (#15)
PINNED: dict[tuple[str, str], str] = {
    ("nx-2021", "default"): ("d901c24b2c1dc105971149493f179df9b2e899a9e076ec1f83a9ca6aaf021a0d"),
    ("nx-2021", "literal"): ("c34250e21d3ad32f874546b96f4089d90444deba58b28a1e61f454c20eb5527f"),
    ("nx-2021", "class_changed=none"): (
        "26e9c7e406375f45a0010e13b01fb73067422177e3adb256678a63cf4f68b198"
    ),
    ("nx-2021", "class_changed=overall"): (
        "9875ce56903f0c7741aad7e1111b97b05c28da3ed6daecb7317868e79331bc78"
    ),
    ("nx-2021", "class_changed=entry"): (
        "d901c24b2c1dc105971149493f179df9b2e899a9e076ec1f83a9ca6aaf021a0d"
    ),
    ("nx-2021", "literal, class_changed=none"): (
        "848339ded09b84234f587d1c5f8859692673ec2449dd9c41a67549727ee0f37d"
    ),
    ("nx-2021", "literal, class_changed=overall"): (
        "953f90b868b500748aa10901b81c33d8bd48bf2e071191afdb05c7e28b639a0e"
    ),
    ("nx-2021", "literal, class_changed=entry"): (
        "c34250e21d3ad32f874546b96f4089d90444deba58b28a1e61f454c20eb5527f"
    ),
    ("nx-2021", "ties=max"): ("55ad341537e6eac15673c7d582e88616747302fd815956255e3dd8369477db60"),
    ("nx-2021", "literal, ties=max"): (
        "a744518fdb0421a85c3a7a2d0022f74a3e91924eb58d8cd32366f07cf3cb132c"
    ),
    ("nx-2021", "multi_step=sum"): (
        "d901c24b2c1dc105971149493f179df9b2e899a9e076ec1f83a9ca6aaf021a0d"
    ),
    ("nx-2021", "multi_step=highest"): (
        "d901c24b2c1dc105971149493f179df9b2e899a9e076ec1f83a9ca6aaf021a0d"
    ),
    ("nx-2021", "first_year=lowest_class"): (
        "3b90fba2749694028741e9be51acc99efeca38e1705f370752b8d9ea44db7512"
    ),
    ("zj-style", "default"): ("1f67ee1175423610682e807f2159c347d74a4fe892cc8fe1604afd6ba58896fe"),
    ("zj-style", "literal"): ("3a60fb864ccce60b7182bd02f89924403f1225ce9164b5983c42dd4b768207a1"),
    ("zj-style", "class_changed=none"): (
        "faa50a108c9e4f43c1e42be260134fac849d94981c04bbcb88426734157cbe5a"
    ),
    ("zj-style", "class_changed=overall"): (
        "1f67ee1175423610682e807f2159c347d74a4fe892cc8fe1604afd6ba58896fe"
    ),
    ("zj-style", "class_changed=entry"): (
        "ef379abbe3c6dae191dcaabe689b8833e86bbaf796bbb6d784e59daeeeadc28c"
    ),
    ("zj-style", "literal, class_changed=none"): (
        "9779e8072fc64e00f1b98cdd2bba744a695a0c5dcfc11730c874f63b415d9521"
    ),
    ("zj-style", "literal, class_changed=overall"): (
        "3a60fb864ccce60b7182bd02f89924403f1225ce9164b5983c42dd4b768207a1"
    ),
    ("zj-style", "literal, class_changed=entry"): (
        "44558581e06bc3e3e3bb8950ec7919b2a2447574042afc314cfe5fe9c7e36d07"
    ),
    ("zj-style", "ties=max"): ("35eaba8aac86943627763ce9feccf8bc8e3d9f28fad2aa38b3fd25d83b4cfd12"),
    ("zj-style", "literal, ties=max"): (
        "753f1b0fb3172f60f1ba079ca55abe70f2b08a9083c0c228787d3ae95025a4f8"
    ),
    ("zj-style", "multi_step=sum"): (
        "1f67ee1175423610682e807f2159c347d74a4fe892cc8fe1604afd6ba58896fe"
    ),
    ("zj-style", "multi_step=highest"): (
        "1f67ee1175423610682e807f2159c347d74a4fe892cc8fe1604afd6ba58896fe"
    ),
    ("zj-style", "first_year=lowest_class"): (
        "e8bb9e9a63b99860b2770a95aff970c89f00ba795dfc221d99bd1e61853e3070"
    ),
}

#: province totals per year (integer 元), before the registry
TOTALS: dict[tuple[str, str], dict[int, int]] = {
    ("nx-2021", "default"): {
        2020: 0,
        2021: 3000000,
        2022: 2500000,
        2023: 4500000,
        2024: 3250000,
        2025: 4500000,
    },
    ("nx-2021", "literal"): {
        2020: 0,
        2021: 7000000,
        2022: 5250000,
        2023: 14250000,
        2024: 6500000,
        2025: 12500000,
    },
    ("nx-2021", "class_changed=none"): {
        2020: 0,
        2021: 3000000,
        2022: 2500000,
        2023: 4500000,
        2024: 3250000,
        2025: 4500000,
    },
    ("nx-2021", "class_changed=overall"): {
        2020: 0,
        2021: 3250000,
        2022: 3000000,
        2023: 4500000,
        2024: 3250000,
        2025: 4750000,
    },
    ("nx-2021", "class_changed=entry"): {
        2020: 0,
        2021: 3000000,
        2022: 2500000,
        2023: 4500000,
        2024: 3250000,
        2025: 4500000,
    },
    ("nx-2021", "literal, class_changed=none"): {
        2020: 0,
        2021: 6750000,
        2022: 4750000,
        2023: 13250000,
        2024: 6500000,
        2025: 11250000,
    },
    ("nx-2021", "literal, class_changed=overall"): {
        2020: 0,
        2021: 7000000,
        2022: 5250000,
        2023: 13250000,
        2024: 6500000,
        2025: 11500000,
    },
    ("nx-2021", "literal, class_changed=entry"): {
        2020: 0,
        2021: 7000000,
        2022: 5250000,
        2023: 14250000,
        2024: 6500000,
        2025: 12500000,
    },
    ("nx-2021", "ties=max"): {
        2020: 0,
        2021: 2750000,
        2022: 2750000,
        2023: 4250000,
        2024: 3500000,
        2025: 4750000,
    },
    ("nx-2021", "literal, ties=max"): {
        2020: 0,
        2021: 6750000,
        2022: 5750000,
        2023: 13750000,
        2024: 7000000,
        2025: 12750000,
    },
    ("nx-2021", "multi_step=sum"): {
        2020: 0,
        2021: 3000000,
        2022: 2500000,
        2023: 4500000,
        2024: 3250000,
        2025: 4500000,
    },
    ("nx-2021", "multi_step=highest"): {
        2020: 0,
        2021: 3000000,
        2022: 2500000,
        2023: 4500000,
        2024: 3250000,
        2025: 4500000,
    },
    ("nx-2021", "first_year=lowest_class"): {
        2020: 6000000,
        2021: 3000000,
        2022: 2500000,
        2023: 4500000,
        2024: 3250000,
        2025: 4500000,
    },
    ("zj-style", "default"): {
        2020: 0,
        2021: 5100000,
        2022: 4800000,
        2023: 9500000,
        2024: 5800000,
        2025: 9900000,
    },
    ("zj-style", "literal"): {
        2020: 0,
        2021: 9700000,
        2022: 7500000,
        2023: 20100000,
        2024: 9700000,
        2025: 18000000,
    },
    ("zj-style", "class_changed=none"): {
        2020: 0,
        2021: 4800000,
        2022: 4200000,
        2023: 8600000,
        2024: 5500000,
        2025: 9000000,
    },
    ("zj-style", "class_changed=overall"): {
        2020: 0,
        2021: 5100000,
        2022: 4800000,
        2023: 9500000,
        2024: 5800000,
        2025: 9900000,
    },
    ("zj-style", "class_changed=entry"): {
        2020: 0,
        2021: 4800000,
        2022: 4200000,
        2023: 8600000,
        2024: 5500000,
        2025: 9000000,
    },
    ("zj-style", "literal, class_changed=none"): {
        2020: 0,
        2021: 9400000,
        2022: 6900000,
        2023: 19200000,
        2024: 9400000,
        2025: 17100000,
    },
    ("zj-style", "literal, class_changed=overall"): {
        2020: 0,
        2021: 9700000,
        2022: 7500000,
        2023: 20100000,
        2024: 9700000,
        2025: 18000000,
    },
    ("zj-style", "literal, class_changed=entry"): {
        2020: 0,
        2021: 9700000,
        2022: 7500000,
        2023: 20700000,
        2024: 9400000,
        2025: 18900000,
    },
    ("zj-style", "ties=max"): {
        2020: 0,
        2021: 4800000,
        2022: 5400000,
        2023: 9500000,
        2024: 5800000,
        2025: 10200000,
    },
    ("zj-style", "literal, ties=max"): {
        2020: 0,
        2021: 9300000,
        2022: 8500000,
        2023: 19700000,
        2024: 10100000,
        2025: 18300000,
    },
    ("zj-style", "multi_step=sum"): {
        2020: 0,
        2021: 5100000,
        2022: 4800000,
        2023: 9500000,
        2024: 5800000,
        2025: 9900000,
    },
    ("zj-style", "multi_step=highest"): {
        2020: 0,
        2021: 5100000,
        2022: 4800000,
        2023: 9500000,
        2024: 5800000,
        2025: 9900000,
    },
    ("zj-style", "first_year=lowest_class"): {
        2020: 12000000,
        2021: 5100000,
        2022: 4800000,
        2023: 9500000,
        2024: 5800000,
        2025: 9900000,
    },
}

#: the synthetic cases of test_incentives.py, before the registry
CASES_DIGEST = "d70beba62b2fc7982fe16eba390e961388410649f30e756cd307993d6daab4b0"


def record(a: Award) -> list[Any]:
    return [
        a.code,
        a.name,
        a.year,
        a.class_prev,
        a.klass,
        a.transition,
        a.places,
        a.jump,
        a.rank,
        a.bonus,
        a.reduction,
        a.total,
        [[r.rule, r.zh, r.en] for r in a.reasons],
    ]


def digest(awards: Iterable[Award]) -> str:
    text = json.dumps([record(a) for a in awards], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def variant(rule_set: str, name: str) -> RuleSet:
    base = load_rules(rule_set)
    options = VARIANTS[name]
    return parse_rules(with_options(dict(base.raw), **options)) if options else base


@pytest.mark.parametrize("rule_set", ["nx-2021", "zj-style"])
@pytest.mark.parametrize("name", list(VARIANTS))
def test_every_demo_award_is_unchanged(demo_runs: dict[int, Run], rule_set: str, name: str) -> None:
    owed = incentives_for_runs(demo_runs, variant(rule_set, name))
    awards = [a for year in sorted(owed) for a in owed[year]]
    assert len(awards) == 22 * 6
    totals = {year: total_owed(owed[year]) for year in sorted(owed)}
    if (rule_set, name) in TOTALS:
        assert totals == TOTALS[(rule_set, name)]
    assert digest(awards) == PINNED[(rule_set, name)], totals


def test_every_synthetic_case_is_unchanged() -> None:
    assert digest(run_case(case) for case in CASES) == CASES_DIGEST
