"""SubtensorModule calls of spec 461 beyond the original set: child-key sudo settings (69, 76, 77, 109),
``try_associate_hotkey`` (91), ``associate_evm_key`` (93, fee-less), ``set_coldkey_auto_stake_hotkey`` (114), ``add_stake_burn`` (132), the
deprecated tempo setters (139, 140), ``trigger_epoch`` (141), ``transfer_stake_and_hotkey`` (143),
``move_stake_limit`` (149) and ``set_auto_parent_delegation_enabled`` (135). Logic: :mod:`.staking_extra`, :mod:`.tempo_control`,
:mod:`.evm`.

Weights: the staking calls reuse the benchmarked figure of their closest spec-425 relative
(``move_stake_limit`` ≈ ``swap_stake_limit``, ``transfer_stake_and_hotkey`` ≈ ``transfer_stake``,
``add_stake_burn`` ≈ ``add_stake_limit`` + ``burn_alpha``); the small setters are estimates.
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.pallets.subtensor import accounts, evm, staking_extra, tempo_control
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.calls import (
    calls, NETUID_ARG as _NETUID, ACCOUNT_ARG as _ACCOUNT, U64_ARG as _U64,
)
from runtime.pallets.subtensor.calls_staking import (
    ADD_STAKE_LIMIT_WEIGHT, BURN_ALPHA_WEIGHT, SWAP_STAKE_LIMIT_WEIGHT, TRANSFER_STAKE_WEIGHT,
)
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import AutoParentDelegationEnabledSet, MaxChildKeyTakeSet, MinChildKeyTakeSet, TxChildKeyTakeRateLimitSet
from runtime.pallets.subtensor.types import H160, AlphaBalance, PerU16, TaoBalance
from runtime.scale import U8, U16, U32, Array, Bool, Option
from runtime.support.context import Context
from runtime.support.dispatch import Origin, Pays, benchmarked, ensure_root, ensure_signed

SUDO_SETTER_WEIGHT = benchmarked(5_000_000, 0, 0, 1)
SET_AUTO_PARENT_WEIGHT = benchmarked(28_023_000, 4364, 2, 1)
TRY_ASSOCIATE_HOTKEY_WEIGHT = benchmarked(15_000_000, 3_600, 1, 3)
ASSOCIATE_EVM_KEY_WEIGHT = benchmarked(60_000_000, 4_000, 4, 2)
SET_COLDKEY_AUTO_STAKE_HOTKEY_WEIGHT = benchmarked(30_000_000, 4_000, 4, 3)
ADD_STAKE_BURN_WEIGHT = ADD_STAKE_LIMIT_WEIGHT + BURN_ALPHA_WEIGHT
SET_TEMPO_WEIGHT = benchmarked(5_000_000, 0, 0, 0)
TRIGGER_EPOCH_WEIGHT = benchmarked(25_000_000, 3_600, 8, 2)
TRANSFER_STAKE_AND_HOTKEY_WEIGHT = TRANSFER_STAKE_WEIGHT
MOVE_STAKE_LIMIT_WEIGHT = SWAP_STAKE_LIMIT_WEIGHT

_TAKE = Annotated[int, PerU16, "PerU16"]
_TAO = Annotated[int, TaoBalance, "TaoBalance"]
_ALPHA = Annotated[int, AlphaBalance, "AlphaBalance"]
_OPT_TAO = Annotated[Any, Option(TaoBalance), "Option<TaoBalance>"]
_BOOL = Annotated[bool, Bool, "bool"]
_U16 = Annotated[int, U16, "u16"]
_U32 = Annotated[int, U32, "u32"]
_H160 = Annotated[bytes, H160, "H160"]
_ECDSA_SIGNATURE = Annotated[bytes, Array(65, U8), "Signature"]


# -- root settings ----------------------------------------------------------------------------------------


@calls.call(69, weight=SUDO_SETTER_WEIGHT)
def sudo_set_tx_childkey_take_rate_limit(ctx: Context, origin: Origin, tx_rate_limit: _U64) -> None:
    """Root sets `TxChildkeyTakeRateLimit` (blocks between childkey-take changes of a hotkey)."""
    ensure_root(origin)
    st.TxChildkeyTakeRateLimit.put(ctx, tx_rate_limit)
    ctx.deposit_event(TxChildKeyTakeRateLimitSet(tx_rate_limit))


@calls.call(76, weight=SUDO_SETTER_WEIGHT)
def sudo_set_min_childkey_take(ctx: Context, origin: Origin, take: _TAKE) -> None:
    """Root sets `MinChildkeyTake` (no bound check, as the reference)."""
    ensure_root(origin)
    st.MinChildkeyTake.put(ctx, take)
    ctx.deposit_event(MinChildKeyTakeSet(take))


@calls.call(77, weight=SUDO_SETTER_WEIGHT)
def sudo_set_max_childkey_take(ctx: Context, origin: Origin, take: _TAKE) -> None:
    """Root sets `MaxChildkeyTake` (no bound check, as the reference)."""
    ensure_root(origin)
    st.MaxChildkeyTake.put(ctx, take)
    ctx.deposit_event(MaxChildKeyTakeSet(take))


@calls.call(109, weight=SUDO_SETTER_WEIGHT)
def set_pending_childkey_cooldown(ctx: Context, origin: Origin, cooldown: _U64) -> None:
    """Root sets `PendingChildKeyCooldown` (blocks before scheduled children apply); no event."""
    ensure_root(origin)
    st.PendingChildKeyCooldown.put(ctx, cooldown)


# -- keys and staking -------------------------------------------------------------------------------------


@calls.call(91, weight=TRY_ASSOCIATE_HOTKEY_WEIGHT)
def try_associate_hotkey(ctx: Context, origin: Origin, hotkey: _ACCOUNT) -> None:
    """Bind an unowned hotkey to the signing coldkey; an already-owned hotkey is left alone (the fee is
    still paid)."""
    coldkey = ensure_signed(origin)
    accounts.create_account_if_non_existent(ctx, coldkey, hotkey)


@calls.call(93, weight=ASSOCIATE_EVM_KEY_WEIGHT, pays=Pays.No)
def associate_evm_key(ctx: Context, origin: Origin, netuid: _NETUID, evm_key: _H160, block_number: _U64,
                      signature: _ECDSA_SIGNATURE) -> None:
    """The signing hotkey proves control of `evm_key`: an EIP-191 signature over
    `hotkey ++ keccak256(block_number)`."""
    evm.do_associate_evm_key(ctx, origin, netuid, evm_key, block_number, signature)


@calls.call(114, weight=SET_COLDKEY_AUTO_STAKE_HOTKEY_WEIGHT)
def set_coldkey_auto_stake_hotkey(ctx: Context, origin: Origin, netuid: _NETUID, hotkey: _ACCOUNT) -> None:
    """Choose the hotkey (registered on `netuid`) the signer's emissions there are staked to."""
    staking_extra.do_set_coldkey_auto_stake_hotkey(ctx, origin, netuid, hotkey)


