"""Node encoding of the Substrate base-16 Patricia-Merkle trie (``sp-trie`` LayoutV0/V1).

The state trie maps byte keys to byte values. Keys are walked as nibbles (half-bytes, high
nibble first) and there are no extension nodes: every node carries a *partial key*, the run
of nibbles between its parent's branching position and itself.

Node kinds and their header byte (the remaining low bits hold the partial-key length):

======================  ============  ==========  =====================================
kind                    bit pattern   free bits   body after header + partial key
======================  ============  ==========  =====================================
empty trie              ``00000000``  -           nothing
leaf                    ``01xxxxxx``  6           compact length + value
branch, no value        ``10xxxxxx``  6           bitmap, children
branch with value       ``11xxxxxx``  6           bitmap, compact length + value, children
leaf, hashed value      ``001xxxxx``  5           32-byte blake2_256(value)        (V1)
branch, hashed value    ``0001xxxx``  4           bitmap, 32-byte value hash, children (V1)
======================  ============  ==========  =====================================

A partial-key length that does not fit the free bits sets them all to one and continues in
following bytes: ``0xFF`` bytes each add 255 and a final byte below 255 ends the run. The
partial key itself is packed two nibbles per byte; an odd count puts the lone nibble in the
low half of the *first* byte (the high half must be zero).

Branches follow with a little-endian 16-bit bitmap of present children and, for each
present child in order, a compact length and the child *reference*: the child's own
encoding when it is shorter than 32 bytes (inlined), otherwise its blake2_256 hash.

In this module a nibble path is a ``bytes`` object holding one nibble (0..15) per byte.
That keeps every path operation (slicing, prefix tests, comparison, sorting) inside C code,
and conversion to and from packed keys is a hex round-trip via ``bytes.translate``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Final, Sequence, TypeAlias

from ._compact import decode_compact, encode_compact
from .errors import NodeDecodeError

HASH_LENGTH: Final = 32
#: Under state version 1, values of this many bytes or more are stored by hash.
V1_VALUE_HASH_THRESHOLD: Final = 33
#: The encoding of the empty trie, whose hash is the empty state root.
EMPTY_NODE: Final = b"\x00"
#: sp-trie limits partial keys to this many nibbles (u16::MAX).
MAX_PARTIAL_NIBBLES: Final = 0xFFFF


def blake2_256(data: bytes) -> bytes:
    """The 32-byte BLAKE2b digest Substrate uses for trie nodes and hashed values."""
    return hashlib.blake2b(data, digest_size=32).digest()


EMPTY_ROOT: Final = blake2_256(EMPTY_NODE)

# ---------------------------------------------------------------------------------------
# Nibble helpers
# ---------------------------------------------------------------------------------------

_HEX_DIGITS: Final = b"0123456789abcdef"
_NIBBLE_VALUES: Final = bytes(range(16))
_HEX_TO_NIBBLE: Final = bytes.maketrans(_HEX_DIGITS, _NIBBLE_VALUES)
_NIBBLE_TO_HEX: Final = bytes.maketrans(_NIBBLE_VALUES, _HEX_DIGITS)
#: ``NIBBLE[i]`` is the one-nibble path ``bytes((i,))``; shared to avoid re-allocating.
NIBBLE: Final[tuple[bytes, ...]] = tuple(bytes((i,)) for i in range(17))


def hex_to_nibbles_table() -> bytes:
    """The ``bytes.translate`` table mapping ASCII hex digits to nibble values."""
    return _HEX_TO_NIBBLE


def key_to_nibbles(key: bytes) -> bytes:
    """Expand a byte key into its nibble path (two nibbles per byte, high nibble first)."""
    return key.hex().encode("ascii").translate(_HEX_TO_NIBBLE)


def nibbles_to_key(nibbles: bytes) -> bytes:
    """Pack an even-length nibble path back into the byte key it came from."""
    if len(nibbles) & 1:
        raise ValueError("a key has an even number of nibbles")
    return bytes.fromhex(nibbles.translate(_NIBBLE_TO_HEX).decode("ascii"))


def pack_partial(nibbles: bytes) -> bytes:
    """Pack a partial key; with an odd count the first byte holds one nibble, low half."""
    text = nibbles.translate(_NIBBLE_TO_HEX).decode("ascii")
    if len(nibbles) & 1:
        text = "0" + text
    return bytes.fromhex(text)


def unpack_partial(packed: bytes, count: int) -> bytes:
    """Inverse of :func:`pack_partial` for a partial key of ``count`` nibbles."""
    nibbles = key_to_nibbles(packed)
    return nibbles[len(nibbles) - count :]


def is_nibble_path(path: bytes) -> bool:
    """True when every byte of ``path`` is a nibble value (0..15)."""
    return not path.translate(None, _NIBBLE_VALUES)


def common_prefix_length(a: bytes, b: bytes) -> int:
    """Length of the longest common prefix of two byte strings (nibble paths or keys)."""
    n = min(len(a), len(b))
    # XOR of the big-endian integers has leading zero bytes exactly where a and b agree,
    # which finds the mismatch in C instead of a per-nibble Python loop.
    diff = int.from_bytes(a[:n], "big") ^ int.from_bytes(b[:n], "big")
    if not diff:
        return n
    return n - (diff.bit_length() + 7) // 8


# ---------------------------------------------------------------------------------------
# Node values
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HashedValue:
    """A V1 out-of-line value: the node stores only ``blake2_256(value)``."""

    hash: bytes

    def __post_init__(self) -> None:
        if len(self.hash) != HASH_LENGTH:
            raise ValueError("a hashed value is a 32-byte blake2_256 digest")


#: A node's value: the bytes themselves (inline) or a reference to them by hash.
NodeValue: TypeAlias = bytes | HashedValue
#: A child reference: an inline encoding (< 32 bytes) or a 32-byte node hash.
ChildRef: TypeAlias = bytes


@dataclass(frozen=True, slots=True)
class Empty:
    """The empty trie (encoded as a single zero byte)."""


@dataclass(frozen=True, slots=True)
class Leaf:
    """A node with a value and no children; ``partial`` is a nibble path."""

    partial: bytes
    value: NodeValue

    def __post_init__(self) -> None:
        _check_partial(self.partial)


@dataclass(frozen=True, slots=True)
class Branch:
    """A node with up to 16 children and an optional value.

    ``children[i]`` is the reference to the child under nibble ``i`` (see :data:`ChildRef`)
    or ``None``. A branch always has at least one child.
    """

    partial: bytes
    children: tuple[ChildRef | None, ...]
    value: NodeValue | None = None

    def __post_init__(self) -> None:
        _check_partial(self.partial)
        if len(self.children) != 16:
            raise ValueError("a branch has exactly 16 child slots")
        if all(child is None for child in self.children):
            raise ValueError("a branch needs at least one child")
        for child in self.children:
            if child is not None and not 0 < len(child) <= HASH_LENGTH:
                raise ValueError("a child reference is 1..32 bytes")


Node: TypeAlias = Empty | Leaf | Branch


def _check_partial(partial: bytes) -> None:
    if not is_nibble_path(partial):
        raise ValueError("partial keys hold nibbles (0..15), one per byte")
    if len(partial) > MAX_PARTIAL_NIBBLES:
        raise ValueError("partial key longer than sp-trie allows")


# ---------------------------------------------------------------------------------------
# Encoding
# ---------------------------------------------------------------------------------------

_LEAF: Final = 0b0100_0000
_BRANCH: Final = 0b1000_0000
_BRANCH_VALUE: Final = 0b1100_0000
_LEAF_HASHED: Final = 0b0010_0000
_BRANCH_HASHED: Final = 0b0001_0000


def _header(prefix: int, free_bits: int, count: int) -> bytes:
    ones = (1 << free_bits) - 1
    if count < ones:
        return bytes((prefix | count,))
    rest = count - ones
    return bytes((prefix | ones,)) + b"\xff" * (rest // 255) + bytes((rest % 255,))


def encode_branch_header(count: int, has_value: bool, hashed: bool) -> bytes:
    """The header bytes of a branch with a ``count``-nibble partial key."""
    if not has_value:
        return _header(_BRANCH, 6, count)
    if hashed:
        return _header(_BRANCH_HASHED, 4, count)
    return _header(_BRANCH_VALUE, 6, count)


def encode_leaf_header(count: int, hashed: bool) -> bytes:
    """The header bytes of a leaf with a ``count``-nibble partial key."""
    if hashed:
        return _header(_LEAF_HASHED, 5, count)
    return _header(_LEAF, 6, count)


def encode_leaf(partial: bytes, value: bytes, hashed: bool = False) -> bytes:
    """Encode a leaf. With ``hashed`` the ``value`` argument is the 32-byte value hash."""
    if hashed:
        head = _header(_LEAF_HASHED, 5, len(partial))
        return head + pack_partial(partial) + value
    return _header(_LEAF, 6, len(partial)) + pack_partial(partial) + encode_compact(len(value)) + value


def encode_branch(
    partial: bytes,
    value: bytes | None,
    hashed: bool,
    children: Sequence[ChildRef | None],
) -> bytes:
    """Encode a branch from its partial key, optional value and 16 child references.

    With ``hashed`` the ``value`` argument is the 32-byte value hash.
    """
    if value is None:
        parts = [_header(_BRANCH, 6, len(partial)), pack_partial(partial), b""]
    elif hashed:
        parts = [_header(_BRANCH_HASHED, 4, len(partial)), pack_partial(partial), b"", value]
    else:
        parts = [
            _header(_BRANCH_VALUE, 6, len(partial)),
            pack_partial(partial),
            b"",
            encode_compact(len(value)),
            value,
        ]
    bitmap = 0
    for index, child in enumerate(children):
        if child is not None:
            bitmap |= 1 << index
            parts.append(encode_compact(len(child)))
            parts.append(child)
    parts[2] = bitmap.to_bytes(2, "little")
    return b"".join(parts)


def child_reference(encoding: bytes) -> ChildRef:
    """How a parent refers to a child: inline below 32 bytes, else by hash."""
    return encoding if len(encoding) < HASH_LENGTH else blake2_256(encoding)


def encode_node(node: Node) -> bytes:
    """Encode a node; the value form (inline or hashed) is taken from the node as given."""
    if isinstance(node, Empty):
        return EMPTY_NODE
    if isinstance(node, Leaf):
        if isinstance(node.value, HashedValue):
            return encode_leaf(node.partial, node.value.hash, True)
        return encode_leaf(node.partial, node.value, False)
    value = node.value
    if isinstance(value, HashedValue):
        return encode_branch(node.partial, value.hash, True, node.children)
    return encode_branch(node.partial, value, False, node.children)


# ---------------------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------------------

#: The raw pieces of a decoded node: partial path, value (or value hash), whether the value
#: is hashed, and the 16 child references (``None`` for a leaf). ``None`` as a whole means
#: the empty node.
NodeParts: TypeAlias = tuple[bytes, bytes | None, bool, list[ChildRef | None] | None]


def decode_parts(data: bytes) -> NodeParts | None:
    """Decode a node into plain pieces without building dataclasses (the fast path).

    Strict: anything but exactly one well-formed node raises :class:`NodeDecodeError`.
    """
    end = len(data)
    if not end:
        raise NodeDecodeError("empty input")
    first = data[0]
    if first == 0:
        if end != 1:
            raise NodeDecodeError("trailing bytes after the empty node")
        return None
    kind = first >> 6
    hashed = False
    if kind == 1:
        is_leaf, has_value, free_bits = True, True, 6
    elif kind == 2:
        is_leaf, has_value, free_bits = False, False, 6
    elif kind == 3:
        is_leaf, has_value, free_bits = False, True, 6
    elif first & 0b1110_0000 == _LEAF_HASHED:
        is_leaf, has_value, hashed, free_bits = True, True, True, 5
    elif first & 0b1111_0000 == _BRANCH_HASHED:
        is_leaf, has_value, hashed, free_bits = False, True, True, 4
    else:
        raise NodeDecodeError(f"unknown node header 0x{first:02x}")

    ones = (1 << free_bits) - 1
    count = first & ones
    pos = 1
    if count == ones:
        while True:
            if pos >= end:
                raise NodeDecodeError("truncated partial-key length")
            extra = data[pos]
            pos += 1
            count += extra
            if extra < 255:
                break
            if count > MAX_PARTIAL_NIBBLES:
                raise NodeDecodeError("partial-key length out of range")
    if count > MAX_PARTIAL_NIBBLES:
        raise NodeDecodeError("partial-key length out of range")
    packed_end = pos + (count + 1) // 2
    if packed_end > end:
        raise NodeDecodeError("truncated partial key")
    if count & 1 and data[pos] & 0xF0:
        raise NodeDecodeError("non-zero padding in an odd partial key")
    partial = unpack_partial(data[pos:packed_end], count)
    pos = packed_end

    children: list[ChildRef | None] | None = None
    bitmap = 0
    if not is_leaf:
        if pos + 2 > end:
            raise NodeDecodeError("truncated child bitmap")
        bitmap = data[pos] | (data[pos + 1] << 8)
        pos += 2
        if not bitmap:
            raise NodeDecodeError("branch without children")

    value: bytes | None = None
    if hashed:
        if pos + HASH_LENGTH > end:
            raise NodeDecodeError("truncated value hash")
        value = data[pos : pos + HASH_LENGTH]
        pos += HASH_LENGTH
    elif has_value:
        length, pos = decode_compact(data, pos)
        if pos + length > end:
            raise NodeDecodeError("value runs past the end of the node")
        value = data[pos : pos + length]
        pos += length

    if bitmap:
        children = [None] * 16
        for index in range(16):
            if bitmap >> index & 1:
                length, pos = decode_compact(data, pos)
                if not 0 < length <= HASH_LENGTH:
                    raise NodeDecodeError("child reference length out of range")
                if pos + length > end:
                    raise NodeDecodeError("child reference runs past the end of the node")
                children[index] = data[pos : pos + length]
                pos += length
    if pos != end:
        raise NodeDecodeError("trailing bytes after the node")
    return partial, value, hashed, children


def decode_node(data: bytes) -> Node:
    """Decode one node encoding; raises :class:`NodeDecodeError` on any malformation."""
    parts = decode_parts(data)
    if parts is None:
        return Empty()
    partial, raw_value, hashed, children = parts
    value: NodeValue | None
    if raw_value is None:
        value = None
    elif hashed:
        value = HashedValue(raw_value)
    else:
        value = raw_value
    if children is None:
        assert value is not None  # leaves always carry a value
        return Leaf(partial, value)
    return Branch(partial, tuple(children), value)
