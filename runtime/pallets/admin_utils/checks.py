"""SubtensorModule's origin, rate-limit and freeze-window checks that AdminUtils calls run.

* :func:`owner_or_root` — Root passes (returns None); a signed origin must be the subnet's owner
  coldkey (returns it); anything else is ``BadOrigin``.
* :func:`owner_or_root_with_limits` — as above, and the owner must also pass each rate limit given
  (``SubtensorModule.TxRateLimitExceeded``); :func:`record_owner` stamps them after a successful change.
  Root is never rate-limited.
* :func:`ensure_admin_window_open` — ``SubtensorModule.AdminActionProhibitedDuringWeightsWindow`` while
  an owner-triggered epoch is pending or fewer than ``AdminFreezeWindow`` blocks remain before the
  subnet's next automatic epoch (``LastEpochBlock + Tempo``). A zero tempo never freezes.

Rate limits are named by :class:`Limit`: an owner hyperparameter (``Limit.hparam("Kappa")``, one change
per ``OwnerHyperparamRateLimit × Tempo`` blocks, stamped in ``LastRateLimitedBlock``) or one of the
transaction types stamped in ``TransactionKeyLastBlock`` with node-subtensor's fast-runtime limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from runtime.pallets.subtensor import errors as subtensor_errors
from runtime.pallets.subtensor import storage as st
from runtime.support.context import Context
from runtime.support.dispatch import BadOrigin, Origin

MIN_TEMPO = 360
SN_OWNER_HOTKEY_RATE_LIMIT = 50_400
FAST_RUNTIME_LIMIT = 1
"""``MechanismCountSetRateLimit``, ``MechanismEmissionRateLimit`` and ``MaxUidsTrimmingRateLimit`` on a
fast-runtime (localnet) build."""


@dataclass(frozen=True, slots=True)
class Limit:
    """One rate-limited transaction type (``tx`` is node-subtensor's ``TransactionType`` number)."""

    tx: int
    hyperparameter: str | None = None

    @staticmethod
    def hparam(name: str) -> Limit:
        return Limit(6, name)

    def blocks(self, ctx: Context, netuid: int) -> int:
        tempo = st.Tempo.get(ctx, netuid)
        if self.tx == 6:
            return tempo * st.OwnerHyperparamRateLimit.get(ctx)
        if self.tx == 4:
            return tempo * st.WeightsVersionKeyRateLimit.get(ctx)
        if self.tx == 5:
            return SN_OWNER_HOTKEY_RATE_LIMIT
        if self.tx == 11:
            return MIN_TEMPO
        return FAST_RUNTIME_LIMIT

    def last_block(self, ctx: Context, who: bytes, netuid: int) -> int:
        key = self._rate_limit_key(netuid)
        if key is not None:
            return st.LastRateLimitedBlock.get(ctx, key)  # type: ignore[no-any-return]
        return st.TransactionKeyLastBlock.get(ctx, who, netuid, self.tx)  # type: ignore[no-any-return]

    def stamp(self, ctx: Context, who: bytes, netuid: int, block: int) -> None:
        key = self._rate_limit_key(netuid)
        if key is not None:
            st.LastRateLimitedBlock.put(ctx, key, block)
        else:
            st.TransactionKeyLastBlock.put(ctx, who, netuid, self.tx, block)

    def passes(self, ctx: Context, who: bytes, netuid: int) -> bool:
        last = self.last_block(ctx, who, netuid)
        return last == 0 or ctx.block_number - last >= self.blocks(ctx, netuid)

    def _rate_limit_key(self, netuid: int) -> Any:
        if self.tx == 6:
            return ("OwnerHyperparamUpdate", (netuid, self.hyperparameter))
        if self.tx == 5:
            return ("SetSNOwnerHotkey", netuid)
        return None


SET_WEIGHTS_VERSION_KEY = Limit(4)
SET_SN_OWNER_HOTKEY = Limit(5)
MECHANISM_COUNT_UPDATE = Limit(7)
MECHANISM_EMISSION = Limit(8)
MAX_UIDS_TRIMMING = Limit(9)
TEMPO_UPDATE = Limit(11)


def subnet_exists(ctx: Context, netuid: int) -> bool:
    return bool(st.NetworksAdded.get(ctx, netuid))


def owner_or_root(ctx: Context, origin: Origin, netuid: int) -> bytes | None:
    if origin.is_root:
        return None
    if origin.kind == "Signed" and origin.account is not None and st.SubnetOwner.get(ctx, netuid) == origin.account:
        return origin.account
    raise BadOrigin()


def owner_or_root_with_limits(ctx: Context, origin: Origin, netuid: int, *limits: Limit) -> bytes | None:
    owner = owner_or_root(ctx, origin, netuid)
    if owner is not None:
        for limit in limits:
            if not limit.passes(ctx, owner, netuid):
                raise subtensor_errors.TxRateLimitExceeded
    return owner


def record_owner(ctx: Context, owner: bytes | None, netuid: int, *limits: Limit) -> None:
    if owner is not None:
        for limit in limits:
            limit.stamp(ctx, owner, netuid, ctx.block_number)


def in_admin_freeze_window(ctx: Context, netuid: int) -> bool:
    tempo = st.Tempo.get(ctx, netuid)
    if tempo == 0:
        return False
    now = ctx.block_number
    pending = st.PendingEpochAt.get(ctx, netuid)
    if pending > 0 and pending > now:
        return True
    remaining = max(st.LastEpochBlock.get(ctx, netuid) + tempo - now, 0)
    return remaining < st.AdminFreezeWindow.get(ctx)


def ensure_admin_window_open(ctx: Context, netuid: int) -> None:
    if in_admin_freeze_window(ctx, netuid):
        raise subtensor_errors.AdminActionProhibitedDuringWeightsWindow
