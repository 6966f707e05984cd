"""SCALE codec speed: our type system versus scalecodec 1.2.12 on the same values in the same run.

Workloads: a ``System.Account`` value (``AccountInfo`` with the u64 ``AccountData``) and a
``SubtensorModule.set_weights`` call with 256 uids and 256 weights. scalecodec gets the real spec-461
metadata (from ../shared/reference), which is how substrate-interface uses it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from bench.timing import per_call
from runtime.scale import U16, U64, U128, Composite, Vec, scale_struct, u32, u64

GOLDEN = Path(__file__).resolve().parents[2] / "shared" / "reference" / "localnet-spec461-golden.json"


@scale_struct("pallet_balances::types::AccountData", params=[("Balance", U64)])
@dataclass(frozen=True, slots=True)
class AccountData:
    free: u64
    reserved: u64
    frozen: u64
    flags: Annotated[int, U128, "ExtraFlags"]


@scale_struct("frame_system::AccountInfo")
@dataclass(frozen=True, slots=True)
class AccountInfo:
    nonce: u32
    consumers: u32
    providers: u32
    sufficients: u32
    data: AccountData


SET_WEIGHTS_ARGS = Composite("set_weights", [("netuid", U16), ("dests", Vec(U16)), ("weights", Vec(U16)),
                                             ("version_key", U64)])


def _scalecodec_runtime():  # type: ignore[no-untyped-def]
    from scalecodec.base import RuntimeConfiguration, ScaleBytes
    from scalecodec.type_registry import load_type_registry_preset

    golden = json.loads(GOLDEN.read_text())
    config = RuntimeConfiguration()
    config.update_type_registry(load_type_registry_preset("core"))
    metadata = config.create_scale_object("MetadataVersioned", data=ScaleBytes(golden["metadata"]["v14_hex"]))
    metadata.decode()
    config.add_portable_registry(metadata)
    return config, metadata, ScaleBytes


def main() -> str:
    config, metadata, ScaleBytes = _scalecodec_runtime()
    account = AccountInfo(7, 1, 1, 0, AccountData(10**15, 0, 0, 1 << 127))
    account_dict = {"nonce": 7, "consumers": 1, "providers": 1, "sufficients": 0,
                    "data": {"free": 10**15, "reserved": 0, "frozen": 0, "flags": 1 << 127}}
    account_raw = AccountInfo.SCALE.encode(account)
    uids = list(range(256))
    weights = [(i * 257) % 65536 for i in range(256)]
    args = {"netuid": 1, "dests": uids, "weights": weights, "version_key": 0}
    call_raw = bytes([7, 0]) + SET_WEIGHTS_ARGS.encode(args)

    def sc_account_encode() -> object:
        return config.create_scale_object("scale_info::3").encode(account_dict)

    def sc_account_decode() -> object:
        return config.create_scale_object("scale_info::3", data=ScaleBytes(account_raw)).decode()

    def sc_call_encode() -> object:
        obj = config.create_scale_object("Call", metadata=metadata)
        return obj.encode({"call_module": "SubtensorModule", "call_function": "set_weights", "call_args": args})

    def sc_call_decode() -> object:
        return config.create_scale_object("Call", data=ScaleBytes(call_raw), metadata=metadata).decode()

    # Both sides must agree on the bytes before their speed means anything.
    assert bytes(sc_account_encode().data) == account_raw  # type: ignore[attr-defined]
    assert bytes(sc_call_encode().data) == call_raw  # type: ignore[attr-defined]

    rows = [
        ("System.Account encode", lambda: AccountInfo.SCALE.encode(account), sc_account_encode),
        ("System.Account decode", lambda: AccountInfo.SCALE.decode(account_raw), sc_account_decode),
        ("set_weights(256) encode", lambda: bytes([7, 0]) + SET_WEIGHTS_ARGS.encode(args), sc_call_encode),
        ("set_weights(256) decode", lambda: SET_WEIGHTS_ARGS.decode(call_raw[2:]), sc_call_decode),
    ]
    lines = ["| workload | pysubtensor | scalecodec | speed-up |", "|---|---:|---:|---:|"]
    for name, ours, theirs in rows:
        a, b = per_call(ours), per_call(theirs)
        lines.append(f"| {name} | {a * 1e6:.2f} µs | {b * 1e6:.1f} µs | {b / a:.0f}× |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
