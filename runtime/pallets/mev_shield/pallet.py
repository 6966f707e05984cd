"""pallet_shield (index 30, ``MevShield``): MEV-shielded transactions, as node-subtensor has them.

Every block author announces, through the ``announce_next_key`` inherent, a fresh ML-KEM-768
encapsulation key; the inherent rotates ``CurrentKey ← PendingKey ← NextKey ← AuthorKeys[author two
slots ahead]`` and records the announced key in ``AuthorKeys``. Users who want a transaction hidden
from the mempool read ``NextKey``, sign their extrinsic, encrypt it to that key and send it as the
``ciphertext`` of a signed ``submit_encrypted`` (see :mod:`runtime.pallets.mev_shield.shielded`). The
author whose key it is (``PendingKey`` at the parent of the block it builds) decrypts it off-chain and
puts the revealed extrinsic into its block right after the wrapper (``consensus.mev_shield``). Block
execution never decrypts: a block holds the inherent, the wrapper and the inner extrinsic in the clear.

What is implemented, with the reference's semantics:

* all storage items, events, errors and calls with their exact metadata (indices, argument types, docs);
* ``announce_next_key``: only the None (inherent) origin may dispatch it (otherwise ``BadOrigin``); the
  rotation above, with the Aura authority ring giving the current and next-next authors; ``BadEncKeyLen``
  unless the key has 1184 bytes; expiry blocks now+2 / now+3. Without a slot in the digest there is no
  author and it fails with ``Unreachable``. It is declared ``Mandatory`` here (the reference leaves it
  ``Normal`` and lets FRAME's executive accept unsigned calls of pallets without ``ValidateUnsigned``),
  because our executive applies unsigned extrinsics only for mandatory inherents;
* ``submit_encrypted``: signed only; dispatch deposits ``EncryptedSubmitted`` with
  ``id = blake2_256(SCALE(who, ciphertext))``. The pool check of ``CheckShieldedTxValidity``
  (:func:`validate_submit_encrypted`) refuses ciphertexts that do not parse with
  ``Custom(23)`` (``FailedShieldedTxParsing``); the key is checked by the block author, not the pool;
* ``store_encrypted``: signed only; queues the blob (``TooManyPendingExtrinsics`` at the configured limit)
  and deposits ``ExtrinsicStored``;
* the four root setters with their events and the ``WeightExceedsAbsoluteMax`` bound;
* ``on_initialize`` walks the stored queue: entries older than ``ExtrinsicLifetime`` expire
  (``ExtrinsicExpired``); the rest go to the runtime's ``ExtrinsicDecryptor``, which node-subtensor
  configures as ``()`` (always failing), so each is dropped with ``ExtrinsicDecodeFailed``.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from runtime.pallets import aura
from runtime.pallets import subtensor as _subtensor  # noqa: F401  (first: commitments imports it back)
from runtime.pallets.commitments.types import Bounded
from runtime.pallets.subtensor.types import BoundedVec
from runtime.pallets.system import storage as system_storage
from runtime.primitives.hashing import Hasher, blake2_256
from runtime.primitives.types import H256, AccountId32
from runtime.scale import U8, U32, U64, Bool, Composite, FieldInfo, Option, Vec
from runtime.support.context import Context
from runtime.pallets.mev_shield.shielded import ShieldedTransaction
from runtime.support.dispatch import (
    DB_READ, DB_WRITE, DispatchClass, DispatchErrorCodec, Origin, Weight, ensure_none, ensure_root,
    ensure_signed,
)
from runtime.support.pallet import Pallet, PalletCalls, PalletErrors, PalletEvents
from runtime.support.storage import PalletStorage

CRATE = "pallet_shield"

MLKEM768_ENC_KEY_LEN = 1184
"""Length of an ML-KEM-768 encapsulation key; announced keys of any other length are refused."""
SHIELD_ENC_KEY_MAX = 2048
MAX_ENCRYPTED_CALL_SIZE = 8192
MIGRATION_KEY_MAX = 128
DEFAULT_MAX_PENDING_EXTRINSICS = 100
DEFAULT_EXTRINSIC_LIFETIME = 10
DEFAULT_ON_INITIALIZE_WEIGHT = 500_000_000_000
DEFAULT_MAX_EXTRINSIC_WEIGHT = 50_000_000_000
MAX_ON_INITIALIZE_WEIGHT = 2_000_000_000_000
"""Upper bound of both weight setters: half of the block's weight."""
_U32_MAX = 2**32 - 1

# -- types --------------------------------------------------------------------------------------------

