"""The PDF: made offline by WeasyPrint from the HTML; its pages render to PNG with pdftoppm
(Debian package poppler-utils), its fonts are the bundled Noto fonts, embedded, and its text layer
has every county."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from cimon.engine.run import Run

from .conftest import YEAR


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is missing: install the Debian package poppler-utils (apt-get install -y poppler-utils)"
        )
    return path


def test_pages_render_to_png(files: dict[str, Path], tmp_path: Path) -> None:
    pdf = files["pdf"]
    info = subprocess.run(
        [tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 3 + 22  # title, contents, chapters, a page per county at least
    assert "A4" in info or "595.2 x 841.9" in info or "595.28 x 841.89" in info
    subprocess.run(
        [tool("pdftoppm"), "-r", "30", "-png", str(pdf), str(tmp_path / "p")], check=True
    )
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == pages
    for png in (pngs[0], pngs[len(pngs) // 2], pngs[-1]):
        with Image.open(png) as im:
            assert im.size[1] > im.size[0]  # portrait
            grey = ImageStat.Stat(im.convert("L"))
            # something is drawn: the page is not blank
            assert grey.extrema[0][0] < 200 and grey.mean[0] < 254.5


def test_fonts_embedded_and_text_has_every_county(
    files: dict[str, Path], runs: dict[int, Run]
) -> None:
    fonts = subprocess.run(
        [tool("pdffonts"), str(files["pdf"])], capture_output=True, text=True, check=True
    ).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("cimon-" in r[0] for r in rows), fonts
    assert all(r[-5] == "yes" for r in rows)  # emb
    text = subprocess.run(
        [tool("pdftotext"), str(files["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "县域科技创新年度评估报告" in text and f"{YEAR}年度" in text
    for name in runs[YEAR].results["name"]:
        assert name in text, name
    assert "未开展稳健性分析" not in text and "类别稳健性" in text


def test_pdf_uses_the_stand_ins_of_the_word_fonts(files: dict[str, Path]) -> None:
    """The title in bold serif (小标宋), chapter headings and captions in sans (黑体), the rest in
    serif (仿宋/楷体/宋体): the same families as the Word version, role by role."""
    fonts = subprocess.run(
        [tool("pdffonts"), str(files["pdf"])], capture_output=True, text=True, check=True
    ).stdout
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()}
    assert names == {"cimon-serif", "cimon-serif-Bold", "cimon-sans"}, fonts


def test_no_page_is_left_nearly_empty(files: dict[str, Path]) -> None:
    """Every page carries text beyond a lone heading and its page number (a chapter heading
    stranded on its own page, or a forced break after a short chapter, left pages blank)."""
    info = subprocess.run(
        [tool("pdfinfo"), str(files["pdf"])], capture_output=True, text=True, check=True
    ).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    for n in range(1, pages + 1):
        text = subprocess.run(
            [tool("pdftotext"), "-f", str(n), "-l", str(n), str(files["pdf"]), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        ink = [ch for ch in text if not ch.isspace() and ch not in "—0123456789"]
        assert len(ink) > 40, (n, text)
