"""Value and key types of pallet_subtensor, with the paths node-subtensor's metadata gives them.

Newtypes over integers (``NetUid``, ``NetUidStorageIndex``, ``MechId``, ``PerU16``, ``Percent``) are
composites with one unnamed field: they encode exactly like the integer and their Python values are
plain ints. Structs with named fields are :class:`Composite` values (dicts keyed by field name); enums
follow the :class:`runtime.scale.Enum` value convention (``"Burn"``, ``("LastTxBlock", account)``).
Fixed-point fields use the shared ``substrate_fixed`` codecs (``U64F64`` …, values are ``Fixed``).
"""

from __future__ import annotations

from runtime.pallets.utility import H160
from runtime.primitives.types import H256, AccountId32, AlphaBalance, TaoBalance
from runtime.scale import (
    I64, I96F32, U8, U16, U32, U64, U64F64, U128, Array, BTreeMap, Bytes, Compact, Composite, Enum, FieldInfo,
    Option, ScaleType, Tuple, Vec, variant,
)

ZERO_ACCOUNT = bytes(32)
"""``DefaultAccount``: the all-zero AccountId32 (owner of genesis subnet 1)."""

ROOT_NETUID = 0

BytesVec = Bytes()

# -- integer newtypes ---------------------------------------------------------------------------------

NetUid = Composite("subtensor_runtime_common::NetUid", [FieldInfo(None, U16, "u16")])
NetUidStorageIndex = Composite("subtensor_runtime_common::NetUidStorageIndex", [FieldInfo(None, U16, "u16")])
MechId = Composite("subtensor_runtime_common::MechId", [FieldInfo(None, U8, "u8")])
PerU16 = Composite("sp_arithmetic::per_things::PerU16", [FieldInfo(None, U16, "u16")])
Percent = Composite("sp_arithmetic::per_things::Percent", [FieldInfo(None, U8, "u8")])
PalletId = Composite("frame_support::PalletId", [FieldInfo(None, Array(8, U8), "[u8; 8]")])


CompactNetUid = Compact(NetUid)
CompactNetUid.max_value = 0xFFFF  # a Compact<NetUid> holds a u16


def storage_index(netuid: int, mechid: int = 0) -> int:
    """``NetUidStorageIndex`` of a (netuid, mechanism): ``mechid * 4096 + netuid``."""
    return mechid * 4096 + netuid


_BOUNDED: dict[ScaleType, Composite] = {}


def BoundedVec(inner: ScaleType) -> Composite:  # noqa: N802 - reads like the Rust type
    """``BoundedVec<T, S>`` as scale-info describes it (a composite around ``Vec<T>``; bound not encoded)."""
    return _BOUNDED.setdefault(inner, Composite(
        "bounded_collections::bounded_vec::BoundedVec", [FieldInfo(None, Vec(inner), "Vec<T>")],
        params=[("T", inner), ("S", None)]))


# -- share pool, locks ----------------------------------------------------------------------------------

SafeFloat = Composite("share_pool::SafeFloat", [("mantissa", U128, "u128"), ("exponent", I64, "i64")])
"""A decimal float ``mantissa × 10^exponent``; non-zero values keep 1e20 < mantissa ≤ 1e21."""

SAFE_FLOAT_MAX = 10**21


def safe_float(value: int) -> dict[str, int]:
    """The normalized SafeFloat of a non-negative integer (the Rust ``SafeFloat::from(u64)``)."""
    if value == 0:
        return {"mantissa": 0, "exponent": 0}
    mantissa, exponent = value, 0
    while mantissa > SAFE_FLOAT_MAX:
        mantissa, exponent = mantissa // 10, exponent + 1
    while mantissa <= SAFE_FLOAT_MAX // 10:
        mantissa, exponent = mantissa * 10, exponent - 1
    return {"mantissa": mantissa, "exponent": exponent}


LockState = Composite("pallet_subtensor::staking::lock::LockState", [
    ("locked_mass", AlphaBalance, "AlphaBalance"), ("conviction", U64F64, "U64F64"), ("last_update", U64, "u64")])

MinerCollateralState = Composite("pallet_subtensor::pallet::MinerCollateralState", [
    ("locked", AlphaBalance, "AlphaBalance"), ("drain_ratio", U64F64, "U64F64"),
    ("min_locked", AlphaBalance, "AlphaBalance"), ("earned", AlphaBalance, "AlphaBalance")])

# -- rate limits ----------------------------------------------------------------------------------------

