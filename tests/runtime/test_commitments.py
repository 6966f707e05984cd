"""pallet_commitments: who may commit, field and space limits, epochs, the Data encoding, events,
bonds reset, the timelocked index, root's MaxSpace, and the metadata against the recording."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.node_runtime import node_runtime
from runtime.pallets import commitments, sudo
from runtime.pallets.commitments import types
from runtime.pallets.subtensor import storage as st
from runtime.scale import DecodeError, Ok
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError, Origin

from tests.runtime.pallet_checks import events, module_error, new_ctx

RUNTIME = node_runtime()
ALICE, HOTKEY, STRANGER = (bytes([n]) * 32 for n in (1, 2, 3))
NETUID = 1


@pytest.fixture
def ctx() -> Context:
    ctx = new_ctx(RUNTIME, number=5)
    sudo.genesis(ctx, {"key": "0x" + ALICE.hex()})
    st.NetworksAdded.put(ctx, NETUID, True)
    st.Uids.put(ctx, NETUID, HOTKEY, 0)
    st.Keys.put(ctx, NETUID, 0, HOTKEY)
    return ctx


def commit(*fields: Any, netuid: int = NETUID) -> Any:
    return ("Commitments", ("set_commitment", {"netuid": netuid, "info": {"fields": list(fields)}}))


def error_of(ctx: Context, origin: Origin, call: Any) -> Any:
    with pytest.raises(DispatchError) as info:
        with ctx.transaction():
            ctx.dispatch(origin, call)
    return RUNTIME.dispatch_error_value(info.value)


def err(name: str) -> Any:
    return module_error(RUNTIME, "Commitments", commitments.errors._index[name])


# -- encoding ---------------------------------------------------------------------------------------------


def test_data_encoding_uses_the_index_as_length_tag() -> None:
    assert types.Data.encode("None") == b"\x00"
    assert types.Data.encode(types.raw(b"")) == b"\x01"
    assert types.Data.encode(types.raw(b"abc")) == b"\x04abc"
    assert types.Data.encode(types.raw(b"x" * 128)) == bytes([129]) + b"x" * 128
    assert types.Data.encode(("Sha256", bytes(32))) == bytes([131]) + bytes(32)
    assert types.Data.encode(("TimelockEncrypted", {"encrypted": b"ct", "reveal_round": 7})) == (
        bytes([134]) + b"\x08ct" + (7).to_bytes(8, "little"))
    assert types.Data.encode("ResetBondsFlag") == bytes([135])
    assert types.Data.encode(("BigRaw", b"xyz")) == bytes([136]) + b"\x0cxyz"
    assert types.Data.decode(b"\x06hello") == ("Raw5", b"hello")
    with pytest.raises(ValueError):
        types.raw(b"x" * 129)


def test_bounds_are_enforced_when_decoding() -> None:
    assert types.CommitmentInfo.decode(b"\x0c" + b"\x00" * 3) == {"fields": ["None"] * 3}
    with pytest.raises(DecodeError):
        types.CommitmentInfo.decode(b"\x10" + b"\x00" * 4)  # 4 fields > MaxFields
    with pytest.raises(DecodeError):
        types.Data.decode(bytes([136]) + b"\x11\x08" + b"x" * 513)  # BigRaw > 512 bytes
    with pytest.raises(DecodeError):
        types.Data.decode(bytes([138]))


def test_call_bytes_round_trip_through_the_runtime_call_codec() -> None:
    call = commit(types.raw(b"hi"))
    encoded = RUNTIME.call_codec.encode(call)
    assert encoded[:2] == bytes([18, 0])
    assert encoded[2:] == b"\x01\x00" + b"\x04" + b"\x03hi"
    assert RUNTIME.call_codec.decode(encoded) == call


# -- set_commitment -------------------------------------------------------------------------------------


def test_registered_hotkey_commits(ctx: Context) -> None:
    ctx.dispatch(Origin.signed(HOTKEY), commit(types.raw(b"hello")))
    assert commitments.CommitmentOf.get(ctx, NETUID, HOTKEY) == {
        "deposit": 0, "block": 5, "info": {"fields": [("Raw5", b"hello")]}}
    assert commitments.LastCommitment.get(ctx, NETUID, HOTKEY) == 5
    # 5 bytes of payload count as the 100-byte minimum.
    assert commitments.UsedSpaceOf.get(ctx, NETUID, HOTKEY) == {"last_epoch": 0, "used_space": 100}
    assert events(ctx) == [("Commitments", ("Commitment", {"netuid": NETUID, "who": HOTKEY}))]
    assert commitments.commitments_of(ctx, NETUID) == [
        (HOTKEY, types.Registration.encode(commitments.CommitmentOf.get(ctx, NETUID, HOTKEY)))]


def test_commitment_is_fee_free() -> None:
    definition = commitments.calls.by_name["set_commitment"]
    assert definition.pays.name == "No"


def test_unregistered_or_unsigned_origins_are_refused(ctx: Context) -> None:
    assert error_of(ctx, Origin.signed(STRANGER), commit(types.raw(b"x"))) == err("AccountNotAllowedCommit")
    assert error_of(ctx, Origin.signed(HOTKEY), commit(types.raw(b"x"), netuid=2)) == err(
        "AccountNotAllowedCommit")
    assert error_of(ctx, Origin.root(), commit(types.raw(b"x"))) == "BadOrigin"
    assert commitments.CommitmentOf.get(ctx, NETUID, STRANGER) is None


def test_too_many_fields_and_runtime_only_fields(ctx: Context) -> None:
    four = [types.raw(b"a")] * 4
    assert error_of(ctx, Origin.signed(HOTKEY), commit(*four)) == err("TooManyFieldsInCommitmentInfo")
    failed = ("TimelockRevealFailed", {"encrypted": b"ct", "reveal_round": 1})
    assert error_of(ctx, Origin.signed(HOTKEY), commit(failed)) == err("TimelockRevealFailedNotAllowed")


def test_space_limit_per_epoch(ctx: Context) -> None:
    big = ("BigRaw", b"x" * 512)
    for _ in range(2):  # 2 × 3 × 512 = 3072 ≤ 3100
        ctx.dispatch(Origin.signed(HOTKEY), commit(big, big, big))
    assert commitments.UsedSpaceOf.get(ctx, NETUID, HOTKEY)["used_space"] == 3072
    assert error_of(ctx, Origin.signed(HOTKEY), commit(types.raw(b"x"))) == err("SpaceLimitExceeded")
    # A new epoch of the subnet resets the allowance.
    st.SubnetEpochIndex.put(ctx, NETUID, 1)
    ctx.dispatch(Origin.signed(HOTKEY), commit(types.raw(b"x")))
    assert commitments.UsedSpaceOf.get(ctx, NETUID, HOTKEY) == {"last_epoch": 1, "used_space": 100}


def test_root_sets_max_space_through_sudo(ctx: Context) -> None:
    assert commitments.MaxSpace.get(ctx) == 3100
    assert error_of(ctx, Origin.signed(HOTKEY), ("Commitments", ("set_max_space", {"new_limit": 1}))) == "BadOrigin"
    ctx.dispatch(Origin.signed(ALICE), ("Sudo", ("sudo", {"call": ("Commitments", (
        "set_max_space", {"new_limit": 150}))})))
    assert commitments.MaxSpace.get(ctx) == 150
    assert events(ctx)[-1] == ("Sudo", ("Sudid", {"sudo_result": Ok(())}))
    ctx.dispatch(Origin.signed(HOTKEY), commit(types.raw(b"x")))
    assert error_of(ctx, Origin.signed(HOTKEY), commit(types.raw(b"x"))) == err("SpaceLimitExceeded")


def test_timelocked_commitment_joins_and_leaves_the_index(ctx: Context) -> None:
    locked = ("TimelockEncrypted", {"encrypted": b"c" * 200, "reveal_round": 42})
    ctx.dispatch(Origin.signed(HOTKEY), commit(types.raw(b"plain"), locked))
    assert commitments.TimelockedIndex.get(ctx) == {(NETUID, HOTKEY)}
    assert events(ctx)[-1] == ("Commitments", ("TimelockCommitment", {
        "netuid": NETUID, "who": HOTKEY, "reveal_round": 42}))
    assert commitments.UsedSpaceOf.get(ctx, NETUID, HOTKEY)["used_space"] == 205
    # No drand pulse is ever stored here: the block hook keeps it pending.
    commitments.PALLET.on_initialize(ctx, 6)
    assert commitments.TimelockedIndex.get(ctx) == {(NETUID, HOTKEY)}
    # A plain commitment replaces it and leaves the index.
    ctx.dispatch(Origin.signed(HOTKEY), commit(types.raw(b"plain")))
    assert commitments.TimelockedIndex.get(ctx) == set()


def test_block_hook_drops_stale_index_entries(ctx: Context) -> None:
    commitments.TimelockedIndex.put(ctx, {(NETUID, HOTKEY), (NETUID, STRANGER)})
    commitments.CommitmentOf.put(ctx, NETUID, HOTKEY, {"deposit": 0, "block": 1, "info": {"fields": ["None"]}})
    weight = commitments.PALLET.on_initialize(ctx, 6)
    assert commitments.TimelockedIndex.get(ctx) == set()
    assert weight.ref_time > 0


def test_reset_bonds_flag(ctx: Context) -> None:
    st.Uids.put(ctx, NETUID, STRANGER, 1)
    st.Bonds.put(ctx, NETUID, 1, [(0, 10), (1, 20)])
    st.Bonds.put(ctx, NETUID, 0, [(0, 5)])
    # Bonds reset disabled: only the block is recorded.
    ctx.dispatch(Origin.signed(HOTKEY), commit("ResetBondsFlag"))
    assert commitments.LastBondsReset.get(ctx, NETUID, HOTKEY) == 5
    assert st.Bonds.get(ctx, NETUID, 1) == [(0, 10), (1, 20)]
    st.BondsResetOn.put(ctx, NETUID, True)
    ctx.dispatch(Origin.signed(HOTKEY), commit("ResetBondsFlag"))
    assert st.Bonds.get(ctx, NETUID, 1) == [(1, 20)]
    assert st.Bonds.get(ctx, NETUID, 0) == []


def test_failed_commit_leaves_no_trace(ctx: Context) -> None:
    commitments.MaxSpace.put(ctx, 50)
    st.BondsResetOn.put(ctx, NETUID, True)
    assert error_of(ctx, Origin.signed(HOTKEY), commit("ResetBondsFlag")) == err("SpaceLimitExceeded")
    assert commitments.LastBondsReset.get(ctx, NETUID, HOTKEY) is None
    assert commitments.UsedSpaceOf.get(ctx, NETUID, HOTKEY) is None


def test_metadata_matches_the_recording(golden: Any) -> None:
    from runtime.metadata import build_v14

    from tests.metadata_tools import DecodedMetadata, pallet_diff

    ours = DecodedMetadata(build_v14(RUNTIME))
    theirs = DecodedMetadata(bytes.fromhex(golden["metadata"]["v14_hex"][2:]))
    diffs, missing = pallet_diff(ours, theirs, "Commitments")
    assert diffs == [] and missing == []
