"""SubtensorTransactionExtension guards: real signed extrinsics through pool validation and block
application on the dev genesis, rejected as ``InvalidTransaction::Custom(code)`` (spec §1.3), while
well-formed calls still pass."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.executive import TransactionValidityError, apply_extrinsic, validate_transaction
from runtime.node_runtime import node_runtime
from runtime.pallets.subtensor import guards, subnets
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.system import storage as S
from runtime.primitives.extrinsic import ChainContext, encode_extrinsic
from runtime.primitives.header import Header
from runtime.primitives.keys import dev_account
from runtime.primitives.signing import sign_extrinsic
from runtime.scale import Ok
from runtime.support.context import Context
from runtime.version import SPEC_VERSION, TRANSACTION_VERSION
from tests.runtime.test_executive import ALICE, BOB, T0, chain_context, genesis_ext, start_block

NETUID = 1  # the dev genesis adds subnet 1
HOTKEY = BOB  # signs the serve_* calls; owned by Alice for the take calls
STRANGER = dev_account("Charlie")
IP4 = int.from_bytes(bytes([8, 8, 8, 8]), "big")


def subtensor_call(name: str, **args: Any) -> bytes:
    return node_runtime().encode_call(("SubtensorModule", (name, args)))


def axon(**changes: Any) -> dict[str, Any]:
    return {"netuid": NETUID, "version": 1, "ip": IP4, "port": 8091, "ip_type": 4, "protocol": 4,
            "placeholder1": 0, "placeholder2": 0, **changes}


def prometheus(**changes: Any) -> dict[str, Any]:
    return {"netuid": NETUID, "version": 1, "ip": IP4, "port": 9090, "ip_type": 4, **changes}


def setup(ctx: Context) -> None:
    """Bob's hotkey holds uid 1 on subnet 1 and is owned by Alice."""
    st.Uids.put(ctx, NETUID, HOTKEY.public, 1)
    st.Keys.put(ctx, NETUID, 1, HOTKEY.public)
    st.Owner.put(ctx, HOTKEY.public, ALICE.public)


class Pool:
    """Pool validation against the dev genesis (as if for block 1), after :func:`setup` and ``tweak``."""

    def __init__(self, tweak: Any = None) -> None:
        ext = genesis_ext()
        self.genesis_hash = Header(bytes(32), 0, ext.storage_root(), bytes(32)).hash
        self.ctx = node_runtime().context(ext)
        setup(self.ctx)
        if tweak is not None:
            tweak(self.ctx)

    def validate(self, key: Any, call: bytes, nonce: int = 0) -> Any:
        cc = ChainContext(SPEC_VERSION, TRANSACTION_VERSION, self.genesis_hash)
        raw = encode_extrinsic(sign_extrinsic(key, call, cc, nonce=nonce))
        return validate_transaction(self.ctx, "External", raw, self.genesis_hash)

    def reject(self, key: Any, call: bytes) -> Any:
        with pytest.raises(TransactionValidityError) as exc:
            self.validate(key, call)
        return exc.value.value


def custom(code: int) -> Any:
    return ("Invalid", ("Custom", code))


def test_error_codes_follow_the_spec_table() -> None:
    assert guards.custom_code(errors.DelegateTakeTooLow) == 26
    assert guards.custom_code(errors.DelegateTakeTooHigh) == 27
    assert guards.custom_code(errors.NonAssociatedColdKey) == 25
    assert guards.custom_code(errors.HotKeyAccountNotExists) == 4
    assert guards.custom_code(errors.HotKeyNotRegisteredInNetwork) == 10
    assert guards.custom_code(errors.InvalidIpAddress) == 11
    assert guards.custom_code(errors.ServingRateLimitExceeded) == 12
    assert guards.custom_code(errors.InvalidPort) == 13
    assert guards.custom_code(errors.NetworkTxRateLimitExceeded) == 6
    assert guards.custom_code(errors.InvalidIpType) == guards.BAD_REQUEST == 255


# -- CheckDelegateTake ---------------------------------------------------------------------------------------


def test_delegate_take_bounds_then_ownership() -> None:
    pool = Pool()
    low = st.MinDelegateTake.get(pool.ctx) - 1 if st.MinDelegateTake.get(pool.ctx) else None
    high = st.MaxDelegateTake.get(pool.ctx) + 1
    for name in ("increase_take", "decrease_take"):
        assert pool.reject(ALICE, subtensor_call(name, hotkey=HOTKEY.public, take=high)) == custom(27)
        # bounds come before ownership: a stranger with an out-of-range take sees the bound error
        assert pool.reject(STRANGER, subtensor_call(name, hotkey=HOTKEY.public, take=high)) == custom(27)
        assert pool.reject(STRANGER, subtensor_call(name, hotkey=HOTKEY.public, take=1000)) == custom(25)
        assert pool.reject(ALICE, subtensor_call(name, hotkey=STRANGER.public, take=1000)) == custom(4)
        if low is not None:
            assert pool.reject(ALICE, subtensor_call(name, hotkey=HOTKEY.public, take=low)) == custom(26)


