"""Variables derived from the registries (issue #16 item 3): every derived count equals the
length of its drill-down list and the library's count of the same synthetic registry, on every
demo county and year; an evaluation run fills them and keeps the records; a submitted number
that disagrees with the registry is flagged by the submission check."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
import yaml
from tests.web.conftest import REG, XIJI

from cimon.data.demo import shipped_path
from cimon.errors import FrameworkError
from cimon.model.framework import load_framework
from cimon.registry.counts import Registry, count_years
from cimon.registry.synthetic import synthetic_registry
from cimon.store.registry.demo import load_demo_registry
from cimon.store.registry.derived import (
    derived_rows,
    derived_specs,
    disagreements,
    fill_panel,
)
from cimon.store.registry.models import Enterprise

pytestmark = pytest.mark.django_db

YEARS = list(range(2016, 2024))


def derived_framework(**source: Any) -> Any:
    """nx-2021 with 高新技术企业数 (hte) and 众创空间 … taken from the registries."""
    from importlib import resources

    raw = yaml.safe_load(
        (resources.files("cimon.data") / "frameworks" / "nx-2021.yaml").read_text("utf-8")
    )
    for v in raw["variables"]:
        if v["code"] == "hte":
            v["source"] = source or {"registry": "qualification", "kind": "高新技术企业",
                                     "on": "year_end"}  # fmt: skip
    return load_framework(raw)


def test_the_bundled_framework_declares_nothing_and_a_bad_source_is_refused() -> None:
    assert derived_specs(load_framework("nx-2021")) == []
    fw = derived_framework()
    assert [s.variable for s in derived_specs(fw)] == ["hte"]
    assert fw.hash != load_framework("nx-2021").hash  # a derived variable changes scoring
    with pytest.raises(FrameworkError):
        derived_specs(derived_framework(registry="nowhere", kind="x"))
    with pytest.raises(FrameworkError):
        derived_specs(derived_framework(registry="carrier", kind="众创空间", on="mid_year"))


def test_a_derived_count_equals_its_drill_down_on_every_demo_county_and_year() -> None:
    counties = list(REG.codes)
    assert load_demo_registry(counties, YEARS, n_enterprises=600, n_carriers=120) == 600
    assert load_demo_registry(counties, YEARS) == 0  # loaded once
    assert Enterprise.objects.exclude(label="模拟数据").count() == 0
    fw = derived_framework()
    rows = derived_rows(derived_specs(fw), YEARS, counties)
    assert len(rows) == len(counties) * len(YEARS)
    # the same synthetic registry counted by the library in memory, without the database
    syn = synthetic_registry(600, 120, counties, YEARS, seed=16)
    lib = count_years(Registry.build(syn.qualifications, syn.history, syn.carriers), YEARS)
    for r in rows:
        assert r["count"] == len(r["records"])
        assert r["count"] == lib[r["year"]].count(r["region_code"], "高新技术企业")
        assert len({x["record"] for x in r["records"]}) == r["count"]  # each enterprise once
    assert sum(r["count"] for r in rows) > 0
    carriers = derived_rows(
        derived_specs(derived_framework(registry="carrier", kind="众创空间", level="省")),
        YEARS, counties,
    )  # fmt: skip
    for r in carriers:
        assert r["count"] == len(r["records"])
        assert r["count"] == lib[r["year"]].count(r["region_code"], "众创空间", "省")


def test_fill_panel_replaces_submitted_values_and_disagreements_are_named() -> None:
    from cimon.model.panel_file import read_panel

    counties = list(REG.codes)
    load_demo_registry(counties, YEARS, n_enterprises=300, n_carriers=10)
    fw = derived_framework()
    panel = read_panel(shipped_path(), REG)
    filled, rows = fill_panel(fw, panel, counties)
    hte = filled.frame[filled.frame["variable"] == "hte"]
    assert set(hte["source"]) == {"registry"}
    assert len(hte) == len(counties) * len(panel.years)
    other = filled.frame[filled.frame["variable"] != "hte"]
    pd.testing.assert_frame_equal(
        other.reset_index(drop=True),
        panel.frame[panel.frame["variable"] != "hte"].reset_index(drop=True),
    )
    count = next(r["count"] for r in rows if r["region_code"] == XIJI and r["year"] == 2020)
    submitted = pd.DataFrame(
        {"region_code": [XIJI, XIJI], "year": [2020, 2020], "variable": ["hte", "rd"],
         "value": [count + 3.0, 1.0]}
    )  # fmt: skip
    found = disagreements(fw, submitted)
    assert found == [{"variable": "hte", "region_code": XIJI, "year": 2020,
                      "submitted": count + 3.0, "registry": count}]  # fmt: skip
    submitted.loc[0, "value"] = float(count)
    assert disagreements(fw, submitted) == []


def test_an_evaluation_fills_derived_values_keeps_their_records_and_imports_flag_them(
    users: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    from cimon.store.evaluations import services as wf
    from cimon.store.evaluations.models import REVIEW
    from cimon.store.platform import platform_framework
    from cimon.store.registry.models import DerivedCount
    from cimon.store.submissions.services import import_file

    fw = derived_framework()
    path = tmp_path / "derived.yaml"
    path.write_text(yaml.safe_dump(dict(fw.raw), allow_unicode=True), encoding="utf-8")
    settings.CIMON_FRAMEWORK = str(path)
    load_demo_registry(list(REG.codes), YEARS, n_enterprises=400, n_carriers=10)
    result = import_file(
        shipped_path(), framework=platform_framework(), registry=REG, user="demo",
        accept_warnings=True,
    )  # fmt: skip
    flagged = [i for i in result.report.issues if i.code == "registry.disagree"]
    assert flagged and all(i.variable == "hte" and i.region for i in flagged)
    assert "名录统计" in flagged[0].zh and "registry counts" in flagged[0].en
    ev = wf.execute(wf.start(users["admin"], 2023, queue=False).pk)
    assert ev.status == REVIEW, ev.error
    stored = DerivedCount.objects.filter(evaluation=ev)
    assert stored.count() >= len(REG.codes)
    assert all(d.count == len(d.records) for d in stored)
    assert {d.variable for d in stored} == {"hte"}


def test_the_report_reads_the_derived_values_of_a_run_with_credit_codes(
    users: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    """The annual report's lists (issue #16): the stored values of the run's data year, each
    record shown by its enterprise's 统一社会信用代码; nothing for the bundled framework."""
    from cimon.store.evaluations import services as wf
    from cimon.store.registry.report import derived_values
    from cimon.store.submissions.services import import_file

    fw = derived_framework()
    path = tmp_path / "derived.yaml"
    path.write_text(yaml.safe_dump(dict(fw.raw), allow_unicode=True), encoding="utf-8")
    settings.CIMON_FRAMEWORK = str(path)
    load_demo_registry(list(REG.codes), YEARS, n_enterprises=400, n_carriers=10)
    import_file(shipped_path(), framework=fw, registry=REG, user="demo", accept_warnings=True)
    ev = wf.execute(wf.start(users["admin"], 2023, queue=False).pk)
    values = derived_values(ev.pk, fw, 2022)
    assert {v.region_code for v in values} == set(REG.codes)
    assert {(v.variable, v.year, v.on, v.kind) for v in values} == {
        ("hte", 2022, "2022-12-31", "高新技术企业")
    }
    codes = set(Enterprise.objects.values_list("code", flat=True))
    assert sum(v.count for v in values) > 0
    for v in values:
        assert v.count == len(v.records) and v.name_zh == fw.variable("hte").name_zh
        assert all(r["record"] in codes and r["name"] and r["start"] for r in v.records)
    assert derived_values(ev.pk, load_framework("nx-2021"), 2022) == ()


