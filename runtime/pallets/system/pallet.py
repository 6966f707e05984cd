"""frame_system's calls, events, errors and constants, and the pallet declaration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from runtime.primitives.hashing import blake2_256
from runtime.primitives.types import H256, AccountId32
from runtime.scale import (
    U8, U16, U32, U64, Bool, Composite, FieldInfo, Option, Tuple, Vec,
)
from runtime.pallets.system import storage
from runtime.support.context import Context
from runtime.support.dispatch import (
    DispatchClass, DispatchErrorCodec, DispatchEventInfo, Origin, Pays, PostDispatchInfo, Weight,
    benchmarked, ensure_root, ensure_signed,
)
from runtime.support.pallet import ConstantDef, Pallet, PalletCalls, PalletErrors, PalletEvents

CRATE = "frame_system"
_BYTES = Vec(U8)

# -- events -----------------------------------------------------------------------------------------

events = PalletEvents("System", CRATE)
ExtrinsicSuccess = events.event(0, "ExtrinsicSuccess", [("dispatch_info", DispatchEventInfo, "DispatchEventInfo")],
                                [" An extrinsic completed successfully."])
ExtrinsicFailed = events.event(1, "ExtrinsicFailed", [
    ("dispatch_error", DispatchErrorCodec, "DispatchError"),
    ("dispatch_info", DispatchEventInfo, "DispatchEventInfo")], [" An extrinsic failed."])
CodeUpdated = events.event(2, "CodeUpdated", [], [" `:code` was updated."])
NewAccount = events.event(3, "NewAccount", [("account", AccountId32, "T::AccountId")], [" A new account was created."])
KilledAccount = events.event(4, "KilledAccount", [("account", AccountId32, "T::AccountId")], [" An account was reaped."])
Remarked = events.event(5, "Remarked", [("sender", AccountId32, "T::AccountId"), ("hash", H256, "T::Hash")],
                        [" On on-chain remark happened."])
UpgradeAuthorized = events.event(6, "UpgradeAuthorized", [("code_hash", H256, "T::Hash"),
                                                          ("check_version", Bool, "bool")],
                                 [" An upgrade was authorized."])
RejectedInvalidAuthorizedUpgrade = events.event(7, "RejectedInvalidAuthorizedUpgrade", [
    ("code_hash", H256, "T::Hash"), ("error", DispatchErrorCodec, "DispatchError")],
    [" An invalid authorized upgrade was rejected while trying to apply it."])

errors = PalletErrors("System", CRATE, [
    "InvalidSpecName", "SpecVersionNeedsToIncrease", "FailedToExtractRuntimeVersion", "NonDefaultComposite",
    "NonZeroRefCount", "CallFiltered", "MultiBlockMigrationsOngoing", "NothingAuthorized", "Unauthorized",
])

# -- calls ------------------------------------------------------------------------------------------

calls = PalletCalls(CRATE)


def _remark_weight(args: dict[str, Any]) -> Weight:
    return Weight(1_748_000 + 383 * len(args["remark"]), 0)


@calls.call(0, weight=_remark_weight)
def remark(ctx: Context, origin: Origin, remark: Annotated[bytes, _BYTES, "Vec<u8>"]) -> None:
    """Make some on-chain remark."""
    ensure_signed(origin)


@calls.call(1, weight=Weight(2_887_000, 1_485), dispatch_class=DispatchClass.Operational)
def set_heap_pages(ctx: Context, origin: Origin, pages: Annotated[int, U64, "u64"]) -> None:
    """Set the number of pages in the WebAssembly environment's heap."""
    ensure_root(origin)
    ctx.set(b":heappages", pages.to_bytes(8, "little"))


@calls.call(2, weight=Weight(4_000_000_000_000, 0), dispatch_class=DispatchClass.Operational)
def set_code(ctx: Context, origin: Origin, code: Annotated[bytes, _BYTES, "Vec<u8>"]) -> None:
    """Set the new runtime code (not supported: this node runs a native runtime)."""
    ensure_root(origin)
    raise errors.FailedToExtractRuntimeVersion


