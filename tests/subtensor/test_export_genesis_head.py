"""`subtensor export-genesis-head`: the Kusama genesis hash and clear errors for bad specs."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from runtime.primitives.header import Header
from storage.trie.root import trie_root
from subtensor.cli import main
from tests.conftest import REFERENCE_DIR

KUSAMA_GENESIS = "b0a8d493285c2df73290dfb7e61f870f17b41801197a149ca93654499ea3dafe"


def test_kusama_genesis_hash(kusama_spec: Any) -> None:
    result = CliRunner().invoke(main, ["export-genesis-head", "--chain",
                                       str(REFERENCE_DIR / "kusama-chain-spec-raw.json")])
    assert result.exit_code == 0, result.output
    head = bytes.fromhex(result.output.strip().removeprefix("0x"))
    assert hashlib.blake2b(head, digest_size=32).hexdigest() == KUSAMA_GENESIS
    header = Header.decode(head)
    assert header.number == 0 and header.parent_hash == bytes(32) and header.digest == ()


def test_console_script_runs(kusama_spec: Any) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "subtensor.cli", "export-genesis-head", "--chain",
         str(REFERENCE_DIR / "kusama-chain-spec-raw.json")],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert hashlib.blake2b(bytes.fromhex(out[2:]), digest_size=32).hexdigest() == KUSAMA_GENESIS


def _write(path: Path, doc: Any) -> str:
    path.write_text(json.dumps(doc))
    return str(path)


def test_state_version_and_children(tmp_path: Path) -> None:
    top = {"0x" + "aa" * 4: "0x" + "11" * 40}
    base = {"name": "t", "id": "t", "genesis": {"raw": {"top": top, "childrenDefault": {}}}}
    runner = CliRunner()
    v0 = runner.invoke(main, ["export-genesis-head", "--chain", _write(tmp_path / "a.json", base)])
    v1 = runner.invoke(main, ["export-genesis-head", "--chain",
                              _write(tmp_path / "b.json", {**base, "stateVersion": 1})])
    h0, h1 = (Header.decode(bytes.fromhex(r.output.strip()[2:])) for r in (v0, v1))
    # The 40-byte value is hashed out of line only under V1, so the roots differ.
    assert h0.state_root == trie_root({b"\xaa" * 4: b"\x11" * 40}, 0)
    assert h1.state_root == trie_root({b"\xaa" * 4: b"\x11" * 40}, 1)
    assert h0.state_root != h1.state_root
    with_child = {**base, "genesis": {"raw": {"top": top,
                                              "childrenDefault": {"0x6b6579": {"0x01": "0x02"}}}}}
    hc = Header.decode(bytes.fromhex(runner.invoke(
        main, ["export-genesis-head", "--chain", _write(tmp_path / "c.json", with_child)]).output.strip()[2:]))
    child_root = trie_root({b"\x01": b"\x02"}, 0)
    expected = trie_root({b"\xaa" * 4: b"\x11" * 40, b":child_storage:default:key": child_root}, 0)
    assert hc.state_root == expected


def test_errors_are_clear(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["export-genesis-head", "--chain", str(tmp_path / "nope.json")])
    assert missing.exit_code != 0 and "not found" in missing.output
    plain = runner.invoke(main, ["export-genesis-head", "--chain",
                                 _write(tmp_path / "plain.json", {"genesis": {"runtimeGenesis": {}}})])
    assert plain.exit_code != 0 and "genesis" in plain.output
    (tmp_path / "bad.json").write_text("{not json")
    bad = runner.invoke(main, ["export-genesis-head", "--chain", str(tmp_path / "bad.json")])
    assert bad.exit_code != 0 and "cannot read" in bad.output
    badhex = runner.invoke(main, ["export-genesis-head", "--chain", _write(
        tmp_path / "h.json", {"genesis": {"raw": {"top": {"0xzz": "0x00"}}}})])
    assert badhex.exit_code != 0 and "not hex" in badhex.output
