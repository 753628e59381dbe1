"""The shape of the command line (issue #15): every command is defined at module level, the
command modules share options and helpers through :mod:`cimon.cli_options` only, and no CLI module
imports another module's private names. Read from the source, so a lazy import inside a function
counts as much as one at the top."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from cimon.cli import main

SRC = Path(__file__).resolve().parents[1] / "src" / "cimon"
MODULES = sorted(p for p in SRC.glob("cli*.py"))
SHARED = "cimon.cli_options"


def imports(path: Path) -> Iterator[tuple[str, str]]:
    """(module, name) of every ``from … import`` and ``import …`` in the file, at any depth."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                yield node.module, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ""


def cli_modules_imported(path: Path) -> set[str]:
    found = set()
    for module, name in imports(path):
        if module == "cimon" and name.startswith("cli"):
            found.add(f"cimon.{name}")
        elif module.startswith("cimon.cli"):
            found.add(module)
    return found


def test_the_cli_modules_are_found() -> None:
    assert {p.stem for p in MODULES} >= {"cli", "cli_options", "cli_yearly", "cli_intake"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_command_modules_import_only_the_shared_module(path: Path) -> None:
    """No circle: ``cli`` imports the command modules and ``cli_options``; a command module
    imports ``cli_options`` only; ``cli_options`` imports no CLI module."""
    found = cli_modules_imported(path)
    if path.stem == "cli":
        assert SHARED in found
    elif path.stem == "cli_options":
        assert found == set(), f"{path.name} imports {found}"
    else:
        assert found <= {SHARED}, f"{path.name} imports {found - {SHARED}}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_no_private_names_from_other_modules(path: Path) -> None:
    private = [
        f"{module}.{name}"
        for module, name in imports(path)
        if module.startswith("cimon") and name.startswith("_") and name != "__version__"
    ]
    assert private == [], f"{path.name} imports private names: {private}"


def commands(cmd: click.Command, path: str = "cimon") -> Iterator[tuple[str, click.Command]]:
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name, sub in cmd.commands.items():
            yield from commands(sub, f"{path} {name}")


COMMANDS = dict(commands(main))


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_defined_at_module_level(name: str) -> None:
    """Not inside a ``register()`` closure: its callback is a function of a CLI module."""
    cmd = COMMANDS[name]
    assert cmd.callback is not None
    assert "<locals>" not in cmd.callback.__qualname__, name
    assert cmd.callback.__module__.startswith("cimon.cli"), name
