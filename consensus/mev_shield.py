"""The block author's side of the MEV shield: ML-KEM keys, the key inherent, and unshielding.

node-subtensor splits this between ``stc-shield`` (an in-memory keystore, the ``shieldpk`` inherent
data provider, key rotation on own-block import) and its proposer, which asks the runtime's
``ShieldApi`` about every pool transaction. Here one :class:`ShieldAuthor` does both for
:meth:`consensus.chain.Chain.build_block`:

1. :meth:`ShieldAuthor.start`, on the parent's state, notes ``PendingKey`` (the key of the author of
   the block being built: users encrypted to it when it was ``NextKey``, one block earlier);
2. :meth:`ShieldSession.inherents` gives the ``announce_next_key`` extrinsic with the author's next
   encapsulation key (applied right after the timestamp inherent, as pallet order has it);
3. :meth:`ShieldSession.screen` sorts pool transactions: a ``submit_encrypted`` wrapper encrypted to
   another key is left in the pool for its author (``None``); one encrypted to ``PendingKey`` is
   included, followed by the inner extrinsic it reveals (none if decryption or decoding fails, as on
   the reference, where the wrapper still lands); everything else passes through.

Keys: like ``MemoryShieldKeystore`` the store hands out a fresh pair per authored block, and like the
reference's ``DevShieldKeystore`` it keeps one fixed pair where rotation would outrun the on-chain
pipeline. The reference decides that by sealing mode (manual seal = fixed); we decide it by the Aura
set: a rotating key works only if an author's turns are at least three slots apart, so with fewer
than three authorities the pair stays fixed. Unlike the reference, which keeps only the current pair,
we keep the last :data:`RETAINED_KEYS` decapsulation keys by key hash, so a wrapper is opened whenever
``PendingKey`` names a key we generated, whatever the cadence.

Nothing here touches block import: blocks carry the inherent, the wrapper and the inner extrinsic in
the clear, so every node executes them without any secret.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.mlkem import MLKEM768PrivateKey

from runtime.construct import Runtime
from runtime.pallets import aura as aura_pallet
from runtime.pallets import mev_shield
from runtime.primitives.extrinsic import UncheckedExtrinsic, encode_extrinsic
from runtime.primitives.hashing import twox128

log = logging.getLogger("consensus.mev_shield")

RETAINED_KEYS = 16
"""Decapsulation keys kept after rotation: a key is needed about two of its author's turns later."""
MIN_AUTHORITIES_TO_ROTATE = 3


@dataclass(frozen=True, slots=True)
class ShieldKeyPair:
    """An ML-KEM-768 pair: the 64-byte seed (decapsulation key) and the 1184-byte encapsulation key."""

    dec_key: bytes
    enc_key: bytes

    @property
    def key_hash(self) -> bytes:
        return twox128(self.enc_key)


def generate_pair() -> ShieldKeyPair:
    """A fresh pair from the OS's randomness."""
    secret = MLKEM768PrivateKey.generate()
    return ShieldKeyPair(secret.private_bytes_raw(), secret.public_key().public_bytes_raw())


class ShieldKeystore:
    """One author's ML-KEM pairs: the next one to announce and recent ones by key hash (thread-safe)."""

    def __init__(self, generate: Callable[[], ShieldKeyPair] = generate_pair, keep: int = RETAINED_KEYS) -> None:
        self._generate = generate
        self._keep = keep
        self._lock = threading.Lock()
        self._retained: OrderedDict[bytes, bytes] = OrderedDict()
        self._next = self._remember(generate())

    def _remember(self, pair: ShieldKeyPair) -> ShieldKeyPair:
        self._retained[pair.key_hash] = pair.dec_key
        while len(self._retained) > self._keep:
            self._retained.popitem(last=False)
        return pair

    def next_enc_key(self) -> bytes:
        """The encapsulation key the next authored block announces."""
        with self._lock:
            return self._next.enc_key

    def roll_for_next_slot(self) -> None:
        """Move on to a fresh pair; the old decapsulation key stays retrievable for a while."""
        with self._lock:
            self._next = self._remember(self._generate())

    def dec_key_for(self, key_hash: bytes) -> bytes | None:
        """The decapsulation key of the retained pair whose ``twox128(enc_key)`` is ``key_hash``."""
        with self._lock:
            return self._retained.get(bytes(key_hash))


class ShieldSession:
    """The shield's part in building one block (see the module docs)."""

    def __init__(self, runtime: Runtime, inherent: bytes, pending_key_hash: bytes | None,
                 dec_key: bytes | None) -> None:
        self.runtime = runtime
        self._inherent = inherent
        self.pending_key_hash = pending_key_hash
        self._dec_key = dec_key

    def inherents(self) -> list[bytes]:
        """The ``announce_next_key`` inherent, as a bare extrinsic."""
        return [self._inherent]

    def screen(self, encoded: bytes) -> list[bytes] | None:
        """None to leave a pool transaction out of this block; otherwise the extrinsics to apply right
        after it (the revealed inner extrinsic of a wrapper encrypted to ``PendingKey``)."""
        shielded = mev_shield.try_decode_shielded_tx(self.runtime, encoded)
        if shielded is None:
            return []
        if self.pending_key_hash is None or shielded.key_hash != self.pending_key_hash:
            return None  # another author's (or a stale) key: not ours to include
        inner = None
        if self._dec_key is not None:
            inner = mev_shield.try_unshield_tx(self.runtime, self._dec_key, shielded)
        if inner is None:
            log.debug("🛡️ Could not unshield a transaction encrypted to our key; including the wrapper only")
            return []
        return [inner]


class ShieldAuthor:
    """Hands :meth:`~consensus.chain.Chain.build_block` a :class:`ShieldSession` per block."""

    def __init__(self, runtime: Runtime, keystore: ShieldKeystore | None = None) -> None:
        self.runtime = runtime
        self.keystore = keystore or ShieldKeystore()

    def start(self, parent_state: object) -> ShieldSession:
        """Begin a block on ``parent_state`` (read before the block's own changes)."""
        pending = mev_shield.PendingKey.get(parent_state)
        pending_hash = twox128(bytes(pending)) if pending is not None else None
        dec_key = self.keystore.dec_key_for(pending_hash) if pending_hash is not None else None
        enc_key = self.keystore.next_enc_key()
        if len(aura_pallet.authorities(parent_state)) >= MIN_AUTHORITIES_TO_ROTATE:
            self.keystore.roll_for_next_slot()
        inherent = encode_extrinsic(UncheckedExtrinsic(
            self.runtime.encode_call(mev_shield.create_inherent(enc_key)), version=5))
        return ShieldSession(self.runtime, inherent, pending_hash, dec_key)
