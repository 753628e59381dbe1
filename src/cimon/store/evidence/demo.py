"""Demo 创新管理 evidence (模拟数据): a few items of the first three counties of the registry,
loaded by the database step of ``cimon demo`` and by ``cimon serve`` on first start. Every text
says 模拟数据 and every file is a small text file saying so. No scores: experts score on the
platform (scores would also change the demo evaluation, which the database step compares
with the evaluation from the file)."""

from __future__ import annotations

from typing import Any

from cimon.store.evidence.services import submit_item
from cimon.vocab import SYNTHETIC_LABEL


def _items(year: int, county: str) -> list[tuple[str, dict[str, Any]]]:
    tag = f"（{SYNTHETIC_LABEL}）"
    return [
        (
            "meeting",
            {
                "date": f"{year}-03-18",
                "chair": f"某某{tag}",
                "chair_title": "县委书记",
                "minutes": f"{county}科技创新领导小组第一次会议：研究年度科技工作要点{tag}",
            },
        ),
        ("bureau", {"name": f"{county}科学技术局{tag}", "staff": 6, "budget": 120}),
        (
            "policy",
            {
                "doc_type": "policy",
                "title": f"{county}支持科技创新若干措施{tag}",
                "doc_number": f"示例〔{year}〕1号",
                "issued_on": f"{year}-06-01",
                "summary": f"兑现奖补资金 50 万元{tag}",
            },
        ),
        (
            "fund",
            {
                "purpose": f"科技型中小企业研发奖补{tag}",
                "recipient": f"某科技有限公司{tag}",
                "amount": 30,
                "paid_on": f"{year}-09-20",
            },
        ),
    ]


def load_demo_evidence(year: int, registry: Any, counties: int = 3, user: str = "demo") -> int:
    """Store the demo items of data ``year`` for the first ``counties`` counties; the count."""
    n = 0
    for code in list(registry.codes)[:counties]:
        name = registry[code].name
        for kind, values in _items(year, name):
            note = f"{SYNTHETIC_LABEL} / synthetic demo data"
            content = f"{name} {kind} {year}: {note}\n".encode()
            submit_item(
                user,
                code,
                year,
                kind,
                values,
                [(f"{kind}-{SYNTHETIC_LABEL}.txt", content)],
                note=note,
                check_deadline=False,
            )
            n += 1
    return n