ShieldEncKey = Bounded(BoundedVec(U8), SHIELD_ENC_KEY_MAX)
"""``BoundedVec<u8, ConstU32<2048>>``: an announced encapsulation key."""
EncryptedCall = Bounded(BoundedVec(U8), MAX_ENCRYPTED_CALL_SIZE)
MigrationKey = Bounded(BoundedVec(U8), MIGRATION_KEY_MAX)
PendingExtrinsic = Composite("pallet_shield::pallet::PendingExtrinsic", [
    FieldInfo("who", AccountId32, "T::AccountId"),
    FieldInfo("encrypted_call", EncryptedCall, "BoundedVec<u8, MaxEncryptedCallSize>"),
    FieldInfo("submitted_at", U32, "BlockNumberFor<T>"),
], params=[("T", None)])

# -- storage ------------------------------------------------------------------------------------------

storage = PalletStorage("MevShield")
CurrentKey = storage.value("CurrentKey", ShieldEncKey, docs=[
    " Current block author's ML-KEM-768 encapsulation key (internal, not for encryption)."])
PendingKey = storage.value("PendingKey", ShieldEncKey, docs=[
    " Next block author's key, staged here before promoting to `CurrentKey`."])
NextKey = storage.value("NextKey", ShieldEncKey, docs=[" Key users should encrypt with (N+2 author's key)."])
AuthorKeys = storage.map("AuthorKeys", [(Hasher.Twox64Concat, aura.AuthorityId)], ShieldEncKey, docs=[
    " Per-author ML-KEM-768 encapsulation key, updated each time the author produces a block."])
PendingKeyExpiresAt = storage.value("PendingKeyExpiresAt", U32, docs=[
    " Block number at which `PendingKey` is no longer valid (exclusive upper bound).",
    " Updated every block during rotation."])
NextKeyExpiresAt = storage.value("NextKeyExpiresAt", U32, docs=[
    " Block number at which `NextKey` is no longer valid (exclusive upper bound).",
    " Updated every block during rotation."])
HasMigrationRun = storage.map("HasMigrationRun", [(Hasher.Identity, MigrationKey)], Bool, default=False, docs=[
    " Stores whether some migration has been run."])
MaxPendingExtrinsicsLimit = storage.value("MaxPendingExtrinsicsLimit", U32, default=DEFAULT_MAX_PENDING_EXTRINSICS,
                                          docs=[" Configurable maximum number of pending extrinsics.",
                                                " Defaults to 100 if not explicitly set via "
                                                "`set_max_pending_extrinsics`."])
ExtrinsicLifetime = storage.value("ExtrinsicLifetime", U32, default=DEFAULT_EXTRINSIC_LIFETIME, docs=[
    " Configurable extrinsic lifetime (max block difference between submission and execution).",
    " Defaults to 10 blocks if not explicitly set."])
OnInitializeWeight = storage.value("OnInitializeWeight", U64, default=DEFAULT_ON_INITIALIZE_WEIGHT, docs=[
    " Configurable maximum weight for on_initialize processing.",
    " Defaults to 500_000_000_000 ref_time if not explicitly set."])
MaxExtrinsicWeight = storage.value("MaxExtrinsicWeight", U64, default=DEFAULT_MAX_EXTRINSIC_WEIGHT, docs=[
    " Configurable maximum weight for a single extrinsic dispatched during on_initialize.",
    " Extrinsics exceeding this limit are removed from the queue."])
PendingExtrinsics = storage.map("PendingExtrinsics", [(Hasher.Identity, U32)], PendingExtrinsic, docs=[
    " Storage map for encrypted extrinsics to be executed in on_initialize.",
    " Uses u32 index for O(1) insertion and removal. Count is maintained automatically."])
CounterForPendingExtrinsics = storage.value("CounterForPendingExtrinsics", U32, default=0, docs=[
    "Counter for the related counted storage map"])
NextPendingExtrinsicIndex = storage.value("NextPendingExtrinsicIndex", U32, default=0, docs=[
    " Next index to use when inserting a pending extrinsic (unique auto-increment)."])

# -- events, errors -----------------------------------------------------------------------------------

events = PalletEvents("MevShield", CRATE)
_INDEX = ("index", U32, "u32")
_WHO = ("who", AccountId32, "T::AccountId")
EncryptedSubmitted = events.event(0, "EncryptedSubmitted", [("id", H256, "T::Hash"), _WHO],
                                  ["Encrypted wrapper accepted."])
ExtrinsicStored = events.event(1, "ExtrinsicStored", [_INDEX, _WHO],
                               ["Encrypted extrinsic was stored for later execution."])
ExtrinsicDecodeFailed = events.event(2, "ExtrinsicDecodeFailed", [_INDEX],
                                     ["Extrinsic decode failed during on_initialize."])
