"""Account records and their reference counts (providers, consumers, sufficients) and nonces.

An account exists while it has a provider or sufficient reference; the first provider creates it
(``NewAccount``) and removing the last one reaps it (``KilledAccount``), as frame_system does.
"""

from __future__ import annotations

from dataclasses import replace

from runtime.pallets.system import storage
from runtime.pallets.system.types import AccountData, AccountInfo
from runtime.support.context import Context
from runtime.support.dispatch import DispatchError
from runtime.support.externalities import Externalities


def account(ext: Externalities, who: bytes) -> AccountInfo:
    return storage.Account.get(ext, who)  # type: ignore[no-any-return]


def put_account(ext: Externalities, who: bytes, info: AccountInfo) -> None:
    storage.Account.put(ext, who, info)


def account_nonce(ext: Externalities, who: bytes) -> int:
    return account(ext, who).nonce


def inc_nonce(ext: Externalities, who: bytes) -> None:
    info = account(ext, who)
    put_account(ext, who, replace(info, nonce=(info.nonce + 1) & 0xFFFFFFFF))


def is_live(ext: Externalities, who: bytes) -> bool:
    info = account(ext, who)
    return info.providers > 0 or info.sufficients > 0


def inc_providers(ctx: Context, who: bytes) -> bool:
    """Add a provider reference; returns True when this created the account."""
    from runtime.pallets.system.pallet import NewAccount

    info = account(ctx, who)
    created = info.providers == 0 and info.sufficients == 0
    put_account(ctx, who, replace(info, providers=info.providers + 1))
    if created:
        ctx.deposit_event(NewAccount(account=who))
    return created


def dec_providers(ctx: Context, who: bytes) -> bool:
    """Drop a provider reference; returns True when this reaped the account."""
    from runtime.pallets.system.pallet import KilledAccount

    info = account(ctx, who)
    if info.providers == 0:
        return False
    if info.providers == 1 and info.sufficients == 0:
        if info.consumers > 0:
            raise DispatchError("ConsumerRemaining")
        storage.Account.kill(ctx, who)
        ctx.deposit_event(KilledAccount(account=who))
        return True
    put_account(ctx, who, replace(info, providers=info.providers - 1))
    return False


def inc_consumers(ctx: Context, who: bytes) -> None:
    info = account(ctx, who)
    if info.providers == 0:
        raise DispatchError("NoProviders")
    put_account(ctx, who, replace(info, consumers=info.consumers + 1))


def dec_consumers(ctx: Context, who: bytes) -> None:
    info = account(ctx, who)
    put_account(ctx, who, replace(info, consumers=max(info.consumers - 1, 0)))


__all__ = [
    "AccountData", "AccountInfo", "account", "account_nonce", "dec_consumers", "dec_providers",
    "inc_consumers", "inc_nonce", "inc_providers", "is_live", "put_account",
]
