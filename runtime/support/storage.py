"""Typed storage declarations (FRAME's StorageValue / StorageMap / StorageDoubleMap / StorageNMap).

A pallet creates one :class:`PalletStorage` with its prefix and declares every item on it, in the order
metadata should list them::

    storage = PalletStorage("Balances")
    TotalIssuance = storage.value("TotalIssuance", U64, default=0, docs=["The total units issued."])
    Account = storage.map("Account", [(Hasher.Blake2_128Concat, AccountId32)], AccountData.SCALE,
                          default=AccountData())

An item with a ``default`` is a ValueQuery (reads of absent keys give the default, metadata modifier
``Default``); without one it is an OptionQuery (absent reads give None, modifier ``Optional``). Keys of
maps are encoded with their codec and hashed with their hasher; iteration decodes keys back, which needs
reversible hashers (``Blake2_128Concat``, ``Twox64Concat``, ``Identity``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from runtime.primitives.hashing import Hasher, twox128
from runtime.scale import ScaleType, Tuple, Vec, decode_compact, encode_compact
from runtime.support.externalities import Externalities

_NO_DEFAULT = object()


@dataclass(frozen=True, slots=True)
class StorageEntry:
    """One storage item: prefix, name, key hashers and codecs, value codec, default and docs."""

    pallet: str
    name: str
    keys: tuple[tuple[Hasher, ScaleType], ...]
    value: ScaleType
    default: Any
    docs: tuple[str, ...]
    prefix: bytes

    # -- shape ----------------------------------------------------------------------------------------

    @property
    def is_optional(self) -> bool:
        return self.default is _NO_DEFAULT

    @property
    def default_bytes(self) -> bytes:
        """The metadata ``default`` bytes (the encoded default, or ``00`` (None) for OptionQuery)."""
        return b"\x00" if self.is_optional else self.value.encode(self.default)

    @property
    def key_codec(self) -> ScaleType | None:
        """The metadata key type: the single key, or a tuple of the keys."""
        if not self.keys:
            return None
        if len(self.keys) == 1:
            return self.keys[0][1]
        return Tuple(*(codec for _, codec in self.keys))

    # -- keys -----------------------------------------------------------------------------------------

    def key(self, *parts: Any) -> bytes:
        """The full storage key for the given map keys (a prefix when fewer keys are given)."""
        if len(parts) > len(self.keys):
            raise TypeError(f"{self.pallet}.{self.name} takes at most {len(self.keys)} keys")
        out = bytearray(self.prefix)
        for (hasher, codec), part in zip(self.keys, parts):
            out += hasher.hash(codec.encode(part))
        return bytes(out)

    def decode_key(self, key: bytes) -> tuple[Any, ...]:
        """The map keys of a full storage key (reversible hashers only)."""
        pos = len(self.prefix)
        parts = []
        for hasher, codec in self.keys:
            if hasher.concat_len is None:
                raise TypeError(f"{self.pallet}.{self.name}: {hasher.name} keys cannot be decoded")
            pos += hasher.concat_len
            part, pos = codec.decode_prefix(key, pos)
            parts.append(part)
        return tuple(parts)

    # -- access ---------------------------------------------------------------------------------------

    def get(self, ext: Externalities, *keys: Any) -> Any:
        raw = ext.get(self.key(*keys))
        if raw is None:
            return None if self.is_optional else self.default
        return self.value.decode(raw)

    def try_get(self, ext: Externalities, *keys: Any) -> Any:
        """The stored value or None, ignoring the default."""
        raw = ext.get(self.key(*keys))
        return None if raw is None else self.value.decode(raw)

    def exists(self, ext: Externalities, *keys: Any) -> bool:
        return ext.get(self.key(*keys)) is not None

    def put(self, ext: Externalities, *keys_and_value: Any) -> None:
        *keys, value = keys_and_value
        ext.set(self.key(*keys), self.value.encode(value))

    def kill(self, ext: Externalities, *keys: Any) -> None:
        ext.clear(self.key(*keys))

    def take(self, ext: Externalities, *keys: Any) -> Any:
        value = self.get(ext, *keys)
        self.kill(ext, *keys)
        return value

    def mutate(self, ext: Externalities, *keys_and_fn: Any) -> Any:
        """Apply ``fn(value) -> new`` and store the result; a result of None removes an optional item."""
        *keys, fn = keys_and_fn
        new = fn(self.get(ext, *keys))
        if new is None and self.is_optional:
            self.kill(ext, *keys)
        else:
            self.put(ext, *keys, new)
        return new

    def iter(self, ext: Externalities, *prefix_keys: Any) -> Iterator[tuple[tuple[Any, ...], Any]]:
        """(keys, value) pairs under the given leading keys, in storage-key order."""
        prefix = self.key(*prefix_keys)
        key = prefix
        raw = ext.get(key)
        while True:
            if raw is not None and key.startswith(prefix) and len(key) > len(self.prefix):
                yield self.decode_key(key), self.value.decode(raw)
            key = ext.next_key(key)  # type: ignore[assignment]
            if key is None or not key.startswith(prefix):
                return
            raw = ext.get(key)

    def iter_keys(self, ext: Externalities, *prefix_keys: Any) -> Iterator[tuple[Any, ...]]:
        for keys, _ in self.iter(ext, *prefix_keys):
            yield keys

    def clear_all(self, ext: Externalities, *prefix_keys: Any) -> int:
        return ext.clear_prefix(self.key(*prefix_keys))

    def append(self, ext: Externalities, *keys_and_item: Any) -> None:
        """Append one item to a ``Vec`` value without decoding it (Substrate's ``append``)."""
        *keys, item = keys_and_item
        if not isinstance(self.value, Vec):
            raise TypeError(f"{self.pallet}.{self.name} is not a Vec")
        append_raw(ext, self.key(*keys), self.value.inner.encode(item))


def append_raw(ext: Externalities, key: bytes, encoded_item: bytes) -> None:
    """Append an encoded item to the ``Vec`` stored at ``key`` by bumping its length prefix."""
    raw = ext.get(key)
    if raw is None:
        ext.set(key, b"\x04" + encoded_item)
        return
    count, pos = decode_compact(raw, 0)
    out = bytearray()
    encode_compact(count + 1, out)
    out += raw[pos:]
    out += encoded_item
    ext.set(key, bytes(out))


class PalletStorage:
    """The storage items of one pallet, in declaration order."""

    def __init__(self, pallet: str) -> None:
        self.pallet = pallet
        self.items: list[StorageEntry] = []
        self._prefix = twox128(pallet.encode())

    def _add(self, name: str, keys: Sequence[tuple[Hasher, ScaleType]], value: ScaleType, default: Any,
             docs: Sequence[str]) -> StorageEntry:
        if any(item.name == name for item in self.items):
            raise ValueError(f"duplicate storage item {self.pallet}.{name}")
        entry = StorageEntry(self.pallet, name, tuple(keys), value, default, tuple(docs),
                             self._prefix + twox128(name.encode()))
        self.items.append(entry)
        return entry

    def value(self, name: str, value: ScaleType, *, default: Any = _NO_DEFAULT,
              docs: Sequence[str] = ()) -> StorageEntry:
        return self._add(name, (), value, default, docs)

    def map(self, name: str, keys: Sequence[tuple[Hasher, ScaleType]], value: ScaleType, *,
            default: Any = _NO_DEFAULT, docs: Sequence[str] = ()) -> StorageEntry:
        if not keys:
            raise ValueError("a map needs at least one key")
        return self._add(name, keys, value, default, docs)


