"""Transaction extensions: signature check and subtensor's 13 extensions, for the pool and for blocks.

FRAME runs every extension's ``validate`` both when the pool validates a transaction and when a block
applies it, then ``prepare`` (side effects: nonce bump, fee withdrawal) only when applying. This module
mirrors that split:

* :func:`check_signature` — address lookup, implicit data, signature (``BadProof``…),
* :func:`validate_signed` — the extensions' checks, producing a :class:`ValidTransaction`,
* :func:`prepare_signed` — the side effects of applying.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from runtime.primitives.era import Era
from runtime.primitives.extrinsic import UncheckedExtrinsic, build_signing_payload
from runtime.primitives.signing import verify_multi_signature
from runtime.pallets.system import storage as system_storage
from runtime.pallets.system.accounts import account, put_account
from runtime.scale import U32, Tuple
from runtime.primitives.types import AccountId32
from runtime.support.context import Context
from runtime.support.dispatch import DispatchClass, DispatchInfo, Pays
from runtime.executive.validity import ValidTransaction, invalid, unknown

NORMAL_PRIORITY = 1
OPERATIONAL_PRIORITY = 10_000_000_000
_NONCE_TAG = Tuple(AccountId32, U32)


@dataclass(frozen=True, slots=True)
class CheckedSigned:
    """A signed extrinsic whose signature verified: who signed, with which extension values."""

    who: bytes
    extra: dict[str, Any]
    call: Any
    info: DispatchInfo
    length: int


def check_signature(ctx: Context, xt: UncheckedExtrinsic) -> bytes:
    """Resolve the signer and verify the signature over call ++ explicit ++ implicit data."""
    assert xt.signed is not None
    address = xt.signed.address
    if not (isinstance(address, tuple) and address[0] == "Id"):
        raise unknown("CannotLookup")
    who: bytes = address[1]
    runtime = ctx.runtime
    number = system_storage.Number.get(ctx)
    era: Era = xt.signed.extra.get("CheckMortality", Era())
    birth = era.birth(number)
    birth_hash = system_storage.BlockHash.try_get(ctx, birth)
    if birth_hash is None or (not era.is_immortal and birth > number):
        raise invalid("AncientBirthBlock")
    genesis = system_storage.BlockHash.try_get(ctx, 0)
    if genesis is None:
        raise invalid("AncientBirthBlock")
    if xt.signed.extra.get("CheckMetadataHash", "Disabled") != "Disabled":
        # No metadata hash is committed to by this runtime, so an Enabled mode can never verify.
        raise invalid("BadProof")
    implicit = {
        "CheckSpecVersion": runtime.version.spec_version,
        "CheckTxVersion": runtime.version.transaction_version,
        "CheckGenesis": genesis,
        "CheckMortality": birth_hash,
        "CheckMetadataHash": None,
    }
    payload = build_signing_payload(xt.call, xt.signed.extra, implicit, runtime.extensions)
    if not verify_multi_signature(xt.signed.signature, payload, who):
        raise invalid("BadProof")
    return who


def _priority(info: DispatchInfo) -> int:
    return OPERATIONAL_PRIORITY if info.dispatch_class is DispatchClass.Operational else NORMAL_PRIORITY


def validate_signed(ctx: Context, checked: CheckedSigned) -> ValidTransaction:
    """Run the extensions' validity checks (no side effects)."""
    from runtime.executive import weights

    who, extra, info = checked.who, checked.extra, checked.info
    if who == bytes(32):
        raise invalid("BadSigner")  # CheckNonZeroSender
    number = system_storage.Number.get(ctx)
    era: Era = extra.get("CheckMortality", Era())
    longevity = max(era.death(number) - number, 0) if not era.is_immortal else (1 << 64) - 1
    if _is_shielded_carrier(checked.call) and (era.is_immortal or era.period > MAX_SHIELD_ERA_PERIOD):
        raise invalid("Stale")  # subtensor's CheckMortality keeps MEV-shield carriers short-lived
    # CheckNonce (subtensor): accounts without providers may still send fee-less calls.
    nonce: int = extra["CheckNonce"]
    info_account = account(ctx, who)
    if info.pays_fee is Pays.Yes and info_account.providers == 0 and info_account.sufficients == 0:
        raise invalid("Payment")
    if nonce < info_account.nonce:
        raise invalid("Stale")
    provides = [_NONCE_TAG.encode((who, nonce))]
    requires = [_NONCE_TAG.encode((who, nonce - 1))] if nonce > info_account.nonce else []
    weights.check_extrinsic_fits(ctx, info, checked.length)  # CheckWeight
    _check_fee_payable(ctx, checked)  # ChargeTransactionPayment
    _check_sudo_signer(ctx, who, checked.call)  # SudoTransactionExtension
    _check_shielded(checked.call)  # CheckShieldedTxValidity
    _check_subtensor_guards(ctx, who, checked.call)  # SubtensorTransactionExtension
    return ValidTransaction(priority=_priority(info), requires=requires, provides=provides,
                            longevity=longevity, propagate=True)


def _check_fee_payable(ctx: Context, checked: CheckedSigned) -> None:
    from runtime.pallets import transaction_payment

    fee = transaction_payment.compute_fee(ctx, checked.length, checked.info, checked.extra.get(
        "ChargeTransactionPayment", 0))
    if fee and not transaction_payment.can_withdraw_fee(ctx, checked.who, fee):
        raise invalid("Payment")


def _check_sudo_signer(ctx: Context, who: bytes, call: Any) -> None:
    if call[0] != "Sudo":
        return
    from runtime.pallets import sudo

    if sudo.Key.get(ctx) != who:
        raise invalid("BadSigner")


MAX_SHIELD_ERA_PERIOD = 8


def _is_shielded_carrier(call: Any) -> bool:
    return bool(call[0] == "MevShield" and call[1][0] == "submit_encrypted")


def _check_shielded(call: Any) -> None:
    if not _is_shielded_carrier(call):
        return
    from runtime.pallets import mev_shield

    verdict = mev_shield.validate_submit_encrypted(call[1][1]["ciphertext"])
    if verdict is not None:
        raise invalid(verdict)


def _check_subtensor_guards(ctx: Context, who: bytes, call: Any) -> None:
    from runtime.pallets.subtensor import guards

    try:
        guards.check_call(ctx, who, call)
    except guards.GuardRejected as exc:
        raise invalid(("Custom", exc.code)) from exc


def prepare_signed(ctx: Context, checked: CheckedSigned) -> int:
    """Apply the extensions' side effects; returns the fee withdrawn (for post-dispatch correction)."""
    from dataclasses import replace

    from runtime.executive import weights
    from runtime.pallets import transaction_payment

    info_account = account(ctx, checked.who)
    nonce = checked.extra["CheckNonce"]
    if nonce != info_account.nonce:
        raise invalid("Stale" if nonce < info_account.nonce else "Future")
    put_account(ctx, checked.who, replace(info_account, nonce=(info_account.nonce + 1) & 0xFFFFFFFF))
    weights.note_extrinsic_weight(ctx, checked.info, checked.length)
    tip = checked.extra.get("ChargeTransactionPayment", 0)
    fee = transaction_payment.compute_fee(ctx, checked.length, checked.info, tip)
    return transaction_payment.withdraw_fee(ctx, checked.who, fee, tip)