Hyperparameter = Enum("pallet_subtensor::utils::rate_limiting::Hyperparameter", [
    variant(name, index) for index, name in enumerate((
        "Unknown", "ServingRateLimit", "MaxDifficulty", "AdjustmentAlpha", "MaxWeightLimit", "ImmunityPeriod",
        "MinAllowedWeights", "Kappa", "Rho", "ActivityCutoff", "PowRegistrationAllowed", "MinBurn", "MaxBurn",
        "BondsMovingAverage", "BondsPenalty", "CommitRevealEnabled", "LiquidAlphaEnabled", "AlphaValues",
        "WeightCommitInterval", "TransferEnabled", "AlphaSigmoidSteepness", "Yuma3Enabled",
        "BondsResetEnabled", "ImmuneNeuronLimit", "RecycleOrBurn", "MaxAllowedUids", "BurnHalfLife",
        "BurnIncreaseMult", "SubnetEmissionEnabled", "MinChildkeyTake", "ActivityCutoffFactorMilli",
        "TriggerEpoch", "CollateralLockShare", "CollateralDrainRatio", "LiquidAlphaConsensusMode"))])

RateLimitKey = Enum("pallet_subtensor::RateLimitKey", [
    variant("SetSNOwnerHotkey", 0, [(None, NetUid, "NetUid")]),
    variant("OwnerHyperparamUpdate", 1, [(None, NetUid, "NetUid"), (None, Hyperparameter, "Hyperparameter")]),
    variant("NetworkLastRegistered", 2),
    variant("LastTxBlock", 3, [(None, AccountId32, "AccountId")]),
    variant("LastTxBlockChildKeyTake", 4, [(None, AccountId32, "AccountId")]),
    variant("LastTxBlockDelegateTake", 5, [(None, AccountId32, "AccountId")]),
    variant("AddStakeBurn", 6, [(None, NetUid, "NetUid")]),
], params=[("AccountId", AccountId32)])

# -- subnet settings ------------------------------------------------------------------------------------

RecycleOrBurnEnum = Enum("pallet_subtensor::pallet::RecycleOrBurnEnum", [variant("Burn", 0), variant("Recycle", 1)])
ConsensusMode = Enum("pallet_subtensor::pallet::ConsensusMode",
                     [variant("Current", 0), variant("Previous", 1), variant("Auto", 2)])

SubnetIdentityV3 = Composite("pallet_subtensor::pallet::SubnetIdentityV3", [
    (name, BytesVec, "Vec<u8>") for name in (
        "subnet_name", "github_repo", "subnet_contact", "subnet_url", "discord", "description", "logo_url",
        "additional")])

ChainIdentityV2 = Composite("pallet_subtensor::pallet::ChainIdentityV2", [
    (name, BytesVec, "Vec<u8>") for name in (
        "name", "url", "github_repo", "image", "discord", "description", "additional")])

NetworkRegistrationInfo = Composite("pallet_subtensor::subnets::subnet::NetworkRegistrationInfo", [
    ("coldkey", AccountId32, "AccountId"), ("hotkey", AccountId32, "AccountId"), ("mechid", U16, "u16"),
    ("identity", Option(SubnetIdentityV3), "Option<SubnetIdentityOfV3>"), ("lock_amount", TaoBalance, "TaoBalance"),
    ("median_subnet_alpha_price", U64F64, "U64F64"), ("registration_block", U64, "u64"), ("lock_id", U32, "u32"),
], params=[("AccountId", AccountId32)])

DissolveCleanupPhase = Enum("pallet_subtensor::subnets::dissolution::DissolveCleanupPhase", [
    variant(name, index) for index, name in enumerate((
        "SubnetRootDividendsRootClaimable", "SubnetRootDividendsRootClaimed", "AlphaInOutStakesGetTotalAlphaValue",
        "AlphaInOutStakesSettleStakes", "AlphaInOutStakesAlpha", "AlphaInOutStakesHotkeyTotals",
        "AlphaInOutStakesLocks", "AlphaInOutStakesDecayingLocks", "AlphaInOutStakes", "ProtocolLiquidity",
        "PurgeNetuid", "NetworkIsNetworkMember", "NetworkParameters", "NetworkMapParameters",
        "NetworkUpdateWeightsOnRoot", "NetworkChildkeyTake", "NetworkChildkeys", "NetworkParentkeys",
        "NetworkLastHotkeyEmissionOnNetuid", "NetworkTotalHotkeyAlphaLastEpoch", "NetworkTransactionKeyLastBlock",
        "NetworkLock", "NetworkDecayingLock", "SubnetBasketHoldingsToRoot", "NetworkPendingBasketDeposits",
        "NetworkAlphaAssetCounters"))])

