"""SubtensorTransactionExtension: the pallet's pre-dispatch guards, run at pool validation and at apply.

node-subtensor screens a signed ``SubtensorModule`` call with a set of guards before it reaches the pool
(and again when a block applies it, since extension validation runs both times). A failing guard
rejects the transaction as ``InvalidTransaction::Custom(code)``, the code derived from the pallet error
the guard produced (§1.3 of the runtime surface spec; anything without a dedicated code is 255,
``BadRequest``). Only the outermost call is inspected: a guarded call wrapped in a proxy or batch is not
screened here (its dispatch body still runs the same checks).

Guards implemented here, in the order they are tried:

* CheckColdkeySwap — every signed call of every pallet: a signer with an announced coldkey swap may
  only call the swap calls themselves (``announce_coldkey_swap``, ``swap_coldkey_announced``,
  ``dispute_coldkey_swap``, ``clear_coldkey_swap_announcement``) or ``MevShield.submit_encrypted``
  (``ColdkeySwapAnnounced``, code 0); once the swap is disputed nothing passes
  (``ColdkeySwapDisputed``, code 21);

The others each concern a disjoint set of SubtensorModule calls:

* CheckDelegateTake — ``increase_take``/``decrease_take``: take within the delegate-take bounds, then the
  hotkey must exist and belong to the signer (:func:`delegation.delegate_take_guard`);
* CheckServingEndpoints — ``serve_axon``, ``serve_axon_tls``, ``serve_prometheus``: the serving
  validations of :mod:`serving`;
* CheckRateLimits — ``register_network`` only: ``NetworkRateLimit`` blocks since the last network
  registration.

* CheckEvmKeyAssociation — ``associate_evm_key``: the signing hotkey must hold a uid on the subnet
  (``HotKeyNotRegisteredInSubNet``, code 19) outside the association rate limit
  (``EvmKeyAssociateRateLimitExceeded``, code 20).

CheckWeights covers every weights call (set, batch, commit, reveal, mechanism, timelocked) with the minimum
stake check and batch length checks. Not covered yet: CheckWeights' reveal windows and the weights rate limits. The reference also re-runs the guards as a
dispatch extension on calls nested in proxies and batches; here only the outermost call is screened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from runtime.pallets.subtensor import delegation, evm, serving, subnets, weights
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.errors import errors
from runtime.support.context import Context
from runtime.support.dispatch import ModuleError

BAD_REQUEST = 255

CUSTOM_CODES: dict[str, int] = {
    "AmountTooLow": 1,
    "NotEnoughStakeToSetWeights": 1,
    "SubnetNotExists": 3,
    "NotEnoughBalanceToStake": 2,
    "HotKeyAccountNotExists": 4,
    "NotEnoughStakeToWithdraw": 5,
    "CommittingWeightsTooFast": 6,
    "SettingWeightsTooFast": 6,
    "NetworkTxRateLimitExceeded": 6,
    "InsufficientLiquidity": 7,
    "SlippageTooHigh": 8,
    "TransferDisallowed": 9,
    "HotKeyNotRegisteredInNetwork": 10,
    "InvalidIpAddress": 11,
    "ServingRateLimitExceeded": 12,
    "InvalidPort": 13,
    "InvalidRevealRound": 15,
    "NoWeightsCommitFound": 16,
    "RevealTooEarly": 17,
    "InputLengthsUnequal": 18,
    "HotKeyNotRegisteredInSubNet": 19,
    "EvmKeyAssociateRateLimitExceeded": 20,
    "ColdkeySwapAnnounced": 0,
    "ColdkeySwapDisputed": 21,
    "NonAssociatedColdKey": 25,
    "DelegateTakeTooLow": 26,
    "DelegateTakeTooHigh": 27,
}
"""pallet error name → ``InvalidTransaction::Custom`` code; other errors map to :data:`BAD_REQUEST`."""


class GuardRejected(Exception):
    """A guard refused the call; ``code`` is the custom validity code, ``error`` the pallet error."""

    def __init__(self, error: ModuleError) -> None:
        super().__init__(error.name)
        self.error = error
        self.code = custom_code(error)


def custom_code(error: ModuleError) -> int:
    return CUSTOM_CODES.get(error.name, BAD_REQUEST)


def _delegate_take(ctx: Context, who: bytes, args: dict[str, Any]) -> None:
    delegation.delegate_take_guard(ctx, who, args["hotkey"], args["take"])


def _serve_axon(ctx: Context, who: bytes, args: dict[str, Any]) -> None:
    serving.validate_serve_axon(ctx, who, args["netuid"], args["ip"], args["port"], args["ip_type"],
                                ctx.block_number)


def _serve_prometheus(ctx: Context, who: bytes, args: dict[str, Any]) -> None:
    serving.validate_serve_prometheus(ctx, who, args["netuid"], args["ip"], args["port"], args["ip_type"],
                                      ctx.block_number)


def _register_network(ctx: Context, who: bytes, args: dict[str, Any]) -> None:
    """The same window the call body enforces: refused while fewer than ``NetworkRateLimit`` blocks have
    passed since the last registration (a never-registered chain is not limited)."""
    del who, args
    last = subnets.network_last_lock_block(ctx)
    if last != 0 and max(ctx.block_number - last, 0) < st.NetworkRateLimit.get(ctx):
        raise errors.NetworkTxRateLimitExceeded


def _weights_min_stake(ctx: Context, who: bytes, args: dict[str, Any]) -> None:
    """CheckWeights: the signing hotkey needs StakeThreshold stake weight on the subnet (owner exempt)."""
    if not weights.has_enough_stake(ctx, args["netuid"], who):
        raise errors.NotEnoughStakeToSetWeights


def _batch_weights(ctx: Context, who: bytes, args: dict[str, Any]) -> None:
    """CheckWeights for batches: equal input lengths, then the stake check on every subnet."""
    netuids = args["netuids"]
    if not len(netuids) == len(args["weights"]) == len(args["version_keys"]):
        raise errors.InputLengthsUnequal
    for netuid in netuids:
        _weights_min_stake(ctx, who, {"netuid": netuid})


def _batch_commit(ctx: Context, who: bytes, args: dict[str, Any]) -> None:
    """CheckWeights for batched commits: one hash per subnet, then the stake check on every subnet."""
    if len(args["netuids"]) != len(args["commit_hashes"]):
        raise errors.InputLengthsUnequal
    for netuid in args["netuids"]:
        _weights_min_stake(ctx, who, {"netuid": netuid})


def _evm_key_association(ctx: Context, who: bytes, args: dict[str, Any]) -> None:
    uid = evm.uid_of(ctx, args["netuid"], who)
    evm.ensure_evm_key_associate_rate_limit(ctx, args["netuid"], uid, ctx.block_number)


_Guard = Callable[[Context, bytes, dict[str, Any]], None]

GUARDS: dict[str, _Guard] = {
    # CheckDelegateTake
    "increase_take": _delegate_take,
    "decrease_take": _delegate_take,
    # CheckServingEndpoints
    "serve_axon": _serve_axon,
    "serve_axon_tls": _serve_axon,
    "serve_prometheus": _serve_prometheus,
    # CheckRateLimits
    "register_network": _register_network,
    # CheckWeights (minimum stake; the call bodies check the rest)
    "set_weights": _weights_min_stake,
    "set_mechanism_weights": _weights_min_stake,
    "commit_weights": _weights_min_stake,
    "reveal_weights": _weights_min_stake,
    "batch_set_weights": _batch_weights,
    "commit_mechanism_weights": _weights_min_stake,
    "reveal_mechanism_weights": _weights_min_stake,
    "batch_reveal_weights": _weights_min_stake,
    "batch_commit_weights": _batch_commit,
    "commit_timelocked_weights": _weights_min_stake,
    "commit_crv3_mechanism_weights": _weights_min_stake,
    "commit_timelocked_mechanism_weights": _weights_min_stake,
    # CheckEvmKeyAssociation
    "associate_evm_key": _evm_key_association,
}


ALLOWED_DURING_COLDKEY_SWAP = frozenset({
    ("SubtensorModule", "announce_coldkey_swap"),
    ("SubtensorModule", "swap_coldkey_announced"),
    ("SubtensorModule", "dispute_coldkey_swap"),
    ("SubtensorModule", "clear_coldkey_swap_announcement"),
    ("MevShield", "submit_encrypted"),
})
"""(pallet, call) pairs a coldkey with an announced (undisputed) swap may still submit."""


def _call_name(call: Any) -> tuple[str, str] | None:
    if not isinstance(call, tuple) or len(call) != 2:
        return None
    pallet, inner = call
    name = inner if isinstance(inner, str) else inner[0] if isinstance(inner, tuple) else None
    return (pallet, name) if isinstance(name, str) else None


def check_coldkey_swap(ctx: Context, who: bytes, call: Any) -> None:
    """CheckColdkeySwap: an announced swap restricts the signer to the swap calls; a disputed one to none."""
    if not st.ColdkeySwapAnnouncements.exists(ctx, who):
        return
    if st.ColdkeySwapDisputes.exists(ctx, who):
        raise errors.ColdkeySwapDisputed
    if _call_name(call) not in ALLOWED_DURING_COLDKEY_SWAP:
        raise errors.ColdkeySwapAnnounced


def check_call(ctx: Context, who: bytes, call: Any) -> None:
    """Run the guards for a signed call (a ``(pallet, (name, args))`` value); raises :class:`GuardRejected`.

    CheckColdkeySwap screens every pallet's calls; the rest only SubtensorModule's guarded calls.
    """
    try:
        check_coldkey_swap(ctx, who, call)
    except ModuleError as exc:
        raise GuardRejected(exc) from exc
    if not (isinstance(call, tuple) and call[0] == "SubtensorModule"):
        return
    if isinstance(call[1], str):
        return  # argument-less calls have no guard
    name, args = call[1]
    guard = GUARDS.get(name)
    if guard is None:
        return
    try:
        guard(ctx, who, args)
    except ModuleError as exc:
        if exc.pallet != "SubtensorModule":
            raise
        raise GuardRejected(exc) from exc


__all__ = [
    "ALLOWED_DURING_COLDKEY_SWAP", "BAD_REQUEST", "CUSTOM_CODES", "GUARDS", "GuardRejected", "check_call",
    "check_coldkey_swap", "custom_code",
]
