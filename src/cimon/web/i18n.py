"""Chinese first, English on request: the one switch every page and message goes through.

Messages in cimon carry both languages side by side (as :class:`cimon.errors.CimonError` does);
:func:`tr` picks the one of the active language, which Django's ``LocaleMiddleware`` sets from
the language switch in the page header (``/i18n/setlang/``) or the browser.
"""

from __future__ import annotations

from django.utils.translation import get_language


def is_english() -> bool:
    """Is English the active language of this request?"""
    return (get_language() or "zh-hans").lower().startswith("en")


def lang() -> str:
    """``en`` or ``zh``: the ``lang`` argument of the library's ``render`` functions."""
    return "en" if is_english() else "zh"


def tr(zh: str, en: str) -> str:
    """``zh`` or ``en``, whichever the active language is."""
    return en if is_english() else zh
