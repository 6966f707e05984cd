"""The event log: ``System.Events`` records with phases and topics.

Records are appended as raw bytes (Substrate's storage ``append``), so depositing an event costs the
same however many events the block already has. As in FRAME, nothing is recorded at genesis (block 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from runtime.pallets.system import storage
from runtime.pallets.system.types import Phase
from runtime.primitives.types import H256
from runtime.scale import Vec, decode_compact, encode_compact
from runtime.support.externalities import Externalities

_TOPICS = Vec(H256)
DEFAULT_PHASE = "Initialization"


def set_phase(ext: Externalities, phase: Any) -> None:
    storage.ExecutionPhase.put(ext, phase)


def _append_raw(ext: Externalities, key: bytes, item: bytes) -> None:
    raw = ext.get(key)
    if raw is None:
        ext.set(key, b"\x04" + item)
        return
    count, pos = decode_compact(raw, 0)
    out = bytearray()
    encode_compact(count + 1, out)
    out += raw[pos:]
    out += item
    ext.set(key, bytes(out))


def deposit_event_bytes(ext: Externalities, event: bytes, topics: Sequence[bytes] = ()) -> None:
    """Append an encoded ``RuntimeEvent`` to the block's event log."""
    number = storage.Number.get(ext)
    if number == 0:
        return  # FRAME records no events at genesis
    phase = storage.ExecutionPhase.get(ext) or DEFAULT_PHASE
    index = storage.EventCount.get(ext)
    storage.EventCount.put(ext, index + 1)
    _append_raw(ext, storage.Events.key(), Phase.encode(phase) + event + _TOPICS.encode(list(topics)))
    for topic in topics:
        storage.EventTopics.append(ext, topic, (number, index))


def reset_events(ext: Externalities) -> None:
    """Clear the event log at the start of a block."""
    storage.Events.kill(ext)
    storage.EventCount.kill(ext)
    storage.EventTopics.clear_all(ext)
