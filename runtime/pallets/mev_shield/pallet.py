"""pallet_shield (index 30, ``MevShield``): the MEV shield, declared as node-subtensor has it, but inert.

On node-subtensor every block author announces (through the ``announce_next_key`` inherent) an ML-KEM-768
encapsulation key; the keys of the authors two slots ahead become ``NextKey``, and users who want their
transaction hidden from the mempool encrypt a signed extrinsic to that key and send it wrapped in
``submit_encrypted``. The author holding the matching decapsulation key unwraps it off-chain and
includes the inner extrinsic. A second path, ``store_encrypted``, queues an encrypted call in
``PendingExtrinsics`` for ``on_initialize`` to decrypt and dispatch in a later block.

This node has no shielded-transaction support: its block author holds no ML-KEM key and never creates
the inherent, so ``AuthorKeys`` stays empty and ``CurrentKey``/``PendingKey``/``NextKey`` (with their
expiry blocks) stay None. Bittensor's SDK reads ``NextKey`` before staking/registration and, seeing None,
sends the extrinsic unshielded. What is implemented, with the reference's semantics:

* all storage items, events, errors and calls with their exact metadata (indices, argument types, docs);
* ``announce_next_key``: only the None (inherent) origin may dispatch it (otherwise ``BadOrigin``); the
  pool never accepts it (:func:`validate_unsigned` answers ``InvalidTransaction::Call`` unless the source
  is the block itself). Dispatched, it rotates Pending→Current, Next→Pending, the key of the author two
  slots ahead (Aura's authority ring) into ``NextKey``, records or removes the current author's key
  (``BadEncKeyLen`` unless it has 1184 bytes) and refreshes the expiry blocks (now+2 / now+3). Without a
  slot in the digest there is no author and it fails with ``Unreachable``;
* ``submit_encrypted``: signed only; dispatch deposits ``EncryptedSubmitted`` with
  ``id = blake2_256(SCALE(who, ciphertext))``, as the reference does. Its rejection happens at pool
  validation in the ``CheckShieldedTxValidity`` extension: :func:`validate_submit_encrypted` gives that
  verdict (``BadProof`` when the ciphertext does not parse or is not encrypted to ``NextKey``; with no
  announced key, always ``BadProof``);
* ``store_encrypted``: signed only; queues the blob (``TooManyPendingExtrinsics`` at the configured limit)
  and deposits ``ExtrinsicStored``;
* the four root setters with their events and the ``WeightExceedsAbsoluteMax`` bound;
* ``on_initialize`` walks the queue: entries older than ``ExtrinsicLifetime`` expire
  (``ExtrinsicExpired``); the rest would be decrypted, but this node has no decryptor (the reference's
  default one fails too), so each is dropped with ``ExtrinsicDecodeFailed``.

Not implemented (needs keys this node does not have): ML-KEM decapsulation and XChaCha20-Poly1305
decryption of shielded or stored extrinsics, hence no ``ExtrinsicDispatched``/``ExtrinsicDispatchFailed``/
``ExtrinsicPostponed``/``ExtrinsicWeightExceeded`` events are ever produced, and the author-side
unshielding during block building. The ciphertext layout used by :func:`parse_shielded` is the one the
``submit_encrypted`` docs give (``key_hash(16) || kem_len(u16 LE) || kem_ct || nonce(24) || aead_ct``).
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from runtime.pallets import aura
from runtime.pallets.commitments.types import Bounded
from runtime.pallets.subtensor.types import BoundedVec
from runtime.pallets.system import storage as system_storage
from runtime.primitives.hashing import Hasher, blake2_256, twox128
from runtime.primitives.types import H256, AccountId32
from runtime.scale import U8, U32, U64, Bool, Composite, FieldInfo, Option, Vec
from runtime.support.context import Context
from runtime.support.dispatch import (
    DispatchErrorCodec, Origin, Weight, ensure_none, ensure_root, ensure_signed,
)
from runtime.support.pallet import Pallet, PalletCalls, PalletErrors, PalletEvents
from runtime.support.storage import PalletStorage

CRATE = "pallet_shield"
_DB_READ, _DB_WRITE = 25_000_000, 100_000_000

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
    return Weight(reads * _DB_READ + writes * _DB_WRITE, 0)


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


def parse_shielded(ciphertext: bytes) -> dict[str, bytes] | None:
    """Split a ``submit_encrypted`` payload into its parts, or None when it is too short."""
    if len(ciphertext) < 18:
        return None
    kem_len = int.from_bytes(ciphertext[16:18], "little")
    kem_end = 18 + kem_len
    if len(ciphertext) < kem_end + 24:
        return None
    return {"key_hash": ciphertext[:16], "kem_ct": ciphertext[18:kem_end],
            "nonce": ciphertext[kem_end:kem_end + 24], "aead_ct": ciphertext[kem_end + 24:]}


def validate_submit_encrypted(ext: Any, ciphertext: bytes) -> str | None:
    """``CheckShieldedTxValidity``'s verdict on a signed ``submit_encrypted``: None when valid, else the
    ``InvalidTransaction`` reason. Only payloads encrypted to the current ``NextKey`` pass; with no key
    announced (always, on this node) every one is ``BadProof``."""
    parsed = parse_shielded(ciphertext)
    if parsed is None:
        return "BadProof"
    key = NextKey.get(ext)
    if key is None or twox128(bytes(key)) != parsed["key_hash"]:
        return "BadProof"
    return None


def is_inherent(call: Any) -> bool:
    """Whether a ``MevShield`` call value is the key-announcement inherent."""
    name = call[0] if isinstance(call, tuple) else call
    return name == "announce_next_key"


def validate_unsigned(call: Any, source: str) -> str | None:
    """Pool validity of an unsigned ``MevShield`` call: the inherent only from the block itself
    (``source == "InBlock"``); anything else is ``InvalidTransaction::Call``."""
    if is_inherent(call) and source == "InBlock":
        return None
    return "Call"


def _remove_pending(ctx: Context, index: int) -> None:
    if PendingExtrinsics.exists(ctx, index):
        PendingExtrinsics.kill(ctx, index)
        CounterForPendingExtrinsics.put(ctx, max(CounterForPendingExtrinsics.get(ctx) - 1, 0))


# -- calls --------------------------------------------------------------------------------------------

calls = PalletCalls(CRATE)

ANNOUNCE_NEXT_KEY_WEIGHT = Weight(33_661_000, 5_555) + _reads_writes(4, 6)
SUBMIT_ENCRYPTED_WEIGHT = Weight(207_223_000, 0)
STORE_ENCRYPTED_WEIGHT = Weight(20_000_000_000, 0)


@calls.call(0, weight=ANNOUNCE_NEXT_KEY_WEIGHT)
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
    undecryptable (this node has no decryptor; see module docs)."""
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
