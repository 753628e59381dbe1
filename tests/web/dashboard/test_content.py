"""The dashboard's content module: every number on a page and in a chart equals the Run or the
analysis function it comes from (the runs rebuilt from a published version are checked first)."""

from __future__ import annotations

from typing import Any

import pytest

from cimon.analysis.compare import compare_runs
from cimon.analysis.diagnose import diagnose
from cimon.analysis.incentives import incentives_for_runs, total_owed
from cimon.analysis.peers import peer_summary
from cimon.analysis.rules import load_rules
from cimon.analysis.targets import load_province_targets
from cimon.reports.annual.tilegrid import tile_layout
from cimon.store.evaluations.published import (
    NotReproducible,
    clear_caches,
    content_of,
    robustness_of,
    run_of,
    versions_for,
)
from cimon.web.dashboard import content as pages
from cimon.web.dashboard import plans

pytestmark = pytest.mark.django_db


def test_runs_are_rebuilt_and_checked(published: dict[str, Any]) -> None:
    from cimon.store.evaluations.models import Publication

    pub = published["2025"]
    run = run_of(pub.evaluation, pub.results)
    assert run.data_hash == pub.evaluation.data_hash
    assert run.class_counts() == pub.class_counts
    frozen = {r["region_code"]: r for r in pub.results}
    for code, row in run.results.iterrows():
        assert frozen[str(code)]["score_published"] == row["score_published"]
        assert frozen[str(code)]["class"] == row["class"]
    # the version's own evaluation for its year; the current version of earlier years only
    # (never an unpublished evaluation, never a superseded version)
    assert versions_for(pub) == {2024: published["2024"], 2025: pub}
    assert versions_for(published["2025v1"])[2025] == published["2025v1"]
    # a frozen copy that differs from what the data give is refused
    tampered = [dict(r) for r in pub.results]
    tampered[0]["score_published"] += 1
    with pytest.raises(NotReproducible) as exc:
        run_of(pub.evaluation, tampered)
    assert tampered[0]["region_code"] in exc.value.zh and exc.value.en
    if "pillars" in pub.results[0]:  # rows that keep their pillar points are checked too
        tampered = [dict(r) for r in pub.results]
        first = next(iter(tampered[0]["pillars"]))
        tampered[0]["pillars"] = {**tampered[0]["pillars"], first: -1.0}
        with pytest.raises(NotReproducible):
            run_of(pub.evaluation, tampered)
    # data changed after publication: the data hash differs
    clear_caches()
    pub.evaluation.data_hash = "0" * 64
    with pytest.raises(NotReproducible):
        run_of(pub.evaluation)
    assert Publication.objects.count() == 3


def test_province_numbers_equal_the_library(published: dict[str, Any]) -> None:
    p = content_of(published["2025"])
    run, prev = p.runs[2025], p.runs[2024]
    c = p.content
    assert c.run is run and c.prev is prev
    page = pages.province_page(c, "zh")
    assert {k["label"]: k["n"] for k in page["counts"]} == run.class_counts()
    assert {k["label"]: k["prev"] for k in page["counts"]} == prev.class_counts()
    assert page["mean"] == pytest.approx(float(peer_summary(run, "all").iloc[0]["mean"]))
    assert page["total"] == len(run.results)
    assert page["transitions"] == compare_runs(prev, run).transitions()
    # trend: actual counts of every published year, the target path of the bundled targets
    goal = load_province_targets("nx-2025")
    trend = pages.trend_option(c, "zh")
    years = [int(y) for y in trend["xAxis"]["data"]]
    assert years == list(range(goal.base_year, goal.target_year + 1))
    for k in c.labels:
        actual = next(s for s in trend["series"] if s["name"] == f"{k}类")
        path = next(s for s in trend["series"] if s["name"] == f"{k}类目标路径")
        assert actual["data"][years.index(2024)] == prev.class_counts()[k]
        assert actual["data"][years.index(2025)] == run.class_counts()[k]
        assert actual["data"][years.index(2020)] is None
        assert path["data"] == [round(goal.planned(y, k), 2) for y in years]
    # ranking: published scores in rank order, coloured by class, best at the top
    bars = pages.ranking_option(c, "zh")["series"][0]["data"][::-1]
    res = run.results.sort_values(["rank", "score"], ascending=[True, False])
    assert [b["value"] for b in bars] == list(res["score_published"])
    # labels and tooltips: the framework's decimals, trailing zeros kept
    assert [b["label"]["formatter"] for b in bars] == [f"{x:.2f}" for x in res["score_published"]]
    assert all(b["tooltip"]["formatter"].endswith(b["label"]["formatter"]) for b in bars)
    colours = pages.colours(c)
    assert [b["itemStyle"]["color"] for b in bars] == [colours[k] for k in res["class"]]
    # tile grid: the annual report's layout, one square per county with its class colour
    tiles = pages.tilegrid_option(c, "zh", {})
    grid = tile_layout(run.regions, max_width=12)
    squares = tiles["series"][0]["data"]
    assert [(s["code"], s["value"][:2]) for s in squares] == [
        (t.code, [t.col, t.row]) for t in grid.tiles
    ]
    assert all(
        s["itemStyle"]["color"] == colours[run.results.loc[s["code"], "class"]] for s in squares
    )
    assert tiles["cimonTiles"] == {"cols": grid.width, "rows": grid.height}
    # every option names the bundled font (ECharts ignores the page's CSS)
    for opt in (trend, tiles, pages.ranking_option(c, "en")):
        assert opt["textStyle"]["fontFamily"].startswith('"cimon sans"')
    # a city: its counties only, the peer summary's numbers
    city = pages.city_page(c, "固原市", "zh")
    assert city is not None and pages.city_page(c, "不存在市", "zh") is None
    summary = peer_summary(run, "city").set_index("group").loc["固原市"]
    assert city["summary"].mean == pytest.approx(float(summary["mean"]))
    assert {r.code for r in city["counties"]} == {
        str(code) for code in run.results.index[run.results["city"] == "固原市"]
    }


