"""What the command modules share: the group class that maps errors to exit codes, the common
options (one definition, one help text in both languages) and the helpers every command uses.

The ``cimon`` group is assembled in :mod:`cimon.cli`; the command modules (``cli_yearly``,
``cli_intake``, ``cli_report``, ``cli_robustness``, ``cli_serve``, ``cli_ops``) import only from
here, never from each other or from :mod:`cimon.cli`.

Exit codes: a domain error (:class:`~cimon.errors.CimonError`) prints its Chinese and English
message on stderr — naming the file and the place (key path, sheet!cell or line) — and exits with
code 2, without a traceback. Any other exception is a bug: a one-line message and exit code 1
(``--debug`` shows the traceback).
"""

from __future__ import annotations

import getpass
import io
import os
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from cimon.errors import CimonError

if TYPE_CHECKING:
    from cimon.analysis.codes import CodeMap
    from cimon.engine.run import Run
    from cimon.model.framework import Framework
    from cimon.model.panel import Panel
    from cimon.model.regions import RegionRegistry

F = TypeVar("F", bound=Callable[..., Any])
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]

EXIT_DOMAIN = 2
"""A domain error (bad input, refused operation): the message says what to fix."""
EXIT_BUG = 1
"""Any other exception: a bug in cimon."""

LANGS = click.Choice(["zh", "en"])

# --- the group: domain errors → a clean message and exit code 2 -------------------------------------


class CimonGroup(click.Group):
    """A click group that turns domain errors into a clean message and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CimonError as exc:
            click.echo(exc.render("both"), err=True)
            ctx.exit(EXIT_DOMAIN)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BrokenPipeError:  # `cimon … | head`: the reader left; not an error of ours
            _silence_stdout()
            ctx.exit(EXIT_BUG)
        except Exception as exc:
            if ctx.find_root().params.get("debug"):
                raise
            click.echo(
                f"内部错误（这是 cimon 的缺陷，请加 --debug 重新运行并报告）：{type(exc).__name__}: {exc}\n"
                f"Internal error (a bug in cimon; rerun with --debug and report it): "
                f"{type(exc).__name__}: {exc}",
                err=True,
            )
            ctx.exit(EXIT_BUG)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


# --- options --------------------------------------------------------------------------------------

HELP = click.help_option("--help", "-h", help="显示帮助并退出 / show this help and exit")

FRAMEWORK = click.option(
    "--framework",
    "-f",
    default="nx-2021",
    show_default=True,
    metavar="ID|FILE",
    help="指标体系（内置编号或 YAML 文件）/ framework: bundled id or YAML file",
)

REGIONS = click.option(
    "--regions",
    type=click.Path(dir_okay=False, path_type=Path),
    help="区划表 CSV（默认内置宁夏22县）/ region registry CSV (default: bundled Ningxia, 22 counties)",
)

DATA = click.option(
    "--data",
    "-d",
    type=click.Path(dir_okay=False, path_type=Path),
    help="数据文件（.xlsx/.csv；默认读数据库，数据库无数据时用内置模拟数据）/ data file "
    "(.xlsx/.csv; default: the database, or the bundled synthetic demo panel when it has "
    "no data)",
)

DEMO = click.option(
    "--demo",
    is_flag=True,
    help="使用内置模拟数据（即使数据库中有数据）/ use the bundled synthetic demo panel (even "
    "when the database has data)",
)

CODE_MAP = click.option(
    "--code-map",
    type=click.Path(dir_okay=False, path_type=Path),
    help="区划代码变更表（CSV/XLSX/YAML：old_code,new_code,kind）/ code-change table "
    "(old_code,new_code,kind)",
)

SQLITE_FILE = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite 数据库文件（默认 ./cimon.sqlite3；设置 DATABASE_URL 时不用）/ SQLite "
    "database file (default ./cimon.sqlite3; ignored when DATABASE_URL is set)",
)


def data_options(fn: F) -> F:
    """``--framework``, ``--data``, ``--demo``, ``--regions``: where the commands of the yearly
    cycle, ``report`` and ``robustness`` take their data from (see :func:`load`)."""
    return FRAMEWORK(DATA(DEMO(REGIONS(fn))))


def out_option(default: str) -> Decorator:
    """``--out``/``-o``: the Excel workbook a command writes, ``default`` when not given."""
    return click.option(
        "--out",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"输出 Excel 工作簿（默认 {default}）/ output Excel workbook (default {default})",
    )


def out_file(*suffixes: str, required: bool = False) -> Decorator:
    """``--out``: the file a command writes, ending in one of ``suffixes`` (``.docx``,
    ``.xlsx``); another ending is refused (:func:`refuse`) before the command runs."""
    zh, en = " 或 ".join(suffixes), " or ".join(suffixes)

    def check(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
        if value is not None and value.suffix.lower() not in suffixes:
            refuse(
                ctx,
                f"输出文件 {value.name} 须以 {zh} 结尾。",
                f"The output file {value.name} must end in {en}.",
            )
        return value

    return click.option(
        "--out",
        type=click.Path(dir_okay=False, path_type=Path),
        required=required,
        default=None,
        callback=check,
        help=f"输出的 {zh} 文件 / the {en} file to write",
    )


def parse_moment(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    """``--as-of``: an ISO date or date-time; without a zone it is Asia/Shanghai time."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"“{value}”不是 ISO 日期时间，例如 2024-05-01 或 2024-05-01T10:30:00+08:00 / "
            f"'{value}' is not an ISO date-time, e.g. 2024-05-01 or 2024-05-01T10:30:00+08:00",
            ctx=ctx,
            param=param,
        ) from None


