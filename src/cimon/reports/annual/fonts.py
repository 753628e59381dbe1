"""Chinese fonts for every renderer of the annual report.

The machines have no CJK font, and matplotlib, WeasyPrint and browsers fall back *silently* to empty
boxes. cimon therefore depends on the pip package ``pylopdf-fonts-zh-cn`` (Noto Sans SC and Noto
Serif SC, SIL Open Font License 1.1) and registers its two fonts with each renderer:

* **matplotlib**: :func:`register_matplotlib` adds both files to the font manager; charts draw with
  :data:`SANS` (:func:`chart_rc`).
* **HTML**: :func:`font_face_css` writes ``@font-face`` rules whose ``src`` is a data URI holding a
  subset of the font with only the characters the page uses (WOFF), so the page is self-contained
  and stays small.
* **WeasyPrint (PDF)**: the same ``@font-face`` rules, read through one shared
  ``FontConfiguration`` (:func:`weasy_font_config`); each part of the page (title, chapter and
  section headings, body, tables, captions) uses the bundled font that stands in for the Word
  version's 公文 font of the same part (:func:`stand_in`, :func:`css_family`), so the PDF and the
  Word file use the same families.
* **Word**: a .docx names fonts; it cannot carry them. :data:`WORD_FONTS` names the fonts of Chinese
  government documents (方正小标宋简体, 黑体, 楷体_GB2312, 仿宋_GB2312) and, for each, the fonts
  Word should substitute when it is not installed (written into the document's font table as
  ``w:altName``; see :mod:`cimon.reports.annual.docx`).
* **LibreOffice** (optional Word → PDF route): :func:`write_fontconfig` writes a fontconfig file
  that adds the bundled fonts and maps the Word font names onto them.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from pathlib import Path
from typing import Any

from cimon.errors import CimonError

SANS = "Noto Sans SC"
SERIF = "Noto Serif SC"

#: role → (font name, substitutes in order); the first is what GB/T 9704 documents use
WORD_FONTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "title": ("方正小标宋简体", ("方正小标宋_GBK", "华文中宋", "宋体", SERIF)),
    "heading1": ("黑体", ("SimHei", "微软雅黑", SANS)),
    "heading2": ("楷体_GB2312", ("楷体", "KaiTi", SERIF)),
    "heading3": ("仿宋_GB2312", ("仿宋", "FangSong", SERIF)),
    "body": ("仿宋_GB2312", ("仿宋", "FangSong", SERIF)),
    "table": ("宋体", ("SimSun", SERIF)),
}
#: Latin text in Word documents
WORD_LATIN = "Times New Roman"


def stand_in(role: str) -> str:
    """The bundled family that stands in for the Word font of ``role`` (:data:`WORD_FONTS`) in
    the PDF, the HTML and LibreOffice: Noto Sans SC for 黑体 (both are 黑体/gothic designs), Noto
    Serif SC for 方正小标宋, 仿宋, 楷体 and 宋体 (no free 仿宋 or 楷体 covers the 通用规范汉字表 and
    ships as a pip package; a 宋体 design is the nearest of the two bundled fonts). Every
    Chinese character of these fonts is one em wide, as in the Word fonts, so Chinese lines break
    at the same characters in the PDF as in Word."""
    return SANS if WORD_FONTS[role][0] == "黑体" else SERIF


def css_family(role: str) -> str:
    """``font-family`` value for ``role`` in the report's HTML and PDF: the embedded stand-in
    ("cimon sans"/"cimon serif", :func:`font_face_css`), then the Word font's own names for a
    reader who has them, then the generic family."""
    name, subs = WORD_FONTS[role]
    kind = "sans" if stand_in(role) == SANS else "serif"
    names = ", ".join(f'"{n}"' for n in (stand_in(role), name, *subs[:2]))
    return f'"cimon {kind}", {names}, {"sans-serif" if kind == "sans" else "serif"}'


def font_files() -> dict[str, Path]:
    """``{"sans": path, "serif": path}`` of the bundled OFL fonts.

    Raises
    ------
    CimonError
        when the font package is not installed (say which and how to install it).
    """
    try:
        import pylopdf_fonts_zh_cn as pkg
    except ImportError:
        raise CimonError(
            "未安装中文字体包 pylopdf-fonts-zh-cn，图表和 PDF 中的中文会显示为方框。请运行 "
            "pip install pylopdf-fonts-zh-cn（或重新安装 cimon）。",
            "The Chinese font package pylopdf-fonts-zh-cn is not installed: Chinese text in charts "
            "and PDFs would show as empty boxes. Run pip install pylopdf-fonts-zh-cn (or reinstall "
            "cimon).",
            "pylopdf-fonts-zh-cn",
        ) from None
    files = {"sans": Path(pkg.sans_path()), "serif": Path(pkg.serif_path())}
    for path in files.values():
        if not path.is_file():
            raise CimonError(
                "中文字体文件缺失，请重新安装 pylopdf-fonts-zh-cn。",
                "A Chinese font file is missing; reinstall pylopdf-fonts-zh-cn.",
                str(path),
            )
    return files


@lru_cache(maxsize=1)
def register_matplotlib() -> str:
    """Add the bundled fonts to matplotlib's font manager (once) and return the sans family name."""
    from matplotlib import font_manager

    for path in font_files().values():
        font_manager.fontManager.addfont(str(path))
    return SANS


