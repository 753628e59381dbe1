"""Plans (issue #19): every target of seed 001 (《景宁畲族自治县科技创新体系建设工程五年行动方案
（2023—2027年）》) encoded with its wording, deadline and responsible units; the province plan
of seed 000 (《2021-2025年提升县域科技创新能力推进乡村振兴行动方案》); plans uploaded as YAML or
Excel, all-or-nothing with cell-level errors; values computed from the evaluation."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from cimon.analysis.errors import TargetError
from cimon.analysis.plans import (
    load_plan,
    plan_status,
    read_plan_xlsx,
    values_from_runs,
)
from cimon.analysis.targets import bundled_values, load_values
from cimon.engine.run import Run

#: the seed's wording of each target (full-width commas as in the encoded plan)
SEED_001 = {
    "T01": "全社会R&D经费支出占GDP比重达到全市平均水平",
    "T02": "规上工业企业研发费用支出占营业收入比重达到3%以上",
    "T03": "高新技术产业增加值占规上工业增加值比重达到50%",
    "T04": "每万名就业人员中研发人员达到28人年以上",
    "T05": "省级高企研发中心、省级企业研究院分别达到6家和4家",
    "T06": "省级高企研发中心、省级企业研究院分别达到6家和4家",
    "T07": "高新技术企业和科技型中小企业累计数分别达到40家和100家",
    "T08": "高新技术企业和科技型中小企业累计数分别达到40家和100家",
    "T09": "确保财政科技投入年均增长15%以上",
    "T10": "全县技术市场交易额9亿元以上",
    "T11": "争取实施省“尖兵”“领雁”等科技项目10项以上",
    "T12": "开展产学研合作项目5项以上",
    "T13": "引进“绿谷精英·创新引领行动”计划创新创业项目40个以上",
    "T14": "争取落地建设实体化产业研究院破零",
    "T15": "力争承担国家重点研发计划项目或省级科技进步三等奖以上破零",
    "T16": "力争新增省级重点企业研究院1家",
    "T17": "培育市级新型研发机构、市级重点实验室1家以上",
    "T18": "指导宇海幼教孵化器创建省级科技企业孵化器",
    "T19": "实施重点研发计划项目5项以上",
    "T20": "力争全县R&D经费占GDP比重实现翻一番",
    "T21": "实现规上科技型企业研发机构“全覆盖”",
    "T22": "规上科技型企业研发投入“全清零”",
    "T23": "确保青年人才入选“绿谷精英”“绿谷英才”计划占比不低于50%",
    "T24": "争取引进“绿谷精英”项目8个",
    "T25": "争取遴选支持“绿谷英才”1名以上",
    "T26": "力争实现国家海外引进人才计划和省海外工程师破零",
    "T27": "力争实现国家海外引进人才计划和省海外工程师破零",
    "T28": "力争省高层次人才支持计划、省海外引进人才计划破零",
    "T29": "力争省高层次人才支持计划、省海外引进人才计划破零",
    "T30": "每万名就业人员外国人才指数争先进位",
    "T31": "实现科技创新指数明显提升",
    "T32": "力争科技创新指数在山区26县中实现争先进位",
    "T33": "实施“人才科创飞地”建设全覆盖计划",
    "T34": "实现博士创新站全覆盖",
    "T35": "确保“十四五”期间全市财政科技投入年均增长15%以上",
    "T36": "争取实施人才发展体制机制综合改革试点",
}
KINDS = {"T14": "zero_break", "T15": "zero_break", "T20": "double", "T21": "coverage",
         "T22": "coverage", "T24": "milestones", "T26": "zero_break", "T27": "zero_break",
         "T28": "zero_break", "T29": "zero_break", "T30": "rank", "T31": "class_score",
         "T32": "rank", "T33": "coverage", "T34": "coverage", "T35": "cagr"}  # fmt: skip


def test_every_seed_001_target_is_encoded() -> None:
    plan = load_plan("jingning-2023")
    by_code = {i.code: i for i in plan.items}
    assert set(by_code) == set(SEED_001)
    for code, wording in SEED_001.items():
        item = by_code[code]
        assert wording in item.quote_zh, code
        assert item.responsible and item.deadline in (2025, 2027), code
        assert item.kind == KINDS.get(code, item.kind), code
    assert by_code["T35"].deadline == 2025 and by_code["T35"].params["base_year"] == 2020
    assert by_code["T32"].params["peer_group"] == "山区26县"
    assert by_code["T14"].responsible[0] == "县委人才办"  # the plan's own list, in its order
    assert by_code["T31"].source_kind == "computed" and by_code["T05"].source_kind == "reported"


def test_bundled_plan_statuses_carry_their_rule() -> None:
    series, synthetic = bundled_values("jingning-2023")
    statuses = {s.item.code: s for s in plan_status(load_plan(), series)}
    assert synthetic and len(statuses) == 36
    assert statuses["T14"].status == "met" and "破零" in statuses["T14"].rule_zh
    assert (
        statuses["T21"].latest == pytest.approx(2 / 3) and "景宁丙企业" in statuses["T21"].rule_zh
    )
    assert all(s.rule_zh and s.rule_en for s in statuses.values())


def test_province_plan_of_seed_000(demo_runs: dict[int, Run]) -> None:
    """nx-2025 as a plan: A ≥ 10, B 8 ± 1, C ≤ 4 by 2025, counted from the evaluations."""
    plan = load_plan("nx-2025")
    assert plan.level == "province" and [i.code for i in plan.items] == ["A", "B", "C"]
    assert [i.params["direction"] for i in plan.items] == ["at_least", "about", "at_most"]
    values = values_from_runs(plan, demo_runs)
    assert values["A"][2025] == demo_runs[2025].class_counts()["A"]  # by evaluation year
    statuses = plan_status(plan, {}, demo_runs)
    assert all(s.item.source_kind == "computed" and s.latest_year for s in statuses)


def test_values_from_runs_score_and_rank(demo_runs: dict[int, Run]) -> None:
    """A county's score and its place among the counties tagged 山区县 (ties share the best
    place), from each evaluation."""
    run = demo_runs[2023]
    code = "640422"
    tag = next(t for r in run.regions if r.code == code for t in r.tags)
    p = _yaml_plan(
        f"""
        - {{code: S, kind: class_score, rise: true, deadline: 2025, indicator: score,
            responsible: [县科技局]}}
        - {{code: R, kind: rank, peer_group: "{tag}", deadline: 2025, indicator: rank,
            responsible: [县科技局]}}
        """
    )
    values = values_from_runs(p, demo_runs, code)
    assert values["S"][2023] == run.results.at[code, "score_published"]
    assert 1 <= values["R"][2023] <= sum(tag in r.tags for r in run.regions)


# --- YAML ------------------------------------------------------------------------------------------

_TMP: list[Path] = []


def _yaml_plan(items: str, head: str = "kind: plan\nlevel: county\nbase_year: 2022\n") -> Any:
    import tempfile
    import textwrap

    d = Path(tempfile.mkdtemp())
    p = d / "plan.yaml"
    p.write_text(head + "items:\n" + textwrap.indent(textwrap.dedent(items), "  "), "utf-8")
    return load_plan(p)


def test_city_plan_covering_several_counties() -> None:
    plan = _yaml_plan(
        """
        - {code: C1, applies_to: 莲都区, target: 50, deadline: 2027, responsible: 区科技局}
        - {code: C2, applies_to: 景宁畲族自治县, kind: zero_break, deadline: 2026,
           responsible: [县经济商务科技局, 县委人才办]}
        """,
        "kind: plan\nlevel: city\narea: 丽水市\nunits: [莲都区, 景宁畲族自治县]\n",
    )
    assert plan.level == "city" and plan.units == ("莲都区", "景宁畲族自治县")
    assert [i.applies_to for i in plan.items] == ["莲都区", "景宁畲族自治县"]
    assert plan.items[0].responsible == ("区科技局",)
    assert plan.base_year == 2021  # earliest deadline − 5 when not given


@pytest.mark.parametrize(
    ("items", "where", "word"),
    [
        ("- {code: X, kind: doubel, deadline: 2027}", "items[0].kind", "doubel"),
        ("- {code: X, kind: double, base: 0, deadline: 2027}", "items[0]", "翻一番"),
        ("- {code: X, kind: rank, deadline: 2027}", "items[0].peer_group", "peer_group"),
        ("- {code: X, target: 5, deadline: 明年}", "items[0].deadline", "明年"),
        ("- {code: X, target: 5, deadline: 2027, colour: red}", "items[0]", "colour"),
    ],
)
def test_bad_yaml_plan_names_the_place(items: str, where: str, word: str) -> None:
    with pytest.raises(TargetError) as info:
        _yaml_plan(items)
    assert str(info.value.where).endswith(where) and word in info.value.zh


def test_level_must_be_known() -> None:
    with pytest.raises(TargetError, match="level"):
        _yaml_plan("- {code: X, target: 1, deadline: 2027}", "kind: plan\nlevel: town\n")


# --- Excel -----------------------------------------------------------------------------------------

HEAD = ["代码", "目标项", "类型", "目标值", "期限", "责任单位", "peer_group", "参数", "原文"]


def _xlsx(rows: list[list[Any]], plan: dict[str, Any] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "目标"
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    if plan is not None:
        meta = wb.create_sheet("方案")
        for k, v in plan.items():
            meta.append([k, v])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD = [
    ["P1", "高新技术企业", "level", 40, 2027, "县科技局、县财政局", None, None, "达到40家"],
    ["P2", "实体化研究院", "zero_break", None, 2027, "县委人才办", None, None, "破零"],
    ["P3", "争先进位", "rank", None, 2027, "县科技局", "山区26县", "improve_by=2", "争先进位"],
    ["P4", "R&D翻一番", "double", None, 2027, "县科技局", None, "base=1.6; factor=2", "翻一番"],
]


def test_excel_plan_one_row_per_target() -> None:
    read = read_plan_xlsx(_xlsx(GOOD, {"id": "lishui-2024", "level": "city", "area": "丽水市"}),
                          "plan.xlsx")  # fmt: skip
    assert read.report.ok, [i.render() for i in read.report]
    plan = read.plan
    assert plan is not None and plan.id == "lishui-2024" and plan.level == "city"
    by = {i.code: i for i in plan.items}
    assert by["P1"].target == 40 and by["P1"].responsible == ("县科技局", "县财政局")
    assert by["P3"].spec().get_params()["improve_by"] == 2
    assert by["P3"].params["peer_group"] == "山区26县"
    assert by["P4"].spec().get_params()["base"] == 1.6


def test_excel_plan_errors_name_their_cells_and_nothing_is_read(tmp_path: Path) -> None:
    """Three bad cells: every one reported on its cell, in both languages; no plan."""
    bad = [
        *GOOD,
        ["P5", "x", "zero-break", None, 2027, "县科技局", None, None, ""],  # C6: unknown kind
        ["P6", "x", "level", "四十", 2027, "县科技局", None, None, ""],  # D7: not a number
        ["P7", "x", "level", 5, "二〇二七", "县科技局", None, None, ""],  # E8: not a year
        ["P1", "again", "level", 5, 2027, "县科技局", None, None, ""],
    ]
    read = read_plan_xlsx(_xlsx(bad), "plan.xlsx")
    assert read.plan is None
    cells = {i.cell for i in read.report.errors}
    assert cells == {"C6", "D7", "E8"}
    assert all(i.zh and i.en and i.sheet == "目标" for i in read.report.errors)
    p = tmp_path / "plan.xlsx"
    p.write_bytes(_xlsx(bad))
    with pytest.raises(TargetError) as info:
        load_plan(p)
    assert "未读取" in info.value.zh and "not read" in info.value.en


def test_excel_duplicate_code_is_refused() -> None:
    read = read_plan_xlsx(_xlsx([*GOOD, GOOD[0]]), "plan.xlsx")
    assert read.plan is None and any("P1" in i.zh for i in read.report.errors)


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"", "file.empty"), (b"code,deadline\nX,2027\n", "file.type"), (b"PK\x03\x04junk", None)],
)
def test_excel_plan_that_is_not_a_workbook(data: bytes, code: str | None) -> None:
    read = read_plan_xlsx(data, "plan.xlsx")
    assert read.plan is None and not read.report.ok
    if code:
        assert read.report.errors[0].code == code


def test_excel_plan_without_a_code_column() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["目标", "期限"])
    buf = io.BytesIO()
    wb.save(buf)
    read = read_plan_xlsx(buf.getvalue(), "plan.xlsx")
    assert read.plan is None and read.report.errors[0].code == "column.missing"


def test_values_with_units(tmp_path: Path) -> None:
    p = tmp_path / "v.csv"
    p.write_text("item,year,value,unit\nT21,2024,1,甲\nT21,2024,0,乙\nT07,2024,33,\n", "utf-8")
    series, _ = load_values(p)
    assert series == {"T21@甲": {2024: 1.0}, "T21@乙": {2024: 0.0}, "T07": {2024: 33.0}}


# --- stored-data sources (#19): only the shape is read here; the store resolves the name ------


def test_a_target_may_name_a_stored_data_source() -> None:
    from cimon.analysis.plans import read_plan_yaml

    yaml = (
        "kind: plan\nid: s\narea: 西吉县\nitems:\n"
        "  - {code: H1, kind: level, target: 5, deadline: 2026,\n"
        "     source: {kind: registry_count, params: {kind: 高新技术企业, level: 国家级}}}\n"
        "  - {code: C1, kind: level, target: 100, deadline: 2026,\n"
        "     source: {kind: commissioner_coverage, level: village}}\n"
        "  - {code: X1, kind: level, target: 1, deadline: 2026, source: no_such_source}\n"
    )
    read = read_plan_yaml(yaml.encode(), "s.yaml")
    assert read.plan is not None, [i.render() for i in read.report]
    by = {i.code: i for i in read.plan.items}
    assert by["H1"].source == "registry_count" and by["H1"].source_kind == "computed"
    assert dict(by["H1"].source_params) == {"kind": "高新技术企业", "level": "国家级"}
    assert (by["C1"].source, dict(by["C1"].source_params)) == (
        "commissioner_coverage",
        {"level": "village"},
    )
    assert by["X1"].source == "no_such_source"  # an unknown name is refused by the store
    assert by["H1"].params == {}  # the source is no parameter of the kind

    # Excel: a 数据来源 column, the name then its parameters
    head = [*HEAD, "数据来源"]

    def book(cell: str) -> bytes:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(head)
        ws.append([*GOOD[0], cell])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    read = read_plan_xlsx(book("registry_count; kind=高新技术企业"), "plan.xlsx")
    assert read.plan is not None and read.columns["source"] == "J"
    p1 = read.plan.items[0]
    assert (p1.source, dict(p1.source_params)) == ("registry_count", {"kind": "高新技术企业"})
    read = read_plan_xlsx(book("registry_count; 高新技术企业"), "plan.xlsx")  # no name=value
    assert read.plan is None and {i.cell for i in read.report.errors} == {"J2"}


@pytest.mark.parametrize(
    "source",
    ["{kind: registry_count, params: [kind]}", "{params: {kind: x}}", "[registry_count]"],
)
def test_a_malformed_source_names_its_field(source: str) -> None:
    from cimon.analysis.plans import read_plan_yaml

    yaml = f"kind: plan\nitems:\n  - {{code: H1, target: 5, deadline: 2026, source: {source}}}\n"
    read = read_plan_yaml(yaml.encode(), "s.yaml")
    assert read.plan is None
    (issue,) = read.report.errors
    assert issue.cell == "items[0].source" and "数据来源" in issue.render("zh")
    assert "source" in issue.render("en")
