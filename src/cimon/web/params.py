"""Reading the query string's numbers (page, per_page) as the list pages do: a bounded
decimal, else the default — never an error page for a hand-typed address."""

from __future__ import annotations


def int_param(text: str | None, default: int) -> int:
    """``text`` as a non-negative integer of at most six ASCII digits; ``default`` otherwise."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 7 else default
