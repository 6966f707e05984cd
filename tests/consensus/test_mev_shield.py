"""The MEV shield's author side: the keystore, the per-block session, and blocks built with it (wrapper
and revealed inner extrinsic together; other authors' wrappers held back; blocks import without keys)."""

from __future__ import annotations

import bittensor_core
import pytest

from consensus.aura import slot_at
from consensus.chain import BuiltBlock, Chain
from consensus.mev_shield import ShieldAuthor, ShieldKeystore, generate_pair
from runtime.node_runtime import node_runtime
from runtime.pallets import aura, mev_shield
from runtime.pallets.system import storage as S
from runtime.primitives.era import Era
from runtime.primitives.extrinsic import (
    ChainContext, decode_extrinsic, encode_extrinsic, extrinsic_hash,
)
from runtime.primitives.hashing import twox128
from runtime.primitives.keys import dev_account
from runtime.primitives.signing import sign_extrinsic
from runtime.version import SPEC_VERSION, TRANSACTION_VERSION

from tests.consensus.test_chain import ALICE, BOB, T0, new_chain
from tests.runtime.pallet_checks import new_ctx

RUNTIME = node_runtime()
CHARLIE = dev_account("Charlie")


# -- keystore and session ----------------------------------------------------------------------------------


def test_keystore_rolls_and_keeps_recent_decapsulation_keys() -> None:
    store = ShieldKeystore(keep=3)
    first = store.next_enc_key()
    assert len(first) == mev_shield.MLKEM768_ENC_KEY_LEN
    assert store.dec_key_for(twox128(first)) is not None
    announced = [first]
    for _ in range(3):
        store.roll_for_next_slot()
        announced.append(store.next_enc_key())
    assert len(set(announced)) == 4
    assert store.dec_key_for(twox128(first)) is None  # evicted: only the last three are kept
    for enc_key in announced[1:]:
        dec_key = store.dec_key_for(twox128(enc_key))
        assert dec_key is not None
        blob = bittensor_core.encrypt_mlkem768(enc_key, b"payload", include_key_hash=True)
        parsed = mev_shield.ShieldedTransaction.parse(blob)
        assert parsed is not None and mev_shield.unshield(dec_key, parsed) == b"payload"


@pytest.mark.parametrize(("authorities", "rotates"), [(1, False), (2, False), (3, True), (5, True)])
def test_session_rotates_only_when_turns_are_three_slots_apart(authorities: int, rotates: bool) -> None:
    ctx = new_ctx(RUNTIME, number=7)
    aura.Authorities.put(ctx, [bytes([n]) * 32 for n in range(authorities)])
    shield = ShieldAuthor(RUNTIME)
    keys = []
    for _ in range(3):
        session = shield.start(ctx)
        (inherent,) = session.inherents()
        call = RUNTIME.decode_call(decode_extrinsic(inherent, RUNTIME.extensions).call)
        assert call[0] == "MevShield" and call[1][0] == "announce_next_key"
        keys.append(call[1][1]["enc_key"])
    assert (len(set(keys)) == 3) is rotates and (len(set(keys)) == 1) is not rotates


def test_session_finds_the_decapsulation_key_of_pending_key() -> None:
    ctx = new_ctx(RUNTIME, number=7)
    store = ShieldKeystore()
    shield = ShieldAuthor(RUNTIME, store)
    assert shield.start(ctx).pending_key_hash is None
    mev_shield.PendingKey.put(ctx, store.next_enc_key())
    session = shield.start(ctx)
    assert session.pending_key_hash == twox128(store.next_enc_key())
    mev_shield.PendingKey.put(ctx, generate_pair().enc_key)  # someone else's key
    assert shield.start(ctx).pending_key_hash != twox128(store.next_enc_key())


# -- blocks ---------------------------------------------------------------------------------------------------


