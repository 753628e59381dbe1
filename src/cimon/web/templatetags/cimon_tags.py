"""Template helpers, loaded into every template (``TEMPLATES[…]["OPTIONS"]["builtins"]``).

``{% tr "中文" "English" %}`` prints the text of the active language; ``{{ issue|pick:"zh" }}``
reads a bilingual attribute pair (``zh``/``en``, ``fix_zh``/``fix_en``); ``{{ r.name|place }}``
shows a county or city name in the active language (the registry's English name in English);
``{{ r.score|score:decimals }}`` prints a score with the framework's decimals.
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


@register.filter(name="place")
def place(name: Any) -> Any:
    """A county or 设区市 name (Chinese, the identifier) as the page shows it: unchanged in
    Chinese, the registry's English name in English (:func:`cimon.model.regions.display_name`;
    the Chinese name when the registry has none)."""
    if not is_english() or not isinstance(name, str) or not name:
        return name
    from cimon.model.regions import display_name
    from cimon.store.platform import platform_registry

    return display_name(name, "en", platform_registry())


@register.filter(name="score")
def score(value: Any, decimals: Any = 2) -> str:
    """A score (or a change of score) with the framework's published decimals (``rounding``):
    84 → ``84.00`` at 2 decimals, so trailing zeros are never lost; ``None``/NaN → ``—``."""
    from cimon.vocab import fmt_score

    return fmt_score(value, decimals)


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
