"""Read-only views behind the metagraph runtime API methods (``rpc_info::metagraph``).

:data:`SELECTIVE_FIELDS` lists the ``SelectiveMetagraph`` fields in declaration order; a field's
position is its ``metagraph_indexes`` index (0 = netuid … 76 = collateral_earned). ``Metagraph`` has
the same fields minus ``validators`` and ``commitments``. Each field is computed by one getter over a
:class:`MetagraphView`, which memoises what several fields share (hotkeys, stake weights …).

Stake vectors follow the reference's stake weights: the inherited alpha (own stake less the share
given to children plus the share taken from parents, in U96F32) and the inherited root TAO, combined
in I64F64 as ``alpha + tao × TaoWeight / u64::MAX`` and floored to u64. Integer bit arithmetic only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runtime.pallets.subtensor import queries, rpc_info
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.serving import axon_info
from runtime.pallets.subtensor.types import ROOT_NETUID, storage_index
from runtime.pallets.system import storage as system_storage
from runtime.support.externalities import Externalities

U64_MAX = (1 << 64) - 1
U128_MAX = (1 << 128) - 1
I128_MAX = (1 << 127) - 1

# -- fixed point on raw bits -------------------------------------------------------------------------------


def _u96f32_proportion(proportion: int) -> int:
    """``U96F32(proportion).safe_div(U96F32(u64::MAX))`` as bits (32 fraction bits)."""
    return (proportion << 32) // U64_MAX


def _u96f32_mul(a: int, b: int) -> int:
    return min((a * b) >> 32, U128_MAX)


def _i64f64_from_u64(n: int) -> int:
    """``I64F64::saturating_from_num(u64)`` as bits."""
    return min(n << 64, I128_MAX)


def _i64f64_mul(a: int, b: int) -> int:
    return min((a * b) >> 64, I128_MAX)


def _i64f64_to_u64(bits: int) -> int:
    """``fixed64_to_u64``: the floor, saturated to ``0..=u64::MAX``."""
    return max(min(bits >> 64, U64_MAX), 0)


def tao_weight_i64f64(ext: Externalities) -> int:
    """``TaoWeight / u64::MAX`` computed in U96F32, then widened to I64F64 bits."""
    return ((st.TaoWeight.get(ext) << 32) // U64_MAX) << 32


def _inherited(ext: Externalities, hotkey: bytes, netuid: int, stake_netuid: int) -> int:
    """Own stake on ``stake_netuid`` less what goes to children plus what comes from parents (u64)."""
    initial = st.TotalHotkeyAlpha.get(ext, hotkey, stake_netuid) << 32
    to_children = sum(_u96f32_mul(initial, _u96f32_proportion(p)) for p, _ in st.ChildKeys.get(ext, hotkey, netuid))
    from_parents = sum(
        _u96f32_mul(st.TotalHotkeyAlpha.get(ext, parent, stake_netuid) << 32, _u96f32_proportion(p))
        for p, parent in st.ParentKeys.get(ext, hotkey, netuid))
    final = min(max(initial - min(to_children, U128_MAX), 0) + min(from_parents, U128_MAX), U128_MAX)
    return min(final >> 32, U64_MAX)


def inherited_alpha(ext: Externalities, hotkey: bytes, netuid: int) -> int:
    """``get_inherited_for_hotkey_on_subnet`` (root: the own stake as it is)."""
    if netuid == ROOT_NETUID:
        return st.TotalHotkeyAlpha.get(ext, hotkey, netuid)  # type: ignore[no-any-return]
    return _inherited(ext, hotkey, netuid, netuid)


def inherited_tao(ext: Externalities, hotkey: bytes, netuid: int) -> int:
    """``get_tao_inherited_for_hotkey_on_subnet``: root stake through this subnet's child/parent keys."""
    return _inherited(ext, hotkey, netuid, ROOT_NETUID)


def stake_weights(ext: Externalities, hotkey: bytes, netuid: int, tao_weight: int) -> tuple[int, int, int]:
    """(total, alpha, tao) I64F64 bits of one hotkey: ``alpha + tao × tao_weight``."""
    alpha = _i64f64_from_u64(inherited_alpha(ext, hotkey, netuid))
    tao = _i64f64_from_u64(inherited_tao(ext, hotkey, netuid))
    return min(alpha + _i64f64_mul(tao, tao_weight), I128_MAX), alpha, tao


