"""No tofu, in the browser and in the PDF: a user named 刘鑫婷 and a line of rare characters of
the 通用规范汉字表 (levels 2 and 3) render with the bundled font — Chromium reports, for each
element, which font drew its glyphs (DevTools ``CSS.getPlatformFontsForNode``): any glyph drawn
by another font (a system fallback, or nothing: the .notdef box) fails the test. The same text in
a PDF made by the report's renderer is drawn only with the embedded bundled fonts and comes back
from its text layer. The API page's Chinese example (monospace) is checked the same way."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "刘鑫婷"


def rare_line() -> str:
    """Every 100th character of levels 2 and 3 of the 通用规范汉字表 (46 characters)."""
    from cimon.model.charsets import tongyong_guifan

    return (tongyong_guifan(2) + tongyong_guifan(3))[::100]


def _fonts_of(page: Any, selector: str) -> list[dict[str, Any]]:
    """The platform fonts Chromium used for the text of every element matching ``selector``."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    ids = cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": selector})["nodeIds"]
    assert ids, selector
    out: list[dict[str, Any]] = []
    for nid in ids:
        out += cdp.send("CSS.getPlatformFontsForNode", {"nodeId": nid})["fonts"]
    cdp.detach()
    return out


def _only_bundled(fonts: list[dict[str, Any]], at_least: int) -> None:
    others = [f for f in fonts if not (f["isCustomFont"] and f["familyName"] == "Noto Sans SC")]
    assert not others, f"glyphs drawn by other fonts (tofu on a machine without them): {others}"
    assert sum(f["glyphCount"] for f in fonts) >= at_least


def test_rare_names_render_in_the_browser(live_server: Any, browser: Any, shots: Path) -> None:
    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry
    from cimon.store.accounts.services import create_user

    line = rare_line()
    pw = "browser-test-password-1"
    fw, reg = load_framework("nx-2021"), default_registry()
    create_user(NAME, "admin", framework=fw, registry=reg, password=pw, display_name=line)
    create_user("liu", "viewer", framework=fw, registry=reg, display_name=NAME)
    base = live_server.url
    for label, size in (("desktop", (1366, 768)), ("phone", (390, 844))):
        ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
        page = ctx.new_page()
        loaded: list[str] = []
        page.on("request", lambda r, seen=loaded: seen.append(r.url))
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_username", NAME)
        page.fill("#id_password", pw)
        page.click("button[type=submit]")
        page.wait_for_url("**/")
        page.goto(f"{base}/accounts/users/")
        page.evaluate("document.fonts.ready")
        assert NAME in page.inner_text("header.top .who")
        cells = page.inner_text("table.users")
        assert line in cells and NAME in cells
        _only_bundled(_fonts_of(page, "header.top .who"), len(NAME))
        # every cell: user names, display names (the rare line), roles, scopes
        _only_bundled(_fonts_of(page, "table.users td, table.users th"), len(line) + 2 * len(NAME))
        # only the slices the page needs are downloaded, never all of them
        slices = [u for u in loaded if "/noto-sans-sc/slices/" in u]
        assert 0 < len(slices) <= len(line)
        page.screenshot(path=str(shots / f"fonts-users-{label}.png"), full_page=True)

        page.goto(f"{base}/api/")
        page.evaluate("document.fonts.ready")
        assert "年度没有已发布的评价结果" in page.inner_text("pre")
        _only_bundled(_fonts_of(page, "main h1, main p"), 20)
        # code examples: Latin in the system monospace font, every Chinese character (and
        # CJK punctuation) in the bundled font
        fonts = _fonts_of(page, "main pre")
        text = "".join(page.locator("main pre").all_inner_texts())
        wide = sum(1 for ch in text if ord(ch) >= 0x2E80)
        assert wide > 10
        ours = sum(f["glyphCount"] for f in fonts if f["familyName"] == "Noto Sans SC")
        assert ours >= wide, fonts
        ctx.close()


def test_rare_names_render_in_the_pdf(tmp_path: Path) -> None:
    """The annual report's PDF renderer (WeasyPrint) with a county table holding 刘鑫婷 and the
    rare line: the PDF embeds only the bundled fonts (a missing glyph would pull in a system
    font or none) and its text layer gives the characters back."""
    from cimon.reports.annual.document import Document, Heading, Para, Table
    from cimon.reports.annual.pdf import write_pdf

    line = rare_line()
    doc = Document("zh", "字形测试", "通用规范汉字", "测试单位", "2026年", "", "目录")
    doc.add(
        Heading(1, "一、人员", "people"),
        Para(f"联系人：{NAME}。生僻字：{line}。"),
        Table("names", "表1 姓名", ("序号", "姓名"), (("1", NAME), ("2", line))),
    )
    pdf = write_pdf(doc, tmp_path / "fonts.pdf")
    pdffonts, pdftotext = shutil.which("pdffonts"), shutil.which("pdftotext")
    if pdffonts is None or pdftotext is None:
        pytest.fail("pdffonts/pdftotext are missing: apt-get install -y poppler-utils")
    listing = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True)
    names = [row.split()[0] for row in listing.stdout.splitlines()[2:]]
    assert names and all(
        n.split("+")[-1] in ("cimon-sans", "cimon-serif", "cimon-serif-Bold") for n in names
    ), names
    # embedded (emb yes) and with a ToUnicode map (uni yes) for every font
    assert all(
        row.split()[-5:-2] == ["yes", "yes", "yes"] for row in listing.stdout.splitlines()[2:]
    )
    text = (
        subprocess.run(
            [pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
        )
        .stdout.replace("\n", "")
        .replace(" ", "")
    )
    assert NAME in text and line in text
