"""The indicator framework (指标体系): pillars → indicators → variables, loaded from YAML and validated.

A framework is data, not code: which indicators exist, their points, how each is derived from raw
variables and which method (with which parameters) scores it at every stage. Every error names the
file and the key path, in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from cimon.errors import FrameworkError
from cimon.model.framework_parse import (
    _parse_classes,
    _parse_indicator,
    _parse_pipeline,
    _parse_spec,
    _read_yaml,
    _reject_non_text_keys,
    parse_framework,
)
from cimon.model.framework_types import (
    DEFAULT_DEPARTMENTS,
    GLOBAL_STAGES,
    INDICATOR_STAGES,
    PROVENANCE,
    UNHASHED_KEYS,
    Check,
    ClassBand,
    Framework,
    Group,
    Indicator,
    Pillar,
    Variable,
    content_hash,
)
from cimon.model.framework_variables import (
    CHECK_OPS,
    COUNT_UNITS,
    NONNEGATIVE_UNITS,
    _Checker,
    _parse_checks,
    _parse_definitions,
    _parse_limits,
    _parse_variables,
    _unique,
)

__all__ = [
    "CHECK_OPS",
    "COUNT_UNITS",
    "DEFAULT_DEPARTMENTS",
    "GLOBAL_STAGES",
    "INDICATOR_STAGES",
    "NONNEGATIVE_UNITS",
    "PROVENANCE",
    "UNHASHED_KEYS",
    "Check",
    "ClassBand",
    "Framework",
    "Group",
    "Indicator",
    "Pillar",
    "Variable",
    "_Checker",
    "_parse_checks",
    "_parse_classes",
    "_parse_definitions",
    "_parse_indicator",
    "_parse_limits",
    "_parse_pipeline",
    "_parse_spec",
    "_parse_variables",
    "_read_yaml",
    "_reject_non_text_keys",
    "_unique",
    "bundled_frameworks",
    "content_hash",
    "load_framework",
    "parse_framework",
]


def bundled_frameworks() -> list[str]:
    """Ids of the frameworks shipped in ``cimon/data/frameworks``."""
    root = resources.files("cimon.data") / "frameworks"
    return sorted(p.name[:-5] for p in root.iterdir() if p.name.endswith(".yaml"))


def load_framework(ref: str | Path | Mapping[str, Any]) -> Framework:
    """Load and validate a framework.

    ``ref`` is a bundled id (``"nx-2021"``), a path to a YAML file, or an already-parsed mapping.
    Raises :class:`~cimon.errors.FrameworkError` naming the file and key path of the first problem.
    """
    if isinstance(ref, Mapping):
        return parse_framework(ref, source="<dict>")
    path = Path(ref)
    if not path.suffix and str(ref) in bundled_frameworks():
        res = resources.files("cimon.data") / "frameworks" / f"{ref}.yaml"
        return parse_framework(
            _read_yaml(res.read_text(encoding="utf-8"), f"{ref}.yaml"), f"{ref}.yaml"
        )
    if not path.exists():
        known = "、".join(bundled_frameworks())
        raise FrameworkError(
            f"找不到指标体系文件或内置指标体系“{ref}”。内置的有：{known}。",
            f"No framework file or bundled framework named '{ref}'. Bundled: {known}.",
            str(ref),
        )
    return parse_framework(_read_yaml(path.read_text(encoding="utf-8"), str(path)), str(path))
