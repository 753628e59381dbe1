"""Commands of the yearly cycle: compare, incentives, targets, diagnose (issue #4).

Thin: each command parses options, calls one library function and prints; domain errors
(:class:`cimon.errors.CimonError`) are turned into a clean message and exit code 2 by the main group.
"""

from __future__ import annotations

import click


def register(main: click.Group, group_cls: type[click.Group]) -> None:
    """Add this module's commands to the ``cimon`` group."""
