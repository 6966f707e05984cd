"""Hotkey / coldkey bookkeeping and the pallet's derived accounts.

* ``Owner[hotkey] = coldkey`` says a hotkey "exists"; the coldkey lists it in ``OwnedHotkeys`` and
  ``StakingHotkeys`` (the reference's ``create_account_if_non_existent``).
* Each subnet has an account derived from the pallet id ``subtensr``: ``"modl" ++ pallet_id ++
  u16_le(netuid)`` zero-padded to 32 bytes (``PalletId::into_sub_account_truncating``). Such accounts
  may never be used as hotkeys (``CannotUseSystemAccount``).
* ``Delegates[hotkey]`` holds a delegate's take; root validators become delegates at 18 %.
"""

from __future__ import annotations

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.errors import errors
from runtime.primitives.types import pallet_account
from runtime.support.externalities import Externalities

SUBTENSOR_PALLET_ID = b"subtensr"
_MODL = b"modl"
DEFAULT_DELEGATE_TAKE = 11_796
"""18 % of 65535: the take every root validator gets when it becomes a delegate."""


def subnet_account_id(netuid: int) -> bytes:
    """The subnet's pallet sub-account (whether or not the subnet exists)."""
    return pallet_account(SUBTENSOR_PALLET_ID, netuid.to_bytes(2, "little"))


def subnet_account_if_exists(ext: Externalities, netuid: int) -> bytes | None:
    """``get_subnet_account_id``: the account of an added subnet (root always has one), else None."""
    if netuid == 0 or st.NetworksAdded.exists(ext, netuid):
        return subnet_account_id(netuid)
    return None


def subnet_of_account(account: bytes) -> int | None:
    """``is_subnet_account_id``: the netuid whose sub-account ``account`` is, or None.

    Like ``PalletId::try_from_sub_account::<NetUid>``: the prefix must be ``modl`` + our pallet id and
    every byte after the two netuid bytes must be zero.
    """
    if account[:4] != _MODL or account[4:12] != SUBTENSOR_PALLET_ID:
        return None
    if any(account[14:]):
        return None
    return int.from_bytes(account[12:14], "little")


def hotkey_account_exists(ext: Externalities, hotkey: bytes) -> bool:
    return st.Owner.exists(ext, hotkey)


def coldkey_owns_hotkey(ext: Externalities, coldkey: bytes, hotkey: bytes) -> bool:
    return hotkey_account_exists(ext, hotkey) and st.Owner.get(ext, hotkey) == coldkey


def ensure_not_system_account(hotkey: bytes) -> None:
    if subnet_of_account(hotkey) is not None:
        raise errors.CannotUseSystemAccount


def create_account_if_non_existent(ext: Externalities, coldkey: bytes, hotkey: bytes) -> None:
    """Bind an unowned (non-system) hotkey to ``coldkey``; an owned hotkey is left as it is."""
    ensure_not_system_account(hotkey)
    if hotkey_account_exists(ext, hotkey):
        return
    st.Owner.put(ext, hotkey, coldkey)
    owned = st.OwnedHotkeys.get(ext, coldkey)
    if hotkey not in owned:
        st.OwnedHotkeys.put(ext, coldkey, [*owned, hotkey])
    staking = st.StakingHotkeys.get(ext, coldkey)
    if hotkey not in staking:
        st.StakingHotkeys.put(ext, coldkey, [*staking, hotkey])


def hotkey_is_delegate(ext: Externalities, hotkey: bytes) -> bool:
    return st.Delegates.exists(ext, hotkey)


def delegate_hotkey(ext: Externalities, hotkey: bytes, take: int) -> None:
    st.Delegates.put(ext, hotkey, take)


__all__ = [
    "DEFAULT_DELEGATE_TAKE", "SUBTENSOR_PALLET_ID", "coldkey_owns_hotkey", "create_account_if_non_existent",
    "delegate_hotkey", "ensure_not_system_account", "hotkey_account_exists", "hotkey_is_delegate",
    "subnet_account_id", "subnet_account_if_exists", "subnet_of_account",
]
