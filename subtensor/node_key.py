"""The node's libp2p identity: an ed25519 key, stored as Substrate stores it, and its peer id.

The peer id is the base58 identity multihash of the protobuf-encoded public key
(``08 01 12 20 <key>``), which gives Substrate's familiar ``12D3KooW…`` ids.
"""

from __future__ import annotations

import os
from pathlib import Path

import base58
import ed25519_zebra

_PROTOBUF_ED25519_PREFIX = bytes([0x08, 0x01, 0x12, 0x20])


def public_key(secret: bytes) -> bytes:
    return bytes(ed25519_zebra.ed_public_from_secret(secret))


def peer_id(secret: bytes) -> str:
    """``12D3KooW…`` for an ed25519 secret seed."""
    encoded = _PROTOBUF_ED25519_PREFIX + public_key(secret)
    return base58.b58encode(bytes([0x00, len(encoded)]) + encoded).decode()


def generate_secret() -> bytes:
    return os.urandom(32)


def parse_node_key(text: str) -> bytes:
    """``--node-key``: 64 hex characters (optionally 0x-prefixed)."""
    raw = bytes.fromhex(text.strip().removeprefix("0x"))
    if len(raw) != 32:
        raise ValueError("a node key is 32 bytes of hex")
    return raw


def load_or_create(path: Path) -> bytes:
    """Read the secret at ``path`` (raw 32 bytes, or hex), creating it on first start."""
    if path.exists():
        data = path.read_bytes()
        return data if len(data) == 32 else parse_node_key(data.decode())
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = generate_secret()
    path.write_bytes(secret)
    path.chmod(0o600)
    return secret