def test_delegate_take_too_low() -> None:
    pool = Pool(lambda ctx: st.MinDelegateTake.put(ctx, 100))
    for name in ("increase_take", "decrease_take"):
        assert pool.reject(ALICE, subtensor_call(name, hotkey=HOTKEY.public, take=99)) == custom(26)
        assert pool.reject(STRANGER, subtensor_call(name, hotkey=HOTKEY.public, take=99)) == custom(26)


def test_valid_take_calls_pass_validation() -> None:
    pool = Pool()
    valid = pool.validate(ALICE, subtensor_call("increase_take", hotkey=HOTKEY.public,
                                                 take=st.MaxDelegateTake.get(pool.ctx)))
    assert valid.priority == 1 and valid.provides
    pool.validate(ALICE, subtensor_call("decrease_take", hotkey=HOTKEY.public, take=st.MinDelegateTake.get(pool.ctx)))


# -- CheckServingEndpoints -----------------------------------------------------------------------------------


def test_serving_endpoint_codes() -> None:
    pool = Pool()
    for name, args in (("serve_axon", axon), ("serve_prometheus", prometheus)):
        assert pool.reject(STRANGER, subtensor_call(name, **args())) == custom(10)
        assert pool.reject(HOTKEY, subtensor_call(name, **args(ip=0x7F00_0001))) == custom(11)
        assert pool.reject(HOTKEY, subtensor_call(name, **args(port=0))) == custom(13)
        assert pool.reject(HOTKEY, subtensor_call(name, **args(ip_type=5))) == custom(255)  # InvalidIpType
    assert pool.reject(STRANGER, subtensor_call("serve_axon_tls", **axon(), certificate=b"\x01" + bytes(32))) == \
        custom(10)
    assert pool.reject(HOTKEY, subtensor_call("serve_axon_tls", **axon(port=0), certificate=b"")) == custom(13)
    # prometheus refuses the zero address, an axon does not
    assert pool.reject(HOTKEY, subtensor_call("serve_prometheus", **prometheus(ip=0))) == custom(11)
    pool.validate(HOTKEY, subtensor_call("serve_axon", **axon(ip=0)))


def test_serving_rate_limit_code() -> None:
    def served_recently(ctx: Context) -> None:
        st.ServingRateLimit.put(ctx, NETUID, 50)
        st.Axons.put(ctx, NETUID, HOTKEY.public, {**axon(), "block": 1})
        st.Prometheus.put(ctx, NETUID, HOTKEY.public, {**prometheus(), "block": 1})

    pool = Pool(served_recently)
    assert pool.reject(HOTKEY, subtensor_call("serve_axon", **axon())) == custom(12)
    assert pool.reject(HOTKEY, subtensor_call("serve_prometheus", **prometheus())) == custom(12)


def test_valid_serving_calls_pass_validation() -> None:
    pool = Pool()
    for call in (subtensor_call("serve_axon", **axon()), subtensor_call("serve_prometheus", **prometheus()),
                 subtensor_call("serve_axon_tls", **axon(), certificate=b"\x01" + bytes(32))):
        assert pool.validate(HOTKEY, call).priority == 1


# -- CheckRateLimits: register_network -----------------------------------------------------------------------


def test_register_network_rate_limit() -> None:
    def registered_just_now(ctx: Context) -> None:
        st.NetworkRateLimit.put(ctx, 10)
        st.LastRateLimitedBlock.put(ctx, subnets.NETWORK_LAST_REGISTERED, 1)

    call = subtensor_call("register_network", hotkey=dev_account("Dave").public)
    assert Pool(registered_just_now).reject(ALICE, call) == custom(6)
    assert Pool().validate(ALICE, call).priority == 1  # never registered: not limited

    def registered_long_ago(ctx: Context) -> None:
        registered_just_now(ctx)
        S.Number.put(ctx, 20)  # validated for block 21, 20 blocks after the last registration

    pool = Pool(registered_long_ago)
    pool.genesis_hash = S.BlockHash.get(pool.ctx, 0)
    assert pool.validate(ALICE, call).priority == 1


