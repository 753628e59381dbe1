"""cimon.store is a library: usable from plain Python without the web platform (issue #15)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cimon.store.source import DEMO, FILE, SourceError, choose_panel

SCRIPT = r"""
import json, sys
from cimon.store.setup import ensure_django
ensure_django()
from django.conf import settings
from cimon.data.demo import shipped_path
from cimon.store.platform import platform_framework, platform_registry
from cimon.store.source import choose_panel
from cimon.store.submissions.models import Submission
from cimon.store.submissions.queries import panel_as_of
from cimon.store.submissions.services import import_file

fw, reg = platform_framework(), platform_registry()
result = import_file(shipped_path(), framework=fw, registry=reg, user="script", accept_warnings=True)
panel = panel_as_of(None, fw)
chosen = choose_panel(fw, reg, None)
print(json.dumps({
    "settings": settings.SETTINGS_MODULE,
    "status": result.status,
    "current": Submission.objects.current().count(),
    "rows": len(panel.frame),
    "regions": panel.frame["region_code"].nunique(),
    "chosen": chosen.kind,
    "chosen_rows": len(chosen.panel.frame),
    "web": sorted(m for m in sys.modules if m.startswith("cimon.web")),
}))
"""


def test_the_store_works_without_the_web(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env["CIMON_DB"] = str(tmp_path / "lib.sqlite3")
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    facts = json.loads(out.stdout.strip().splitlines()[-1])
    assert facts["settings"] == "cimon.store.settings"
    assert facts["status"] == "accepted" and facts["current"] == 1
    assert facts["rows"] > 0 and facts["regions"] == 22
    assert facts["chosen"] == "database" and facts["chosen_rows"] == facts["rows"]
    assert facts["web"] == []  # not one module of cimon.web was imported
    assert (tmp_path / "lib.sqlite3").is_file()


def test_the_source_rule_without_a_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cimon.model.framework import load_framework
    from cimon.model.regions import default_registry

    fw, reg = load_framework("nx-2021"), default_registry()
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CIMON_DB", str(tmp_path / "none.sqlite3"))
    with pytest.raises(SourceError, match="--demo"):
        choose_panel(fw, reg, tmp_path / "x.csv", demo=True)
    forced = choose_panel(fw, reg, None, demo=True)
    assert forced.kind == DEMO and forced.note == "" and not forced.panel.frame.empty
    fallback = choose_panel(fw, reg, None)
    assert fallback.kind == DEMO and "no data in the database" in fallback.note
    assert not (tmp_path / "none.sqlite3").exists()  # asking created no database
    path = tmp_path / "panel.csv"
    forced.panel.frame.to_csv(path, index=False)
    from_file = choose_panel(fw, reg, path)
    assert from_file.kind == FILE and from_file.panel.source.endswith("panel.csv")
