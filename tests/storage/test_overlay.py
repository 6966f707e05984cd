"""The state overlay against a naive model: reads, next_key, prefixes and nested transactions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.overlay import MemoryState, Overlay, TransactionError

KEYS = st.binary(min_size=0, max_size=3)
VALUES = st.binary(min_size=0, max_size=4)

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("set"), KEYS, VALUES),
        st.tuples(st.just("clear"), KEYS),
        st.tuples(st.just("clear_prefix"), st.binary(max_size=2), st.none() | st.integers(0, 3)),
        st.tuples(st.just("start")),
        st.tuples(st.just("commit")),
        st.tuples(st.just("rollback")),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(base=st.dictionaries(KEYS, VALUES, max_size=12), ops=OPS, probes=st.lists(KEYS, max_size=6))
def test_overlay_matches_naive_model(base: dict[bytes, bytes], ops: list[tuple], probes: list[bytes]) -> None:
    overlay = Overlay(MemoryState(base))
    model = dict(base)
    snapshots: list[dict[bytes, bytes]] = []
    for op in ops:
        if op[0] == "set":
            overlay.set(op[1], op[2])
            model[op[1]] = op[2]
        elif op[0] == "clear":
            overlay.clear(op[1])
            model.pop(op[1], None)
        elif op[0] == "clear_prefix":
            expected = sorted(k for k in model if k.startswith(op[1]))
            if op[2] is not None:
                expected = expected[: op[2]]
            assert overlay.clear_prefix(op[1], op[2]) == len(expected)
            for k in expected:
                del model[k]
        elif op[0] == "start":
            overlay.start_transaction()
            snapshots.append(dict(model))
        elif op[0] == "commit":
            if snapshots:
                overlay.commit_transaction()
                snapshots.pop()
            else:
                with pytest.raises(TransactionError):
                    overlay.commit_transaction()
        elif op[0] == "rollback":
            if snapshots:
                overlay.rollback_transaction()
                model = snapshots.pop()
            else:
                with pytest.raises(TransactionError):
                    overlay.rollback_transaction()
        for key in probes:
            assert overlay.get(key) == model.get(key)
            greater = sorted(k for k in model if k > key)
            assert overlay.next_key(key) == (greater[0] if greater else None)
    assert list(overlay.iterate()) == sorted(model.items())
    while snapshots:
        overlay.commit_transaction()
        snapshots.pop()
    changes = overlay.changes()
    applied = dict(base)
    for key, value in changes.items():
        if value is None:
            applied.pop(key, None)
        else:
            applied[key] = value
    assert applied == model
    assert list(changes) == sorted(changes)


def test_iterate_with_prefix_and_start() -> None:
    overlay = Overlay(MemoryState({b"a1": b"x", b"a3": b"y", b"b1": b"z"}))
    overlay.set(b"a2", b"new")
    overlay.clear(b"a3")
    assert list(overlay.iterate(b"a")) == [(b"a1", b"x"), (b"a2", b"new")]
    assert list(overlay.iterate(b"a", start=b"a2")) == [(b"a2", b"new")]
    assert list(overlay.iterate(b"c")) == []


def test_changes_refused_with_open_transaction() -> None:
    overlay = Overlay(MemoryState())
    overlay.start_transaction()
    overlay.set(b"k", b"v")
    with pytest.raises(TransactionError):
        overlay.changes()
    overlay.rollback_transaction()
    assert overlay.changes() == {}