def test_a_published_version_lists_its_derived_values_in_the_results_workbook(
    users: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    """Through the store: the results workbook of the published version has the sheet 名录计数
    with one row per record (or per county without any), and the counts match the run's."""
    from openpyxl import load_workbook
    from tests.web.conftest import publish_year

    from cimon.store.evaluations.downloads import make_file
    from cimon.store.evaluations.published import clear_caches, content_of
    from cimon.store.registry.models import DerivedCount
    from cimon.store.submissions.services import import_file

    fw = derived_framework()
    path = tmp_path / "derived.yaml"
    path.write_text(yaml.safe_dump(dict(fw.raw), allow_unicode=True), encoding="utf-8")
    settings.CIMON_FRAMEWORK = str(path)
    settings.CIMON_DASHBOARD_REPLICATES = 0
    clear_caches()
    load_demo_registry(list(REG.codes), YEARS, n_enterprises=400, n_carriers=10)
    import_file(shipped_path(), framework=fw, registry=REG, user="demo", accept_warnings=True)
    pub = publish_year(users["admin"], 2023)
    p = content_of(pub)
    assert len(p.content.derived) == len(REG.codes)
    ws = load_workbook(make_file(p, "xlsx", "zh", tmp_path))["名录计数"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    stored = DerivedCount.objects.filter(evaluation_id=pub.evaluation_id, year=2022)
    assert len(rows) == sum(max(d.count, 1) for d in stored)
    by_county = {d.region_code: d.count for d in stored}
    assert all(r[6] == by_county[r[2]] for r in rows)
    clear_caches()
