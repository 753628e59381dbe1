"""The report's content model: every number is the Run's (or the analysis function's), the
robustness contract is checked, and the years without a previous result are handled."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from cimon.analysis.compare import compare_runs
from cimon.analysis.diagnose import diagnose
from cimon.analysis.incentives import incentives_for_runs, total_owed
from cimon.analysis.peers import peer_summary
from cimon.analysis.rules import load_rules
from cimon.engine.run import Run
from cimon.errors import CimonError
from cimon.reports.annual.content import AnnualContent, build_content

from .conftest import YEAR, robustness_for


def test_every_county_with_the_runs_numbers(content: AnnualContent, runs: dict[int, Run]) -> None:
    run, prev = runs[YEAR], runs[YEAR - 1]
    res = run.results
    assert sorted(c.code for c in content.counties) == sorted(map(str, res.index))
    assert [p.result.code for p in content.profiles] != [] and len(content.profiles) == len(res)
    table = compare_runs(prev, run).table
    award = {a.code: a for a in content.awards}
    for c in content.awards:
        assert c.year == YEAR
    for c in content.counties:
        assert c.score == res.at[c.code, "score_published"]
        assert c.klass == res.at[c.code, "class"]
        assert c.rank == res.at[c.code, "rank"] and c.rank_city == res.at[c.code, "rank_city"]
        assert c.score_prev == prev.results.at[c.code, "score_published"]
        assert c.change == table.at[c.code, "change"]
        assert c.transition == table.at[c.code, "transition"]
        # places as the rule set counts them (rank.places, #13), the places paid for
        assert c.places == award[c.code].places
    assert [c.rank for c in content.counties] == sorted(c.rank for c in content.counties)
    assert content.class_counts == run.class_counts()
    assert content.class_counts_prev == prev.class_counts()
    assert content.mean == peer_summary(run, "all").iloc[0]["mean"]


def test_cost_of_each_reading(content: AnnualContent, runs: dict[int, Run]) -> None:
    """The side-by-side cost (#13): the rule set's reading first, equal to the awards shown;
    the literal reading equal to the awards under rank.places=literal."""
    from cimon.analysis.rules import with_places

    assert [x.reading for x in content.readings] == ["overtaken", "literal"]
    chosen, literal = content.readings
    assert chosen.chosen and not literal.chosen
    assert chosen.total == content.total and chosen.paid == len(content.paid)
    window = {y: runs[y] for y in (YEAR - 1, YEAR)}
    owed = incentives_for_runs(window, with_places(load_rules("nx-2021"), "literal"))[YEAR]
    assert literal.total == total_owed(owed) == 5_250_000
    assert literal.paid == sum(1 for a in owed if a.total) == 10


def test_incentives_and_pillars_and_diagnosis(content: AnnualContent, runs: dict[int, Run]) -> None:
    owed = incentives_for_runs({y: runs[y] for y in (YEAR - 1, YEAR)}, load_rules("nx-2021"))[YEAR]
    assert [(a.code, a.total) for a in content.awards] == [(a.code, a.total) for a in owed]
    assert content.total == total_owed(owed) and isinstance(content.total, int)
    pillars = runs[YEAR].data["pillars"]
    p = content.profiles[0]
    code = p.result.code
    assert [s.earned for s in p.pillars] == [pillars.at[code, s.code] for s in p.pillars]
    assert p.pillars[0].province_mean == pillars[p.pillars[0].code].mean()
    d = diagnose(runs[YEAR], code, by="city")
    assert p.diagnosis.strengths == d.strengths and p.diagnosis.path == d.path
    assert p.split is not None and sum(p.split.pillars.values()) == round(p.result.change * 100)


def test_cities_and_target_progress(content: AnnualContent, runs: dict[int, Run]) -> None:
    summary = peer_summary(runs[YEAR], "city")
    assert [s.city for s in content.cities] == list(summary["group"])
    assert [s.mean for s in content.cities] == list(summary["mean"])
    assert sum(s.n for s in content.cities) == len(content.counties)
    assert {p.year for p in content.progress} == {2020, 2021, 2022}
    now = {p.label: p.actual for p in content.progress if p.year == YEAR}
    assert now == runs[YEAR].class_counts()


def test_robustness_is_optional_and_checked(content: AnnualContent, runs: dict[int, Run]) -> None:
    p = next(p for p in content.profiles if p.result.code == "640104")
    assert p.robustness is not None and p.robustness.replicates == 200
    assert p.robustness.p_classes[p.result.klass] == p.robustness.p_nominal
    without = build_content(runs, YEAR)
    assert all(x.robustness is None for x in without.profiles)
    other = robustness_for(runs[YEAR - 1])
    with pytest.raises(CimonError) as err:
        build_content(runs, YEAR, robustness=other, robustness_source="r.json")
    assert "r.json" in str(err.value) and "2021" in err.value.zh and "2021" in err.value.en
    broken = robustness_for(runs[YEAR])
    broken = SimpleNamespace(**{**vars(broken), "counties": broken.counties.drop(columns=["p_B"])})
    with pytest.raises(CimonError, match="p_B"):
        build_content(runs, YEAR, robustness=broken)
    short = robustness_for(runs[YEAR])
    short = SimpleNamespace(**{**vars(short), "counties": short.counties.drop(index=["640422"])})
    with pytest.raises(CimonError, match="640422"):
        build_content(runs, YEAR, robustness=short)


def test_first_year_and_missing_year(runs: dict[int, Run]) -> None:
    first = build_content({2020: runs[2020]}, 2020)
    assert first.comparison is None and first.prev is None
    assert all(c.transition == "new" and c.score_prev is None for c in first.counties)
    assert first.total == 0
    with pytest.raises(CimonError) as err:
        build_content(runs, 2030)
    assert "2030" in err.value.zh and "2030" in err.value.en and err.value.where == "--year 2030"