# -- the per-call view ---------------------------------------------------------------------------------------


class MetagraphView:
    """One subnet's metagraph inputs, read once per runtime API call."""

    def __init__(self, ext: Externalities, netuid: int) -> None:
        self.ext, self.netuid = ext, netuid
        self._memo: dict[str, Any] = {}

    def _once(self, key: str, build: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    @property
    def n(self) -> int:
        return self._once("n", lambda: st.SubnetworkN.get(self.ext, self.netuid))  # type: ignore[no-any-return]

    @property
    def hotkeys(self) -> list[bytes]:
        keys = lambda: [st.Keys.get(self.ext, self.netuid, uid) for uid in range(self.n)]  # noqa: E731
        return self._once("hotkeys", keys)  # type: ignore[no-any-return]

    @property
    def coldkeys(self) -> list[bytes]:
        owners = lambda: [st.Owner.get(self.ext, h) for h in self.hotkeys]  # noqa: E731
        return self._once("coldkeys", owners)  # type: ignore[no-any-return]

    @property
    def block(self) -> int:
        return self._once("block", lambda: system_storage.Number.get(self.ext))  # type: ignore[no-any-return]

    @property
    def stakes(self) -> tuple[list[int], list[int], list[int]]:
        """(total, alpha, tao) u64 per uid (``get_stake_weights_for_network`` floored)."""
        def build() -> tuple[list[int], list[int], list[int]]:
            weight = tao_weight_i64f64(self.ext)
            rows = []
            for uid in range(self.n):
                if st.Keys.exists(self.ext, self.netuid, uid):
                    rows.append(stake_weights(self.ext, st.Keys.get(self.ext, self.netuid, uid), self.netuid, weight))
                else:
                    rows.append((0, 0, 0))
            total, alpha, tao = ([_i64f64_to_u64(r[i]) for r in rows] for i in range(3))
            return total, alpha, tao
        return self._once("stakes", build)  # type: ignore[no-any-return]

    @property
    def collateral(self) -> list[tuple[int, int, int]]:
        """(locked, min_locked, earned) per uid; zeros without a ``MinerCollateral`` entry."""
        def build() -> list[tuple[int, int, int]]:
            result = []
            for hotkey, coldkey in zip(self.hotkeys, self.coldkeys):
                state = st.MinerCollateral.try_get(self.ext, self.netuid, hotkey, coldkey)
                result.append((0, 0, 0) if state is None else (state["locked"], state["min_locked"], state["earned"]))
            return result
        return self._once("collateral", build)  # type: ignore[no-any-return]


def validators(view: MetagraphView) -> list[int]:
    """uids with a validator permit whose total stake weight exceeds ``StakeThreshold``, by stake ascending
    (stable: ties keep ``Keys`` storage order)."""
    ext, netuid = view.ext, view.netuid
    permits = st.ValidatorPermit.get(ext, netuid)
    weight = tao_weight_i64f64(ext)
    threshold = _i64f64_from_u64(st.StakeThreshold.get(ext))
    ranked = [(uid, stake_weights(ext, hotkey, netuid, weight)[0]) for (_, uid), hotkey in st.Keys.iter(ext, netuid)
              if rpc_info._at(permits, uid, False)]
    ranked.sort(key=lambda item: item[1])
    return [uid for uid, stake in ranked if stake > threshold]


# -- field table ----------------------------------------------------------------------------------------------

Getter = Callable[[MetagraphView], Any]


def _sub(item: Any) -> Getter:
    return lambda v: item.get(v.ext, v.netuid)


def _commitments_of(ext: Externalities, netuid: int) -> list[tuple[bytes, Any]]:
    # imported here: the Commitments pallet's types build on this pallet's, so a module-level import
    # would make importing Commitments first a cycle
    from runtime.pallets.commitments.pallet import commitments_of

    return commitments_of(ext, netuid)  # type: ignore[no-any-return]


def _raw_vector(item: Any, index: bool = False) -> Getter:
    return lambda v: list(item.get(v.ext, storage_index(v.netuid) if index else v.netuid))


SELECTIVE_FIELDS: list[tuple[str, Getter]] = [
    ("netuid", lambda v: v.netuid),
    ("name", lambda v: list(rpc_info.subnet_name(v.ext, v.netuid))),
    ("symbol", lambda v: list(st.TokenSymbol.get(v.ext, v.netuid))),
    ("identity", lambda v: rpc_info.subnet_identity(v.ext, v.netuid)),
    ("network_registered_at", _sub(st.NetworkRegisteredAt)),
    ("owner_hotkey", _sub(st.SubnetOwnerHotkey)),
    ("owner_coldkey", _sub(st.SubnetOwner)),
    ("block", lambda v: v.block),
    ("tempo", _sub(st.Tempo)),
    ("last_step", _sub(st.LastMechansimStepBlock)),
    ("blocks_since_last_step", lambda v: max(v.block - st.LastMechansimStepBlock.get(v.ext, v.netuid), 0)),
    ("subnet_emission", lambda v: 0),  # deprecated
    ("alpha_in", _sub(st.SubnetAlphaIn)),
    ("alpha_out", _sub(st.SubnetAlphaOut)),
    ("tao_in", _sub(st.SubnetTAO)),
    ("alpha_out_emission", _sub(st.SubnetAlphaOutEmission)),
    ("alpha_in_emission", _sub(st.SubnetAlphaInEmission)),
    ("tao_in_emission", _sub(st.SubnetTaoInEmission)),
    ("pending_alpha_emission", lambda v: min(st.PendingValidatorEmission.get(v.ext, v.netuid)
                                             + st.PendingServerEmission.get(v.ext, v.netuid), U64_MAX)),
    ("pending_root_emission", lambda v: 0),
    ("subnet_volume", _sub(st.SubnetVolume)),
    ("moving_price", _sub(st.SubnetMovingPrice)),
    ("rho", _sub(st.Rho)),
    ("kappa", _sub(st.Kappa)),
    ("min_allowed_weights", _sub(st.MinAllowedWeights)),
    ("max_weights_limit", lambda v: rpc_info.max_weight_limit(v.netuid)),
    ("weights_version", _sub(st.WeightsVersionKey)),
    ("weights_rate_limit", _sub(st.WeightsSetRateLimit)),
    ("activity_cutoff", lambda v: rpc_info.activity_cutoff_blocks(v.ext, v.netuid)),
    ("max_validators", _sub(st.MaxAllowedValidators)),
    ("num_uids", lambda v: v.n),
    ("max_uids", _sub(st.MaxAllowedUids)),
    ("burn", _sub(st.Burn)),
    ("difficulty", _sub(st.Difficulty)),
    ("registration_allowed", _sub(st.NetworkRegistrationAllowed)),
    ("pow_registration_allowed", _sub(st.NetworkPowRegistrationAllowed)),
    ("immunity_period", _sub(st.ImmunityPeriod)),
    ("min_difficulty", _sub(st.MinDifficulty)),
    ("max_difficulty", _sub(st.MaxDifficulty)),
    ("min_burn", _sub(st.MinBurn)),
    ("max_burn", _sub(st.MaxBurn)),
    ("adjustment_alpha", _sub(st.AdjustmentAlpha)),
    ("adjustment_interval", _sub(st.AdjustmentInterval)),
    ("target_regs_per_interval", _sub(st.TargetRegistrationsPerInterval)),
    ("max_regs_per_block", _sub(st.MaxRegistrationsPerBlock)),
    ("serving_rate_limit", _sub(st.ServingRateLimit)),
    ("commit_reveal_weights_enabled", _sub(st.CommitRevealWeightsEnabled)),
    ("commit_reveal_period", _sub(st.RevealPeriodEpochs)),
    ("liquid_alpha_enabled", _sub(st.LiquidAlphaOn)),
    ("alpha_high", lambda v: st.AlphaValues.get(v.ext, v.netuid)[1]),
    ("alpha_low", lambda v: st.AlphaValues.get(v.ext, v.netuid)[0]),
    ("bonds_moving_avg", _sub(st.BondsMovingAverage)),
    ("hotkeys", lambda v: list(v.hotkeys)),
    ("coldkeys", lambda v: list(v.coldkeys)),
    ("identities", lambda v: [st.IdentitiesV2.try_get(v.ext, c) for c in v.coldkeys]),
    ("axons", lambda v: [axon_info(v.ext, v.netuid, h) for h in v.hotkeys]),
    ("active", _raw_vector(st.Active)),
    ("validator_permit", _raw_vector(st.ValidatorPermit)),
    ("pruning_score", lambda v: []),  # deprecated
    ("last_update", _raw_vector(st.LastUpdate, index=True)),
    ("emission", _raw_vector(st.Emission)),
    ("dividends", _raw_vector(st.Dividends)),
    ("incentives", _raw_vector(st.Incentive, index=True)),
    ("consensus", _raw_vector(st.Consensus)),
    ("trust", lambda v: []),  # deprecated
    ("rank", lambda v: []),  # deprecated
    ("block_at_registration", lambda v: [st.BlockAtRegistration.get(v.ext, v.netuid, uid) for uid in range(v.n)]),
    ("alpha_stake", lambda v: v.stakes[1]),
    ("tao_stake", lambda v: v.stakes[2]),
    ("total_stake", lambda v: v.stakes[0]),
    ("tao_dividends_per_hotkey", lambda v: [(h, 0) for h in v.hotkeys]),  # TAO dividends were removed
    ("alpha_dividends_per_hotkey",
     lambda v: [(h, st.AlphaDividendsPerSubnet.get(v.ext, v.netuid, h)) for h in v.hotkeys]),
    ("validators", validators),
    ("commitments", lambda v: [(who, list(data)) for who, data in _commitments_of(v.ext, v.netuid)]),
    ("collateral_locked", lambda v: [c[0] for c in v.collateral]),
    ("collateral_min", lambda v: [c[1] for c in v.collateral]),
    ("collateral_earned", lambda v: [c[2] for c in v.collateral]),
]
SELECTIVE_ONLY = frozenset({"validators", "commitments"})
METAGRAPH_FIELDS = [(name, get) for name, get in SELECTIVE_FIELDS if name not in SELECTIVE_ONLY]
INDEX_OF = {name: i for i, (name, _) in enumerate(SELECTIVE_FIELDS)}
LAST_UPDATE, INCENTIVES = INDEX_OF["last_update"], INDEX_OF["incentives"]


def reportable(ext: Externalities, netuid: int) -> bool:
    return rpc_info.exists(ext, netuid)


def reportable_netuids(ext: Externalities) -> list[int]:
    return [netuid for netuid in queries.all_subnet_netuids(ext) if reportable(ext, netuid)]


def metagraph(ext: Externalities, netuid: int) -> dict[str, Any] | None:
    """``Metagraph`` of a reportable subnet, else None."""
    if not reportable(ext, netuid):
        return None
    view = MetagraphView(ext, netuid)
    return {name: get(view) for name, get in METAGRAPH_FIELDS}


def mechanism_count(ext: Externalities, netuid: int) -> int:
    return st.MechanismCountCurrent.get(ext, netuid)  # type: ignore[no-any-return]


def mechagraph(ext: Externalities, netuid: int, mecid: int) -> dict[str, Any] | None:
    """The metagraph with the mechanism's ``last_update``/``incentives`` and its storage index as netuid."""
    if not reportable(ext, netuid) or mechanism_count(ext, netuid) <= mecid:
        return None
    meta = metagraph(ext, netuid)
    assert meta is not None
    index = storage_index(netuid, mecid)
    meta["netuid"] = index & 0xFFFF
    meta["last_update"] = list(st.LastUpdate.get(ext, index))
    meta["incentives"] = list(st.Incentive.get(ext, index))
    return meta


def empty_selective() -> dict[str, Any]:
    """``SelectiveMetagraph::default()``: netuid root, every other field None."""
    return {name: (ROOT_NETUID if name == "netuid" else None) for name, _ in SELECTIVE_FIELDS}


def selective(ext: Externalities, netuid: int, indexes: list[int], mecid: int | None = None) -> dict[str, Any] | None:
    """``SelectiveMetagraph``: the requested fields filled in, the rest None; unknown indexes ignored.

    Without ``mecid`` the netuid is reported only if index 0 is requested (else root, the default);
    with a ``mecid`` it is always the subnet's netuid, and ``last_update``/``incentives`` are the
    mechanism's (no check that the mechanism exists).
    """
    if not reportable(ext, netuid):
        return None
    view = MetagraphView(ext, netuid)
    result = empty_selective()
    for index in indexes:
        if index >= len(SELECTIVE_FIELDS):
            continue
        name, get = SELECTIVE_FIELDS[index]
        if mecid is not None and index in (LAST_UPDATE, INCENTIVES):
            item = st.LastUpdate if index == LAST_UPDATE else st.Incentive
            result[name] = list(item.get(ext, storage_index(netuid, mecid)))
        else:
            result[name] = get(view)
    if mecid is not None:
        result["netuid"] = netuid
    return result