def _signed(chain: Chain, call: object, nonce: int) -> bytes:
    """Signed by Charlie, mortal for 8 blocks from the best block (the most a carrier may have)."""
    cc = ChainContext(SPEC_VERSION, TRANSACTION_VERSION, chain.genesis_hash())
    best = chain.header(chain.best_hash())
    assert best is not None
    era = Era.mortal(8, best.number)
    birth = chain.db.blocks.hash_at(era.birth(best.number))
    return encode_extrinsic(sign_extrinsic(CHARLIE, RUNTIME.encode_call(call), cc, nonce=nonce, era=era,
                                           era_birth_hash=birth))


def _transfer(chain: Chain, nonce: int, amount: int) -> bytes:
    return _signed(chain, ("Balances", ("transfer_keep_alive", {"dest": ("Id", BOB.public), "value": amount})),
                   nonce)


def _carrier(chain: Chain, nonce: int, ciphertext: bytes) -> bytes:
    return _signed(chain, ("MevShield", ("submit_encrypted", {"ciphertext": ciphertext})), nonce)


class Builder:
    """Alice authoring on one chain with the shield; every block is replayed on a keyless second chain."""

    def __init__(self) -> None:
        self.chain, self.replica = new_chain(), new_chain()
        self.shield = ShieldAuthor(RUNTIME)
        self.n = 0

    def block(self, txs: list[bytes] = ()) -> BuiltBlock:  # type: ignore[assignment]
        self.n += 1
        now = T0 + self.n * 250
        built = self.chain.build_block(self.chain.best_hash(), now, slot_at(now, 250), ALICE,
                                       [(extrinsic_hash(tx), tx) for tx in txs], shield=self.shield)
        self.chain.import_block(built.header, built.body, own=True)
        self.replica.import_block(built.header, built.body)
        return built

    def view(self) -> object:
        return self.replica.state_view(self.replica.best_hash())

    def bob(self) -> int:
        return int(S.Account.get(self.view(), BOB.public).data.free)


def test_wrapper_and_inner_land_together_and_replay_without_keys() -> None:
    b = Builder()
    for _ in range(3):
        b.block()  # one authority: NextKey from block 2, PendingKey from block 3
    next_key = mev_shield.NextKey.get(b.view())
    assert next_key is not None and mev_shield.PendingKey.get(b.view()) == next_key
    inner = _transfer(b.chain, 1, 7 * 10**9)
    carrier = _carrier(b.chain, 0, bittensor_core.encrypt_mlkem768(bytes(next_key), inner, include_key_hash=True))
    before = b.bob()
    built = b.block([carrier])
    assert built.body[-2:] == [carrier, inner] and built.included == [extrinsic_hash(carrier)]
    assert b.bob() == before + 7 * 10**9
    assert S.Account.get(b.view(), CHARLIE.public).nonce == 2
    assert b.replica.best_hash() == b.chain.best_hash()  # the keyless replica agrees


def test_wrappers_for_other_keys_stay_in_the_pool() -> None:
    b = Builder()
    for _ in range(3):
        b.block()
    stranger = generate_pair().enc_key
    carrier = _carrier(b.chain, 0, bittensor_core.encrypt_mlkem768(stranger, _transfer(b.chain, 1, 1),
                                                                   include_key_hash=True))
    built = b.block([carrier])
    assert carrier not in built.body and built.included == [] and built.rejected == []


def test_undecryptable_or_invalid_inner_leaves_the_wrapper_alone() -> None:
    b = Builder()
    for _ in range(3):
        b.block()
    next_key = bytes(mev_shield.NextKey.get(b.view()))
    garbage = _carrier(b.chain, 0, bittensor_core.encrypt_mlkem768(next_key, b"not an extrinsic",
                                                                   include_key_hash=True))
    stale = _carrier(b.chain, 1, bittensor_core.encrypt_mlkem768(next_key, _transfer(b.chain, 0, 5),
                                                                 include_key_hash=True))
    before = b.bob()
    built = b.block([garbage, stale])
    assert built.body[-2:] == [garbage, stale] and len(built.included) == 2
    assert b.bob() == before
    assert S.Account.get(b.view(), CHARLIE.public).nonce == 2  # just the two carriers
