"""``cimon registry check-code`` and ``check-list``: exit 0 when valid, 2 with the reason when not."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import Workbook

from cimon.cli import main

HUAWEI = "914403001922038216"  # 华为技术有限公司 (see tests/registry/test_codes.py)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_valid_code_exits_0() -> None:
    result = run("registry", "check-code", HUAWEI)
    assert result.exit_code == 0
    assert "有效" in result.output and "工商" in result.output and "440300" in result.output
    en = run("--lang", "en", "registry", "check-code", "９１４４０３００１９２２０３８２１６")
    assert en.exit_code == 0 and en.output.startswith(f"valid: {HUAWEI}")


def test_invalid_code_exits_2_with_the_reason() -> None:
    result = run("registry", "check-code", HUAWEI[:-1] + "7")
    assert result.exit_code == 2
    assert "第 18 位校验码应为“6”" in result.output
    assert "check character should be '6'" in result.output
    short = run("registry", "check-code", "12345")
    assert short.exit_code == 2 and "18" in short.output


def _list(tmp_path: Path, code: str) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["企业名称", "统一社会信用代码", "认定日期", "所在县区"])
    ws.append(["华为技术有限公司", code, "2019-11-28", "西吉县"])
    buf = io.BytesIO()
    wb.save(buf)
    path = tmp_path / "高企名单.xlsx"
    path.write_bytes(buf.getvalue())
    return path


def test_check_list(tmp_path: Path) -> None:
    good = run("registry", "check-list", str(_list(tmp_path, HUAWEI)))
    assert good.exit_code == 0 and "读取 1 行" in good.output
    bad = run("registry", "check-list", str(_list(tmp_path, HUAWEI[:-1] + "7")))
    assert bad.exit_code == 2
    assert "code.invalid" in bad.output and "高企名单.xlsx [Sheet!B2]" in bad.output


def test_check_list_against_another_region_registry(tmp_path: Path) -> None:
    regions = tmp_path / "regions.csv"
    regions.write_text(
        "code,name,city_code,city,province,type\n440305,南山区,440300,深圳市,广东省,区\n",
        encoding="utf-8",
    )
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["企业名称", "统一社会信用代码", "所在县区"])
    ws.append(["深圳市腾讯计算机系统有限公司", "91440300708461136T", "南山区"])
    path = tmp_path / "list.xlsx"
    wb.save(path)
    assert run("registry", "check-list", str(path)).exit_code == 2  # not a Ningxia county
    assert run("registry", "check-list", str(path), "--regions", str(regions)).exit_code == 0


def _hi_list(tmp_path: Path, rows: list[list[str]], name: str = "高企.xlsx") -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["企业名称", "统一社会信用代码", "证书编号", "认定日期", "所在县区"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    path = tmp_path / name
    path.write_bytes(buf.getvalue())
    return path


@pytest.mark.django_db
def test_import_review_list_and_count(tmp_path: Path) -> None:
    """import (a bad code refuses the list: exit 2), import again, a review item settled
    from the command line, then list and count with the records behind a count."""
    import numpy as np

    from cimon.registry.synthetic import synthetic_codes
    from cimon.store.registry.models import ReviewItem

    a, b, c = synthetic_codes(3, ["640422"], np.random.default_rng(3))
    bad = _hi_list(tmp_path, [["宁夏甲科技有限公司", a[:-1] + ("0" if a[-1] != "0" else "1"),
                               "GR1", "2020-11-28", "西吉县"]])  # fmt: skip
    r = run("registry", "import", str(bad), "--kind", "高新技术企业")
    assert r.exit_code == 2 and "第 18 位" in r.output
    good = _hi_list(tmp_path, [["宁夏甲科技有限公司", a, "GR1", "2020-11-28", "西吉县"],
                               ["宁夏甲科技股份有限公司", b, "GR2", "2020-11-28", "西吉县"]])  # fmt: skip
    r = run("registry", "import", str(good), "--kind", "高新技术企业")
    assert r.exit_code == 0 and "写入 2 行" in r.output
    again = _hi_list(tmp_path, [["宁夏甲科技有限责任公司", c, "GR3", "2021-03-01", "西吉县"]])
    r = run("registry", "import", str(again), "--kind", "高新技术企业")
    assert r.exit_code == 0 and "1 行待人工确认" in r.output
    item = ReviewItem.objects.get()
    r = run("registry", "count", "--year", "2021", "--county", "西吉县", "--kind", "高新技术企业")
    assert r.output.startswith("西吉县 高新技术企业 2021-12-31: 2")
    assert run("registry", "review", str(item.pk), "--new").exit_code == 0
    r = run("registry", "count", "--year", "2021", "--county", "西吉县", "--kind", "高新技术企业")
    assert r.output.startswith("西吉县 高新技术企业 2021-12-31: 3")
    assert "宁夏甲科技有限责任公司" in r.output and "GR3" in r.output
    assert run("registry", "review", str(item.pk), "--reject").exit_code == 2  # settled once
    r = run("registry", "list", "--county", "西吉县", "--search", "甲科技")
    assert r.exit_code == 0 and len(r.output.strip().splitlines()) == 3
    r = run("registry", "count", "--year", "2021")
    assert "640422\t西吉县\t高新技术企业\t\t3" in r.output
