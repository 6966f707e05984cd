"""Per-block state journals: what a block did to the state, for pruning and flat views.

Every block with a retained state has a journal under ``journal_key(number, hash)`` (the
``u`` column of :mod:`storage.schema`).  It records:

* ``root`` - the block's state root (a journal's presence is what makes a block's state
  readable by hash);
* ``inserted`` - ``(node hash, new references)`` pairs from the trie commit, undone if the
  block ends up on an abandoned fork;
* ``removed`` - one node hash per reference the block dropped from its parent's trie,
  applied when the *parent's* state leaves the pruning window;
* ``changes`` - the block's storage changes (``None`` = deleted), replayed into the flat
  index when the block is finalized and merged into diffs for views of recent blocks.

Encoding (all integers u32 big-endian)::

    root(32) ‖ n ‖ n × (hash(32) ‖ count) ‖ m ‖ m × hash(32)
             ‖ k ‖ k × (key_len ‖ key ‖ flag(1) [‖ value_len ‖ value])

with ``flag`` 0 for a deletion (no value follows) and 1 for a write.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.errors import DatabaseCorrupted

__all__ = ["Journal"]

_HASH = 32
_ONE = (1).to_bytes(4, "big")


@dataclass(frozen=True, slots=True)
class Journal:
    """One block's state journal (see the module docstring)."""

    root: bytes
    inserted: tuple[tuple[bytes, int], ...] = ()
    removed: tuple[bytes, ...] = ()
    changes: tuple[tuple[bytes, bytes | None], ...] = ()

    def encode(self) -> bytes:
        parts = [self.root, len(self.inserted).to_bytes(4, "big")]
        # Almost every count is 1 (a node referenced once); this runs for ~8k nodes a block.
        parts.extend(
            node_hash + (_ONE if count == 1 else count.to_bytes(4, "big")) for node_hash, count in self.inserted
        )
        parts.append(len(self.removed).to_bytes(4, "big"))
        parts.extend(self.removed)
        parts.append(len(self.changes).to_bytes(4, "big"))
        for key, value in self.changes:
            parts.append(len(key).to_bytes(4, "big"))
            parts.append(key)
            if value is None:
                parts.append(b"\x00")
            else:
                parts.append(b"\x01")
                parts.append(len(value).to_bytes(4, "big"))
                parts.append(value)
        return b"".join(parts)

    @staticmethod
    def decode_root(data: bytes) -> bytes:
        """Only the root, without decoding the rest."""
        if len(data) < _HASH:
            raise DatabaseCorrupted("state journal truncated")
        return data[:_HASH]

    @classmethod
    def decode(cls, data: bytes) -> Journal:
        try:
            return cls._decode(data)
        except (ValueError, IndexError) as exc:
            raise DatabaseCorrupted(f"malformed state journal: {exc}") from exc

    @classmethod
    def _decode(cls, data: bytes) -> Journal:
        size = len(data)

        def u32(at: int) -> int:
            if at + 4 > size:
                raise ValueError("truncated")
            return int.from_bytes(data[at : at + 4], "big")

        root = data[:_HASH]
        if len(root) != _HASH:
            raise ValueError("truncated root")
        pos = _HASH
        count = u32(pos)
        pos += 4
        inserted = []
        for _ in range(count):
            inserted.append((data[pos : pos + _HASH], u32(pos + _HASH)))
            pos += _HASH + 4
        count = u32(pos)
        pos += 4
        removed = tuple(data[pos + i * _HASH : pos + (i + 1) * _HASH] for i in range(count))
        pos += count * _HASH
        count = u32(pos)
        pos += 4
        changes: list[tuple[bytes, bytes | None]] = []
        for _ in range(count):
            length = u32(pos)
            key = data[pos + 4 : pos + 4 + length]
            pos += 4 + length
            flag = data[pos]
            pos += 1
            if flag == 0:
                changes.append((key, None))
            elif flag == 1:
                length = u32(pos)
                changes.append((key, data[pos + 4 : pos + 4 + length]))
                pos += 4 + length
            else:
                raise ValueError(f"bad change flag {flag}")
        if pos != size:
            raise ValueError("length mismatch")
        return cls(root, tuple(inserted), removed, tuple(changes))