AS_OF = click.option(
    "--as-of",
    "as_of",
    metavar="DATETIME",
    callback=parse_moment,
    help="使用该时刻有效的数据（ISO 格式，默认现在）/ use the values valid at this moment (ISO, "
    "default now)",
)

# --- helpers --------------------------------------------------------------------------------------


def output_lang(ctx: click.Context, local: str | None = None) -> str:
    """The language of the output: a command's own ``--lang`` if given, else the global one."""
    if local:
        return local
    obj = ctx.find_root().obj or {}
    return str(obj.get("lang", "zh"))


def refuse(ctx: click.Context, zh: str, en: str) -> NoReturn:
    """Say why a command refuses (in the output language, on stderr) and exit with
    :data:`EXIT_DOMAIN`."""
    click.echo(en if output_lang(ctx) == "en" else zh, err=True)
    ctx.exit(EXIT_DOMAIN)


def use_store() -> None:
    """Set up the database store (:func:`cimon.store.setup.ensure_django`) before a command
    reads or writes it."""
    from cimon.store.setup import ensure_django

    ensure_django()


def login_name() -> str:
    """This machine's login name, or ``""`` where there is none (some containers)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def written(path: Path) -> None:
    """Say which file a command wrote, after a blank line."""
    click.echo("")
    click.echo(f"已写入 / written: {path}")


def registry_from(path: Path | None) -> RegionRegistry:
    """The region registry in ``path``, or the bundled one (Ningxia, 22 counties)."""
    from cimon.model.regions import default_registry, load_registry

    return load_registry(path) if path else default_registry()


def code_map_from(path: Path | None) -> CodeMap | None:
    """The code-change table in ``path`` (``--code-map``), or ``None``."""
    from cimon.analysis.codes import load_code_map

    return load_code_map(path) if path else None


def load(
    framework: str,
    data: Path | None,
    regions: Path | None,
    years: Iterable[int] | None,
    demo: bool = False,
) -> tuple[Framework, RegionRegistry, dict[int, Run]]:
    """(framework, registry, runs by evaluation year); ``years=None``: every year the data allow.

    The data: ``data`` if given; else the bundled demo panel with ``demo``; else the accepted
    data in the database (as ``cimon evaluate`` without ``--data``), or the demo panel when the
    database has none. Which one is said on stderr."""
    from cimon.engine.pipeline import evaluable_years, evaluate_years
    from cimon.model.framework import load_framework

    fw = load_framework(framework)
    registry = registry_from(regions)
    panel = choose_panel(fw, registry, data, demo)
    if years is None:
        years = evaluable_years(fw, panel)
    return fw, registry, evaluate_years(fw, panel, list(years), registry)


# --- where the data come from: a file, the database or the demo panel ------------------------------


def choose_panel(
    fw: Framework, registry: RegionRegistry, data: Path | None, demo: bool = False
) -> Panel:
    """The panel a command without ``--as-of`` works on (:func:`cimon.store.source.choose_panel`:
    ``data``, else the demo with ``demo``, else the database or the demo), said on stderr."""
    from cimon.store.source import SourceError
    from cimon.store.source import choose_panel as choose

    try:
        chosen = choose(fw, registry, data, demo)
    except SourceError as exc:
        raise click.UsageError(exc.render("both").replace("\n", " / ")) from None
    if chosen.note:
        click.echo(chosen.note, err=True)
    return chosen.panel


def panel_from_database(framework: Framework, as_of: datetime | None) -> Panel:
    """The panel stored in the database as of ``as_of`` (:func:`cimon.store.source.database_panel`);
    a :class:`~cimon.errors.PanelError` when nothing is stored."""
    from cimon.store.source import database_panel

    return database_panel(framework, as_of)
