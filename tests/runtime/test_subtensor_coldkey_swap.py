"""SubtensorModule coldkey swaps over the mock runtime of ``test_subtensor_subnets``.

Alice owns a subnet (owner hotkey HK_A) and stakes to it; a swap to a fresh coldkey must move the subnet
ownership, hotkey ownership, alpha positions, staking-hotkey list, identity, auto-stake destination,
account flags and the free balance, record the lineage, and emit ``ColdkeySwapped`` — whether root does
it at once (``swap_coldkey``) or Alice announces and then executes it. Every refusal expects the
reference's error (``swap/swap_coldkey.rs`` and ``macros/dispatches.rs``).
"""

from __future__ import annotations

from runtime.pallets import balances, subtensor
from runtime.pallets.subtensor import staking
from runtime.pallets.subtensor.events import (
    ColdkeySwapAnnounced, ColdkeySwapCleared, ColdkeySwapDisputed, ColdkeySwapped, ColdkeySwapReset,
)
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.swap_coldkey import coldkey_hash
from runtime.primitives.hashing import blake2_256
from runtime.support.dispatch import Origin
from tests.runtime.test_subtensor_staking import err, issuance, staking_env, sub_events
from tests.runtime.test_subtensor_subnets import ALICE, BOB, HK_A, HK_B, POOR, TAO, Env

NEW = bytes([0x30]) * 32
KEY_SWAP_COST = 100_000_000  # KeySwapCost
ANNOUNCEMENT_DELAY, REANNOUNCEMENT_DELAY = 50, 10  # the storage defaults
IDENTITY = {"name": b"alice", "url": b"", "github_repo": b"", "image": b"", "discord": b"", "description": b"",
            "additional": b""}


def swap_env() -> tuple[Env, int, int]:
    """Alice's subnet with Alice's own stake on HK_A, an identity, an auto-stake target and account flags."""
    env, n = staking_env()
    env.call(ALICE, "add_stake", hotkey=HK_A, netuid=n, amount_staked=10 * TAO)
    ext = env.ext
    st.IdentitiesV2.put(ext, ALICE, IDENTITY)
    st.AutoStakeDestination.put(ext, ALICE, n, HK_A)
    st.AutoStakeDestinationColdkeys.put(ext, HK_A, n, [BOB, ALICE])
    st.AccountFlags.put(ext, ALICE, 1)
    st.TotalIssuance.put(ext, balances.total_issuance(ext))  # the mock genesis leaves it at 0
    env.clear_events()
    return env, n, staking.stake_of(ext, HK_A, ALICE, n)


def assert_swapped(env: Env, n: int, alpha: int) -> None:
    ext = env.ext
    assert st.SubnetOwner.get(ext, n) == NEW
    assert st.Owner.get(ext, HK_A) == NEW
    assert st.OwnedHotkeys.get(ext, NEW) == [HK_A] and not st.OwnedHotkeys.exists(ext, ALICE)
    assert st.StakingHotkeys.get(ext, NEW) == [HK_A] and not st.StakingHotkeys.exists(ext, ALICE)
    assert staking.stake_of(ext, HK_A, NEW, n) == alpha and staking.stake_of(ext, HK_A, ALICE, n) == 0
    assert st.IdentitiesV2.get(ext, NEW) == IDENTITY and not st.IdentitiesV2.exists(ext, ALICE)
    assert st.AutoStakeDestination.get(ext, NEW, n) == HK_A and not st.AutoStakeDestination.exists(ext, ALICE, n)
    assert st.AutoStakeDestinationColdkeys.get(ext, HK_A, n) == [BOB, NEW]
    assert st.AccountFlags.get(ext, NEW) == 1 and not st.AccountFlags.exists(ext, ALICE)
    assert st.ColdkeySuccessor.get(ext, ALICE) == NEW and st.ColdkeyRoot.get(ext, NEW) == ALICE
    assert env.free(ALICE) == 0  # everything moved (the old account is reaped)
    assert ColdkeySwapped(ALICE, NEW)[1] in sub_events(env)


# -- declarations -----------------------------------------------------------------------------------------


