"""Block production and import through the chain: authored blocks re-import on a second node's chain,
tampered blocks are rejected, state roots and finality hold."""

from __future__ import annotations

from dataclasses import replace

import pytest

from consensus.aura import seal, slot_at
from consensus.chain import BlockImportError, Chain, open_chain
from runtime.node_runtime import node_runtime
from runtime.pallets.system import storage as S
from runtime.primitives.extrinsic import ChainContext, encode_extrinsic, extrinsic_hash
from runtime.primitives.keys import dev_account
from runtime.primitives.signing import sign_extrinsic
from runtime.version import SPEC_VERSION, TRANSACTION_VERSION
from storage.kv import MemoryKV
from subtensor.chain_spec import load_chain_spec

ALICE, BOB = dev_account("Alice"), dev_account("Bob")
T0 = 1_800_000_000_000


def new_chain(instant_finality: bool = True) -> Chain:
    _, spec = load_chain_spec("dev")
    return open_chain(MemoryKV(), spec, node_runtime(), pruning=None, instant_finality=instant_finality)


def transfer(chain: Chain, nonce: int, amount: int) -> bytes:
    call = node_runtime().encode_call(("Balances", ("transfer_keep_alive", {"dest": ("Id", BOB.public),
                                                                             "value": amount})))
    ctx = ChainContext(SPEC_VERSION, TRANSACTION_VERSION, chain.genesis_hash())
    return encode_extrinsic(sign_extrinsic(ALICE, call, ctx, nonce=nonce))


def author(chain: Chain, n: int, txs: list[bytes] = ()) -> tuple:  # type: ignore[assignment]
    now = T0 + n * 250
    built = chain.build_block(chain.best_hash(), now, slot_at(now, 250), ALICE,
                              [(extrinsic_hash(tx), tx) for tx in txs])
    return built


def test_author_import_and_replay_on_another_chain() -> None:
    a, b = new_chain(), new_chain()
    assert a.best_hash() == b.best_hash() == a.genesis_hash()
    for n in range(1, 4):
        txs = [transfer(a, n - 1, 10**9)]
        built = author(a, n, txs)
        assert built.included == [extrinsic_hash(txs[0])]
        outcome = a.import_block(built.header, built.body, own=True)
        assert outcome.is_new_best and outcome.finalized == built.header.hash
        b.import_block(built.header, built.body)
    assert a.best_hash() == b.best_hash() and a.finalized_hash() == b.best_hash()
    view = b.state_view(b.best_hash())
    assert S.Account.get(view, BOB.public).data.free == 1_000_000 * 10**9 + 3 * 10**9
    assert S.Number.get(view) == 3


def test_tampered_blocks_are_rejected() -> None:
    a, b = new_chain(), new_chain()
    built = author(a, 1, [transfer(a, 0, 5)])
    header, body = built.header, built.body
    pre, _ = header.without_seal()
    with pytest.raises(BlockImportError, match="seal"):
        b.import_block(seal(pre, BOB), body)  # Bob is not the slot's author
    with pytest.raises(BlockImportError, match="state root|invalid block"):
        b.import_block(seal(replace(pre, state_root=bytes(32)), ALICE), body)
    with pytest.raises(BlockImportError):
        b.import_block(seal(pre, ALICE), body[:1])  # extrinsics root mismatch
    with pytest.raises(BlockImportError, match="unknown parent"):
        b.import_block(seal(replace(pre, parent_hash=bytes(32)), ALICE), body)
    b.import_block(header, body)
    assert b.best_hash() == header.hash


def test_invalid_pool_transactions_are_skipped_by_the_builder() -> None:
    a = new_chain()
    good, stale = transfer(a, 0, 5), transfer(a, 0, 6)
    built = author(a, 1, [good, stale])
    assert built.included == [extrinsic_hash(good)]
    assert built.rejected == [(extrinsic_hash(stale), ("Invalid", "Stale"))]
