"""The dashboard's incentives page over HTTP (#13): every column shows the award's own field,
formatted (place money under “进位激励”, never under “排名”; nothing unformatted), in both
languages, and the side-by-side cost of the readings of places gained is on the page."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest
from django.test import Client

from cimon.analysis.incentives import incentives_for_runs, yuan
from cimon.analysis.readings import reading_costs
from cimon.analysis.rules import load_rules, with_places

pytestmark = pytest.mark.django_db

# the headers of the awards table (cimon.tables.specs.AWARDS), as every output shows them (#15)
HEADS = {
    "zh": ["县（市、区）", "上年类别", "类别", "总排名（上年→本年）", "类内进位", "跃升激励",
           "进位激励", "封顶调减", "合计", "依据与说明"],
    "en": ["County", "Class last year", "Class", "Rank (last year → this year)", "Places gained",
           "Jump money", "Place money", "Cap reduction", "Total", "Rules applied"],
}  # fmt: skip


def _table(html: str, key: str) -> tuple[list[str], list[list[str]]]:
    doc = lxml.html.fromstring(html)
    (table,) = doc.xpath(f'//table[@data-key="{key}"]')
    heads = [th.text_content().strip() for th in table.xpath(".//thead//th")]
    rows = [
        [td.text_content().strip() for td in tr.xpath("./td")] for tr in table.xpath(".//tbody/tr")
    ]
    return heads, rows


@pytest.mark.parametrize("reading", ["overtaken", "literal"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_column_is_the_awards_field(
    published: dict[str, Any], lang: str, reading: str
) -> None:
    """With the default rule set (2025: no place money under ``overtaken``) and with the literal
    reading (2025: place money for 12 counties), so the place-money column is seen non-zero."""
    from cimon.model.regions import default_registry
    from cimon.store.evaluations.models import Publication
    from cimon.store.evaluations.published import clear_caches, content_of
    from cimon.store.evaluations.rules import freeze

    rules = with_places(load_rules("nx-2021"), reading)
    # the version as if published under these rules (they are frozen with it)
    Publication.objects.filter(pk=published["2025"].pk).update(rules=freeze(rules))
    published["2025"].refresh_from_db()
    clear_caches()

    viewer = Client()
    viewer.force_login(published["users"]["viewer"])
    if lang == "en":
        viewer.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = viewer.get("/dashboard/2025/incentives/").content.decode()
    p = content_of(published["2025"])
    runs = {2024: p.runs[2024], 2025: p.runs[2025]}
    owed = {a.code: a for a in incentives_for_runs(runs, rules)[2025]}
    heads, rows = _table(html, "awards")
    assert heads == HEADS[lang]
    reg = default_registry()
    by_name = {(reg[c].name_en if lang == "en" else reg[c].name): c for c in owed}
    assert len(rows) == len(owed)
    res, prev = p.runs[2025].results, p.runs[2024].results
    paid_rank_money = 0
    for cells in rows:
        a = owed[by_name[cells[0]]]
        assert cells[1] == (a.class_prev or "—") and cells[2] == a.klass
        assert cells[3] == f"{prev.at[a.code, 'rank']} → {res.at[a.code, 'rank']}"
        assert cells[4] == str(a.places)
        assert cells[5] == yuan(a.jump, lang)
        assert cells[6] == yuan(a.rank, lang)
        assert cells[7] == yuan(a.reduction, lang)
        assert cells[8] == yuan(a.total, lang)
        assert cells[9] == a.explain(lang)
        paid_rank_money += a.rank
    assert (paid_rank_money > 0) == (reading == "literal")  # the column is the place money
    # no amount is shown unformatted anywhere in the table
    assert not any(c.isdigit() and len(c) > 4 for r in rows for c in r)
    # the side-by-side cost of the readings (must show, #13)
    heads, rows = _table(html, "readings")
    costs = reading_costs(runs, rules, years=[2025])
    assert [r[1] for r in rows] == [
        c.name(lang) + ("（现行规则）" if lang == "zh" else " (rule set)") * c.chosen for c in costs
    ]
    assert [r[2] for r in rows] == [str(c.paid) for c in costs]
    totals = {c.reading: r[5] for c, r in zip(costs, rows, strict=True)}
    assert totals == {"overtaken": "450", "literal": "1,250"}  # 万元
    clear_caches()