@calls.call(3, weight=Weight(4_000_000_000_000, 0), dispatch_class=DispatchClass.Operational)
def set_code_without_checks(ctx: Context, origin: Origin, code: Annotated[bytes, _BYTES, "Vec<u8>"]) -> None:
    """Set the new runtime code without version checks (not supported by a native runtime)."""
    ensure_root(origin)
    raise errors.FailedToExtractRuntimeVersion


_KEY_VALUE = Tuple(_BYTES, _BYTES)


@calls.call(4, weight=lambda a: Weight(1_645_000 + 1_000_000 * len(a["items"]), 0),
            dispatch_class=DispatchClass.Operational)
def set_storage(ctx: Context, origin: Origin,
                items: Annotated[list[tuple[bytes, bytes]], Vec(_KEY_VALUE), "Vec<KeyValue>"]) -> None:
    """Set some items of storage."""
    ensure_root(origin)
    for key, value in items:
        ctx.set(key, value)


@calls.call(5, weight=lambda a: Weight(1_645_000 + 1_000_000 * len(a["keys"]), 0),
            dispatch_class=DispatchClass.Operational)
def kill_storage(ctx: Context, origin: Origin, keys: Annotated[list[bytes], Vec(_BYTES), "Vec<Key>"]) -> None:
    """Kill some items from storage."""
    ensure_root(origin)
    for key in keys:
        ctx.clear(key)


@calls.call(6, weight=lambda a: Weight(3_000_000 + 1_000_000 * a["subkeys"], 0),
            dispatch_class=DispatchClass.Operational)
def kill_prefix(ctx: Context, origin: Origin, prefix: Annotated[bytes, _BYTES, "Key"],
                subkeys: Annotated[int, U32, "u32"]) -> None:
    """Kill all storage items with a key that starts with the given prefix."""
    ensure_root(origin)
    ctx.clear_prefix(prefix, subkeys)


@calls.call(7, weight=lambda a: Weight(5_000_000 + 1_000 * len(a["remark"]), 0))
def remark_with_event(ctx: Context, origin: Origin, remark: Annotated[bytes, _BYTES, "Vec<u8>"]) -> None:
    """Make some on-chain remark and emit an event."""
    sender = ensure_signed(origin)
    ctx.deposit_event(Remarked(sender=sender, hash=blake2_256(remark)))


# Authorized upgrades. A native runtime cannot switch to new code, so an upgrade authorized with version
# checks is rejected when applied (the version cannot be read from the code: ``RejectedInvalidAuthorizedUpgrade``
# with ``FailedToExtractRuntimeVersion``, fee-free, as FRAME does for an invalid authorized upgrade), and one
# without checks fails like ``set_code_without_checks``. Weights: estimates (the benchmarks of the
# polkadot-sdk revision node-subtensor uses were not available): one write, and for applying two reads and
# three writes plus hashing the code.
_AUTHORIZE_WEIGHT = benchmarked(12_000_000, 0, writes=1)
_H256 = Annotated[bytes, H256, "T::Hash"]


def _authorize(ctx: Context, code_hash: bytes, check_version: bool) -> None:
    storage.AuthorizedUpgrade.put(ctx, {"code_hash": code_hash, "check_version": check_version})
    ctx.deposit_event(UpgradeAuthorized(code_hash=code_hash, check_version=check_version))


@calls.call(9, weight=_AUTHORIZE_WEIGHT, dispatch_class=DispatchClass.Operational)
def authorize_upgrade(ctx: Context, origin: Origin, code_hash: _H256) -> None:
    """Authorize an upgrade to a given `code_hash` for the runtime. The runtime can be supplied
    later. This call requires Root origin."""
    ensure_root(origin)
    _authorize(ctx, code_hash, True)


