"""The store is a library under the web (issue #15): it never imports ``cimon.web``, neither do
the operations, reports and command line (but ``cimon serve`` and its kin), and there is no import
circle between files of ``cimon.store`` and ``cimon.web`` — imports inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

SRC = Path(__file__).resolve().parents[2] / "src"


def _graph() -> nx.DiGraph:
    mods = {}
    for p in SRC.rglob("*.py"):
        name = ".".join(p.relative_to(SRC).with_suffix("").parts)
        mods[name.removesuffix(".__init__")] = p
    g = nx.DiGraph()
    for name, p in mods.items():
        if ".migrations." in name:
            continue
        g.add_node(name)
        pkg = name if p.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = pkg.split(".")
                    base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for t in targets:
                if t in mods and t != name and ".migrations" not in t:
                    g.add_edge(name, t)
    return g


def test_no_import_circle_in_store_or_web() -> None:
    g = _graph()
    ours = [n for n in g if n.startswith(("cimon.store", "cimon.web"))]
    circles = [sorted(c) for c in nx.strongly_connected_components(g.subgraph(ours)) if len(c) > 1]
    assert circles == []


def test_the_store_and_the_command_line_never_import_the_web() -> None:
    g = _graph()
    allowed = {"cimon.cli_serve"}  # starts the web server, the worker and manage.py
    users = [
        n
        for n in g
        if n.startswith(("cimon.store", "cimon.ops", "cimon.reports", "cimon.cli"))
        and n not in allowed
    ]
    bad = sorted((n, t) for n in users for t in g.successors(n) if t.startswith("cimon.web"))
    assert bad == []