def test_declarations() -> None:
    by_name = subtensor.PALLET.calls.by_name  # type: ignore[union-attr]
    expected = {"swap_coldkey": (71, ["old_coldkey", "new_coldkey", "swap_cost"]),
                "schedule_swap_coldkey": (73, ["new_coldkey"]),
                "announce_coldkey_swap": (125, ["new_coldkey_hash"]),
                "swap_coldkey_announced": (126, ["new_coldkey"]),
                "dispute_coldkey_swap": (127, []), "reset_coldkey_swap": (128, ["coldkey"]),
                "clear_coldkey_swap_announcement": (133, [])}
    for name, (index, args) in expected.items():
        assert (by_name[name].index, [a.name for a in by_name[name].args]) == (index, args)


def test_coldkey_hash_is_blake2_256_of_the_account() -> None:
    assert coldkey_hash(NEW) == blake2_256(NEW) and len(coldkey_hash(NEW)) == 32


# -- root swap --------------------------------------------------------------------------------------------


def test_root_swap_moves_everything_and_recycles_the_cost() -> None:
    env, n, alpha = swap_env()
    alice_free = env.free(ALICE)
    bal_issuance, sub_issuance = issuance(env)
    st.ColdkeySwapAnnouncements.put(env.ext, ALICE, (5, coldkey_hash(HK_B)))
    st.ColdkeySwapDisputes.put(env.ext, ALICE, 6)

    env.call(Origin.root(), "swap_coldkey", old_coldkey=ALICE, new_coldkey=NEW, swap_cost=3 * TAO)

    assert_swapped(env, n, alpha)
    assert env.free(NEW) == alice_free - 3 * TAO
    assert issuance(env) == (bal_issuance - 3 * TAO, sub_issuance - 3 * TAO)
    assert not st.ColdkeySwapAnnouncements.exists(env.ext, ALICE)
    assert not st.ColdkeySwapDisputes.exists(env.ext, ALICE)


def test_root_swap_errors() -> None:
    env, n, _ = swap_env()
    assert env.error(ALICE, "swap_coldkey", old_coldkey=ALICE, new_coldkey=NEW, swap_cost=0) == "BadOrigin"
    # the new coldkey already stakes
    env.call(BOB, "add_stake", hotkey=HK_A, netuid=n, amount_staked=TAO)
    assert env.error(Origin.root(), "swap_coldkey", old_coldkey=ALICE, new_coldkey=BOB, swap_cost=0) == err(
        "ColdKeyAlreadyAssociated")
    # the new coldkey is a hotkey
    assert env.error(Origin.root(), "swap_coldkey", old_coldkey=ALICE, new_coldkey=HK_A, swap_cost=0) == err(
        "NewColdKeyIsHotkey")
    # the cost cannot be paid without reaping the account
    assert env.error(Origin.root(), "swap_coldkey", old_coldkey=POOR, new_coldkey=NEW,
                     swap_cost=10 * TAO) == err("NotEnoughBalanceToPaySwapColdKey")


def test_schedule_swap_coldkey_is_deprecated() -> None:
    env, _, _ = swap_env()
    assert env.error(ALICE, "schedule_swap_coldkey", new_coldkey=NEW) == err("Deprecated")


# -- announcements ----------------------------------------------------------------------------------------


def test_announce_then_swap_after_the_delay() -> None:
    env, n, alpha = swap_env()
    block = env.ctx.block_number
    alice_free, (bal_issuance, sub_issuance) = env.free(ALICE), issuance(env)

    env.call(ALICE, "announce_coldkey_swap", new_coldkey_hash=coldkey_hash(NEW))
    assert st.ColdkeySwapAnnouncements.get(env.ext, ALICE) == (block + ANNOUNCEMENT_DELAY, coldkey_hash(NEW))
    assert env.free(ALICE) == alice_free - KEY_SWAP_COST
    assert issuance(env) == (bal_issuance - KEY_SWAP_COST, sub_issuance - KEY_SWAP_COST)
    assert sub_events(env) == [ColdkeySwapAnnounced(ALICE, coldkey_hash(NEW))[1]]

    env.set_block(block + ANNOUNCEMENT_DELAY - 1)
    assert env.error(ALICE, "swap_coldkey_announced", new_coldkey=NEW) == err("ColdkeySwapTooEarly")
    env.set_block(block + ANNOUNCEMENT_DELAY)
    env.call(ALICE, "swap_coldkey_announced", new_coldkey=NEW)
    assert_swapped(env, n, alpha)
    assert env.free(NEW) == alice_free - KEY_SWAP_COST
    assert not st.ColdkeySwapAnnouncements.exists(env.ext, ALICE)


