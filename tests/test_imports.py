"""No import circle between the files of ``src/cimon`` (issue #15).

The graph has one node per module and an edge ``a → b`` whenever ``a`` imports ``b`` anywhere in the
file: at the top, inside a function (a lazy import is still a dependency, it only hides it) or under
``if TYPE_CHECKING:``. ``from . import x`` and ``from .. import y`` are resolved against the file's
package; ``from pkg import name`` is an edge to ``pkg`` and, when ``pkg.name`` is a module, to it too
(both run: the package's ``__init__`` first). Django migrations are left out (Django loads them by
name, nothing imports them).

The single allowed circle is the engine's method registry: :func:`cimon.engine.base.method_class`
imports the stage modules so their ``@register`` decorators run, and each stage module imports
:class:`~cimon.engine.base.Method` and ``register`` from ``base``. The circle is the design (one
registry, methods defined beside their stage), so it is named here and nowhere else.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

SRC = Path(__file__).resolve().parents[1] / "src"

#: the engine's method registry: base ↔ every stage module (see the module docstring)
REGISTRY_BASE = "cimon.engine.base"
#: the modules whose methods the registry loads (``cimon.engine.base._load_all``): one per stage,
#: and the stage families kept in their own module (Borda/Copeland, rank normalisation; #20)
REGISTRY_STAGES = frozenset(
    f"cimon.engine.{m}"
    for m in (
        *("impute", "treat", "normalise", "weight", "aggregate", "classify"),
        *("outranking", "rank_normalise"),
    )
)


def modules(root: Path = SRC) -> dict[str, Path]:
    """Dotted module name → file, for every ``.py`` file under ``root`` (packages by their
    ``__init__``), migrations left out."""
    out: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if "migrations" in parts:
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of ``known`` that the file ``path`` (module ``name``) imports anywhere."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return {m for m in found if m in known and m != name}


def import_graph(root: Path = SRC) -> nx.DiGraph:
    mods = modules(root)
    graph = nx.DiGraph()
    graph.add_nodes_from(mods)
    for name, path in mods.items():
        graph.add_edges_from((name, target) for target in imported(name, path, set(mods)))
    return graph


def allowed(edge: tuple[str, str]) -> bool:
    """True for an edge of the method registry's deliberate circle."""
    a, b = edge
    return (a == REGISTRY_BASE and b in REGISTRY_STAGES) or (
        a in REGISTRY_STAGES and b == REGISTRY_BASE
    )


def circles(graph: nx.DiGraph) -> list[list[str]]:
    """Each group of files that import each other (a strongly connected component of more than
    one file), once the registry's edges are taken out, sorted."""
    kept = nx.DiGraph([e for e in graph.edges if not allowed(e)])
    return sorted(sorted(c) for c in nx.strongly_connected_components(kept) if len(c) > 1)


def test_no_import_circle_between_files() -> None:
    found = circles(import_graph())
    lines = []
    for group in found:
        sub = import_graph().subgraph(group)
        cycle = nx.find_cycle(sub)
        lines.append(
            " ↔ ".join(group) + "\n    e.g. " + " → ".join([a for a, _ in cycle] + [cycle[0][0]])
        )
    assert not found, "import circles between files:\n" + "\n".join(lines)


def test_the_registry_circle_is_the_only_exception() -> None:
    """The exception is real (else it should go) and covers nothing beyond the registry."""
    graph = import_graph()
    registry = {REGISTRY_BASE, *REGISTRY_STAGES}
    assert any(graph.has_edge(REGISTRY_BASE, s) for s in REGISTRY_STAGES)
    component = next(c for c in nx.strongly_connected_components(graph) if REGISTRY_BASE in c)
    assert component == registry


def test_the_graph_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    """A circle hidden in a function, through ``from . import x``, is found."""
    pkg = tmp_path / "p"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from . import b\n")
    (pkg / "b.py").write_text("def f():\n    from p.a import g\n")
    (pkg / "c.py").write_text("import p.a\n")
    assert circles(import_graph(tmp_path)) == [["p.a", "p.b"]]


