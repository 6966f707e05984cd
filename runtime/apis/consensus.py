"""AuraApi and GrandpaApi: the authority sets and parameters the client's consensus code needs."""

from __future__ import annotations

from typing import Any

from runtime.apis import runtime_api
from runtime.pallets import aura, grandpa
from runtime.scale import U8, U64, Composite, FieldInfo, Option, Unit, Vec
from runtime.support.context import Context

SlotDuration = Composite("sp_consensus_slots::SlotDuration", [FieldInfo(None, U64, "u64")])
OpaqueKeyOwnershipProof = Composite("sp_runtime::OpaqueValue", [FieldInfo(None, Vec(U8), "Vec<u8>")])

AuraApi = runtime_api("AuraApi", 1)


@AuraApi.method("slot_duration", [], SlotDuration)
def slot_duration(ctx: Context) -> int:
    return aura.slot_duration()


@AuraApi.method("authorities", [], Vec(aura.AuthorityId))
def authorities(ctx: Context) -> list[bytes]:
    return aura.authorities(ctx)


GrandpaApi = runtime_api("GrandpaApi", 3)


@GrandpaApi.method("grandpa_authorities", [], grandpa.AuthorityList)
def grandpa_authorities(ctx: Context) -> list[tuple[bytes, int]]:
    return grandpa.authorities(ctx)


@GrandpaApi.method("submit_report_equivocation_unsigned_extrinsic",
                   [("equivocation_proof", grandpa.EquivocationProof),
                    ("key_owner_proof", OpaqueKeyOwnershipProof)], Option(Unit))
def submit_report_equivocation(ctx: Context, equivocation_proof: Any, key_owner_proof: bytes) -> None:
    """Equivocation reports are not processed by this runtime (no session/offences pallets)."""
    return None


@GrandpaApi.method("generate_key_ownership_proof", [("set_id", U64), ("authority_id", grandpa.AuthorityId)],
                   Option(OpaqueKeyOwnershipProof))
def generate_key_ownership_proof(ctx: Context, set_id: int, authority_id: bytes) -> None:
    return None


@GrandpaApi.method("current_set_id", [], U64)
def current_set_id(ctx: Context) -> int:
    return grandpa.current_set_id(ctx)

