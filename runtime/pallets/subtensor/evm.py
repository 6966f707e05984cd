"""SubtensorModule EVM-key association (``utils/evm.rs`` of node-subtensor, re-stated here).

A registered hotkey proves control of an Ethereum-style key: the EVM key signs, EIP-191 style
(``keccak256("\\x19Ethereum Signed Message:\\n" ++ len ++ message)``), the message
``hotkey ++ keccak256(SCALE(block_number))``. The runtime recovers the secp256k1 public key from the
65-byte signature (``v`` may be 0/1 or 27/28), derives its address (the last 20 bytes of the keccak
hash of the uncompressed point) and, when it matches ``evm_key``, records
``AssociatedEvmAddress[netuid][uid] = (evm_key, now)`` plus the reverse index
``AssociatedUidsByEvmAddress[netuid][evm_key]`` (at most 32 uids per address).

One association per uid per ``EvmKeyAssociateRateLimit`` blocks (1 on the fast-runtime localnet;
checked by the CheckEvmKeyAssociation guard as well as here).
"""

from __future__ import annotations

from coincurve import PublicKey
from Crypto.Hash import keccak

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import EvmKeyAssociated
from runtime.scale import U64
from runtime.support.context import Context
from runtime.support.dispatch import Origin, ensure_signed
from runtime.support.externalities import Externalities

EVM_KEY_ASSOCIATE_RATE_LIMIT = 1
"""``EVM_KEY_ASSOCIATE_RATELIMIT`` of a fast-runtime build (7200 on mainnet)."""
MAX_ASSOCIATED_UIDS_PER_EVM_ADDRESS = 32
_EIP191_PREFIX = b"\x19Ethereum Signed Message:\n"


def keccak_256(data: bytes) -> bytes:
    return keccak.new(digest_bits=256, data=data).digest()


def hash_message_eip191(message: bytes) -> bytes:
    return keccak_256(_EIP191_PREFIX + str(len(message)).encode() + message)


def association_message(hotkey: bytes, block_number: int) -> bytes:
    """``hotkey ++ keccak256(SCALE(block_number))``: what the EVM key signs (EIP-191 prefixed)."""
    return hotkey + keccak_256(U64.encode(block_number))


def recover_evm_address(signature: bytes, prehash: bytes) -> bytes | None:
    """The 20-byte address whose key produced ``signature`` over ``prehash``, or None if unrecoverable."""
    recovery_id = signature[64] - 27 if signature[64] >= 27 else signature[64]
    if recovery_id > 3:
        return None
    try:
        public = PublicKey.from_signature_and_message(signature[:64] + bytes([recovery_id]), prehash, hasher=None)
    except ValueError:
        return None
    return keccak_256(public.format(compressed=False)[1:])[12:]


def uid_of(ext: Externalities, netuid: int, hotkey: bytes) -> int:
    uid = st.Uids.try_get(ext, netuid, hotkey)
    if uid is None:
        raise errors.HotKeyNotRegisteredInSubNet
    return uid  # type: ignore[no-any-return]


def ensure_evm_key_associate_rate_limit(ext: Externalities, netuid: int, uid: int, now: int) -> None:
    association = st.AssociatedEvmAddress.try_get(ext, netuid, uid)
    last = 0 if association is None else association[1]
    if max(now - last, 0) < EVM_KEY_ASSOCIATE_RATE_LIMIT:
        raise errors.EvmKeyAssociateRateLimitExceeded


def _set_associated_evm_address(ext: Externalities, netuid: int, uid: int, evm_key: bytes, block: int) -> None:
    previous = st.AssociatedEvmAddress.try_get(ext, netuid, uid)
    if previous is not None and previous[0] != evm_key:
        remaining = [(u, b) for u, b in st.AssociatedUidsByEvmAddress.get(ext, netuid, previous[0]) if u != uid]
        if remaining:
            st.AssociatedUidsByEvmAddress.put(ext, netuid, previous[0], remaining)
        else:
            st.AssociatedUidsByEvmAddress.kill(ext, netuid, previous[0])
    bucket = st.AssociatedUidsByEvmAddress.get(ext, netuid, evm_key)
    if any(u == uid for u, _ in bucket):
        bucket = [(u, block if u == uid else b) for u, b in bucket]
    else:
        bucket = [*bucket, (uid, block)]
    st.AssociatedUidsByEvmAddress.put(ext, netuid, evm_key, bucket)
    st.AssociatedEvmAddress.put(ext, netuid, uid, (evm_key, block))


def do_associate_evm_key(ctx: Context, origin: Origin, netuid: int, evm_key: bytes, block_number: int,
                         signature: bytes) -> None:
    """Record that the signing hotkey's uid on ``netuid`` is controlled by ``evm_key``."""
    hotkey = ensure_signed(origin)
    if not st.Owner.exists(ctx, hotkey):
        raise errors.NonAssociatedColdKey
    now = ctx.block_number
    uid = uid_of(ctx, netuid, hotkey)
    ensure_evm_key_associate_rate_limit(ctx, netuid, uid, now)
    recovered = recover_evm_address(bytes(signature), hash_message_eip191(association_message(hotkey, block_number)))
    if recovered is None:
        raise errors.InvalidIdentity
    if recovered != evm_key:
        raise errors.InvalidRecoveredPublicKey
    bucket = st.AssociatedUidsByEvmAddress.get(ctx, netuid, evm_key)
    if not any(u == uid for u, _ in bucket) and len(bucket) >= MAX_ASSOCIATED_UIDS_PER_EVM_ADDRESS:
        raise errors.EvmKeyAssociationLimitExceeded
    _set_associated_evm_address(ctx, netuid, uid, evm_key, now)
    ctx.deposit_event(EvmKeyAssociated(netuid, hotkey, evm_key, now))


__all__ = [
    "EVM_KEY_ASSOCIATE_RATE_LIMIT", "association_message", "do_associate_evm_key",
    "ensure_evm_key_associate_rate_limit", "hash_message_eip191", "keccak_256", "recover_evm_address", "uid_of",
]