def chart_rc() -> Any:
    """matplotlib rc settings for report charts: the bundled sans font first, minus signs that the
    font has."""
    family = register_matplotlib()
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [family, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
    }


@lru_cache(maxsize=4)
def cmap(kind: str = "sans") -> frozenset[int]:
    """Code points the bundled ``sans`` or ``serif`` font covers."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(font_files()[kind]), lazy=True)
    return frozenset(font.getBestCmap())


def missing_glyphs(text: str, kind: str = "sans") -> set[str]:
    """Characters of ``text`` (other than white space) the bundled font does not cover."""
    have = cmap(kind)
    return {ch for ch in text if not ch.isspace() and ord(ch) not in have}


@lru_cache(maxsize=8)
def subset_font(kind: str, chars: str) -> bytes:
    """The bundled ``kind`` font cut down to ``chars`` (plus ASCII), as WOFF bytes."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    opts = subset.Options()
    opts.flavor = "woff"
    opts.layout_features = []
    opts.hinting = False
    opts.notdef_outline = True
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and the OFL licence names
    opts.recalc_bounds = False  # the glyph outlines are unchanged: keep the stored bounds
    font = TTFont(str(font_files()[kind]), lazy=True, recalcBBoxes=False)
    sub = subset.Subsetter(opts)
    ascii_ = "".join(chr(c) for c in range(0x20, 0x7F))
    sub.populate(text=chars + ascii_ + "，。、；：？！“”‘’（）《》—…·％＋－")
    sub.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    return out.getvalue()


def font_face_css(text: str) -> str:
    """``@font-face`` rules for both bundled fonts, embedded as data URIs holding only the
    characters of ``text``. The families are called "cimon sans" and "cimon serif" so they never
    clash with fonts installed on the reader's machine."""
    chars = "".join(sorted({ch for ch in text if ord(ch) > 0x7F}))
    rules = []
    for kind in ("sans", "serif"):
        data = base64.b64encode(subset_font(kind, chars)).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "cimon {kind}"; '
            f'src: url("data:font/woff;base64,{data}") format("woff"); '
            "font-weight: normal; font-style: normal; }"
        )
    return "\n".join(rules)


def write_fontconfig(folder: str | Path) -> Path:
    """Write ``fonts.conf`` for LibreOffice (or any fontconfig program) into ``folder``: the system
    configuration, the bundled fonts' folder, and each Word font name of :data:`WORD_FONTS` mapped
    to the bundled font that stands in for it. Use it for the optional Word → PDF route::

        FONTCONFIG_FILE=<folder>/fonts.conf soffice --headless --convert-to pdf report.docx
    """
    from html import escape

    out = Path(folder) / "fonts.conf"
    out.parent.mkdir(parents=True, exist_ok=True)
    dirs = sorted({str(p.parent) for p in font_files().values()})
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        "<fontconfig>",
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
        *(f"  <dir>{escape(d)}</dir>" for d in dirs),
    ]
    for role, (name, _subs) in WORD_FONTS.items():
        lines.append(
            f"  <alias><family>{escape(name)}</family><prefer><family>{stand_in(role)}</family></prefer></alias>"
        )
    lines.append("</fontconfig>")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


@lru_cache(maxsize=1)
def weasy_font_config() -> Any:
    """The one WeasyPrint ``FontConfiguration`` every PDF of the process shares."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()
