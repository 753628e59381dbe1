"""Upgrades: a database made by an earlier release (tests/ops/fixtures/README.md) is upgraded
by the current code (its migrations run forward on first use), every published version still
regenerates (the same results, downloads of the same content), every stored file is intact and
every page opens."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from .conftest import platform_env, run, unpack

#: the releases whose databases must keep working, oldest first (add each tagged release)
RELEASES = ["release-e9865b9", "release-e3b526b"]


def _stored(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Name and SHA-256 of every stored file, read straight from the SQLite file."""
    out = {}
    with sqlite3.connect(path) as conn:
        for table, name in (
            ("submissions_submission", "file_name"),
            ("submissions_evidencefile", "name"),
            ("evaluations_publicationfile", "name"),
        ):
            rows = conn.execute(f"SELECT {name}, content FROM {table} ORDER BY id").fetchall()
            out[table] = [(str(n), hashlib.sha256(bytes(c)).hexdigest()) for n, c in rows]
    return out


@pytest.mark.parametrize("release", RELEASES)
def test_a_database_of_an_earlier_release_upgrades_and_keeps_working(
    release: str, tmp_path: Path
) -> None:
    db = unpack(release, tmp_path / "old.sqlite3")
    before = _stored(db)
    assert (
        len(before["evaluations_publicationfile"]) >= 1
        and len(before["submissions_evidencefile"]) == 2
    )
    env = platform_env(tmp_path, CIMON_DB=str(db))

    facts = json.loads(run(["script:facts"], env, tmp_path).stdout)  # migrates forward first
    assert _stored(db) == before  # every stored byte survived the upgrade
    assert facts["publications"] and all(
        problems == [] and files >= 1 for _, _, files, problems, _ in facts["regenerated"]
    ), facts["regenerated"]
    # every file the old release stored is of an earlier layout: its hash is checked, not remade
    assert all(older == files for _, _, files, _, older in facts["regenerated"])
    assert all(computed == stored for _, computed, stored in facts["evidence"])
    assert all(stored == computed for _, stored, computed in facts["downloads"])

    pages = json.loads(run(["script:pages"], env, tmp_path).stdout)
    broken = {url: code for url, code in pages.items() if code not in (200, 302)}
    assert not broken, broken


def test_versions_published_before_the_rules_were_frozen_keep_their_money(tmp_path: Path) -> None:
    """The release before #13 published 2024 and then 2025 (fixture ``release-e9865b9-two-years``)
    and showed, on every surface, the literal reading's money (2025: 1,250万元 for the demo).
    After the upgrade (migration evaluations 0005) each version keeps the rules it was shown
    with: its API and dashboard amounts equal that release's output for the demo years
    (tests/analysis/data/incentives-before-13.json) and its stored workbook, although the new
    default reading (``overtaken``) would pay less."""
    db = unpack("release-e9865b9-two-years", tmp_path / "old.sqlite3")
    env = platform_env(tmp_path, CIMON_DB=str(db))
    got = json.loads(run(["script:incentives"], env, tmp_path).stdout)  # migrates forward first
    before = json.loads(
        (Path(__file__).parents[1] / "analysis/data/incentives-before-13.json").read_text("utf-8")
    )["nx-2021"]
    assert [(v["year"], v["version"], v["places"]) for v in got] == [
        (2024, 1, "literal"),
        (2025, 1, "literal"),
    ]
    for v in got:
        want = {code: int(amounts[0]) for code, amounts in before[str(v["year"])].items()}
        if v["year"] == 2024:  # the first published year: nothing to compare with, no money
            want = dict.fromkeys(want, 0)
        assert v["api"] == v["dashboard"] == v["xlsx"] == want, v["year"]
    assert sum(got[1]["api"].values()) == 12_500_000  # 1,250万元, not the 450万元 of overtaken
