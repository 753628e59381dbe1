"""A finding of ``cimon doctor``: one check's result, with what to do, in both languages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """The result of one check."""

    name_zh: str
    name_en: str
    ok: bool
    zh: str
    en: str
    fix_zh: str = ""
    fix_en: str = ""

    def render(self, lang: str) -> str:
        mark = "✓" if self.ok else "✗"
        if lang == "en":
            line = f"{mark} {self.name_en}: {self.en}"
            return line + (f"\n    to fix: {self.fix_en}" if self.fix_en else "")
        line = f"{mark} {self.name_zh}：{self.zh}"
        return line + (f"\n    处理办法：{self.fix_zh}" if self.fix_zh else "")


def _ok(name_zh: str, name_en: str, zh: str, en: str) -> Finding:
    return Finding(name_zh, name_en, True, zh, en)


def _problem(name_zh: str, name_en: str, zh: str, en: str, fix_zh: str, fix_en: str) -> Finding:
    return Finding(name_zh, name_en, False, zh, en, fix_zh, fix_en)
