"""Every runtime module imports on its own, whatever was imported before it.

Import cycles between pallets (Commitments' types build on SubtensorModule's; SubtensorModule's metagraph
reads Commitments) only show when a module is the first one imported, which the test suite's order can
hide. One subprocess imports each module with every ``runtime`` module forgotten first.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_SCRIPT = """
import importlib, sys
failed = []
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "runtime" or m.startswith("runtime.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed.append(f"{name}: {exc!r}")
print("\\n".join(failed))
"""


def _modules() -> list[str]:
    """Package entry points and the modules other pallets import (types, pallet, storage, calls)."""
    names = []
    for path in sorted((ROOT / "runtime").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__" or parts[-1] in {"types", "pallet", "storage", "calls", "errors", "events"} \
                or len(parts) == 2:
            names.append(".".join(p for p in parts if p != "__init__"))
    return names


def test_each_runtime_module_imports_first() -> None:
    modules = _modules()
    assert "runtime.pallets.commitments.types" in modules and len(modules) > 30
    done = subprocess.run([sys.executable, "-c", _SCRIPT, *modules], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, check=True)
    assert done.stdout.strip() == ""
