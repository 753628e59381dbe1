"""Funds ledger: seed 000 section 四(三) — “获得激励资金支持的县要将激励资金用于实施科技项目、提升创新能力和
营造创新环境，具体包括：开展科研攻关、推动成果转化、培育创新平台，培养创新人才等方面。要加强激励资金使用监管，
严禁挪用”. Uses under a label the seed does not name are listed for checking (not called misuse: the
seed's list is open, “等方面”), uses beyond the allocation or without one are flagged; money stays
exact (Decimal)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from cimon.analysis.errors import LedgerError
from cimon.analysis.incentives import Award
from cimon.analysis.ledger import allocations_from_awards, check_ledger, load_uses
from cimon.model.regions import default_registry

REG = default_registry()


def award(code: str, name: str, total: int, year: int = 2023) -> Award:
    return Award(code, name, year, "C", "B", "up", 0, total, 0, 0, 0, total)


USES = """county,year,category,amount,item,date
西吉县,2023,科研攻关,300000.50,马铃薯种薯攻关,2023-05-01
西吉县,2023,推动成果转化,150000,成果转化项目,2023-06-01
西吉县,2023,办公楼装修,100000,装修,2023-07-01
西吉县,2023,创新人才,200000,人才引进,2023-08-01
640425,2023,创新平台,100000,平台,2023-08-01
隆德县,2023,创新平台,50000,平台,2023-08-01
"""


@pytest.fixture
def uses_csv(tmp_path: Path) -> Path:
    p = tmp_path / "uses.csv"
    p.write_text(USES, encoding="utf-8")
    return p


def test_ledger_flags_every_kind(uses_csv: Path) -> None:
    """西吉县 was allocated 50万 (C→B): 30万0.50 research + 15万 transfer + 10万 renovation (not a
    permitted use) + 20万 talent = 75万0.50, beyond 50万 from the third use on (that use passes it
    by 5万0.50, the fourth by the whole 20万). 彭阳县 (by code 640425) stays within its 25万. 隆德县 has
    no allocation."""
    allocations = allocations_from_awards(
        {
            2023: [
                award("640422", "西吉县", 500_000),
                award("640425", "彭阳县", 250_000),
                award("640423", "隆德县", 0),
            ]
        }
    )
    assert [a.code for a in allocations] == ["640422", "640425"]
    ledger = check_ledger(allocations, load_uses(uses_csv, REG))
    kinds = [(f.kind, f.name, f.amount) for f in ledger.findings]
    assert kinds == [
        ("unlisted", "西吉县", Decimal("100000")),
        ("over", "西吉县", Decimal("50000.50")),
        ("over", "西吉县", Decimal("200000")),
        ("no_allocation", "隆德县", Decimal("50000")),
    ]
    assert ledger.findings[0].where.endswith("uses.csv:4")
    xiji = next(ln for ln in ledger.lines if ln.code == "640422")
    assert xiji.used["开展科研攻关"] == Decimal("300000.50")  # "科研攻关", the short form
    assert xiji.used["推动成果转化"] == Decimal("150000")
    assert xiji.outside == Decimal("100000")
    assert xiji.balance == Decimal("-250000.50")
    assert isinstance(xiji.balance, Decimal)


def test_bad_amount_names_the_row(tmp_path: Path) -> None:
    p = tmp_path / "uses.csv"
    p.write_text("county,year,category,amount\n西吉县,2023,科研攻关,约10万\n", encoding="utf-8")
    with pytest.raises(LedgerError) as info:
        load_uses(p, REG)
    assert info.value.where == f"{p}:2"


def test_amount_with_more_than_two_decimals(tmp_path: Path) -> None:
    p = tmp_path / "uses.csv"
    p.write_text("county,year,category,amount\n西吉县,2023,科研攻关,10.005\n", encoding="utf-8")
    with pytest.raises(LedgerError, match="两位小数"):
        load_uses(p, REG)


def test_uses_from_xlsx(tmp_path: Path) -> None:
    import pandas as pd

    p = tmp_path / "uses.xlsx"
    pd.DataFrame(
        [{"县": "西吉县", "年度": 2023, "用途类别": "培养创新人才", "金额": 1250.5}]
    ).to_excel(p, index=False)
    (use,) = load_uses(p, REG)
    assert (use.code, use.category, use.amount) == ("640422", "培养创新人才", Decimal("1250.5"))


def test_the_seeds_purposes_are_permitted_uses(tmp_path: Path) -> None:
    """四(三) allows “实施科技项目、提升创新能力和营造创新环境” — the three purposes themselves are
    permitted uses, not only the four examples after “具体包括”; a label the seed does not name is
    listed for checking with the seed's wording, not branded misuse."""
    from cimon.analysis.ledger import CATEGORIES

    assert CATEGORIES == (
        "实施科技项目", "提升创新能力", "营造创新环境",
        "开展科研攻关", "推动成果转化", "培育创新平台", "培养创新人才",
    )  # fmt: skip
    p = tmp_path / "uses.csv"
    p.write_text(
        "县,年度,用途类别,金额\n"
        "西吉县,2023,实施科技项目,100000\n"
        "西吉县,2023,提升创新能力,100000\n"
        "西吉县,2023,营造创新环境,100000\n"
        "西吉县,2023,innovation talent,100000\n"
        "西吉县,2023,购买公务用车,50000\n",
        encoding="utf-8",
    )
    ledger = check_ledger(
        allocations_from_awards([award("640422", "西吉县", 500_000)]), load_uses(p, REG)
    )
    (finding,) = ledger.findings
    assert finding.kind == "unlisted" and finding.where.endswith("uses.csv:6")
    assert "实施科技项目、提升创新能力和营造创新环境" in finding.zh and "等方面" in finding.zh
    assert "挪用风险" not in finding.zh and "check that this use serves one of them" in finding.en
    (line,) = ledger.lines
    assert line.used["营造创新环境"] == Decimal("100000")
    assert line.used["培养创新人才"] == Decimal("100000")
    assert line.outside == Decimal("50000") and line.balance == Decimal("50000")


def test_amounts_are_read_by_the_one_cell_parser(tmp_path: Path) -> None:
    p = tmp_path / "uses.csv"
    p.write_text(
        'county,year,category,amount\n西吉县,2023,科研攻关,12.5万\n西吉县,2023,科研攻关,"¥1,000.50元"\n',
        encoding="utf-8",
    )
    assert [u.amount for u in load_uses(p, REG)] == [Decimal("125000"), Decimal("1000.50")]
