"""cimon — County Innovation Monitor (县域科技创新监测评价系统).

Import the pieces a researcher needs from here::

    import cimon
    fw = cimon.load_framework("nx-2021")
    panel = cimon.demo_panel()
    run = cimon.evaluate(fw, panel, year=2022)
    assert cimon.regen(run).equals(run)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from cimon.errors import CimonError
from cimon.model.framework import Framework, load_framework
from cimon.model.panel import Panel
from cimon.model.regions import RegionRegistry, default_registry

if TYPE_CHECKING:
    from cimon.engine.run import Run


def evaluate(*args: Any, **kwargs: Any) -> Run:
    """Evaluate one year; see :func:`cimon.engine.pipeline.evaluate`."""
    from cimon.engine.pipeline import evaluate as _evaluate

    return _evaluate(*args, **kwargs)


def evaluate_years(*args: Any, **kwargs: Any) -> dict[int, Run]:
    """Evaluate several years at once; see :func:`cimon.engine.pipeline.evaluate_years`."""
    from cimon.engine.pipeline import evaluate_years as _evaluate_years

    return _evaluate_years(*args, **kwargs)


def regen(*args: Any, **kwargs: Any) -> Run:
    """Re-run a Run from its stored inputs and log; see :func:`cimon.engine.run.regen`."""
    from cimon.engine.run import regen as _regen

    return _regen(*args, **kwargs)


def demo_panel() -> Panel:
    """The bundled synthetic (模拟数据) panel for the 22 counties of Ningxia."""
    from cimon.data.demo import demo_panel as _demo_panel

    return _demo_panel()


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
