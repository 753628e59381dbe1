"""One award and one county result, rendered into the five outputs — terminal text, the
workbook, the annual report's table, the dashboard page (over HTTP) and the API (JSON) — show
every column under the same header (with the unit where the cells lack it) and with the same
value (#15: every table is defined once, in cimon.tables.specs)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from django.test import Client
from openpyxl import load_workbook

from cimon.tables.spec import Column, TableSpec
from cimon.tables.specs import AWARDS, RANKING, RESULTS

pytestmark = pytest.mark.django_db

#: the columns each output shows (a change here is a change of the outputs: say so in the docs)
AWARD_COLUMNS = {
    "text": ["name", "class_prev", "class", "total"],
    "xlsx": AWARDS.shown_in("xlsx").keys(),
    "report": ["name", "class_prev", "class", "places", "jump", "rank", "bonus", "reduction",
               "total"],
    "dashboard": ["name", "class_prev", "class", "places", "jump", "rank", "reduction", "total",
                  "explain"],
    "api": AWARDS.keys(),
}  # fmt: skip
RESULT_COLUMNS = {
    "text": ["rank", "name", "city", "score", "class"],
    "xlsx": ["code", "name", "city", "score", "class", "rank", "rank_city"],
    "report": ["rank", "code", "name", "city", "score", "class", "class_prev"],
    "dashboard": ["rank", "name", "city", "score", "class", "class_prev", "rank_city"],
    "api": ["rank", "code", "name", "city", "score", "class", "rank_city"],
}


def _html_table(html: str, key: str, code: str) -> dict[str, str]:
    doc = lxml.html.fromstring(html)
    (table,) = doc.xpath(f'//table[@data-key="{key}"]')
    heads = [th.text_content().strip() for th in table.xpath(".//thead//th")]
    (tr,) = table.xpath(f'.//tbody/tr[@data-code="{code}"]')
    cells = [td.text_content().strip() for td in tr.xpath("./td")]
    assert len(heads) == len(cells)
    return dict(zip(heads, cells, strict=True))


def _text_table(text: str, first_head: str, first_cell: str) -> dict[str, str]:
    """The row of an aligned terminal table whose first cell is ``first_cell``."""
    lines = [ln.strip() for ln in text.splitlines()]
    k = next(i for i, ln in enumerate(lines) if ln.startswith(first_head + "  "))
    heads = re.split(r"\s{2,}", lines[k])
    for ln in lines[k + 2 :]:
        if not ln or set(ln) <= {"-", " "}:
            break
        cells = re.split(r"\s{2,}", ln)
        if cells[0] == first_cell:
            assert len(cells) == len(heads), ln
            return dict(zip(heads, cells, strict=True))
    raise AssertionError(f"no row {first_cell!r} in\n{text}")


def _sheet(path: Path, sheet: str, code: str) -> dict[str, Any]:
    ws = load_workbook(path)[sheet]
    heads = [c.value for c in ws[2]]
    for row in ws.iter_rows(min_row=3, values_only=True):
        if row[0] == code:
            return dict(zip(heads, row, strict=True))
    raise AssertionError(f"no row {code} in {sheet}")


def _value(kind: str, cell: Any, target: str) -> Any:
    """A shown cell back to its typed value (``None`` for a missing one)."""
    if cell in (None, "", "—"):
        return None
    if target in ("xlsx", "api"):
        return cell
    text = str(cell)
    if kind == "yuan":
        number = Decimal(text.split(" ")[0].replace(",", ""))
        return int(number * 10_000) if target == "report" else int(number)
    if kind in ("int", "rank", "signed_int"):
        return int(text)
    if kind in ("score", "signed"):
        return float(text)
    return text


def _head(col: Column, lang: str, target: str) -> str:
    """The header ``target`` shows a column under (the API: its key, ``_zh``/``_en`` for text
    in both languages)."""
    if target != "api":
        return col.header(lang, target)
    return f"{col.key}_{lang}" if col.kind == "words" else col.key


def _check(
    spec: TableSpec,
    shown: dict[str, dict[str, Any]],
    columns: dict[str, list[str]],
    api: dict[str, Any],
    lang: str,
    chinese_names: frozenset[str] | set[str] = frozenset(),
) -> None:
    """Every output shows exactly its columns, each under the column's header and with the
    value the API gives (the API: the key and the raw value)."""
    for target, row in shown.items():
        heads = {k: _head(spec.column(k), lang, target) for k in columns[target]}
        want = list(heads.values())
        assert [h for h in row if h in want] == want, (target, list(row))
        for key, head in heads.items():
            col = spec.column(key)
            if target != "api":  # the one term, with a unit where the cells lack it
                assert col.head(lang) in head
            got = _value(col.kind, row[head], target)
            if col.kind == "words":
                expected = api[f"{key}_{lang}"]
            elif col.kind == "place" and lang == "en" and target not in {"api", *chinese_names}:
                expected = api[f"{key}_en"]
            else:
                expected = api[key]
            if col.kind in ("score", "signed") and got is not None:
                assert got == pytest.approx(expected, abs=0.005), (target, key)
            else:
                assert got == expected, (target, key, row[head], expected)


def test_one_award_and_one_result_agree_in_every_output(
    published: dict[str, Any], tmp_path: Path
) -> None:
    from cimon.reports.annual.compose import compose
    from cimon.reports.excel import write_results
    from cimon.reports.text import run_summary
    from cimon.reports.yearly import incentives_text
    from cimon.reports.yearly_excel import write_incentives
    from cimon.store.evaluations.published import content_of

    p = content_of(published["2025"])
    c = p.content
    award = max(c.awards, key=lambda a: (a.total, a.jump, a.code))
    assert award.total > 0 and award.jump > 0  # a paid county: the money columns are seen
    best = c.counties[0]  # the first in rank order (shown in the terminal's top 5)
    run = p.runs[2025]

    viewer = Client()
    viewer.force_login(published["users"]["viewer"])
    api_award = next(
        r
        for r in viewer.get("/api/v1/years/2025/incentives").json()["awards"]
        if r["code"] == award.code
    )
    api_result = next(
        r
        for r in viewer.get("/api/v1/years/2025/results").json()["results"]
        if r["code"] == best.code
    )
    # the API holds the award's own fields
    assert (api_award["jump"], api_award["rank"], api_award["total"]) == (
        award.jump,
        award.rank,
        award.total,
    )
    assert api_result["rank"] == best.rank and api_result["class"] == best.klass

    for lang in ("zh", "en"):
        if lang == "en":
            viewer.post("/i18n/setlang/", {"language": "en", "next": "/"})
        name = c.place(award.name, lang)
        api = {**api_award, "name_en": c.place(award.name, "en")}
        doc = compose(c, lang)
        report = {t.key: t for t in doc.tables()}

        # --- the award -----------------------------------------------------------------------
        terminal = incentives_text(c.awards, c.rules, 2025, lang, registry=c.registry)
        book = write_incentives(c.awards, c.rules, 2025, tmp_path / f"inc-{lang}.xlsx", lang)
        table = report["incentives"]
        shown = {
            "text": _text_table(terminal, AWARDS.column("name").header(lang), name),
            "xlsx": _sheet(book, "激励资金" if lang == "zh" else "Incentives", award.code),
            "report": dict(
                zip(table.heads, next(r for r in table.rows if r[0] == name), strict=True)
            ),
            "dashboard": _html_table(
                viewer.get("/dashboard/2025/incentives/").content.decode(), "awards", award.code
            ),
            "api": api,
        }
        _check(AWARDS, shown, AWARD_COLUMNS, api, lang)

        # --- the result ----------------------------------------------------------------------
        spec = TableSpec(
            "results", RESULTS.caption, (*RESULTS.columns, RANKING.column("class_prev"))
        )
        api = {
            **api_result,
            "class_prev": best.class_prev,
            "name_en": c.place(best.name, "en"),
            "city_en": c.place(best.city, "en"),
        }
        book = write_results(run, tmp_path / f"res-{lang}.xlsx", lang)
        table = report["ranking"]
        shown = {
            "text": _text_table(run_summary(run, lang), RESULTS.column("rank").header(lang), "1"),
            "xlsx": _sheet(book, "总分与排名" if lang == "zh" else "Scores and ranks", best.code),
            "report": dict(
                zip(table.heads, next(r for r in table.rows if r[1] == best.code), strict=True)
            ),
            "dashboard": _html_table(
                viewer.get("/dashboard/2025/").content.decode(), "ranking", best.code
            ),
            "api": api,
        }
        # the terminal summary and the results workbook keep names in Chinese in English too
        _check(spec, shown, RESULT_COLUMNS, api, lang, chinese_names={"text", "xlsx"})
