"""Reports: Excel export, terminal summaries, the robustness workbook, the annual report
(:mod:`cimon.reports.annual`: Word, HTML, PDF, results workbook) and the bundled demo.

:func:`write_results` writes one evaluation to an Excel workbook; :func:`run_demo` evaluates every
demo year on the synthetic panel and runs the demo steps.
"""

from __future__ import annotations

from cimon.reports.demo import DEMO_STEPS, DemoReport, run_demo
from cimon.reports.excel import explain_flag, write_results

__all__ = ["DEMO_STEPS", "DemoReport", "explain_flag", "run_demo", "write_results"]
