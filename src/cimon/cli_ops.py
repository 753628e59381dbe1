"""Operations commands (issue #21): backup, backup verify, restore, doctor.

Thin: each command points the settings at the database (``--db`` or the environment), calls
:mod:`cimon.ops` and prints what it returns; refusals are :class:`~cimon.ops.database.OpsError`
(a clean bilingual message, exit code 2).
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from cimon.cli_options import HELP, SQLITE_FILE, CimonGroup, output_lang

FOLDER = click.Path(file_okay=False, path_type=Path)


@click.group(
    "backup",
    cls=CimonGroup,
    invoke_without_command=True,
    help="备份平台：数据库的一致快照（运行中也可以），含全部报送文件、佐证材料和发布文件，以及"
    "存储目录（CIMON_STORAGE_DIR）中数据库记录引用的文件，附清单"
    "（版本、迁移状态、各表行数、每个文件的 SHA-256）；按保留规则删除旧备份。cimon backup verify "
    "校验一份备份 / Back the platform up: a consistent snapshot of the database (while it "
    "runs), with every submitted file, evidence file and download, the files its rows name "
    "in the storage folder (CIMON_STORAGE_DIR), and a manifest (release, "
    "migrations, rows per table, SHA-256 of every file); old backups are pruned by the "
    "retention rule. cimon backup verify checks one.",
    short_help="备份 / back up",
)
@click.option(
    "--out",
    type=FOLDER,
    help="备份目录（默认 CIMON_BACKUP_DIR），每次备份在其中新建 cimon-时间 子目录 / folder of "
    "the backups (default CIMON_BACKUP_DIR); each backup is a new cimon-<time> folder in it",
)
@click.option(
    "--keep-daily",
    default=7,
    show_default=True,
    type=click.IntRange(0),
    help="保留最近多少天的每日最后一份 / keep the newest backup of this many recent days",
)
@click.option(
    "--keep-monthly",
    default=12,
    show_default=True,
    type=click.IntRange(0),
    help="保留最近多少个月的每月最后一份 / keep the newest backup of this many recent months",
)
@click.option(
    "--verify",
    is_flag=True,
    help="备份后立即校验（恢复到临时数据库并核对，见 cimon backup verify）/ verify the new "
    "backup at once (restored into a scratch database and compared, as cimon backup verify)",
)
@SQLITE_FILE
@HELP
@click.pass_context
def backup(
    ctx: click.Context,
    out: Path | None,
    keep_daily: int,
    keep_monthly: int,
    verify: bool,
    db: Path | None,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from cimon.ops.backup import run_backup
    from cimon.ops.database import OpsError, use_database

    out = out or (
        Path(os.environ["CIMON_BACKUP_DIR"]) if os.environ.get("CIMON_BACKUP_DIR") else None
    )
    if out is None:
        raise OpsError(
            "请用 --out 指定备份目录，或设置环境变量 CIMON_BACKUP_DIR。",
            "Give the backup folder with --out, or set CIMON_BACKUP_DIR.",
            "cimon backup",
        )
    use_database(db)
    done = run_backup(out, keep_daily=keep_daily, keep_monthly=keep_monthly, verify=verify)
    click.echo(done.render(output_lang(ctx)))


@backup.command(
    "verify",
    help="校验一份备份：检查每个文件的 SHA-256，把它完整恢复到临时数据库（SQLite 临时文件或新建"
    "的 PostgreSQL 临时库，用后删除），核对各表行数和存储文件，不动正在使用的数据库 / Verify a "
    "backup: check every file's SHA-256, restore it in full into a scratch database (a "
    "temporary SQLite file, or a PostgreSQL database created and dropped) and compare rows "
    "and stored files, without touching the live database.",
    short_help="校验备份 / verify a backup",
)
@click.argument("folder", type=FOLDER)
@HELP
@click.pass_context
def backup_verify(ctx: click.Context, folder: Path) -> None:
    from cimon.ops.restore import verify

    click.echo(verify(folder).render(output_lang(ctx), verified=True))


@click.command(
    "restore",
    help="从备份恢复：先核对每个文件的 SHA-256，恢复到空数据库（不是空的则拒绝，除非加 --force），"
    "再核对各表行数和存储文件，把存储目录的文件写回 CIMON_STORAGE_DIR（逐个核对 SHA-256），"
    "并执行本版本新增的数据库迁移。恢复前请停止网络平台和后台任务进程 / "
    "Restore a backup: check every file's SHA-256, restore into an empty database (refused "
    "when it is not, unless --force), compare rows and stored files with the manifest, write "
    "the files of the storage folder back under CIMON_STORAGE_DIR (each SHA-256 checked), and "
    "apply the migrations this release adds. Stop the platform and its worker first.",
    short_help="从备份恢复 / restore a backup",
)
@click.argument("folder", type=FOLDER)
@click.option(
    "--force",
    is_flag=True,
    help="目标数据库不是空的也恢复（其中数据将被全部替换）/ restore even into a database "
    "holding data (all of it is replaced)",
)
@SQLITE_FILE
@HELP
@click.pass_context
def restore(ctx: click.Context, folder: Path, force: bool, db: Path | None) -> None:
    from cimon.ops.database import use_database
    from cimon.ops.restore import restore as do_restore

    use_database(db)
    click.echo(do_restore(folder, force=force).render(output_lang(ctx)))


@click.command(
    "doctor",
    help="检查安装是否可以正常运行：密钥、允许的主机名、调试模式、数据库连接与迁移、后台任务进程、"
    "磁盘空间、中文字体、存储目录的文件、最近一次备份；逐项说明如何处理，有问题时退出码 2 / Check the "
    "installation: secret key, allowed hosts, DEBUG, database and migrations, task worker, "
    "disk space, fonts, the stored files, the last backup; says how to fix each problem and exits with code 2 "
    "when there is one.",
    short_help="健康检查 / health check",
)
@SQLITE_FILE
@click.option(
    "--backups",
    type=FOLDER,
    help="备份目录（默认 CIMON_BACKUP_DIR）/ folder of the backups (default CIMON_BACKUP_DIR)",
)
@click.option(
    "--publications",
    is_flag=True,
    help="另外重算每个已发布版本，核对结果和下载文件逐字节一致（升级后运行）/ also regenerate "
    "every published version and compare results and downloads byte for byte (after an "
    "upgrade)",
)
@HELP
@click.pass_context
def doctor(ctx: click.Context, db: Path | None, backups: Path | None, publications: bool) -> None:
    from cimon.ops import doctor as dr

    dr.load_environment(db)
    found = dr.run_checks(backup_dir=backups, publications=publications)
    click.echo(dr.render(found, output_lang(ctx)))
    if not all(f.ok for f in found):
        ctx.exit(2)