def test_swap_coldkey_announced_errors() -> None:
    env, _, _ = swap_env()
    assert env.error(ALICE, "swap_coldkey_announced", new_coldkey=NEW) == err("ColdkeySwapAnnouncementNotFound")
    env.call(ALICE, "announce_coldkey_swap", new_coldkey_hash=coldkey_hash(NEW))
    env.set_block(env.ctx.block_number + ANNOUNCEMENT_DELAY)
    assert env.error(ALICE, "swap_coldkey_announced", new_coldkey=HK_B) == err("AnnouncedColdkeyHashDoesNotMatch")


def test_reannouncement_waits_and_is_free() -> None:
    env, _, _ = swap_env()
    block = env.ctx.block_number
    env.call(ALICE, "announce_coldkey_swap", new_coldkey_hash=coldkey_hash(NEW))
    first_when = block + ANNOUNCEMENT_DELAY
    env.set_block(first_when + REANNOUNCEMENT_DELAY - 1)
    assert env.error(ALICE, "announce_coldkey_swap", new_coldkey_hash=coldkey_hash(HK_B)) == err(
        "ColdkeySwapReannouncedTooEarly")
    env.set_block(first_when + REANNOUNCEMENT_DELAY)
    free = env.free(ALICE)
    env.call(ALICE, "announce_coldkey_swap", new_coldkey_hash=coldkey_hash(HK_B))
    assert env.free(ALICE) == free  # only the first announcement pays
    assert st.ColdkeySwapAnnouncements.get(env.ext, ALICE) == (
        first_when + REANNOUNCEMENT_DELAY + ANNOUNCEMENT_DELAY, coldkey_hash(HK_B))


def test_announce_needs_the_swap_cost() -> None:
    env = Env(block=10, endowed=[(ALICE, KEY_SWAP_COST)])  # paying would reap the account
    assert env.error(ALICE, "announce_coldkey_swap", new_coldkey_hash=coldkey_hash(NEW)) == err(
        "NotEnoughBalanceToPaySwapColdKey")


def test_dispute_reset_and_clear() -> None:
    env, _, _ = swap_env()
    assert env.error(ALICE, "dispute_coldkey_swap") == err("ColdkeySwapAnnouncementNotFound")
    assert env.error(ALICE, "clear_coldkey_swap_announcement") == err("ColdkeySwapAnnouncementNotFound")
    block = env.ctx.block_number
    env.call(ALICE, "announce_coldkey_swap", new_coldkey_hash=coldkey_hash(NEW))

    env.call(ALICE, "dispute_coldkey_swap")
    assert st.ColdkeySwapDisputes.get(env.ext, ALICE) == block
    assert sub_events(env)[-1] == ColdkeySwapDisputed(ALICE)[1]
    assert env.error(ALICE, "dispute_coldkey_swap") == err("ColdkeySwapAlreadyDisputed")

    assert env.error(ALICE, "reset_coldkey_swap", coldkey=ALICE) == "BadOrigin"
    env.call(Origin.root(), "reset_coldkey_swap", coldkey=ALICE)
    assert not st.ColdkeySwapAnnouncements.exists(env.ext, ALICE)
    assert not st.ColdkeySwapDisputes.exists(env.ext, ALICE)
    assert sub_events(env)[-1] == ColdkeySwapReset(ALICE)[1]

    env.set_block(block + 1)
    env.call(ALICE, "announce_coldkey_swap", new_coldkey_hash=coldkey_hash(NEW))
    when = block + 1 + ANNOUNCEMENT_DELAY
    env.set_block(when + REANNOUNCEMENT_DELAY - 1)
    assert env.error(ALICE, "clear_coldkey_swap_announcement") == err("ColdkeySwapClearTooEarly")
    env.set_block(when + REANNOUNCEMENT_DELAY)
    env.call(ALICE, "clear_coldkey_swap_announcement")
    assert not st.ColdkeySwapAnnouncements.exists(env.ext, ALICE)
    assert sub_events(env) == [ColdkeySwapCleared(ALICE)[1]]