@calls.call(10, weight=_AUTHORIZE_WEIGHT, dispatch_class=DispatchClass.Operational)
def authorize_upgrade_without_checks(ctx: Context, origin: Origin, code_hash: _H256) -> None:
    """Authorize an upgrade to a given `code_hash` for the runtime, without the spec name and version
    checks. This call requires Root origin."""
    ensure_root(origin)
    _authorize(ctx, code_hash, False)


@calls.call(11, weight=lambda a: benchmarked(20_000_000 + 3 * len(a["code"]), 1_518, reads=2, writes=3),
            dispatch_class=DispatchClass.Operational)
def apply_authorized_upgrade(ctx: Context, origin: Origin, code: Annotated[bytes, _BYTES, "Vec<u8>"]
                             ) -> PostDispatchInfo:
    """Provide the preimage (runtime binary) `code` for an upgrade that has been authorized. All origins
    are allowed."""
    authorized = storage.AuthorizedUpgrade.try_get(ctx)
    if authorized is None:
        raise errors.NothingAuthorized
    code_hash = blake2_256(code)
    if bytes(authorized["code_hash"]) != code_hash:
        raise errors.Unauthorized
    storage.AuthorizedUpgrade.kill(ctx)
    if not authorized["check_version"]:
        raise errors.FailedToExtractRuntimeVersion  # as set_code_without_checks: no code switch here
    ctx.deposit_event(RejectedInvalidAuthorizedUpgrade(
        code_hash=code_hash, error=ctx.runtime.dispatch_error_value(errors.FailedToExtractRuntimeVersion)))
    return PostDispatchInfo(pays_fee=Pays.No)


# -- constants --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BlockLimits:
    """Block weight and length limits of node-subtensor (fast and normal runtimes share them)."""

    base_block: Weight = Weight(431_614_000, 0)
    max_block: Weight = Weight(4_000_000_000_000, (1 << 64) - 1)
    base_extrinsic: Weight = Weight(108_157_000, 0)
    normal_ratio_percent: int = 75
    max_length: int = 10 * 1024 * 1024
    block_hash_count: int = 2400
    db_read: int = 25_000_000
    db_write: int = 100_000_000
    ss58_prefix: int = 42


LIMITS = BlockLimits()

_W = Weight.SCALE  # type: ignore[attr-defined]
_WEIGHTS_PER_CLASS = Composite("frame_system::limits::WeightsPerClass", [
    FieldInfo("base_extrinsic", _W, "Weight"), FieldInfo("max_extrinsic", Option(_W), "Option<Weight>"),
    FieldInfo("max_total", Option(_W), "Option<Weight>"), FieldInfo("reserved", Option(_W), "Option<Weight>")])


def _per_class(codec: Any) -> Composite:
    return Composite("frame_support::dispatch::PerDispatchClass", [
        FieldInfo("normal", codec, "T"), FieldInfo("operational", codec, "T"), FieldInfo("mandatory", codec, "T")],
        params=[("T", codec)])


BlockWeightsCodec = Composite("frame_system::limits::BlockWeights", [
    FieldInfo("base_block", _W, "Weight"), FieldInfo("max_block", _W, "Weight"),
    FieldInfo("per_class", _per_class(_WEIGHTS_PER_CLASS), "PerDispatchClass<WeightsPerClass>")])
BlockLengthCodec = Composite("frame_system::limits::BlockLength", [
    FieldInfo("max", _per_class(U32), "PerDispatchClass<u32>")])
DbWeightCodec = Composite("sp_weights::RuntimeDbWeight", [FieldInfo("read", U64, "u64"),
                                                         FieldInfo("write", U64, "u64")])


