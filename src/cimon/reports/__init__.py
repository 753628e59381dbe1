"""Reports: Excel export, terminal summaries and the bundled demo (annual report and county profiles
come later).

:func:`write_results` writes one evaluation to an Excel workbook; :func:`run_demo` evaluates every
demo year on the synthetic panel.
"""

from __future__ import annotations

from cimon.reports.demo import DEMO_STEPS, DemoReport, run_demo
from cimon.reports.excel import explain_flag, write_results

__all__ = ["DEMO_STEPS", "DemoReport", "explain_flag", "run_demo", "write_results"]
