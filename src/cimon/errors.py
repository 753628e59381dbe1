"""Domain errors: every user-facing failure says where (file, sheet, cell, key path) and what to do,
in Chinese and English. The CLI prints :meth:`CimonError.render` and exits non-zero, no traceback."""

from __future__ import annotations


class CimonError(Exception):
    """A failure the user can fix.

    Parameters
    ----------
    zh, en:
        The message in Simplified Chinese and English. Say what is wrong and what to do.
    where:
        The place: a file, optionally followed by a sheet/cell or a key path
        (``nx-2021.yaml: pillars[0].indicators[2].points``).
    """

    def __init__(self, zh: str, en: str, where: str | None = None) -> None:
        self.zh = zh
        self.en = en
        self.where = where
        super().__init__(self.render())

    def render(self, lang: str = "both") -> str:
        loc = f"{self.where}: " if self.where else ""
        if lang == "zh":
            return f"{loc}{self.zh}"
        if lang == "en":
            return f"{loc}{self.en}"
        return f"{loc}{self.zh}\n{loc}{self.en}"


class FrameworkError(CimonError):
    """A framework YAML file is invalid."""


class PanelError(CimonError):
    """A data panel cannot be used for the requested evaluation."""


class RegionError(CimonError):
    """A region name or code cannot be matched, or a registry file is invalid."""


class MethodError(CimonError):
    """A method name or its parameters are invalid, or a method cannot be applied to the data."""
