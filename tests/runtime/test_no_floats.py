"""Determinism guard: no floating point on the consensus paths.

Walks the syntax tree of every module that computes chain state (the epoch core, the subtensor and swap
pallets, balances and fees) and rejects float literals, true division ``/``, ``float(...)`` calls and
float dtypes. Documentation strings and comments are not code and are not looked at.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "runtime"
CONSENSUS_PACKAGES = ["yuma", "pallets", "executive", "scale", "apis"]  # every pallet, and what clients read
# Allowed on purpose: ``Fixed.__float__`` (display only) and the fixed-point helpers that turn a decimal
# literal of the Rust reference into its exact binary fraction (no float ever reaches state).
ALLOWED = {("scale/fixed.py", "__float__")}


def _modules() -> list[Path]:
    return sorted(p for package in CONSENSUS_PACKAGES for p in (ROOT / package).rglob("*.py"))


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    rel = str(path.relative_to(ROOT))
    found: list[str] = []
    parents: dict[ast.AST, ast.AST] = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def enclosing_function(node: ast.AST) -> str:
        while node in parents:
            node = parents[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return node.name
        return ""

    for node in ast.walk(tree):
        where = f"{rel}:{getattr(node, 'lineno', '?')}"
        if (rel, enclosing_function(node)) in ALLOWED:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, float):
            found.append(f"{where}: float literal {node.value!r}")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            found.append(f"{where}: true division")
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Div):
            found.append(f"{where}: true division")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "float":
            found.append(f"{where}: float() call")
        elif isinstance(node, ast.Attribute) and node.attr in ("float64", "float32", "float16", "longdouble"):
            found.append(f"{where}: float dtype {node.attr}")
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_consensus_modules_use_no_floats(path: Path) -> None:
    assert _offences(path) == []