DissolveCleanupStatus = Composite("pallet_subtensor::subnets::dissolution::DissolveCleanupStatus", [
    ("netuid", NetUid, "NetUid"), ("phase", DissolveCleanupPhase, "DissolveCleanupPhase"),
    ("last_key", Option(BytesVec), "Option<Vec<u8>>"),
    ("subnet_total_alpha_value", Option(U128), "Option<u128>"),
    ("subnet_distributed_tao", Option(U128), "Option<u128>")])

SubnetLease = Composite("pallet_subtensor::subnets::leasing::SubnetLease", [
    ("beneficiary", AccountId32, "AccountId"), ("coldkey", AccountId32, "AccountId"),
    ("hotkey", AccountId32, "AccountId"), ("emissions_share", Percent, "Percent"),
    ("end_block", Option(U32), "Option<BlockNumber>"), ("netuid", NetUid, "NetUid"), ("cost", TaoBalance, "Balance"),
], params=[("AccountId", AccountId32), ("BlockNumber", U32), ("Balance", TaoBalance)])

# -- neurons ----------------------------------------------------------------------------------------------

AxonInfo = Composite("pallet_subtensor::pallet::AxonInfo", [
    ("block", U64, "u64"), ("version", U32, "u32"), ("ip", U128, "u128"), ("port", U16, "u16"),
    ("ip_type", U8, "u8"), ("protocol", U8, "u8"), ("placeholder1", U8, "u8"), ("placeholder2", U8, "u8")])

PrometheusInfo = Composite("pallet_subtensor::pallet::PrometheusInfo", [
    ("block", U64, "u64"), ("version", U32, "u32"), ("ip", U128, "u128"), ("port", U16, "u16"),
    ("ip_type", U8, "u8")])

NeuronCertificate = Composite("pallet_subtensor::pallet::NeuronCertificate", [
    ("public_key", BoundedVec(U8), "BoundedVec<u8, ConstU32<64>>"), ("algorithm", U8, "u8")])

# -- basket funds ----------------------------------------------------------------------------------------

BetaBaselineOf = Composite("pallet_subtensor::pallet::BetaBaselineOf", [
    ("price_divisor", U64F64, "U64F64"), ("rate0", I96F32, "I96F32"), ("tr_splice", U64F64, "U64F64"),
    ("first_block", U64, "u64")])
BetaIndexSnapshotOf = Composite("pallet_subtensor::pallet::BetaIndexSnapshotOf", [
    ("bag_level", U64F64, "U64F64"), ("stake_level", U64F64, "U64F64"), ("block", U64, "u64")])
BetaIndexSweepOf = Composite("pallet_subtensor::pallet::BetaIndexSweepOf", [
    ("cursor", BytesVec, "Vec<u8>"), ("weight_sum", U128, "u128"), ("rel_bag_sum", U64F64, "U64F64"),
    ("rel_stake_sum", U64F64, "U64F64")])
BetaIndexFundSampleOf = Composite("pallet_subtensor::pallet::BetaIndexFundSampleOf", [
    ("nav", U64, "u64"), ("display", U64F64, "U64F64"), ("stake", U64F64, "U64F64")])

RootClaimableMap = BTreeMap(NetUid, I96F32)

# -- shorthands used by the storage declarations ------------------------------------------------------------

ChildList = Vec(Tuple(U64, AccountId32))
"""``Vec<(proportion, account)>`` of child/parent keys."""
WeightsRow = Vec(Tuple(U16, U16))
"""Sparse ``Vec<(uid, value)>`` rows of weights and bonds."""

__all__ = [
    "AccountId32", "AlphaBalance", "AxonInfo", "BetaBaselineOf", "BetaIndexFundSampleOf", "BetaIndexSnapshotOf",
    "BetaIndexSweepOf", "BoundedVec", "BytesVec", "ChainIdentityV2", "ChildList", "CompactNetUid", "ConsensusMode",
    "DissolveCleanupPhase", "DissolveCleanupStatus", "H160", "H256", "Hyperparameter", "LockState", "MechId",
    "MinerCollateralState", "NetUid", "NetUidStorageIndex", "NetworkRegistrationInfo", "NeuronCertificate",
    "PalletId", "PerU16", "Percent", "PrometheusInfo", "ROOT_NETUID", "RateLimitKey", "RecycleOrBurnEnum",
    "RootClaimableMap", "SAFE_FLOAT_MAX", "SafeFloat", "SubnetIdentityV3", "SubnetLease", "TaoBalance",
    "WeightsRow", "ZERO_ACCOUNT", "safe_float", "storage_index",
]