def block_weights_value(limits: BlockLimits = LIMITS) -> dict[str, Any]:
    """``BlockWeights::with_sensible_defaults`` as node-subtensor configures it.

    Normal transactions get ``normal_ratio`` of the block; Operational the whole block with the rest
    reserved for them. Every class's ``max_extrinsic`` leaves room for the average block
    initialization (10% of the block) and its own ``base_extrinsic``.
    """
    max_ref, max_proof = limits.max_block.ref_time, limits.max_block.proof_size
    base = limits.base_extrinsic
    init_ref, init_proof = max_ref * 10 // 100, max_proof * 10 // 100
    normal_total = Weight(max_ref * limits.normal_ratio_percent // 100, max_proof * limits.normal_ratio_percent // 100)
    reserved = Weight(max_ref - normal_total.ref_time, max_proof - normal_total.proof_size)

    def max_extrinsic(total: Weight) -> Weight:
        return Weight(total.ref_time - init_ref - base.ref_time, total.proof_size - init_proof - base.proof_size)

    return {
        "base_block": limits.base_block,
        "max_block": limits.max_block,
        "per_class": {
            "normal": {"base_extrinsic": base, "max_extrinsic": max_extrinsic(normal_total),
                       "max_total": normal_total, "reserved": Weight()},
            "operational": {"base_extrinsic": base, "max_extrinsic": max_extrinsic(limits.max_block),
                            "max_total": limits.max_block, "reserved": reserved},
            "mandatory": {"base_extrinsic": base, "max_extrinsic": None, "max_total": None, "reserved": None},
        },
    }


def block_length_value(limits: BlockLimits = LIMITS) -> dict[str, Any]:
    normal = limits.max_length * limits.normal_ratio_percent // 100
    return {"max": {"normal": normal, "operational": limits.max_length, "mandatory": limits.max_length}}


def _version() -> Any:
    from runtime.version import runtime_version

    return runtime_version()


def _constants() -> tuple[ConstantDef, ...]:
    from runtime.version import RuntimeVersionCodec

    return (
        ConstantDef("BlockWeights", BlockWeightsCodec, block_weights_value(),
                    (" Block & extrinsics weights: base values and limits.",)),
        ConstantDef("BlockLength", BlockLengthCodec, block_length_value(),
                    (" The maximum length of a block (in bytes).",)),
        ConstantDef("BlockHashCount", U32, LIMITS.block_hash_count,
                    (" Maximum number of block number to block hash mappings to keep (oldest pruned first).",)),
        ConstantDef("DbWeight", DbWeightCodec, {"read": LIMITS.db_read, "write": LIMITS.db_write},
                    (" The weight of runtime database operations the runtime can invoke.",)),
        ConstantDef("Version", RuntimeVersionCodec, _version, (" Get the chain's in-code version.",)),
        ConstantDef("SS58Prefix", U16, LIMITS.ss58_prefix, (" The designated SS58 prefix of this chain.",)),
    )


__all__ = ["PALLET", "ExtrinsicFailed", "ExtrinsicSuccess", "KilledAccount", "NewAccount", "Remarked",
           "block_length_value", "block_weights_value", "calls", "errors", "events", "LIMITS"]


HASH69 = bytes([69]) * 32  # FRAME's placeholder parent hash of the genesis block


def genesis(ctx: Context, config: dict[str, Any]) -> None:
    """FRAME's fixed genesis entries for System."""
    from runtime.pallets.system.accounts import AccountInfo  # noqa: F401 - documents the Account layout
    from runtime.version import SPEC_NAME, SPEC_VERSION

    storage.BlockHash.put(ctx, 0, HASH69)
    storage.ParentHash.put(ctx, HASH69)
    storage.LastRuntimeUpgrade.put(ctx, {"spec_version": SPEC_VERSION, "spec_name": SPEC_NAME})
    storage.UpgradedToU32RefCount.put(ctx, True)
    storage.UpgradedToTripleRefCount.put(ctx, True)
    ctx.set(b":extrinsic_index", (0).to_bytes(4, "little"))


PALLET = Pallet("System", storage=storage.storage, calls=calls, events=events, errors=errors,
                constants=_constants(), genesis=genesis)
