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
from runtime.scale import Vec
from runtime.support.externalities import Externalities
from runtime.support.storage import append_raw

_TOPICS = Vec(H256)
DEFAULT_PHASE = "Initialization"


def set_phase(ext: Externalities, phase: Any) -> None:
    storage.ExecutionPhase.put(ext, phase)


def deposit_event_bytes(ext: Externalities, event: bytes, topics: Sequence[bytes] = ()) -> None:
    """Append an encoded ``RuntimeEvent`` to the block's event log."""
    number = storage.Number.get(ext)
    if number == 0:
        return  # FRAME records no events at genesis
    phase = storage.ExecutionPhase.get(ext) or DEFAULT_PHASE
    index = storage.EventCount.get(ext)
    storage.EventCount.put(ext, index + 1)
    append_raw(ext, storage.Events.key(), Phase.encode(phase) + event + _TOPICS.encode(list(topics)))
    for topic in topics:
        storage.EventTopics.append(ext, topic, (number, index))


def reset_events(ext: Externalities) -> None:
    """Clear the event log at the start of a block."""
    storage.Events.kill(ext)
    storage.EventCount.kill(ext)
    storage.EventTopics.clear_all(ext)
