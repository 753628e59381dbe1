"""cimon — County Innovation Monitor (县域科技创新监测评价系统).

Import the pieces a researcher needs from here::

    import cimon
    fw = cimon.load_framework("nx-2021")
    panel = cimon.demo_panel()
    run = cimon.evaluate(fw, panel, year=2022)
    assert cimon.regen(run).equals(run)
"""

from __future__ import annotations

from cimon._version import __version__
from cimon.data.demo import demo_panel
from cimon.engine.pipeline import evaluate, evaluate_years, regen
from cimon.errors import CimonError
from cimon.model.framework import Framework, load_framework
from cimon.model.panel import Panel
from cimon.model.regions import RegionRegistry, default_registry

__all__ = [
    "CimonError",
    "Framework",
    "Panel",
    "RegionRegistry",
    "__version__",
    "default_registry",
    "demo_panel",
    "evaluate",
    "evaluate_years",
    "load_framework",
    "regen",
]
