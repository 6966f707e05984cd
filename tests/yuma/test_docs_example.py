"""The example in docs/yuma.md runs as written, and what it prints follows the epoch's rules."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "yuma.md"


def test_the_docs_example_runs_and_pays_the_miners() -> None:
    code = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert code is not None
    namespace: dict = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code.group(1), str(DOC), "exec"), namespace)
    out = namespace["out"]
    assert sum(out.incentive[2:]) > 0 and out.incentive[:2] == (0, 0)  # miners earn incentive
    assert out.dividends[0] > 0 and out.dividends[2:] == (0, 0)  # validators earn dividends
    assert abs(sum(out.emission) - 1_000_000_000) <= 4  # the emission is paid out (floored shares)
    assert printed.getvalue().count("\n") == 2
