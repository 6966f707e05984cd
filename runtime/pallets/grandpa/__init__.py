"""pallet_grandpa: the GRANDPA finality authority set and its scheduled changes.

The runtime keeps the current authorities (ed25519 keys, weight 1 each in node-subtensor) and at most
one pending change. A change is scheduled with :func:`schedule_change`; in ``on_finalize`` of the block
that scheduled it the pallet appends a ``Consensus(FRNK, ScheduledChange)`` (or ``ForcedChange``) digest
item, which is how the GRANDPA client learns of it, and once ``delay`` blocks have passed it installs
the new set and emits ``NewAuthorities``. Pauses and resumes follow the same two steps.

node-subtensor has no session pallet, so nothing calls ``on_new_session``: ``CurrentSetId`` stays at its
genesis value and ``Stalled`` is only recorded (``note_stalled``), as on the real chain.

Equivocation reports: node-subtensor sets ``KeyOwnerProof = sp_core::Void`` and no equivocation report
system, so ``report_equivocation`` / ``report_equivocation_unsigned`` cannot even be decoded from bytes
(``Void`` has no values). Dispatching a hand-built value fails with ``InvalidEquivocationProof``: there
is no key-ownership proof to check it against.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from runtime.primitives.hashing import Hasher
from runtime.primitives.header import GRANDPA_ENGINE_ID, Consensus
from runtime.primitives.types import BYTES32, BYTES64, H256
from runtime.scale import U32, U64, Composite, Enum, FieldInfo, Option, Tuple, Vec, variant
from runtime.support.context import Context
from runtime.support.dispatch import DB_READ, DB_WRITE, Origin, Weight, ensure_none, ensure_root, ensure_signed
from runtime.support.externalities import Externalities
from runtime.support.pallet import ConstantDef, Pallet, PalletCalls, PalletErrors, PalletEvents
from runtime.support.storage import PalletStorage

CRATE = "pallet_grandpa"
MAX_AUTHORITIES = 32
MAX_NOMINATORS = 20
MAX_SET_ID_SESSION_ENTRIES = 0

# -- types ------------------------------------------------------------------------------------------

AuthorityId = Composite("sp_consensus_grandpa::app::Public", [FieldInfo(None, BYTES32, "ed25519::Public")])
AuthoritySignature = Composite("sp_consensus_grandpa::app::Signature",
                               [FieldInfo(None, BYTES64, "ed25519::Signature")])
_AUTHORITY = Tuple(AuthorityId, U64)
AuthorityList = Vec(_AUTHORITY)  # values: [(ed25519 public bytes, weight), …]
BoundedAuthorityList = Composite("bounded_collections::weak_bounded_vec::WeakBoundedVec",
                                 [FieldInfo(None, AuthorityList, "Vec<T>")], params=[("T", _AUTHORITY), ("S", None)])

StoredState = Enum("pallet_grandpa::StoredState", [
    variant("Live", 0),
    variant("PendingPause", 1, [("scheduled_at", U32, "N"), ("delay", U32, "N")]),
    variant("Paused", 2),
    variant("PendingResume", 3, [("scheduled_at", U32, "N"), ("delay", U32, "N")]),
], params=[("N", U32)])

StoredPendingChange = Composite("pallet_grandpa::StoredPendingChange", [
    FieldInfo("scheduled_at", U32, "N"),
    FieldInfo("delay", U32, "N"),
    FieldInfo("next_authorities", BoundedAuthorityList, "BoundedAuthorityList<Limit>"),
    FieldInfo("forced", Option(U32), "Option<N>"),
], params=[("N", U32), ("Limit", None)])

ScheduledChange = Composite("sp_consensus_grandpa::ScheduledChange", [
    FieldInfo("next_authorities", AuthorityList, "AuthorityList"), FieldInfo("delay", U32, "N")],
    params=[("N", U32)])

#: ``sp_consensus_grandpa::ConsensusLog<u32>``: what the runtime tells the GRANDPA client via digests.
ConsensusLog = Enum("sp_consensus_grandpa::ConsensusLog", [
    variant("ScheduledChange", 1, [(None, ScheduledChange, "ScheduledChange<N>")]),
    variant("ForcedChange", 2, [(None, U32, "N"), (None, ScheduledChange, "ScheduledChange<N>")]),
    variant("OnDisabled", 3, [(None, U64, "AuthorityIndex")]),
    variant("Pause", 4, [(None, U32, "N")]),
    variant("Resume", 5, [(None, U32, "N")]),
], params=[("N", U32)])


def _vote(name: str) -> Composite:
    return Composite(f"finality_grandpa::{name}", [FieldInfo("target_hash", H256, "H"),
                                                   FieldInfo("target_number", U32, "N")],
                     params=[("H", H256), ("N", U32)])


def _equivocation(vote: Composite) -> Composite:
    pair = Tuple(vote, AuthoritySignature)
    return Composite("finality_grandpa::Equivocation", [
        FieldInfo("round_number", U64, "u64"), FieldInfo("identity", AuthorityId, "Id"),
        FieldInfo("first", pair, "(V, S)"), FieldInfo("second", pair, "(V, S)"),
    ], params=[("Id", AuthorityId), ("V", vote), ("S", AuthoritySignature)])


Equivocation = Enum("sp_consensus_grandpa::Equivocation", [
    variant("Prevote", 0, [(None, _equivocation(_vote("Prevote")),
                            "finality_grandpa::Equivocation<AuthorityId, finality_grandpa::Prevote<\nH, N>, "
                            "AuthoritySignature,>")]),
    variant("Precommit", 1, [(None, _equivocation(_vote("Precommit")),
                              "finality_grandpa::Equivocation<AuthorityId, finality_grandpa::Precommit\n<H, N>, "
                              "AuthoritySignature,>")]),
], params=[("H", H256), ("N", U32)])
EquivocationProof = Composite("sp_consensus_grandpa::EquivocationProof", [
    FieldInfo("set_id", U64, "SetId"), FieldInfo("equivocation", Equivocation, "Equivocation<H, N>")],
    params=[("H", H256), ("N", U32)])
#: ``sp_core::Void``: an enum without variants — no value exists, nothing decodes.
Void = Enum("sp_core::Void", [])

# -- storage ----------------------------------------------------------------------------------------

storage = PalletStorage("Grandpa")
State = storage.value("State", StoredState, default="Live", docs=[" State of the current authority set."])
PendingChange = storage.value("PendingChange", StoredPendingChange,
                              docs=[" Pending change: (signaled at, scheduled change)."])
NextForced = storage.value("NextForced", U32, docs=[" next block number where we can force a change."])
Stalled = storage.value("Stalled", Tuple(U32, U32), docs=[" `true` if we are currently stalled."])
CurrentSetId = storage.value("CurrentSetId", U64, default=0, docs=[
    " The number of changes (both in terms of keys and underlying economic responsibilities)",
    " in the \"set\" of Grandpa validators from genesis.",
])
SetIdSession = storage.map("SetIdSession", [(Hasher.Twox64Concat, U64)], U32, docs=[
    " A mapping from grandpa set ID to the index of the *most recent* session for which its",
    " members were responsible.",
    "",
    " This is only used for validating equivocation proofs. An equivocation proof must",
    " contains a key-ownership proof for a given session, therefore we need a way to tie",
    " together sessions and GRANDPA set ids, i.e. we need to validate that a validator",
    " was the owner of a given key on a given session, and what the active set ID was",
    " during that session.",
    "",
    " TWOX-NOTE: `SetId` is not under user control.",
])
Authorities = storage.value("Authorities", BoundedAuthorityList, default=[],
                            docs=[" The current list of authorities."])

# -- events and errors ------------------------------------------------------------------------------

events = PalletEvents("Grandpa", CRATE, params=())
NewAuthorities = events.event(0, "NewAuthorities", [("authority_set", AuthorityList, "AuthorityList")],
                              [" New authority set has been applied."])
Paused = events.event(1, "Paused", [], [" Current authority set has been paused."])
Resumed = events.event(2, "Resumed", [], [" Current authority set has been resumed."])

errors = PalletErrors("Grandpa", CRATE, [
    ("PauseFailed", "Attempt to signal GRANDPA pause when the authority set isn't live"),
    ("ResumeFailed", "Attempt to signal GRANDPA resume when the authority set isn't paused"),
    ("ChangePending", "Attempt to signal GRANDPA change with one already pending."),
    ("TooSoon", "Cannot signal forced change so soon after last."),
    ("InvalidKeyOwnershipProof", "A key ownership proof provided as part of an equivocation report is invalid."),
    ("InvalidEquivocationProof", "An equivocation proof provided as part of an equivocation report is invalid."),
    ("DuplicateOffenceReport", "A given equivocation report is valid but already previously reported."),
])

# -- calls ------------------------------------------------------------------------------------------

calls = PalletCalls(CRATE)

# GRANDPA's default `report_equivocation` weight (validator count floored at 100, MaxNominators 20).
_REPORT_WEIGHT = Weight(
    35_000_000 + 175_000 * 100 + 95_000_000 + 110_000_000 + 25_000_000 * MAX_NOMINATORS
    + DB_READ * (5 + 14 + 3 * MAX_NOMINATORS + 2) + DB_WRITE * (10 + 3 * MAX_NOMINATORS), 0)
NOTE_STALLED_WEIGHT = Weight(3_631_000 + DB_WRITE, 0)

_PROOF = Annotated[Any, EquivocationProof, "Box<EquivocationProof<T::Hash, BlockNumberFor<T>>>"]
_KEY_OWNER_PROOF = Annotated[Any, Void, "T::KeyOwnerProof"]


@calls.call(0, weight=_REPORT_WEIGHT)
def report_equivocation(ctx: Context, origin: Origin, equivocation_proof: _PROOF,
                        key_owner_proof: _KEY_OWNER_PROOF) -> None:
    """Report voter equivocation/misbehavior. This method will verify the
    equivocation proof and validate the given key ownership proof
    against the extracted offender. If both are valid, the offence
    will be reported."""
    ensure_signed(origin)
    raise errors.InvalidEquivocationProof  # no key-ownership proof system (KeyOwnerProof = Void)


@calls.call(1, weight=_REPORT_WEIGHT)
def report_equivocation_unsigned(ctx: Context, origin: Origin, equivocation_proof: _PROOF,
                                 key_owner_proof: _KEY_OWNER_PROOF) -> None:
    """Report voter equivocation/misbehavior. This method will verify the
    equivocation proof and validate the given key ownership proof
    against the extracted offender. If both are valid, the offence
    will be reported.

    This extrinsic must be called unsigned and it is expected that only
    block authors will call it (validated in `ValidateUnsigned`), as such
    if the block author is defined it will be defined as the equivocation
    reporter."""
    ensure_none(origin)
    raise errors.InvalidEquivocationProof  # no key-ownership proof system (KeyOwnerProof = Void)


@calls.call(2, weight=NOTE_STALLED_WEIGHT)
def note_stalled(ctx: Context, origin: Origin, delay: Annotated[int, U32, "BlockNumberFor<T>"],
                 best_finalized_block_number: Annotated[int, U32, "BlockNumberFor<T>"]) -> None:
    """Note that the current authority set of the GRANDPA finality gadget has stalled.

    This will trigger a forced authority set change at the beginning of the next session, to
    be enacted `delay` blocks after that. The `delay` should be high enough to safely assume
    that the block signalling the forced change will not be re-orged e.g. 1000 blocks.
    The block production rate (which may be slowed down because of finality lagging) should
    be taken into account when choosing the `delay`. The GRANDPA voters based on the new
    authority will start voting on top of `best_finalized_block_number` for new finalized
    blocks. `best_finalized_block_number` should be the highest of the latest finalized
    block of all validators of the new authority set.

    Only callable by root."""
    ensure_root(origin)
    Stalled.put(ctx, (delay, best_finalized_block_number))


# -- helpers ----------------------------------------------------------------------------------------


def authorities(ext: Externalities) -> list[tuple[bytes, int]]:
    """The current GRANDPA authorities as ``(ed25519 public key, weight)`` pairs."""
    return [tuple(a) for a in Authorities.get(ext)]  # type: ignore[misc]


def current_set_id(ext: Externalities) -> int:
    return CurrentSetId.get(ext)  # type: ignore[no-any-return]


def pending_change(ext: Externalities) -> Any:
    return PendingChange.get(ext)


def _deposit_log(ctx: Context, log: Any) -> None:
    from runtime.pallets.system import storage as system_storage

    item = Consensus(GRANDPA_ENGINE_ID, ConsensusLog.encode(log))
    system_storage.DigestItems.put(ctx, tuple(system_storage.DigestItems.get(ctx)) + (item,))


def schedule_change(ctx: Context, next_authorities: Sequence[tuple[bytes, int]], in_blocks: int,
                    forced: int | None = None) -> None:
    """Schedule a change to ``next_authorities``, enacted ``in_blocks`` after the current block.

    ``forced`` (the median last-finalized block) makes it a forced change, allowed only once twice the
    previous forced change's delay has passed. Raises ``ChangePending`` or ``TooSoon``. The client is
    told in ``on_finalize`` of this block (a FRNK Consensus digest item).
    """
    if PendingChange.exists(ctx):
        raise errors.ChangePending
    scheduled_at = ctx.block_number
    if forced is not None:
        next_forced = NextForced.get(ctx)
        if next_forced is not None and next_forced > scheduled_at:
            raise errors.TooSoon
        NextForced.put(ctx, scheduled_at + 2 * in_blocks)
    # FRAME keeps an oversized list (WeakBoundedVec::force_from) and only logs a warning.
    PendingChange.put(ctx, {"scheduled_at": scheduled_at, "delay": in_blocks,
                            "next_authorities": [(bytes(k), w) for k, w in next_authorities],
                            "forced": forced})


def schedule_pause(ctx: Context, in_blocks: int) -> None:
    """Pause finality ``in_blocks`` from now (``PauseFailed`` unless the set is live)."""
    if State.get(ctx) != "Live":
        raise errors.PauseFailed
    State.put(ctx, ("PendingPause", {"scheduled_at": ctx.block_number, "delay": in_blocks}))


def schedule_resume(ctx: Context, in_blocks: int) -> None:
    """Resume finality ``in_blocks`` from now (``ResumeFailed`` unless the set is paused)."""
    if State.get(ctx) != "Paused":
        raise errors.ResumeFailed
    State.put(ctx, ("PendingResume", {"scheduled_at": ctx.block_number, "delay": in_blocks}))


# -- hooks ------------------------------------------------------------------------------------------


def on_finalize(ctx: Context, number: int) -> None:
    change = PendingChange.get(ctx)
    if change is not None:
        scheduled = {"next_authorities": change["next_authorities"], "delay": change["delay"]}
        if number == change["scheduled_at"]:
            if change["forced"] is not None:
                _deposit_log(ctx, ("ForcedChange", (change["forced"], scheduled)))
            else:
                _deposit_log(ctx, ("ScheduledChange", scheduled))
        if number == change["scheduled_at"] + change["delay"]:
            Authorities.put(ctx, change["next_authorities"])
            ctx.deposit_event(NewAuthorities(authority_set=change["next_authorities"]))
            PendingChange.kill(ctx)

    state = State.get(ctx)
    if isinstance(state, tuple):
        kind, at = state
        if kind == "PendingPause":
            if number == at["scheduled_at"]:
                _deposit_log(ctx, ("Pause", at["delay"]))
            if number == at["scheduled_at"] + at["delay"]:
                State.put(ctx, "Paused")
                ctx.deposit_event(Paused())
        elif kind == "PendingResume":
            if number == at["scheduled_at"]:
                _deposit_log(ctx, ("Resume", at["delay"]))
            if number == at["scheduled_at"] + at["delay"]:
                State.put(ctx, "Live")
                ctx.deposit_event(Resumed())


def genesis(ctx: Context, config: dict[str, Any]) -> None:
    """``{"authorities": [[ss58 | hex | bytes, weight], …]}`` — the genesis GRANDPA set (set id 0)."""
    from runtime.primitives.ss58 import account_id_from

    keys = [(account_id_from(k), int(w)) for k, w in config.get("authorities") or []]
    CurrentSetId.put(ctx, 0)
    if keys:
        if Authorities.get(ctx):
            raise ValueError("Authorities are already initialized!")
        if len(keys) > MAX_AUTHORITIES:
            raise ValueError("Grandpa: `Config::MaxAuthorities` is smaller than the number of genesis authorities!")
        Authorities.put(ctx, keys)
    # The genesis set belongs to session 0 (later sessions would update this map).
    SetIdSession.put(ctx, 0, 0)


PALLET = Pallet(
    "Grandpa", storage=storage, calls=calls, events=events, errors=errors,
    constants=(
        ConstantDef("MaxAuthorities", U32, MAX_AUTHORITIES, (" Max Authorities in use",)),
        ConstantDef("MaxNominators", U32, MAX_NOMINATORS, (" The maximum number of nominators for each validator.",)),
        ConstantDef("MaxSetIdSessionEntries", U64, MAX_SET_ID_SESSION_ENTRIES, (
            " The maximum number of entries to keep in the set id to session index mapping.",
            "",
            " Since the `SetIdSession` map is only used for validating equivocations this",
            " value should relate to the bonding duration of whatever staking system is",
            " being used (if any). If equivocation handling is not enabled then this value",
            " can be zero.",
        )),
    ),
    on_finalize=on_finalize, genesis=genesis,
)

__all__ = [
    "Authorities", "AuthorityId", "AuthorityList", "ConsensusLog", "CurrentSetId", "NewAuthorities", "PALLET",
    "Paused", "PendingChange", "Resumed", "ScheduledChange", "SetIdSession", "Stalled", "State", "authorities",
    "current_set_id", "errors", "pending_change", "schedule_change", "schedule_pause", "schedule_resume",
]
