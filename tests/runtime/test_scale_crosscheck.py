"""Cross-check the codec against scalecodec 1.2.12 (an independent SCALE implementation)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scalecodec.base import RuntimeConfiguration, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset

from runtime.scale import (
    I16, I64, U8, U16, U32, U64, U128, Bool, CompactU32, CompactU64, Option, ScaleType, Str, Tuple, Vec,
)

from tests.runtime.scale_strategies import values_for

_CONFIG = RuntimeConfiguration()
_CONFIG.update_type_registry(load_type_registry_preset("legacy"))

# (our codec, scalecodec type string, normaliser of scalecodec's decoded value)
PAIRS: list[tuple[ScaleType, str, Any]] = [
    (U8, "u8", None), (U16, "u16", None), (U32, "u32", None), (U64, "u64", None), (U128, "u128", None),
    (I16, "i16", None), (I64, "i64", None), (Bool, "bool", None), (Str, "Str", None),
    (CompactU32, "Compact<u32>", None), (CompactU64, "Compact<u64>", None),
    (Vec(U16), "Vec<u16>", None), (Vec(U64), "Vec<u64>", None), (Vec(Str), "Vec<Str>", None),
    (Option(U32), "Option<u32>", None),
    (Tuple(U8, U16), "(u8, u16)", tuple),
    (Vec(Tuple(U16, U16)), "Vec<(u16, u16)>", lambda v: [tuple(x) for x in v]),
]


def _scalecodec_decode(type_string: str, raw: bytes) -> Any:
    obj = _CONFIG.create_scale_object(type_string, data=ScaleBytes(raw))
    return obj.decode()


def _scalecodec_encode(type_string: str, value: Any) -> bytes:
    obj = _CONFIG.create_scale_object(type_string)
    return bytes(obj.encode(value).data)


@pytest.mark.parametrize(("codec", "type_string", "normalise"), PAIRS, ids=[p[1] for p in PAIRS])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_matches_scalecodec(codec: ScaleType, type_string: str, normalise: Any, data: st.DataObject) -> None:
    value = data.draw(values_for(codec))
    ours = codec.encode(value)
    theirs_value = _scalecodec_decode(type_string, ours)
    assert (normalise(theirs_value) if normalise else theirs_value) == value
    assert _scalecodec_encode(type_string, value) == ours
    assert codec.decode(_scalecodec_encode(type_string, value)) == value