ExtrinsicDispatchFailed = events.event(3, "ExtrinsicDispatchFailed", [
    _INDEX, ("error", DispatchErrorCodec, "DispatchError")], ["Extrinsic dispatch failed during on_initialize."])
ExtrinsicDispatched = events.event(4, "ExtrinsicDispatched", [_INDEX],
                                   ["Extrinsic was successfully dispatched during on_initialize."])
ExtrinsicExpired = events.event(5, "ExtrinsicExpired", [_INDEX],
                                ["Extrinsic expired (exceeded max block lifetime)."])
ExtrinsicPostponed = events.event(6, "ExtrinsicPostponed", [_INDEX], ["Extrinsic postponed due to weight limit."])
MaxPendingExtrinsicsNumberSet = events.event(7, "MaxPendingExtrinsicsNumberSet", [("value", U32, "u32")],
                                             ["Maximum pending extrinsics limit was updated."])
OnInitializeWeightSet = events.event(8, "OnInitializeWeightSet", [("value", U64, "u64")],
                                     ["Maximum on_initialize weight was updated."])
ExtrinsicLifetimeSet = events.event(9, "ExtrinsicLifetimeSet", [("value", U32, "u32")],
                                    ["Extrinsic lifetime was updated."])
MaxExtrinsicWeightSet = events.event(10, "MaxExtrinsicWeightSet", [("value", U64, "u64")],
                                     ["Maximum per-extrinsic weight was updated."])
ExtrinsicWeightExceeded = events.event(11, "ExtrinsicWeightExceeded", [_INDEX],
                                       ["Extrinsic exceeded the per-extrinsic weight limit and was removed."])

_ERRORS = [
    ("BadEncKeyLen", "The announced ML\u2011KEM encapsulation key length is invalid."),
    ("Unreachable", "Unreachable."),
    ("TooManyPendingExtrinsics", "Too many pending extrinsics in storage."),
    ("WeightExceedsAbsoluteMax", "Weight exceeds the absolute maximum (half of total block weight)."),
]
errors = PalletErrors("MevShield", CRATE, [name for name, _ in _ERRORS])
errors.docs = [(doc,) for _, doc in _ERRORS]  # the recording's error docs carry no leading space

# -- helpers ------------------------------------------------------------------------------------------


def _reads_writes(reads: int, writes: int) -> Weight:
    return Weight(reads * DB_READ + writes * DB_WRITE, 0)


def _slot(ext: Any) -> int | None:
    return aura.slot_from_digest(system_storage.DigestItems.get(ext))


def current_author(ext: Any) -> bytes | None:
    """The Aura authority of this block's slot (None without a slot digest or authorities)."""
    return aura.author(ext)


def next_next_author(ext: Any) -> bytes | None:
    """The Aura authority two slots after this block's (whose key users should encrypt to)."""
    slot, keys = _slot(ext), aura.authorities(ext)
    if slot is None or not keys:
        return None
    return keys[(slot + 2) % len(keys)]


FAILED_SHIELDED_TX_PARSING = 23
"""``CustomTransactionError::FailedShieldedTxParsing``, the pool's answer to an unparsable ciphertext."""


def validate_submit_encrypted(ciphertext: bytes) -> tuple[str, int] | None:
    """``CheckShieldedTxValidity``'s verdict on a signed ``submit_encrypted``: None when the ciphertext
    parses, else the ``InvalidTransaction`` (``("Custom", 23)``). Which key it is encrypted to is
    for the block author to judge (:func:`~runtime.pallets.mev_shield.shielded.is_shielded_using_current_key`)."""
    if ShieldedTransaction.parse(ciphertext) is None:
        return ("Custom", FAILED_SHIELDED_TX_PARSING)
    return None


def is_inherent(call: Any) -> bool:
    """Whether a ``MevShield`` call value is the key-announcement inherent."""
    name = call[0] if isinstance(call, tuple) else call
    return name == "announce_next_key"


def create_inherent(enc_key: bytes | None) -> tuple[str, tuple[str, dict[str, Any]]]:
    """The ``announce_next_key`` runtime call carrying the author's next encapsulation key."""
    return ("MevShield", ("announce_next_key", {"enc_key": None if enc_key is None else bytes(enc_key)}))


def _remove_pending(ctx: Context, index: int) -> None:
    if PendingExtrinsics.exists(ctx, index):
        PendingExtrinsics.kill(ctx, index)
        CounterForPendingExtrinsics.put(ctx, max(CounterForPendingExtrinsics.get(ctx) - 1, 0))