def test_unguarded_calls_pass() -> None:
    pool = Pool(lambda ctx: st.NetworkRateLimit.put(ctx, 10**6))
    call = node_runtime().encode_call(("System", ("remark", {"remark": b"hi"})))
    assert pool.validate(ALICE, call).priority == 1


# -- at block application ------------------------------------------------------------------------------------


def _block() -> Context:
    ext = genesis_ext()
    ctx = start_block(ext, 1, Header(bytes(32), 0, ext.storage_root(), bytes(32)).hash, T0)
    setup(ctx)
    return ctx


def _apply_reject(ctx: Context, raw: bytes) -> Any:
    with pytest.raises(TransactionValidityError) as exc:
        apply_extrinsic(ctx, raw)
    return exc.value.value


def test_guards_reject_at_apply_without_side_effects() -> None:
    ctx = _block()
    cc = chain_context(ctx)
    nonce_before = S.Account.get(ctx, ALICE.public).nonce
    high = st.MaxDelegateTake.get(ctx) + 1
    raw = encode_extrinsic(sign_extrinsic(ALICE, subtensor_call("increase_take", hotkey=HOTKEY.public, take=high),
                                          cc, nonce=0))
    assert _apply_reject(ctx, raw) == custom(27)
    assert S.Account.get(ctx, ALICE.public).nonce == nonce_before
    raw = encode_extrinsic(sign_extrinsic(HOTKEY, subtensor_call("serve_axon", **axon(port=0)), cc, nonce=0))
    assert _apply_reject(ctx, raw) == custom(13)
    st.LastRateLimitedBlock.put(ctx, subnets.NETWORK_LAST_REGISTERED, 1)
    raw = encode_extrinsic(sign_extrinsic(ALICE, subtensor_call("register_network", hotkey=dev_account("Dave").public),
                                          cc, nonce=0))
    assert _apply_reject(ctx, raw) == custom(6)


def test_valid_guarded_calls_apply() -> None:
    ctx = _block()
    cc = chain_context(ctx)
    raw = encode_extrinsic(sign_extrinsic(HOTKEY, subtensor_call("serve_axon", **axon()), cc, nonce=0))
    assert apply_extrinsic(ctx, raw) == Ok(Ok(None))
    assert st.Axons.get(ctx, NETUID, HOTKEY.public)["port"] == 8091
    take = st.MaxDelegateTake.get(ctx)
    raw = encode_extrinsic(sign_extrinsic(ALICE, subtensor_call("increase_take", hotkey=HOTKEY.public, take=take),
                                          cc, nonce=0))
    assert apply_extrinsic(ctx, raw) == Ok(Ok(None))
    assert st.Delegates.get(ctx, HOTKEY.public) == take


def test_weights_min_stake_guard_rejects_unstaked_hotkeys() -> None:
    """CheckWeights: a registered hotkey below StakeThreshold gets Custom(1) at validation."""
    ext = genesis_ext()
    ctx = node_runtime().context(ext)
    st.StakeThreshold.put(ctx, 10**12)
    hotkey = dev_account("Bob").public
    call = ("SubtensorModule", ("set_weights", {"netuid": 1, "dests": [0], "weights": [1], "version_key": 0}))
    with pytest.raises(guards.GuardRejected) as exc:
        guards.check_call(ctx, hotkey, call)
    assert exc.value.code == 1
    batch = ("SubtensorModule", ("batch_set_weights", {"netuids": [1], "weights": [], "version_keys": [0]}))
    with pytest.raises(guards.GuardRejected) as exc:
        guards.check_call(ctx, hotkey, batch)
    assert exc.value.code == 18
    guards.check_call(ctx, hotkey, ("SubtensorModule", "some_argless_call"))


@pytest.mark.parametrize("name, args", [
    ("commit_mechanism_weights", {"netuid": 1, "mecid": 0, "commit_hash": bytes(32)}),
    ("reveal_mechanism_weights", {"netuid": 1, "mecid": 0, "uids": [0], "values": [1], "salt": [0],
                                  "version_key": 0}),
    ("batch_reveal_weights", {"netuid": 1, "uids_list": [], "values_list": [], "salts_list": [],
                              "version_keys": []}),
    ("commit_timelocked_weights", {"netuid": 1, "commit": b"", "reveal_round": 1, "commit_reveal_version": 4}),
    ("commit_crv3_mechanism_weights", {"netuid": 1, "mecid": 0, "commit": b"", "reveal_round": 1}),
    ("commit_timelocked_mechanism_weights", {"netuid": 1, "mecid": 0, "commit": b"", "reveal_round": 1,
                                             "commit_reveal_version": 4}),
    ("batch_commit_weights", {"netuids": [1], "commit_hashes": [bytes(32)]}),
])
def test_every_weights_commit_and_reveal_call_needs_the_minimum_stake(name: str, args: dict[str, Any]) -> None:
    ctx = node_runtime().context(genesis_ext())
    hotkey = dev_account("Bob").public
    st.StakeThreshold.put(ctx, 10**12)
    with pytest.raises(guards.GuardRejected) as exc:
        guards.check_call(ctx, hotkey, ("SubtensorModule", (name, args)))
    assert exc.value.code == 1
    st.StakeThreshold.put(ctx, 0)
    guards.check_call(ctx, hotkey, ("SubtensorModule", (name, args)))


