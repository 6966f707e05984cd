"""Reputation arithmetic, bans and their expiry, slots and redial backoff."""

from __future__ import annotations

from network.peerset import (
    BANNED_THRESHOLD, GENESIS_MISMATCH, I32_MAX, I32_MIN, Backoff, Peerset, ReputationChange, decay,
)


def test_banned_threshold_is_71_percent_of_i32_min_with_rust_truncation() -> None:
    assert BANNED_THRESHOLD == 71 * -21474836 == -1524713356


def test_decay_moves_towards_zero_by_one_200th_per_second_and_at_least_one() -> None:
    assert decay(20000, 1) == 19900
    assert decay(-20000, 1) == -19900
    assert decay(150, 1) == 149 and decay(-1, 1) == 0 and decay(0, 5) == 0
    assert decay(20000, 2) == 19900 - 99


def test_fatal_report_bans_for_about_69_seconds() -> None:
    peers = Peerset()
    assert peers.report("p", GENESIS_MISMATCH, now=100.0)
    assert peers.reputation("p", 100.0) == I32_MIN
    assert peers.is_banned("p", 168.0)
    assert not peers.accept("p", inbound=True, now=168.0)
    assert not peers.is_banned("p", 169.0)  # Substrate: i32::MIN escapes the threshold in 69 s
    assert peers.accept("p", inbound=True, now=170.0)


def test_reports_saturate_at_i32_bounds() -> None:
    peers = Peerset()
    peers.report("p", ReputationChange(I32_MAX, "good"), 0)
    peers.report("p", ReputationChange(I32_MAX, "good"), 0)
    assert peers.reputation("p", 0) == I32_MAX
    assert not peers.report("p", ReputationChange(-(1 << 12), "meh"), 0)


def test_inbound_and_outbound_slots_are_limited_but_reserved_peers_always_fit() -> None:
    peers = Peerset(in_peers=1, out_peers=1, reserved=frozenset({"r"}))
    assert peers.accept("a", inbound=True, now=0)
    peers.on_connected("a", inbound=True)
    assert not peers.accept("b", inbound=True, now=0)
    assert peers.accept("b", inbound=False, now=0)
    peers.on_connected("b", inbound=False)
    assert not peers.accept("c", inbound=False, now=0)
    assert peers.accept("r", inbound=True, now=0)
    peers.on_connected("r", inbound=True)
    assert peers.slot_counts() == (1, 1)
    peers.on_disconnected("a", now=0)
    assert peers.accept("c", inbound=True, now=0)


def test_reserved_only_refuses_everyone_else() -> None:
    peers = Peerset(reserved=frozenset({"r"}), reserved_only=True)
    assert peers.accept("r", inbound=True, now=0)
    assert not peers.accept("x", inbound=True, now=0)


def test_redial_backoff_doubles_up_to_the_cap_and_resets_on_connect() -> None:
    peers = Peerset(backoff=Backoff(initial=1.0, maximum=8.0))
    assert peers.should_dial("b", 0.0)
    delays = []
    now = 0.0
    for _ in range(5):
        peers.on_dial_failure("b", now)
        nxt = now
        while not peers.should_dial("b", nxt):
            nxt += 0.5
        delays.append(nxt - now)
        now = nxt
    assert delays == [1.0, 2.0, 4.0, 8.0, 8.0]
    peers.on_connected("b", inbound=False)
    assert peers.should_dial("b", now)


def test_banned_peers_are_not_dialled() -> None:
    peers = Peerset()
    peers.report("b", GENESIS_MISMATCH, 0.0)
    assert not peers.should_dial("b", 10.0)
