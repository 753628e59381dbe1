"""Template helpers, loaded into every template (``TEMPLATES[…]["OPTIONS"]["builtins"]``).

``{% tr "中文" "English" %}`` prints the text of the active language; ``{{ issue|pick:"zh" }}``
reads a bilingual attribute pair (``zh``/``en``, ``fix_zh``/``fix_en``).
"""

from __future__ import annotations

from typing import Any

from django import template

from cimon.web.i18n import is_english, tr

register = template.Library()


@register.simple_tag(name="tr")
def tr_tag(zh: str, en: str) -> str:
    return tr(zh, en)


@register.filter(name="pick")
def pick(obj: Any, base: str) -> Any:
    """``obj.<base>`` in Chinese, ``obj.<base with zh → en>`` in English (dicts or objects)."""
    name = base.replace("zh", "en") if is_english() else base
    if isinstance(obj, dict):
        return obj.get(name, "")
    return getattr(obj, name, "")


@register.filter(name="get")
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter(name="bi")
def bilingual_half(text: Any) -> str:
    """``"中文 / English"`` → the half of the active language (labels stored in both)."""
    zh, sep, en = str(text).partition(" / ")
    return (en if is_english() else zh) if sep else str(text)