def test_front_door_exports_the_real_functions() -> None:
    """``cimon.evaluate`` & co. are the pipeline's functions, not ``*args, **kwargs`` wrappers:
    their signatures and help are the real ones."""
    import inspect

    import cimon
    from cimon.data.demo import demo_panel
    from cimon.engine.pipeline import evaluate, evaluate_years, regen

    assert cimon.evaluate is evaluate
    assert cimon.evaluate_years is evaluate_years
    assert cimon.regen is regen
    assert cimon.demo_panel is demo_panel
    params = inspect.signature(cimon.evaluate).parameters
    assert list(params) == ["framework", "panel", "year", "regions", "overrides"]
    assert list(inspect.signature(cimon.regen).parameters) == ["run"]


#: the layers, lowest first (docs/architecture.md); a module may import its own layer and below
LAYERS: tuple[tuple[str, ...], ...] = (
    ("cimon._version", "cimon.errors", "cimon.safe", "cimon.vocab"),
    ("cimon.model",),
    ("cimon.engine",),
    ("cimon.intake", "cimon.analysis", "cimon.registry", "cimon.matching", "cimon.data"),
    ("cimon.reports", "cimon.tables"),
    ("cimon.store", "cimon.ops"),
    ("cimon.web",),
    ("cimon.cli", "cimon.__main__", "cimon"),
)

#: upward imports that are the design, each with its reason (docs/architecture.md)
UPWARD = {
    # the parser refuses a framework with a bad method parameter when it reads it, by the
    # engine's one declaration of each method's parameters (lazily, inside the function)
    ("cimon.model.framework_parse", "cimon.engine.base"): "parameter declarations",
    # `cimon serve` and `cimon manage` start the web platform
    ("cimon.cli_serve", "cimon.web"): "starts the server",
}

#: the layers that never import Django or a database driver (``import cimon`` needs pandas only)
PURE = (
    "cimon.tables",
    "cimon.model",
    "cimon.engine",
    "cimon.intake",
    "cimon.analysis",
    "cimon.reports",
    "cimon.registry",
    "cimon.matching",
    "cimon.vocab",
    "cimon.errors",
    "cimon.safe",
)


def layer(module: str) -> int:
    """The layer of ``module``: the longest prefix that names one (``cimon`` alone is the top)."""
    best, rank = -1, len(LAYERS) - 1
    for k, names in enumerate(LAYERS):
        for prefix in names:
            hit = module == prefix or module.startswith(prefix + ".")
            if prefix.startswith("cimon.cli") and module.startswith(prefix):
                hit = True  # cimon.cli, cimon.cli_options, cimon.cli_yearly, ...
            if hit and len(prefix) > best and prefix != "cimon":
                best, rank = len(prefix), k
    return rank


def _upward_allowed(a: str, b: str) -> bool:
    return any(
        (a == x or a.startswith(x + ".")) and (b == y or b.startswith(y + ".")) for x, y in UPWARD
    )


def test_no_layer_imports_a_layer_above_it() -> None:
    graph = import_graph()
    wrong = sorted(
        f"{a} → {b}" for a, b in graph.edges if layer(b) > layer(a) and not _upward_allowed(a, b)
    )
    assert not wrong, "imports of a higher layer (docs/architecture.md):\n" + "\n".join(wrong)


def test_every_upward_exception_is_still_real() -> None:
    graph = import_graph()
    for a, b in UPWARD:
        assert any(
            (x == a or x.startswith(a + ".")) and (y == b or y.startswith(b + "."))
            for x, y in graph.edges
        ), f"{a} → {b} is no longer imported: remove the exception"


def test_the_pure_layers_never_import_django() -> None:
    found = []
    for name, path in modules().items():
        if not name.startswith(PURE):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            mods = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [f"{name}: {m}" for m in mods if m.split(".")[0] in ("django", "psycopg")]
    assert not found, found


def test_the_layer_test_can_fail() -> None:
    assert layer("cimon.model.panel") < layer("cimon.engine.run") < layer("cimon.web.views")
    assert layer("cimon.cli_yearly") == layer("cimon.cli") == len(LAYERS) - 1
    assert not _upward_allowed("cimon.model.panel", "cimon.web.views")
