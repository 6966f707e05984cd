"""Hash functions and storage hashers against published Substrate vectors and substrate-interface."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from substrateinterface.utils import hasher as si_hasher

from runtime.primitives.hashing import (
    Hasher,
    blake2_128,
    blake2_128_concat,
    blake2_256,
    blake2_512,
    identity,
    twox64,
    twox64_concat,
    twox128,
    twox256,
)

# Vectors from sp_crypto_hashing / sp-io wasm tests and RFC 7693.
KNOWN = [
    (twox64, b"", "99e9d85137db46ef"),
    (twox128, b"", "99e9d85137db46ef4bbea33613baafd5"),
    (twox128, b"Hello world!", "b27dfd7f223f177f2a13647b533599af"),
    (twox256, b"", "99e9d85137db46ef4bbea33613baafd56f963c64b1f3685a4eb4abd67ff6203a"),
    (twox256, b"Hello world!", "b27dfd7f223f177f2a13647b533599af0c07f68bda23d96d059da2b451a35a74"),
    (twox128, b"System", "26aa394eea5630e07c48ae0c9558cef7"),
    (twox128, b"Balances", "c2261276cc9d1f8598ea4b6a74b15c2f"),
    (twox128, b"Sudo", "5c0d1176a568c1f92944340dbfed9e9c"),
    (blake2_128, b"", "cae66941d9efbd404e4d88758ea67670"),
    (blake2_256, b"", "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"),
    (
        blake2_512,
        b"abc",
        "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
        "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923",
    ),
]


@pytest.mark.parametrize(("fn", "data", "expected"), KNOWN)
def test_known_vectors(fn, data: bytes, expected: str) -> None:
    assert fn(data).hex() == expected


def test_output_lengths() -> None:
    data = b"pysubtensor"
    assert [len(f(data)) for f in (twox64, twox128, twox256)] == [8, 16, 32]
    assert [len(f(data)) for f in (blake2_128, blake2_256, blake2_512)] == [16, 32, 64]


def test_hasher_enum_matches_metadata_indices() -> None:
    assert [(h.name, h.value) for h in Hasher] == [
        ("Blake2_128", 0),
        ("Blake2_256", 1),
        ("Blake2_128Concat", 2),
        ("Twox128", 3),
        ("Twox256", 4),
        ("Twox64Concat", 5),
        ("Identity", 6),
    ]
    assert Hasher(2) is Hasher.Blake2_128Concat


def test_concat_len() -> None:
    assert Hasher.Blake2_128Concat.concat_len == 16
    assert Hasher.Twox64Concat.concat_len == 8
    assert Hasher.Identity.concat_len == 0
    for opaque in (Hasher.Blake2_128, Hasher.Blake2_256, Hasher.Twox128, Hasher.Twox256):
        assert opaque.concat_len is None
        assert not opaque.is_reversible
        assert len(opaque.hash(b"x")) == opaque.hash_len


def test_hasher_dispatch() -> None:
    data = b"\x01\x02\x03"
    assert Hasher.Blake2_128.hash(data) == blake2_128(data)
    assert Hasher.Blake2_256.hash(data) == blake2_256(data)
    assert Hasher.Blake2_128Concat.hash(data) == blake2_128(data) + data
    assert Hasher.Twox128.hash(data) == twox128(data)
    assert Hasher.Twox256.hash(data) == twox256(data)
    assert Hasher.Twox64Concat.hash(data) == twox64(data) + data
    assert Hasher.Identity.hash(data) == data


@given(st.binary(max_size=300))
def test_matches_substrate_interface(data: bytes) -> None:
    assert blake2_128(data) == si_hasher.blake2_128(data)
    assert blake2_256(data) == si_hasher.blake2_256(data)
    assert blake2_128_concat(data) == si_hasher.blake2_128_concat(data)
    assert twox64_concat(data) == si_hasher.two_x64_concat(data)
    assert twox128(data) == si_hasher.xxh128(data)
    assert identity(data) == si_hasher.identity(data)


@given(st.binary(max_size=300))
def test_concat_hashers_round_trip(data: bytes) -> None:
    for hasher in (Hasher.Blake2_128Concat, Hasher.Twox64Concat, Hasher.Identity):
        hashed = hasher.hash(data)
        assert hasher.concat_len is not None
        prefix, tail = hashed[: hasher.concat_len], hashed[hasher.concat_len :]
        assert tail == data
        assert hasher.hash(tail) == hashed
        assert len(prefix) == hasher.concat_len


@given(st.binary(max_size=64))
def test_twox_prefix_property(a: bytes) -> None:
    # Wider twox outputs extend narrower ones: seed 0 always comes first.
    assert twox256(a)[:16] == twox128(a)
    assert twox128(a)[:8] == twox64(a)