# -- calls --------------------------------------------------------------------------------------------

calls = PalletCalls(CRATE)

ANNOUNCE_NEXT_KEY_WEIGHT = Weight(33_661_000, 5_555) + _reads_writes(4, 6)
SUBMIT_ENCRYPTED_WEIGHT = Weight(207_223_000, 0)
STORE_ENCRYPTED_WEIGHT = Weight(20_000_000_000, 0)


@calls.call(0, weight=ANNOUNCE_NEXT_KEY_WEIGHT, dispatch_class=DispatchClass.Mandatory)
def announce_next_key(ctx: Context, origin: Origin,
                      enc_key: Annotated[bytes | None, Option(ShieldEncKey), "Option<ShieldEncKey>"]) -> None:
    ensure_none(origin)
    author = current_author(ctx)
    if author is None:
        raise errors.Unreachable
    now = ctx.block_number

    # Every key moves one step closer to use; the user-facing one comes from the author two slots on.
    staged = PendingKey.take(ctx)
    (CurrentKey.put(ctx, staged) if staged is not None else CurrentKey.kill(ctx))
    upcoming = NextKey.take(ctx)
    (PendingKey.put(ctx, upcoming) if upcoming is not None else PendingKey.kill(ctx))
    ahead = next_next_author(ctx)
    ahead_key = AuthorKeys.get(ctx, ahead) if ahead is not None else None
    (NextKey.put(ctx, ahead_key) if ahead_key is not None else NextKey.kill(ctx))

    if enc_key is None:
        AuthorKeys.kill(ctx, author)
    else:
        if len(enc_key) != MLKEM768_ENC_KEY_LEN:
            raise errors.BadEncKeyLen
        AuthorKeys.put(ctx, author, bytes(enc_key))

    (PendingKeyExpiresAt.put(ctx, now + 2) if PendingKey.exists(ctx) else PendingKeyExpiresAt.kill(ctx))
    (NextKeyExpiresAt.put(ctx, now + 3) if NextKey.exists(ctx) else NextKeyExpiresAt.kill(ctx))


@calls.call(1, weight=SUBMIT_ENCRYPTED_WEIGHT)
def submit_encrypted(ctx: Context, origin: Origin,
                     ciphertext: Annotated[bytes, EncryptedCall, "BoundedVec<u8, ConstU32<8192>>"]) -> None:
    who = ensure_signed(origin)
    wrapper_id = blake2_256(who + Vec(U8).encode(bytes(ciphertext)))
    ctx.deposit_event(EncryptedSubmitted(id=wrapper_id, who=who))


@calls.call(2, weight=STORE_ENCRYPTED_WEIGHT)
def store_encrypted(ctx: Context, origin: Origin,
                    encrypted_call: Annotated[bytes, EncryptedCall, "BoundedVec<u8, MaxEncryptedCallSize>"]) -> None:
    who = ensure_signed(origin)
    if CounterForPendingExtrinsics.get(ctx) >= MaxPendingExtrinsicsLimit.get(ctx):
        raise errors.TooManyPendingExtrinsics
    index = NextPendingExtrinsicIndex.get(ctx)
    PendingExtrinsics.put(ctx, index, {"who": who, "encrypted_call": bytes(encrypted_call),
                                       "submitted_at": ctx.block_number})
    CounterForPendingExtrinsics.put(ctx, CounterForPendingExtrinsics.get(ctx) + 1)
    NextPendingExtrinsicIndex.put(ctx, min(index + 1, _U32_MAX))
    ctx.deposit_event(ExtrinsicStored(index=index, who=who))


@calls.call(3, weight=Weight(4_206_000, 0) + _reads_writes(0, 1))
def set_max_pending_extrinsics_number(ctx: Context, origin: Origin, value: Annotated[int, U32, "u32"]) -> None:
    ensure_root(origin)
    MaxPendingExtrinsicsLimit.put(ctx, value)
    ctx.deposit_event(MaxPendingExtrinsicsNumberSet(value=value))


@calls.call(4, weight=Weight(4_327_000, 0) + _reads_writes(0, 1))
def set_on_initialize_weight(ctx: Context, origin: Origin, value: Annotated[int, U64, "u64"]) -> None:
    ensure_root(origin)
    if value > MAX_ON_INITIALIZE_WEIGHT:
        raise errors.WeightExceedsAbsoluteMax
    OnInitializeWeight.put(ctx, value)
    ctx.deposit_event(OnInitializeWeightSet(value=value))


