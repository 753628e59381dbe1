"""ValidationReport: issues carry place, code and both languages; errors block, warnings need consent."""

from __future__ import annotations

import pytest

from cimon.intake.report import CODES, Issue, ValidationReport


def sample() -> ValidationReport:
    r = ValidationReport("统计局.xlsx")
    r.add(
        "value.not_number",
        "“abc”不是数字。",
        "'abc' is not a number.",
        "请填写数值。",
        "Enter a number.",
        sheet="数据",
        cell="D7",
        region="640422",
        region_name="西吉县",
        variable="rd_exp",
        value="abc",
    )
    r.add("value.jump", "增幅 250%。", "Up 250%.", sheet="数据", cell="E9")
    return r


def test_issue_place_and_severity_from_code():
    r = sample()
    err, warn = r.issues
    assert (err.severity, err.where, err.file) == ("error", "统计局.xlsx [数据!D7]", "统计局.xlsx")
    assert warn.severity == "warning"
    assert r.codes == ["value.not_number", "value.jump"]
    assert not r.ok and not r.accepts(accept_warnings=True)


def test_warnings_need_consent():
    r = ValidationReport("x.xlsx")
    r.add("value.jump", "变动大。", "Big change.", cell="B3")
    assert r.ok
    assert not r.accepts()
    assert r.accepts(accept_warnings=True)


def test_severity_override_and_unknown_code():
    r = ValidationReport("x")
    assert r.add("value.jump", "z", "e", severity="error").severity == "error"
    with pytest.raises(KeyError):
        r.add("no.such.code", "z", "e")
    with pytest.raises(ValueError):
        r.add("value.jump", "z", "e", severity="fatal")


def test_render_lists_errors_first_in_both_languages():
    text = sample().render()
    lines = text.splitlines()
    assert lines[0] == "统计局.xlsx：错误 1 处，警告 1 处"
    assert lines[1].startswith("[错误 value.not_number] 统计局.xlsx [数据!D7]: “abc”不是数字。")
    assert "处理：请填写数值。" in lines[1]
    assert lines[2].startswith("[error value.not_number]") and lines[2].endswith(
        "Fix: Enter a number."
    )
    short = sample().render("en", limit=1)
    assert "1 more not shown" in short and "[error" in short and "错误" not in short.splitlines()[1]


def test_json_round_trip():
    r = sample()
    back = ValidationReport.from_json(r.to_json())
    assert back == r
    assert isinstance(back.issues[0], Issue)


def test_frame_in_chinese_and_english():
    zh = sample().to_frame()
    assert list(zh.columns)[:5] == ["级别", "代码", "文件", "工作表", "单元格"]
    assert zh.iloc[0]["单元格"] == "D7" and zh.iloc[0]["问题"] == "“abc”不是数字。"
    en = sample().to_frame("en")
    assert en.iloc[0]["Problem"] == "'abc' is not a number."


def test_every_code_has_a_severity_and_two_titles():
    for code, (severity, zh, en) in CODES.items():
        assert severity in ("error", "warning"), code
        assert zh and en and zh != en, code
