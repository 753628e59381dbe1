"""cimon.tables: a column's kind decides how it is shown in each output; the tables are defined
once (#15)."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook

from cimon.analysis.incentives import Award
from cimon.analysis.money import Reason
from cimon.analysis.uncertainty import INCENTIVE_COLUMNS
from cimon.reports.annual.spec_table import to_report
from cimon.tables.render import dashboard_table, records, to_sheet, to_text, xlsx_table
from cimon.tables.spec import Column, TableSpec
from cimon.tables.specs import AWARDS, ROBUSTNESS_AWARDS
from cimon.vocab import Term

AWARD = Award(
    "640502", "=沙坡头区", 2025, "B", "A", "up", 2, 1_000_000, 250_000, 0, -250_000, 1_000_000,
    (Reason("jump", "由B类跃升到A类", "B to A"),),
)  # fmt: skip


def test_money_header_has_the_unit_only_where_the_cells_lack_it() -> None:
    jump = AWARDS.column("jump")
    assert jump.header("zh", "text") == jump.header("zh", "xlsx") == "跃升激励（元）"
    assert jump.header("en", "xlsx") == "Jump money (yuan)"
    assert jump.header("zh", "report") == jump.header("zh", "dashboard") == "跃升激励"
    assert jump.text(AWARD) == "1,000,000"
    assert jump.cell(AWARD) == 1_000_000 and jump.number_format == "#,##0"
    assert jump.shown(AWARD) == "100"  # the report: 万元, exact
    assert jump.shown(AWARD, money="yuan") == "1,000,000 元（100 万元）"
    assert AWARDS.column("reduction").shown(AWARD) == "-25"


def test_api_records_hold_raw_values_and_both_languages() -> None:
    (rec,) = records(AWARDS, [AWARD], lambda name, lang: f"{name}-{lang}")
    assert rec["jump"] == 1_000_000 and isinstance(rec["places"], int)
    assert rec["name"] == "=沙坡头区" and rec["name_en"] == "=沙坡头区-en"
    assert rec["explain_zh"] == "由B类跃升到A类" and rec["explain_en"] == "B to A"
    assert rec["class"] == "A" and rec["transition"] == "up"
    assert "explain" not in rec


def test_sheet_cells_are_typed_and_text_never_a_formula() -> None:
    ws = Workbook().active
    last = to_sheet(ws, AWARDS.shown_in("xlsx"), [AWARD])
    assert last == 2
    assert [c.value for c in ws[1]][:3] == ["区划代码", "县（市、区）", "上年类别"]
    name, jump = ws.cell(2, 2), ws.cell(2, 6)
    assert name.value == "=沙坡头区" and name.data_type == "s"
    assert jump.value == 1_000_000 and jump.number_format == "#,##0"


def test_every_renderer_reads_the_same_columns() -> None:
    spec = AWARDS.pick("name", "class_prev", "class", "total")
    heads, _, _ = xlsx_table(spec, [AWARD], "en")
    assert heads == ["County", "Class last year", "Class", "Total (yuan)"]
    assert to_text(spec, [AWARD], "en").splitlines()[0].split() == [
        "County", "Class", "last", "year", "Class", "Total", "(yuan)",
    ]  # fmt: skip
    table = to_report(spec, [AWARD], "en")
    assert table.heads == ("County", "Class last year", "Class", "Total")
    assert table.rows == (("=沙坡头区", "B", "A", "100"),) and table.class_col == 2
    page = dashboard_table(spec, [AWARD], "en")
    assert [h["text"] for h in page["heads"]] == list(table.heads)
    assert [c["text"] for c in page["rows"][0]["cells"]][3] == "1,000,000 yuan"


def test_a_missing_value_is_missing_everywhere() -> None:
    col = Column("p", Term("概率", "P"), "prob")
    spec = TableSpec("t", Term("表", "Table"), (col,))
    item = {"p": float("nan")}
    assert records(spec, [item]) == [{"p": None}]
    assert to_report(spec, [item]).rows == (("—",),)
    assert xlsx_table(spec, [item])[1] == [[None]]


def test_robustness_incentive_columns_are_the_analysis_frame() -> None:
    """The robustness table reads every column of the analysis' incentive frame."""
    assert ROBUSTNESS_AWARDS.keys() == [c for c in INCENTIVE_COLUMNS]


def test_api_schema_describes_every_field_of_the_tables() -> None:
    """The API's award and county objects require exactly the fields of the table definitions,
    and describe each of them (a column added to AWARDS or RESULTS needs its schema entry)."""
    from cimon.tables.render import record_keys
    from cimon.tables.specs import RESULTS
    from cimon.web.api.schema import openapi

    spec = openapi()

    def items(path: str, key: str) -> Any:
        op = spec["paths"][path]["get"]
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        item = schema["properties"][key]["items"]
        ref = item.get("$ref", "")
        return spec["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else item

    award = items("/api/v1/years/{year}/incentives", "awards")
    county = items("/api/v1/years/{year}/results", "results")
    assert award["required"] == record_keys(AWARDS.shown_in("api"))
    assert county["required"] == [*record_keys(RESULTS.shown_in("api")), "pillars"]
    for obj in (award, county):
        assert set(obj["properties"]) == set(obj["required"])