def test_county_numbers_equal_the_library(published: dict[str, Any]) -> None:
    from cimon.model.regions import default_registry

    xiji = default_registry().match("西吉县").code
    p = content_of(published["2025"])
    run, prev = p.runs[2025], p.runs[2024]
    prof = pages.profile(p.content, xiji)
    assert prof is not None and pages.profile(p.content, "999999") is None
    pillars = run.data["pillars"]
    fw = run.framework
    # pillars: the run's pillar points, the province mean of each, the full points
    bars = pages.pillars_option(prof, "zh")["series"]
    assert bars[0]["data"] == [float(pillars.loc[xiji, q.code]) for q in fw.pillars]
    assert bars[1]["data"] == [round(float(pillars[q.code].mean()), 2) for q in fw.pillars]
    assert bars[2]["data"] == [float(q.points) for q in fw.pillars]
    radar = pages.radar_option(prof, "en")
    assert [i["max"] for i in radar["radar"]["indicator"]] == [float(q.points) for q in fw.pillars]
    assert radar["radar"]["indicator"][0]["name"] == fw.pillars[0].name_en
    # change by pillar: the exact split of compare_runs
    split = compare_runs(prev, run).splits[xiji]
    rows = pages.pillar_rows(prof, "zh")
    assert [r["change"] for r in rows] == [split.points(split.pillars[q.code]) for q in fw.pillars]
    assert sum(split.pillars.values()) == split.total
    # history: each published year's run
    hist = pages.history(p.runs, xiji)
    assert [(h["year"], h["score"], h["class"], h["rank"]) for h in hist] == [
        (
            y,
            float(r.results.loc[xiji, "score_published"]),
            r.results.loc[xiji, "class"],
            int(r.results.loc[xiji, "rank"]),
        )
        for y, r in sorted(p.runs.items())
    ]
    hopt = pages.history_option(hist, "zh", 2)
    assert [b["value"] for b in hopt["series"][0]["data"]] == [h["score"] for h in hist]
    assert [b["label"]["formatter"] for b in hopt["series"][0]["data"]] == [
        f"{h['score']:.2f}" for h in hist
    ]
    assert hopt["yAxis"][1]["max"] == len(run.results)
    # strengths, weaknesses and the path to the next class: diagnose() among the city's counties
    d = diagnose(run, xiji, by="city")
    assert prof.diagnosis == d
    assert pages.steps_text(prof, "zh") == [s.text("zh") for s in d.path.steps] if d.path else []
    # the robustness of its class: the default assumptions, seed 1 (the same in every process)
    rob = robustness_of(p.runs, 2025)
    assert rob is not None and prof.robustness is not None
    assert prof.robustness.replicates == rob.replicates == 200  # CIMON_DASHBOARD_REPLICATES
    assert prof.robustness.p_nominal == rob.counties.loc[xiji, "p_nominal"]
    assert prof.robustness.rank_p95 == rob.counties.loc[xiji, "rank_p95"]
    # no action plan for a Ningxia county
    assert plans.county_targets("西吉县", p.runs, xiji, "zh") is None
    # a county with a bundled plan gets it, each item with the status county_status() gives
    # from the published data (here 景宁's plan over 西吉县's values, to exercise the path)
    from cimon.analysis.targets import county_status, load_county_plan, values_from_panel

    plan = plans.county_targets("景宁畲族自治县", p.runs, xiji, "en")
    assert plan is not None and plan["plan"].id == "jingning-2023"
    want = county_status(
        load_county_plan("jingning-2023"),
        values_from_panel(plan["plan"], run.inputs, xiji, range(2022, run.data_year + 1)),
    )
    assert [(i["status_code"], i["latest"], i["target"]) for i in plan["items"]] == [
        (s.status, s.latest, s.target_value) for s in want
    ]


def test_incentives_equal_the_library(published: dict[str, Any]) -> None:
    p = content_of(published["2025"])
    page = pages.incentives_page(p.content, "zh")
    owed = incentives_for_runs({2024: p.runs[2024], 2025: p.runs[2025]}, load_rules("nx-2021"))[
        2025
    ]
    assert page["total_yuan"] == total_owed(owed) > 0
    assert isinstance(page["total_yuan"], int)
    by_code = {a.code: a for a in owed}
    rows = page["table"]["rows"]
    assert {r["item"].code for r in rows} == set(by_code)
    for r in rows:
        assert r["item"] == by_code[r["item"].code]
    totals = [r["item"].total for r in rows]
    assert totals == sorted(totals, reverse=True)  # paid first, by amount
    # the first published year has no previous year: nothing owed, and the page says why
    first = pages.incentives_page(content_of(published["2024"]).content, "zh")
    assert first["has_prev"] is False and first["total_yuan"] == 0
