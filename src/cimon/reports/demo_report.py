"""What a demo step works on (:mod:`cimon.reports.demo`): the :class:`DemoReport` with the runs,
text :class:`Section` blocks and files. Kept apart from the orchestration so that steps defined in
other modules (the annual report, robustness, the database) import these types and never the demo
itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cimon.engine.run import Run
from cimon.model.framework import Framework
from cimon.model.panel import Panel


@dataclass
class Section:
    """One block of terminal output: a title (Chinese and English) and a body."""

    title_zh: str
    title_en: str
    body: str

    def render(self, lang: str = "zh") -> str:
        title = self.title_en if lang == "en" else self.title_zh
        return f"{title}\n{self.body}"


@dataclass
class DemoReport:
    """Everything the demo produced: the runs by evaluation year, text sections and files."""

    framework: Framework
    panel: Panel
    runs: dict[int, Run]
    out_dir: Path
    lang: str = "zh"
    sections: list[Section] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    #: results of earlier steps that later steps reuse (e.g. ``"robustness"`` → {year: result})
    extras: dict[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        """All sections, then the list of files written."""
        parts = [s.render(self.lang) for s in self.sections]
        if self.files:
            head = "已写入文件：" if self.lang != "en" else "Files written:"
            parts.append("\n".join([head, *(f"  {p}" for p in self.files)]))
        return "\n\n".join(parts)


DemoStep = Callable[[DemoReport], None]