@calls.call(5, weight=Weight(4_116_000, 0) + _reads_writes(0, 1))
def set_stored_extrinsic_lifetime(ctx: Context, origin: Origin, value: Annotated[int, U32, "u32"]) -> None:
    ensure_root(origin)
    ExtrinsicLifetime.put(ctx, value)
    ctx.deposit_event(ExtrinsicLifetimeSet(value=value))


@calls.call(6, weight=Weight(4_227_000, 0) + _reads_writes(0, 1))
def set_max_extrinsic_weight(ctx: Context, origin: Origin, value: Annotated[int, U64, "u64"]) -> None:
    ensure_root(origin)
    if value > MAX_ON_INITIALIZE_WEIGHT:
        raise errors.WeightExceedsAbsoluteMax
    MaxExtrinsicWeight.put(ctx, value)
    ctx.deposit_event(MaxExtrinsicWeightSet(value=value))


# The recording's call docs are written without the leading space FRAME keeps for `///` comments.
_CALL_DOCS = {
    "announce_next_key": [
        "Rotate the key chain and announce the current author's ML-KEM encapsulation key.", "",
        "Called as an inherent every block. `enc_key` is `None` on node failure,",
        "which removes the author from future shielded tx eligibility.", "",
        "Key rotation order (using pre-update AuthorKeys):",
        "  1. CurrentKey  \u2190 PendingKey",
        "  2. PendingKey  \u2190 NextKey",
        "  3. NextKey     \u2190 next-next author's key  (user-facing)",
        "  4. AuthorKeys[current] \u2190 announced key"],
    "submit_encrypted": [
        "Users submit an encrypted wrapper.", "",
        "Client\u2011side:", "",
        "  1. Read `NextKey` (ML\u2011KEM encapsulation key bytes) from storage.",
        "  2. Sign your extrinsic so that it can be executed when added to the pool,",
        "       i.e. you may need to increment the nonce if you submit using the same account.",
        "  3. Encrypt:", "",
        "       plaintext = signed_extrinsic",
        "       key_hash = xxhash128(NextKey)",
        "       kem_len = Length of kem_ct in bytes (u16)",
        "       kem_ct = Ciphertext from ML\u2011KEM\u2011768",
        "       nonce = Random 24 bytes used for XChaCha20\u2011Poly1305",
        "       aead_ct = Ciphertext from XChaCha20\u2011Poly1305", "",
        "     with ML\u2011KEM\u2011768 + XChaCha20\u2011Poly1305, producing", "",
        "       ciphertext = key_hash || kem_len || kem_ct || nonce || aead_ct", ""],
    "store_encrypted": ["Store an encrypted extrinsic for later execution in on_initialize."],
    "set_max_pending_extrinsics_number": ["Set the maximum number of pending extrinsics allowed in the queue."],
    "set_on_initialize_weight": [
        "Set the maximum weight allowed for on_initialize processing.",
        "Rejects values exceeding the absolute limit (half of total block weight)."],
    "set_stored_extrinsic_lifetime": ["Set the extrinsic lifetime (max blocks between submission and execution)."],
    "set_max_extrinsic_weight": [
        "Set the maximum weight allowed for a single extrinsic during on_initialize processing.",
        "Extrinsics exceeding this limit are removed from the queue.",
        "Rejects values exceeding the absolute limit."],
}
for _name, _lines in _CALL_DOCS.items():
    _def = dataclasses.replace(calls.by_name[_name], docs=tuple(_lines))
    calls.by_name[_name] = calls.by_index[_def.index] = _def

# -- hooks --------------------------------------------------------------------------------------------


def on_initialize(ctx: Context, _number: int) -> Weight:
    """Walk the stored-extrinsic queue: expire entries past ``ExtrinsicLifetime``; drop the others as
    undecryptable (the runtime's ``ExtrinsicDecryptor`` is ``()``, as on node-subtensor)."""
    weight = _reads_writes(2, 0)
    count = CounterForPendingExtrinsics.get(ctx)
    if count == 0:
        return weight
    end = NextPendingExtrinsicIndex.get(ctx)
    now = ctx.block_number
    lifetime = ExtrinsicLifetime.get(ctx)
    for index in range(max(end - count, 0), end):
        pending = PendingExtrinsics.get(ctx, index)
        if pending is None:
            weight += _reads_writes(1, 0)
            continue
        _remove_pending(ctx, index)
        weight += _reads_writes(1, 2)
        if max(now - pending["submitted_at"], 0) > lifetime:
            ctx.deposit_event(ExtrinsicExpired(index=index))
        else:
            ctx.deposit_event(ExtrinsicDecodeFailed(index=index))
    return weight


PALLET = Pallet("MevShield", storage=storage, calls=calls, events=events, errors=errors,
                on_initialize=on_initialize)
