"""Multisig account ids: the recorded localnet addresses and the derivation's invariants."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scalecodec.base import RuntimeConfiguration

from runtime.primitives.errors import InvalidMultisig
from runtime.primitives.hashing import blake2_256
from runtime.primitives.keys import dev_account
from runtime.primitives.multisig import MULTISIG_TAG, multi_account_id
from runtime.primitives.ss58 import ss58_decode, ss58_encode


def test_recorded_multisig_addresses(golden) -> None:
    assert golden["multisig"]
    for entry in golden["multisig"]:
        signatories = [ss58_decode(address) for address in entry["signatories"]]
        account = multi_account_id(signatories, entry["threshold"])
        assert ss58_encode(account) == entry["ss58_address"]


def test_order_does_not_matter() -> None:
    ids = [dev_account(name).public for name in ("Alice", "Bob", "Charlie")]
    expected = multi_account_id(ids, 2)
    for order in itertools.permutations(ids):
        assert multi_account_id(list(order), 2) == expected
    assert multi_account_id(tuple(ids), 3) != expected


def test_matches_scale_encoding_of_the_tuple() -> None:
    # Oracle: scalecodec encodes the (tag, Vec<AccountId>, u16) tuple the pallet hashes.
    config = RuntimeConfiguration()
    ids = sorted(dev_account(name).public for name in ("Alice", "Bob", "Dave"))
    vec = config.create_scale_object("Vec<[u8; 32]>").encode(["0x" + i.hex() for i in ids]).data
    threshold = config.create_scale_object("u16").encode(2).data
    assert multi_account_id(ids, 2) == blake2_256(MULTISIG_TAG + bytes(vec) + bytes(threshold))
    assert len(MULTISIG_TAG) == 16


@given(st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=6, unique=True), st.integers(0, 65535))
def test_deterministic_and_sorted(ids: list[bytes], threshold: int) -> None:
    account = multi_account_id(ids, threshold)
    assert len(account) == 32
    assert multi_account_id(sorted(ids, reverse=True), threshold) == account


def test_rejects_bad_input() -> None:
    alice, bob = dev_account("Alice").public, dev_account("Bob").public
    for signatories, threshold in [
        ([], 1),
        ([alice, alice], 2),
        ([alice, bob[:31]], 2),
        ([alice, bob.hex()], 2),
        ([alice, bob], -1),
        ([alice, bob], 65536),
        ([alice, bob], True),
        ([alice, bob], 2.0),
        (alice, 1),
    ]:
        with pytest.raises(InvalidMultisig):
            multi_account_id(signatories, threshold)  # type: ignore[arg-type]
