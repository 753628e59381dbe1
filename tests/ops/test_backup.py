"""``cimon.ops.backup`` and ``cimon.ops.restore`` on SQLite files: what a backup holds, the
retention rule, and refusals (a damaged file, a missing row, a non-empty target, a newer
release, the other engine)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cimon.ops import backup as bk
from cimon.ops.database import Database, OpsError, sha256_file
from cimon.ops.manifest import MANIFEST, Manifest
from cimon.ops.restore import restore, verify

from .conftest import platform_env, run


@pytest.fixture
def backup_of_release(release_db: Path, tmp_path: Path) -> Path:
    return bk.make_backup(tmp_path / "backups", Database("sqlite", str(release_db)))


@pytest.fixture
def unblocked(django_db_blocker: Any) -> Any:
    """The restore migrates its target through a connection of its own (not the test
    database): let it."""
    with django_db_blocker.unblock():
        yield


def _newer_than(backup: Path) -> list[str]:
    """The migrations of the current code that the backup's database lacks (the release
    fixture predates some: each must run on restore), in the order they are applied."""
    from django.db.migrations.loader import MigrationLoader

    have = {f"{app}.{name}" for app, name in Manifest.read(backup).migrations}
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    plan: list[str] = []
    for leaf in graph.leaf_nodes():
        for app, name in graph.forwards_plan(leaf):
            if f"{app}.{name}" not in plan:
                plan.append(f"{app}.{name}")
    return [m for m in plan if m not in have]


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_backup_holds_the_database_and_a_manifest_of_everything(
    backup_of_release: Path, release_db: Path
) -> None:
    m = Manifest.read(backup_of_release)
    assert backup_of_release.name.startswith("cimon-") and m.vendor == "sqlite"
    assert m.release["cimon"] and ("evaluations", "0002_task_and_snapshot") in m.migrations
    copy = backup_of_release / "database.sqlite3"
    assert m.files["database.sqlite3"] == {"size": copy.stat().st_size, "sha256": sha256_file(copy)}
    assert m.tables["submissions_observation"] == _count(release_db, "submissions_observation")
    assert m.tables["submissions_evidencefile"] == 2
    names = {(f.table, f.name) for f in m.stored}
    # submitted workbooks, evidence files and the download of the published version
    assert ("submissions_evidencefile", "领导小组文件.pdf") in names
    assert ("submissions_evidencefile", "工作方案.pdf") in names
    assert any(t == "evaluations_publicationfile" for t, _ in names)
    assert any(t == "submissions_submission" for t, _ in names)
    with sqlite3.connect(release_db) as conn:
        stored = dict(conn.execute("SELECT name, sha256 FROM submissions_evidencefile"))
    assert {f.name: f.sha256 for f in m.stored if f.table == "submissions_evidencefile"} == stored
    assert not list((backup_of_release.parent).glob("*.partial"))


def test_restore_then_verify_round_trip(
    backup_of_release: Path, tmp_path: Path, unblocked: Any
) -> None:
    target = tmp_path / "new" / "cimon.sqlite3"
    done = restore(backup_of_release, Database("sqlite", str(target)))
    assert done.files == len(Manifest.read(backup_of_release).stored)
    assert sorted(done.migrated) == sorted(_newer_than(backup_of_release))
    assert "已恢复" in done.render("zh") and "every SHA-256 matches" in done.render("en")
    assert _count(target, "submissions_evidencefile") == 2
    # a second restore into the now used database is refused unless forced
    with pytest.raises(OpsError) as refused:
        restore(backup_of_release, Database("sqlite", str(target)))
    assert "--force" in refused.value.zh and "not empty" in refused.value.en
    restore(backup_of_release, Database("sqlite", str(target)), force=True)
    assert "备份校验通过" in verify(backup_of_release).render("zh", verified=True)


def test_one_changed_byte_is_refused_by_restore_and_verify(
    backup_of_release: Path, tmp_path: Path, unblocked: Any
) -> None:
    copy = backup_of_release / "database.sqlite3"
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0x01
    copy.write_bytes(bytes(data))
    target = tmp_path / "target.sqlite3"
    for attempt in (
        lambda: restore(backup_of_release, Database("sqlite", str(target))),
        lambda: verify(backup_of_release),
    ):
        with pytest.raises(OpsError) as refused:
            attempt()
        assert "database.sqlite3 已损坏" in refused.value.zh
        assert "file database.sqlite3 is damaged" in refused.value.en
    assert not target.exists()  # refused before touching it


def test_a_missing_row_is_refused_naming_the_table(
    backup_of_release: Path, tmp_path: Path, unblocked: Any
) -> None:
    """A copy that lost a row (its checksum made to match, so only the counts can tell)."""
    copy = backup_of_release / "database.sqlite3"
    with sqlite3.connect(copy) as conn:
        conn.execute(
            "DELETE FROM submissions_evidencefile WHERE id = "
            "(SELECT MAX(id) FROM submissions_evidencefile)"
        )
    manifest = json.loads((backup_of_release / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["database.sqlite3"] = {
        "size": copy.stat().st_size,
        "sha256": sha256_file(copy),
    }
    (backup_of_release / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    target = tmp_path / "target.sqlite3"
    for attempt in (
        lambda: restore(backup_of_release, Database("sqlite", str(target))),
        lambda: verify(backup_of_release),
    ):
        with pytest.raises(OpsError) as refused:
            attempt()
        assert "数据表 submissions_evidencefile：清单记录 2 行，恢复得到 1 行" in refused.value.zh
        assert "table submissions_evidencefile: 2 rows in the manifest, 1 restored" in (
            refused.value.en
        )
        assert "stored file submissions_evidencefile #" in refused.value.en
    assert not target.exists()  # checked in a staging file: the target was never written


def test_a_damaged_or_missing_manifest_is_refused(backup_of_release: Path) -> None:
    (backup_of_release / MANIFEST).write_text("{", encoding="utf-8")
    with pytest.raises(OpsError, match=r"manifest\.json"):
        verify(backup_of_release)
    (backup_of_release / MANIFEST).unlink()
    with pytest.raises(OpsError, match="Not a cimon backup folder"):
        verify(backup_of_release)


def test_a_backup_from_a_newer_release_or_the_other_engine_is_refused(
    backup_of_release: Path, tmp_path: Path
) -> None:
    path = backup_of_release / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["migrations"].append("evaluations.0099_from_the_future")
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(OpsError) as refused:
        restore(backup_of_release, Database("sqlite", str(tmp_path / "t.sqlite3")))
    assert "evaluations.0099_from_the_future" in refused.value.en
    with pytest.raises(OpsError) as other:
        restore(backup_of_release, Database("postgresql", "cimon"))
    assert "sqlite" in other.value.en and "postgresql" in other.value.en


def test_restore_runs_the_migrations_an_older_backup_lacks(
    backup_of_release: Path, tmp_path: Path, unblocked: Any
) -> None:
    """A backup taken before a release added a migration: simulated by removing the newest
    migration of an app from the copy (its table dropped, its row deleted)."""
    copy = backup_of_release / "database.sqlite3"
    with sqlite3.connect(copy) as conn:
        conn.execute(
            "DELETE FROM django_migrations WHERE app = 'submissions' AND name = '0002_deadline'"
        )
        conn.execute("DROP TABLE submissions_deadline")
    path = backup_of_release / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["migrations"].remove("submissions.0002_deadline")
    del manifest["tables"]["submissions_deadline"]
    manifest["tables"]["django_migrations"] -= 1
    manifest["files"]["database.sqlite3"] = {
        "size": copy.stat().st_size,
        "sha256": sha256_file(copy),
    }
    path.write_text(json.dumps(manifest), encoding="utf-8")
    target = tmp_path / "upgraded.sqlite3"
    newer = _newer_than(backup_of_release)
    done = restore(backup_of_release, Database("sqlite", str(target)))
    assert "submissions.0002_deadline" in newer
    assert sorted(done.migrated) == sorted(newer)
    assert _count(target, "submissions_deadline") == 0


def _fake(out: Path, when: datetime) -> Path:
    folder = out / f"cimon-{when.strftime(bk.STAMP)}"
    folder.mkdir(parents=True)
    (folder / MANIFEST).write_text("{}", encoding="utf-8")
    return folder


def test_retention_keeps_daily_and_monthly_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "backups"
    now = datetime(2026, 12, 7, 2, 15, tzinfo=UTC)
    # two a day for the last 20 days, then one on the 1st of each month for two years
    made = [_fake(out, now - timedelta(days=d, hours=h)) for d in range(20) for h in (0, 6)]
    made += [_fake(out, datetime(2026 - y, m, 1, 3, tzinfo=UTC)) for y in (1, 2) for m in (3, 9)]
    made += [_fake(out, datetime(2026, m, 1, 3, tzinfo=UTC)) for m in range(1, 12)]
    made_times = [b.taken for b in bk.backups(out)]
    stray = out / "notes"  # not a backup: never touched
    stray.mkdir()
    partial = out / "cimon-20261201T000000Z.partial"
    partial.mkdir()
    gone = bk.prune(out, keep_daily=7, keep_monthly=12)
    left = sorted(b.taken for b in bk.backups(out))
    # daily: the newest of each of the 7 newest days (Dec 1–7); monthly: the newest of each of
    # the 12 newest months (Dec 2026, which the daily rule kept, back to Jan 2026)
    daily = [t for t in left if t.date() >= datetime(2026, 12, 1).date()]
    assert [t.day for t in daily] == [1, 2, 3, 4, 5, 6, 7]
    assert all(t == max(m for m in made_times if m.date() == t.date()) for t in daily)
    months = sorted({(t.year, t.month) for t in left})
    assert months == [(2026, m) for m in range(1, 13)] and len(left) == 7 + 11
    assert all(not p.exists() for p in gone) and len(gone) == len(made) - len(left)
    assert stray.is_dir() and partial.is_dir()
    assert bk.newest(out) is not None and bk.newest(out).taken == now  # type: ignore[union-attr]


def test_retention_always_keeps_the_newest(tmp_path: Path) -> None:
    out = tmp_path / "b"
    only = _fake(out, datetime(2020, 1, 1, tzinfo=UTC))
    assert bk.prune(out, keep_daily=0, keep_monthly=0) == [] and only.is_dir()


def test_cli_backup_prunes_and_restore_refuses_with_exit_code_2(
    release_db: Path, tmp_path: Path
) -> None:
    env = platform_env(tmp_path)
    old = _fake(tmp_path / "bk", datetime(2020, 1, 1, tzinfo=UTC))
    _fake(tmp_path / "bk", datetime(2020, 1, 2, tzinfo=UTC))
    out = run(
        [
            "backup",
            "--out",
            "bk",
            "--db",
            str(release_db),
            "--keep-daily",
            "1",
            "--keep-monthly",
            "1",
            "--verify",
        ],
        env,
        tmp_path,
    )
    assert "已备份" in out.stdout and "pruned by the retention rule" in out.stdout
    assert "备份校验通过" in out.stdout
    assert not old.exists() and len(bk.backups(tmp_path / "bk")) == 1
    folder = bk.backups(tmp_path / "bk")[0].path
    refused = run(["restore", str(folder), "--db", str(release_db)], env, tmp_path, check=False)
    assert refused.returncode == 2 and "--force" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
