"""Docs are tested: every CLI command and option has bilingual help text, every registered method has
a section in its stage's methodology page, and docs/cli.md covers every command."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from cimon.cli import main
from cimon.engine.base import registered

ROOT = Path(__file__).resolve().parents[1]
METHODOLOGY = ROOT / "docs" / "methodology"
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{2,}")


def walk(
    cmd: click.Command, path: tuple[str, ...] = ("cimon",)
) -> Iterator[tuple[str, click.Command]]:
    yield " ".join(path), cmd
    if isinstance(cmd, click.Group):
        for name, sub in cmd.commands.items():
            yield from walk(sub, (*path, name))


COMMANDS = dict(walk(main))


def bilingual(text: str | None) -> bool:
    """Chinese first, then English, separated by "/ " (``评价年度 / evaluation year``)."""
    if not text or "/ " not in text:
        return False
    zh, _, en = text.partition("/ ")
    return bool(CJK.search(zh)) and bool(LATIN.search(en))


def test_command_tree_is_complete() -> None:
    assert {
        "cimon evaluate",
        "cimon framework show",
        "cimon framework validate",
        "cimon framework list",
        "cimon demo",
        "cimon regions show",
        "cimon regions match",
    } <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_has_bilingual_help(name: str) -> None:
    cmd = COMMANDS[name]
    assert bilingual(cmd.help), f"{name}: help text missing or not “中文 / English”"
    if name != "cimon":
        assert bilingual(cmd.short_help), f"{name}: short help missing or not bilingual"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_option_has_bilingual_help(name: str) -> None:
    ctx = click.Context(COMMANDS[name], info_name=name)
    for param in COMMANDS[name].get_params(ctx):
        if isinstance(param, click.Option):
            assert bilingual(param.help), f"{name} {param.opts[0]}: help missing or not bilingual"


def test_cli_page_covers_every_command() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, cmd in COMMANDS.items():
        if not isinstance(cmd, click.Group):
            assert f"## `{name}" in page, f"docs/cli.md has no section for {name}"


def method_sections(stage: str) -> set[str]:
    page = METHODOLOGY / f"{stage}.md"
    if not page.exists():
        return set()
    return set(re.findall(r"^## `([^`]+)`", page.read_text(encoding="utf-8"), flags=re.M))


def test_every_registered_method_has_a_methodology_section() -> None:
    missing = [
        f"docs/methodology/{stage}.md: ## `{name}`"
        for stage, name in registered()
        if name not in method_sections(stage)
    ]
    assert not missing, "methods without a methodology section:\n" + "\n".join(missing)


# Built from pieces so that this file does not match itself.
_OUTSIDE = ("../" + "shared", "/" + "work/")


def _tracked_files() -> list[Path]:
    """The repository's tracked files (``git ls-files``), or, outside a git checkout (an unpacked
    sdist), every file under the root except virtualenvs, caches and outputs."""
    import subprocess

    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "out", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
        return [
            p for p in ROOT.rglob("*") if p.is_file() and not skip & set(p.relative_to(ROOT).parts)
        ]
    return [ROOT / name for name in out.decode().split("\0") if name]


def test_no_tracked_file_points_outside_the_repository() -> None:
    """The repository stands alone: no doc or code refers to a sibling folder or a machine path
    (the facts they rely on live in docs/, e.g. docs/frameworks/sources.md)."""
    files = _tracked_files()
    assert len(files) > 100, "the file listing found too few files to be the repository"
    offenders = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary files (fonts, workbooks) hold no references
        for needle in _OUTSIDE:
            if needle in text:
                line = text[: text.index(needle)].count("\n") + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {needle}")
    assert not offenders, "references outside the repository:\n" + "\n".join(offenders)
