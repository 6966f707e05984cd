"""The portable registry: scalecodec decodes what we encode, and core types match the golden metadata."""

from __future__ import annotations

from typing import Any

import pytest
from scalecodec.base import RuntimeConfiguration, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset

from runtime.primitives.era import EraCodec
from runtime.primitives.header import DigestItem, Header
from runtime.primitives.types import H256, AccountId32, MultiAddress, MultiSignature, MultiSigner
from runtime.scale import U64F64, PortableRegistry, ScaleType

from tests.metadata_tools import decode_v14, find_by_path, shape_diff, types_by_id
from tests.runtime.test_scale_codec import ALL_TYPES


def test_registry_encoding_decodes_with_scalecodec() -> None:
    registry = PortableRegistry()
    for codec in ALL_TYPES:
        registry.register(codec)
    config = RuntimeConfiguration()
    config.update_type_registry(load_type_registry_preset("core"))
    decoded = config.create_scale_object("PortableRegistry", data=ScaleBytes(registry.encode())).decode()
    assert decoded["types"] == registry.to_json()


def test_ids_are_assigned_in_pre_order_and_deduplicated() -> None:
    registry = PortableRegistry()
    header_id = registry.register(Header.SCALE)
    assert header_id == 0
    assert registry.register(Header.SCALE) == 0
    assert registry.id_of(H256) == registry.register(H256)
    size = len(registry)
    registry.register(Header.SCALE)
    assert len(registry) == size


@pytest.fixture(scope="module")
def golden_types(golden: Any) -> dict[int, dict[str, Any]]:
    return types_by_id(decode_v14(golden["metadata"]["v14_hex"]))


@pytest.mark.parametrize(
    ("codec", "path"),
    [
        (AccountId32, "sp_core::crypto::AccountId32"),
        (H256, "primitive_types::H256"),
        (MultiAddress, "sp_runtime::multiaddress::MultiAddress"),
        (MultiSignature, "sp_runtime::MultiSignature"),
        (MultiSigner, "sp_runtime::MultiSigner"),
        (EraCodec, "sp_runtime::generic::era::Era"),
        (DigestItem, "sp_runtime::generic::digest::DigestItem"),
        (U64F64, "substrate_fixed::FixedU128"),
    ],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_core_types_match_golden_shapes(
    codec: ScaleType, path: str, golden_types: dict[int, dict[str, Any]]
) -> None:
    candidates = find_by_path(golden_types, path)
    assert candidates, f"{path} not in golden metadata"
    registry = PortableRegistry()
    our_id = registry.register(codec)
    results = [shape_diff(registry, our_id, golden_types, c) for c in candidates]
    assert any(not r for r in results), results
