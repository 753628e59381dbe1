"""Small wording helpers shared by the report's composers: numbers as the report prints them and
Chinese ordinals. Numbers are only formatted here, never computed."""

from __future__ import annotations

from cimon.analysis.compare import TRANSITIONS
from cimon.analysis.money import wan as wan  # 万元, exact (re-exported for the renderers)
from cimon.tables.spec import percent as percent  # a probability as the report writes it

DASH = "—"
_DIGITS = "零一二三四五六七八九"


def t(zh: str, en: str, lang: str) -> str:
    return en if lang == "en" else zh


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (1–99)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


def chapter(n: int, text: str, lang: str) -> str:
    return f"{n} {text}" if lang == "en" else f"{cn_number(n)}、{text}"


def section(n: int, m: int, text: str, lang: str) -> str:
    return f"{n}.{m} {text}" if lang == "en" else f"（{cn_number(m)}）{text}"


def score(x: float | None) -> str:
    """A published score: two decimals."""
    return DASH if x is None else f"{x:.2f}"


def fmt_score(value: object, decimals: object = 2) -> str:
    """Any score-like value (float, int, numeric string, ``None``/NaN) at ``decimals`` places —
    the framework's published precision (``Framework.rounding``) — keeping trailing zeros:
    ``fmt_score(84, 2) == "84.00"``; a value that is not a number is shown unchanged, a missing
    one as ``—``."""
    import math

    try:
        places = max(0, min(int(str(decimals)), 6))
    except ValueError:
        places = 2
    if value is None or value == "":
        return DASH
    try:
        x = float(str(value))
    except ValueError:
        return str(value)
    return DASH if math.isnan(x) else f"{x:.{places}f}"


#: Chinese names of the scoring methods' parameters (附表2); a name not listed shows as is
PARAM_ZH = {
    "floor": "下限",
    "target": "目标值",
    "g_star": "目标增速",
    "base_mean": "基期全省平均",
    "cap": "上限",
    "lo": "下限",
    "hi": "上限",
    "max_points": "满分",
    "constant": "常数",
    "ddof": "自由度",
}


def method_text(stage: str, spec: dict[str, object], lang: str) -> tuple[str, str]:
    """(method, parameters) of a logged method spec as the report prints them: in Chinese the
    method's ``title_zh`` and ``目标值 2.5，下限 0``; in English ``target`` and
    ``target=2.5, floor=0``."""
    from cimon.engine.base import method_class

    params = dict(spec)
    name = str(params.pop("method", ""))

    def value(v: object) -> str:
        return f"{v:g}" if isinstance(v, float) else "—" if v is None else str(v)

    if lang == "en":
        return name, ", ".join(f"{k}={value(v)}" for k, v in params.items())
    try:
        title = method_class(stage, name).title_zh or name
    except Exception:  # a method no longer registered: its name
        title = name
    return title, "，".join(f"{PARAM_ZH.get(k, k)} {value(v)}" for k, v in params.items())


def signed(x: float | None, digits: int = 2) -> str:
    """A change with its sign: +3.20, -1.05, 0.00."""
    if x is None:
        return DASH
    if round(x, digits) == 0:
        return f"{0:.{digits}f}"
    return f"{x:+.{digits}f}"


def signed_int(x: int | None) -> str:
    if x is None:
        return DASH
    return f"{x:+d}" if x else "0"


def integer(x: int | None) -> str:
    return DASH if x is None else str(x)


def percent_or(p: object, missing: str = DASH) -> str:
    """:func:`percent` of a probability that may be absent: ``missing`` for ``None``, NaN or
    anything not a number (e.g. P(jump) where the nominal result has no jump)."""
    try:
        v = float(p)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return missing
    return missing if v != v else percent(v)


def transition(kind: str, lang: str) -> str:
    zh, en = TRANSITIONS.get(kind, (kind, kind))
    return t(zh, en, lang)


def class_name(label: str | None, lang: str) -> str:
    if label is None:
        return DASH
    return t(f"{label}类", f"class {label}", lang)


def join(items: list[str], lang: str) -> str:
    return ("; " if lang == "en" else "；").join(items)


def listing(items: list[str], lang: str) -> str:
    return (", " if lang == "en" else "、").join(items)