@calls.call(132, weight=ADD_STAKE_BURN_WEIGHT)
def add_stake_burn(ctx: Context, origin: Origin, hotkey: _ACCOUNT, netuid: _NETUID, amount: _TAO,
                   limit: _OPT_TAO) -> None:
    """Subnet buyback: the owner stakes `amount` TAO (price-limited when `limit` is given) and burns the
    alpha bought."""
    staking_extra.do_add_stake_burn(ctx, origin, hotkey, netuid, amount, limit)


@calls.call(143, weight=TRANSFER_STAKE_AND_HOTKEY_WEIGHT)
def transfer_stake_and_hotkey(ctx: Context, origin: Origin, destination_coldkey: _ACCOUNT, origin_hotkey: _ACCOUNT,
                              destination_hotkey: _ACCOUNT, origin_netuid: _NETUID, destination_netuid: _NETUID,
                              alpha_amount: _ALPHA) -> None:
    """`transfer_stake` that lands the stake on `destination_hotkey`."""
    staking_extra.do_transfer_stake_and_hotkey(ctx, origin, destination_coldkey, origin_hotkey, destination_hotkey,
                                               origin_netuid, destination_netuid, alpha_amount)


@calls.call(149, weight=MOVE_STAKE_LIMIT_WEIGHT)
def move_stake_limit(ctx: Context, origin: Origin, origin_hotkey: _ACCOUNT, destination_hotkey: _ACCOUNT,
                     origin_netuid: _NETUID, destination_netuid: _NETUID, alpha_amount: _ALPHA, limit_price: _TAO,
                     allow_partial: _BOOL) -> None:
    """`move_stake` bounded by the origin/destination price ratio `limit_price` (×1e9)."""
    staking_extra.do_move_stake_limit(ctx, origin, origin_hotkey, destination_hotkey, origin_netuid,
                                      destination_netuid, alpha_amount, limit_price, allow_partial)


# -- tempo ------------------------------------------------------------------------------------------------


@calls.call(139, weight=SET_TEMPO_WEIGHT)
def set_tempo(ctx: Context, origin: Origin, netuid: _NETUID, tempo: _U16) -> None:
    """Deprecated no-op kept for its index: succeeds (paying the fee) and changes nothing; tempo is set
    through `AdminUtils.sudo_set_tempo`."""
    del ctx, origin, netuid, tempo


@calls.call(140, weight=SET_TEMPO_WEIGHT)
def set_activity_cutoff_factor(ctx: Context, origin: Origin, netuid: _NETUID, factor_milli: _U32) -> None:
    """Deprecated no-op kept for its index (see `AdminUtils.sudo_set_activity_cutoff_factor`)."""
    del ctx, origin, netuid, factor_milli


@calls.call(141, weight=TRIGGER_EPOCH_WEIGHT)
def trigger_epoch(ctx: Context, origin: Origin, netuid: _NETUID) -> None:
    """The subnet owner schedules an epoch `AdminFreezeWindow` blocks from now."""
    tempo_control.do_trigger_epoch(ctx, origin, netuid)



# -- auto parent delegation ------------------------------------------------------------------------------


@calls.call(135, weight=SET_AUTO_PARENT_WEIGHT)
def set_auto_parent_delegation_enabled(ctx: Context, origin: Origin, hotkey: _ACCOUNT, enabled: _BOOL) -> None:
    """The hotkey's coldkey allows (the default) or refuses automatic childkeys to subnet owners."""
    coldkey = ensure_signed(origin)
    if not accounts.coldkey_owns_hotkey(ctx, coldkey, hotkey):
        raise errors.NonAssociatedColdKey
    st.AutoParentDelegationEnabled.put(ctx, hotkey, enabled)
    ctx.deposit_event(AutoParentDelegationEnabledSet(hotkey, enabled))


__all__ = [
    "add_stake_burn", "associate_evm_key", "move_stake_limit", "set_activity_cutoff_factor", "set_coldkey_auto_stake_hotkey",
    "set_auto_parent_delegation_enabled", "set_pending_childkey_cooldown", "set_tempo", "sudo_set_max_childkey_take", "sudo_set_min_childkey_take",
    "sudo_set_tx_childkey_take_rate_limit", "transfer_stake_and_hotkey", "trigger_epoch", "try_associate_hotkey",
]
