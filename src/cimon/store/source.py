"""Where the data of a command comes from: one rule for every command and the platform.

A ``--data`` file if given; else the bundled demo panel when asked for (``--demo``); else the
accepted data in the database, or the bundled demo panel when there is no database or it holds
no accepted data (the first run of a fresh checkout). :func:`choose_panel` applies the rule and
says which it took; :func:`database_panel` reads the database as of a moment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cimon.errors import CimonError, PanelError
from cimon.model.framework import Framework
from cimon.model.panel import Panel
from cimon.model.regions import RegionRegistry

FILE = "file"
DATABASE = "database"
DEMO = "demo"


class SourceError(CimonError):
    """The data source asked for is contradictory (a file and the demo at once)."""


@dataclass(frozen=True)
class Chosen:
    """The panel :func:`choose_panel` chose, where it came from (``file``, ``database`` or
    ``demo``) and the note a command shows about it (empty: nothing to say)."""

    panel: Panel
    kind: str
    note: str = ""


def database_exists() -> bool:
    """Is there a database to read: ``DATABASE_URL`` set, or the SQLite file (``CIMON_DB`` or
    ./cimon.sqlite3) present? Asking creates nothing."""
    sqlite = Path(os.environ.get("CIMON_DB") or "cimon.sqlite3").expanduser()
    return bool(os.environ.get("DATABASE_URL")) or sqlite.exists()


def database_panel(framework: Framework, as_of: datetime | None = None) -> Panel:
    """The accepted data stored as of ``as_of`` (default now; a naive time is local time), with
    ``panel.source`` naming the database and the moment. Sets Django up on first use; raises
    :class:`~cimon.errors.PanelError` when nothing is stored."""
    from cimon.store.setup import database_label, ensure_django

    ensure_django()
    from django.utils import timezone

    from cimon.store.submissions.queries import local_time, panel_as_of

    moment = as_of or timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # local time (settings.TIME_ZONE)
    panel = panel_as_of(moment, framework)
    # the run records which data it used: the database and the moment, in the one local zone
    shown = local_time(moment, zone=True)
    panel.source = f"数据库 / database {database_label()} @ {shown}"
    if panel.frame.empty:
        when = f"（截至 {shown}）" if as_of else ""
        when_en = f" (as of {shown})" if as_of else ""
        raise PanelError(
            f"数据库中没有已接受的数据{when}。请先用 cimon import 导入报送文件，或用 --data 指定数据文件。",
            f"No accepted data in the database{when_en}. Import submissions with cimon import "
            "first, or give a data file with --data.",
            database_label(),
        )
    return panel


def choose_panel(
    framework: Framework, registry: RegionRegistry, data: Path | None, demo: bool = False
) -> Chosen:
    """The panel to work on when no moment is given (module rule): ``data`` if given; the
    bundled demo with ``demo``; else the accepted data in the database now, or the demo when
    there is none. Giving both ``data`` and ``demo`` is a :class:`SourceError`."""
    from cimon.data.demo import demo_panel
    from cimon.model.panel_file import read_panel

    if data is not None and demo:
        raise SourceError("--demo 与 --data 不能同用", "use either --demo or --data, not both")
    if data is not None:
        return Chosen(read_panel(data, registry, framework), FILE)
    if demo:
        return Chosen(demo_panel(), DEMO)
    if database_exists():
        try:
            panel = database_panel(framework)
        except PanelError:
            pass
        else:
            return Chosen(panel, DATABASE, f"数据来源 / data: {panel.source}")
    return Chosen(
        demo_panel(),
        DEMO,
        "数据库中没有已接受的数据，使用内置模拟数据 / no data in the database: using the bundled "
        "synthetic demo panel",
    )
