"""Indicator formulas: a small, safe arithmetic language over variable codes.

A formula is a Python-syntax expression over variable codes, numbers, ``+ - * /``, parentheses and the
derive functions registered in :mod:`cimon.engine.derive` (``ratio``, ``share``, ``per10k``,
``growth``, ``cagr``, ``lag``, ``mean``, ``min``, ``max``). Parsing here only checks the shape and lists
the names used, so a framework can be validated without numpy; evaluation lives in the engine.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

#: function name -> (min args, max args); the engine registers implementations under these names.
FUNCTIONS: dict[str, tuple[int, int]] = {
    "ratio": (2, 2),
    "share": (2, 2),
    "per10k": (2, 2),
    "growth": (1, 1),
    "cagr": (2, 2),
    "lag": (1, 2),
    "mean": (1, 20),
    "min": (1, 20),
    "max": (1, 20),
}

_ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.USub,
    ast.UAdd,
)


class FormulaSyntaxError(ValueError):
    """The formula is not valid; the message says why."""


@dataclass(frozen=True)
class ParsedFormula:
    source: str
    tree: ast.Expression
    variables: tuple[str, ...]
    max_lag: int


def parse_formula(source: str) -> ParsedFormula:
    """Parse and check a formula; return the variables it names and how many years back it reads."""
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaSyntaxError(f"syntax error at column {exc.offset}: {exc.msg}") from None
    names: list[str] = []
    max_lag = 0
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise FormulaSyntaxError(f"'{type(node).__name__}' is not allowed in a formula")
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise FormulaSyntaxError(f"constant {node.value!r} is not a number")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                fname = ast.unparse(node.func)
                known = ", ".join(sorted(FUNCTIONS))
                raise FormulaSyntaxError(f"unknown function '{fname}' (known: {known})")
            if node.keywords:
                raise FormulaSyntaxError(f"'{node.func.id}' takes no keyword arguments")
            lo, hi = FUNCTIONS[node.func.id]
            if not lo <= len(node.args) <= hi:
                raise FormulaSyntaxError(
                    f"'{node.func.id}' takes {lo}–{hi} arguments, got {len(node.args)}"
                )
            max_lag = max(max_lag, _lag_of(node))
    for node in ast.walk(tree):
        is_var = isinstance(node, ast.Name) and not _is_function_name(tree, node)
        if is_var and isinstance(node, ast.Name) and node.id not in names:
            names.append(node.id)
    return ParsedFormula(source.strip(), tree, tuple(names), max_lag)


def _is_function_name(tree: ast.Expression, name: ast.Name) -> bool:
    return any(isinstance(n, ast.Call) and n.func is name for n in ast.walk(tree))


def _lag_of(call: ast.Call) -> int:
    assert isinstance(call.func, ast.Name)
    fname = call.func.id
    if fname == "growth":
        return 1
    if fname in ("cagr", "lag"):
        if len(call.args) == 1:  # lag(x) = one year back
            return 1
        k = call.args[1]
        if not (isinstance(k, ast.Constant) and isinstance(k.value, int) and k.value >= 1):
            raise FormulaSyntaxError(f"the second argument of '{fname}' must be a whole number ≥ 1")
        return int(k.value)
    return 0
