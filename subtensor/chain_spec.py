"""Substrate chain specs: built-in presets, plain and raw JSON files, genesis storage and header.

A raw spec carries the complete genesis storage as hex under ``genesis.raw.top`` (plus optional default
child tries under ``genesis.raw.childrenDefault``). The genesis header has a zero parent hash, number 0,
the state root of that storage, the empty extrinsics root and no digest. The trie layout version comes
from the spec's ``stateVersion`` field (top level or under ``genesis``); 0 when absent, which is right
for older chains such as Kusama.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runtime.primitives.header import Header
from storage.trie.root import genesis_state_root, ordered_trie_root
from subtensor.errors import ChainSpecError


def _unhex(value: str, what: str) -> bytes:
    try:
        return bytes.fromhex(value.removeprefix("0x"))
    except (ValueError, AttributeError) as exc:
        raise ChainSpecError(f"{what} is not hex: {value!r:.60}") from exc


@dataclass(frozen=True, slots=True)
class RawChainSpec:
    """The parts of a raw chain spec the node needs to start from genesis."""

    name: str
    id: str
    chain_type: str
    protocol_id: str | None
    properties: dict[str, Any]
    boot_nodes: tuple[str, ...]
    top: dict[bytes, bytes]
    children_default: dict[bytes, dict[bytes, bytes]] = field(default_factory=dict)
    state_version: int = 0

    def genesis_header(self) -> Header:
        """The genesis block header (its hash is the chain's genesis hash)."""
        state_root = genesis_state_root(self.top, self.children_default, self.state_version)
        return Header(
            parent_hash=bytes(32),
            number=0,
            state_root=state_root,
            extrinsics_root=ordered_trie_root([], self.state_version),
            digest=(),
        )


def parse_raw_chain_spec(document: dict[str, Any]) -> RawChainSpec:
    """Interpret a decoded chain-spec JSON document that has raw genesis storage."""
    try:
        genesis = document["genesis"]
        raw = genesis["raw"]
        top_hex = raw["top"]
    except (KeyError, TypeError) as exc:
        raise ChainSpecError("not a raw chain spec: genesis.raw.top is missing "
                             "(convert it with `subtensor build-spec --raw`)") from exc
    top = {_unhex(k, "storage key"): _unhex(v, "storage value") for k, v in top_hex.items()}
    children = {
        _unhex(child, "child storage key"): {
            _unhex(k, "child key"): _unhex(v, "child value") for k, v in entries.items()
        }
        for child, entries in (raw.get("childrenDefault") or {}).items()
    }
    state_version = document.get("stateVersion", genesis.get("stateVersion", 0))
    if state_version not in (0, 1):
        raise ChainSpecError(f"unsupported stateVersion {state_version!r}")
    return RawChainSpec(
        name=str(document.get("name", "")),
        id=str(document.get("id", "")),
        chain_type=str(document.get("chainType", "Live")),
        protocol_id=document.get("protocolId"),
        properties=dict(document.get("properties") or {}),
        boot_nodes=tuple(document.get("bootNodes") or ()),
        top=top,
        children_default=children,
        state_version=int(state_version),
    )


def read_chain_spec_file(path: str | Path) -> dict[str, Any]:
    """The JSON document of a chain-spec file, with clear errors for missing or malformed files."""
    path = Path(path)
    try:
        document = json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise ChainSpecError(f"chain spec file not found: {path} (use dev, local or a JSON file)") from exc
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ChainSpecError(f"cannot read chain spec {path}: {exc}") from exc
    if not isinstance(document, dict):
        raise ChainSpecError(f"chain spec {path} is not a JSON object")
    return document


def load_raw_chain_spec(path: str | Path) -> RawChainSpec:
    """Read and parse a raw chain-spec file."""
    return parse_raw_chain_spec(read_chain_spec_file(path))


# -- plain specs and presets ------------------------------------------------------------------------

STATE_VERSION = 1  # node-subtensor's runtime uses trie layout V1 for state


def genesis_storage_from_config(config: dict[str, Any]) -> dict[bytes, bytes]:
    """Run the runtime's genesis builders over an empty state and return the resulting storage."""
    from runtime.genesis import build_genesis
    from runtime.node_runtime import node_runtime
    from storage.overlay import MemoryState, Overlay

    overlay = Overlay(MemoryState())
    build_genesis(overlay, node_runtime(), config)  # type: ignore[arg-type]
    return {k: v for k, v in overlay.changes().items() if v is not None}


def _runtime_config(genesis: dict[str, Any]) -> dict[str, Any] | None:
    runtime_genesis = genesis.get("runtimeGenesis")
    if isinstance(runtime_genesis, dict):
        for key in ("config", "patch"):
            if isinstance(runtime_genesis.get(key), dict):
                return runtime_genesis[key]  # type: ignore[no-any-return]
    runtime = genesis.get("runtime")
    return runtime if isinstance(runtime, dict) else None


def raw_from_document(document: dict[str, Any]) -> RawChainSpec:
    """A raw chain spec from a plain or raw document (plain ones are built with our runtime)."""
    genesis = document.get("genesis")
    if not isinstance(genesis, dict):
        raise ChainSpecError("chain spec has no genesis section")
    if "raw" in genesis:
        return parse_raw_chain_spec(document)
    config = _runtime_config(genesis)
    if config is None:
        raise ChainSpecError("chain spec genesis has neither raw storage nor a runtime genesis config")
    storage = genesis_storage_from_config(config)
    raw_document = dict(document)
    raw_document["genesis"] = {"raw": {"top": {"0x" + k.hex(): "0x" + v.hex() for k, v in sorted(storage.items())},
                                       "childrenDefault": {}}}
    raw_document.setdefault("stateVersion", STATE_VERSION)
    return parse_raw_chain_spec(raw_document)


def is_builtin(chain: str) -> bool:
    """``dev``, ``local`` and ``local<N>`` are built in; anything else names a chain-spec file."""
    return chain in ("dev", "local") or (chain.startswith("local") and chain[5:].isdigit())


def load_chain_spec(chain: str) -> tuple[dict[str, Any], RawChainSpec]:
    """Resolve ``--chain``: ``dev``/``local`` presets, ``local<N>`` (N validators, as ``localnet``) or a JSON file."""
    from runtime.presets import preset

    from runtime.presets import AUTHORITY_NAMES

    document = preset(chain)  # covers local<N> for every supported N
    if document is None and is_builtin(chain):
        raise ChainSpecError(f"{chain}: a localnet has 1 to {len(AUTHORITY_NAMES)} validators")
    if document is None:
        document = read_chain_spec_file(chain)
    else:
        document = dict(document, stateVersion=STATE_VERSION)
    return document, raw_from_document(document)
