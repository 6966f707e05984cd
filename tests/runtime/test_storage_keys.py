"""FRAME storage keys: reproduce the recorded localnet keys byte for byte and split them back."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runtime.primitives.errors import PrimitivesError, StorageKeyError
from runtime.primitives.hashing import Hasher, twox64, twox128
from runtime.primitives.ss58 import account_id_from
from runtime.primitives.storage_keys import (
    CHILD_STORAGE_DEFAULT_PREFIX,
    CODE,
    EXTRINSIC_INDEX,
    HEAP_PAGES,
    PREFIX_LEN,
    decode_key_parts,
    hash_key_parts,
    pallet_prefix,
    pallet_storage_version_key,
    storage_key,
    storage_prefix,
)

B2C, T64C, ID = Hasher.Blake2_128Concat, Hasher.Twox64Concat, Hasher.Identity

# Hashers and key kinds of each recorded item (as spec 461's metadata declares them).
ITEMS: dict[tuple[str, str], list[tuple[Hasher, str]]] = {
    ("System", "Account"): [(B2C, "account")],
    ("System", "Events"): [],
    ("Timestamp", "Now"): [],
    ("SubtensorModule", "Tempo"): [(ID, "u16")],
    ("SubtensorModule", "NetworksAdded"): [(ID, "u16")],
    ("SubtensorModule", "Bonds"): [(ID, "u16"), (ID, "u16")],
    ("SubtensorModule", "Keys"): [(ID, "u16"), (ID, "u16")],
    ("SubtensorModule", "Alpha"): [(B2C, "account"), (B2C, "account"), (ID, "u16")],
    ("SubtensorModule", "BlocksSinceLastStep"): [(ID, "u16")],
    ("Multisig", "Multisigs"): [(T64C, "account"), (B2C, "bytes32")],
}
LENGTHS = {"account": 32, "u16": 2, "bytes32": 32}


def _encode(kind: str, value: Any) -> bytes:
    if kind == "account":
        return account_id_from(value)
    if kind == "u16":
        return int(value).to_bytes(2, "little")
    if kind == "bytes32":
        return account_id_from(value)  # 0x-hex of 32 bytes
    raise AssertionError(kind)


def _parts(entry: dict[str, Any]) -> list[tuple[Hasher, bytes]]:
    spec = ITEMS[(entry["pallet"], entry["storage_function"])]
    assert len(spec) == len(entry["params"])
    return [(hasher, _encode(kind, value)) for (hasher, kind), value in zip(spec, entry["params"])]


def test_every_recorded_key_reproduced(golden) -> None:
    entries = golden["storage_keys"]
    assert {(e["pallet"], e["storage_function"]) for e in entries} == set(ITEMS)
    for entry in entries:
        key = storage_key(entry["pallet"], entry["storage_function"], _parts(entry))
        assert "0x" + key.hex() == entry["key_hex"], (entry["pallet"], entry["storage_function"])


def test_recorded_keys_split_back_into_params(golden) -> None:
    for entry in golden["storage_keys"]:
        key = bytes.fromhex(entry["key_hex"][2:])
        spec = ITEMS[(entry["pallet"], entry["storage_function"])]
        assert key[:PREFIX_LEN] == storage_prefix(entry["pallet"], entry["storage_function"])
        expected = [encoded for _, encoded in _parts(entry)]
        layout = [(hasher, LENGTHS[kind]) for hasher, kind in spec]
        assert decode_key_parts(key, PREFIX_LEN, layout) == expected
        if layout:
            open_ended = layout[:-1] + [(layout[-1][0], None)]
            assert decode_key_parts(key, PREFIX_LEN, open_ended) == expected


def test_hashers_agree_with_metadata(golden) -> None:
    # Cross-check the ITEMS table against the recorded V14 metadata (scalecodec as an oracle).
    scalecodec_base = pytest.importorskip("scalecodec.base")
    from scalecodec.type_registry import load_type_registry_preset

    config = scalecodec_base.RuntimeConfiguration()
    config.update_type_registry(load_type_registry_preset("legacy"))
    config.update_type_registry(load_type_registry_preset("core"))
    metadata = config.create_scale_object(
        "MetadataVersioned", data=scalecodec_base.ScaleBytes(golden["metadata"]["v14_hex"])
    )
    metadata.decode()
    for (pallet, item), spec in ITEMS.items():
        function = metadata.get_metadata_pallet(pallet).get_storage_function(item)
        if spec:
            assert [h.name for h, _ in spec] == list(function.get_param_hashers()), (pallet, item)
        else:
            assert function.get_params_type_string() == []


def test_prefixes() -> None:
    assert pallet_prefix("System") == twox128(b"System")
    assert storage_prefix("System", "Account").hex() == (
        "26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9"
    )
    assert storage_prefix(b"System", b"Account") == storage_prefix("System", "Account")
    assert storage_key("Timestamp", "Now") == storage_prefix("Timestamp", "Now")
    # sp-core's well-known key for System's storage version.
    assert pallet_storage_version_key("System") == twox128(b"System") + twox128(b":__STORAGE_VERSION__:")
    assert pallet_storage_version_key("System").hex() == (
        "26aa394eea5630e07c48ae0c9558cef74e7b9012096b41c4eb3aaf947f6ea429"
    )


def test_well_known_keys() -> None:
    assert CODE == b":code"
    assert HEAP_PAGES == b":heappages"
    assert EXTRINSIC_INDEX == b":extrinsic_index"
    assert CHILD_STORAGE_DEFAULT_PREFIX == b":child_storage:default:"


def test_partial_keys_give_iteration_prefixes() -> None:
    alice = bytes(range(32))
    full = storage_key("SubtensorModule", "Alpha", [(B2C, alice), (B2C, alice), (ID, b"\x01\x00")])
    partial = storage_key("SubtensorModule", "Alpha", [(B2C, alice)])
    assert full.startswith(partial)
    assert hash_key_parts([(T64C, b"\x07")]) == twox64(b"\x07") + b"\x07"


def test_decode_rejects_bad_layouts() -> None:
    key = storage_key("P", "I", [(B2C, b"\x01\x02"), (ID, b"\x03")])
    assert decode_key_parts(key, PREFIX_LEN, [(B2C, 2), (ID, 1)]) == [b"\x01\x02", b"\x03"]
    with pytest.raises(StorageKeyError, match="cannot be reversed"):
        decode_key_parts(key, PREFIX_LEN, [(Hasher.Blake2_128, 2), (ID, 1)])
    with pytest.raises(StorageKeyError, match="trailing"):
        decode_key_parts(key, PREFIX_LEN, [(B2C, 2)])
    with pytest.raises(StorageKeyError, match="too short"):
        decode_key_parts(key, PREFIX_LEN, [(B2C, 2), (ID, 2)])
    with pytest.raises(StorageKeyError, match="too short"):
        decode_key_parts(key[:40], PREFIX_LEN, [(B2C, None)])
    with pytest.raises(StorageKeyError, match="shorter than"):
        decode_key_parts(key[:10], PREFIX_LEN, [])
    with pytest.raises(StorageKeyError, match="last key part"):
        decode_key_parts(key, PREFIX_LEN, [(B2C, None), (ID, 1)])
    with pytest.raises(StorageKeyError, match="does not match"):
        decode_key_parts(key, PREFIX_LEN, [(B2C, 1), (ID, 2)])
    # Without the hash check a wrong length goes undetected: the check is what makes it safe.
    assert decode_key_parts(key, PREFIX_LEN, [(B2C, 1), (ID, 2)], check_hashes=False) == [b"\x01", b"\x02\x03"]
    for bad_layout in ([(B2C, -1), (ID, 1)], [("Identity", 1)], [(B2C,)], [(B2C, 2.0), (ID, 1)]):
        with pytest.raises(StorageKeyError):
            decode_key_parts(key, PREFIX_LEN, bad_layout)  # type: ignore[arg-type]
    with pytest.raises(StorageKeyError):
        decode_key_parts("0x00", 0, [])  # type: ignore[arg-type]
    with pytest.raises(StorageKeyError):
        decode_key_parts(key, -1, [])


def test_storage_key_rejects_bad_parts() -> None:
    for bad in ([(B2C, "01")], [("Identity", b"\x01")], [b"\x01"], [(B2C,)]):
        with pytest.raises(StorageKeyError):
            storage_key("P", "I", bad)  # type: ignore[arg-type]
    with pytest.raises(StorageKeyError):
        storage_prefix(1, "I")  # type: ignore[arg-type]


reversible = st.sampled_from([B2C, T64C, ID])
parts_strategy = st.lists(st.tuples(reversible, st.binary(max_size=48)), max_size=4)


@given(parts_strategy, st.booleans())
def test_round_trip(parts: list[tuple[Hasher, bytes]], open_last: bool) -> None:
    key = storage_key("Pallet", "Item", parts)
    layout: list[tuple[Hasher, int | None]] = [(h, len(p)) for h, p in parts]
    if open_last and layout:
        layout[-1] = (layout[-1][0], None)
    assert decode_key_parts(key, PREFIX_LEN, layout) == [p for _, p in parts]


@given(st.binary(max_size=100), st.lists(st.tuples(reversible, st.none() | st.integers(0, 40)), max_size=4))
def test_garbage_raises_only_typed_errors(key: bytes, layout: list[tuple[Hasher, int | None]]) -> None:
    try:
        parts = decode_key_parts(key, min(len(key), PREFIX_LEN), layout)
    except PrimitivesError:
        return
    assert len(parts) == len(layout)