def test_batch_commit_needs_one_hash_per_subnet() -> None:
    ctx = node_runtime().context(genesis_ext())
    call = ("SubtensorModule", ("batch_commit_weights", {"netuids": [1, 1], "commit_hashes": [bytes(32)]}))
    with pytest.raises(guards.GuardRejected) as exc:
        guards.check_call(ctx, dev_account("Bob").public, call)
    assert exc.value.code == guards.CUSTOM_CODES["InputLengthsUnequal"]


# -- CheckColdkeySwap ----------------------------------------------------------------------------------------


def _announced(ctx: Context) -> None:
    st.ColdkeySwapAnnouncements.put(ctx, ALICE.public, (60, bytes(32)))


def _disputed(ctx: Context) -> None:
    _announced(ctx)
    st.ColdkeySwapDisputes.put(ctx, ALICE.public, 1)


def test_coldkey_swap_codes_follow_the_spec_table() -> None:
    assert guards.custom_code(errors.ColdkeySwapAnnounced) == 0  # ColdkeyInSwapSchedule
    assert guards.custom_code(errors.ColdkeySwapDisputed) == 21


def test_announced_coldkey_may_only_send_the_swap_calls() -> None:
    pool = Pool(_announced)
    remark = node_runtime().encode_call(("System", ("remark", {"remark": b"hi"})))
    assert pool.reject(ALICE, remark) == custom(0)  # any pallet's call
    assert pool.reject(ALICE, subtensor_call("register_network", hotkey=dev_account("Dave").public)) == custom(0)
    for call in (subtensor_call("announce_coldkey_swap", new_coldkey_hash=bytes(32)),
                 subtensor_call("swap_coldkey_announced", new_coldkey=STRANGER.public),
                 node_runtime().encode_call(("SubtensorModule", "dispute_coldkey_swap")),
                 node_runtime().encode_call(("SubtensorModule", "clear_coldkey_swap_announcement"))):
        assert pool.validate(ALICE, call).priority == 1
    assert pool.validate(STRANGER, remark).priority == 1  # other signers are untouched


def test_disputed_coldkey_may_send_nothing() -> None:
    pool = Pool(_disputed)
    for call in (node_runtime().encode_call(("System", ("remark", {"remark": b"hi"}))),
                 subtensor_call("swap_coldkey_announced", new_coldkey=STRANGER.public),
                 node_runtime().encode_call(("SubtensorModule", "dispute_coldkey_swap"))):
        assert pool.reject(ALICE, call) == custom(21)


def test_coldkey_swap_guard_allows_shielded_submissions() -> None:
    guards.check_coldkey_swap(_ctx_with(_announced), ALICE.public, ("MevShield", ("submit_encrypted", {})))
    with pytest.raises(type(errors.ColdkeySwapAnnounced)) as exc:
        guards.check_coldkey_swap(_ctx_with(_announced), ALICE.public, ("MevShield", ("announce_next_key", {})))
    assert exc.value.name == "ColdkeySwapAnnounced"


def _ctx_with(tweak: Any) -> Context:
    return Pool(tweak).ctx


# -- CheckEvmKeyAssociation ----------------------------------------------------------------------------------


def test_evm_key_association_guard() -> None:
    call = subtensor_call("associate_evm_key", netuid=NETUID, evm_key=bytes(20), block_number=0,
                          signature=bytes(65))
    assert Pool().reject(STRANGER, call) == custom(19)  # HotKeyNotRegisteredInSubNet
    assert Pool().validate(HOTKEY, call).priority == 1  # registered, never associated (the body checks the rest)
    # associated at the block being validated: the rate limit (1 block) has not passed
    assert Pool(lambda ctx: st.AssociatedEvmAddress.put(ctx, NETUID, 1, (bytes(20), 1))).reject(HOTKEY, call) == \
        custom(20)
