"""Hypothesis strategies that generate valid values for any codec type of runtime.scale."""

from __future__ import annotations

from hypothesis import strategies as st

from runtime.primitives.era import Era, EraCodec

from runtime.scale import (
    Array, Bool, BTreeMap, Compact, Composite, Converted, Enum, Err, Fixed, FixedPoint, Int, Lazy, Ok,
    Option, Result, ScaleType, Str, Struct, Tuple, Vec,
)


def _eras() -> st.SearchStrategy:
    mortal = st.tuples(st.integers(2, 16), st.integers(0, 1 << 20)).map(
        lambda pc: Era.mortal(1 << pc[0], pc[1]))
    return st.just(Era()) | mortal


def values_for(codec: ScaleType, depth: int = 0) -> st.SearchStrategy:
    """A strategy producing values ``codec`` can encode (and decodes back to equal values)."""
    if codec is EraCodec:
        return _eras()
    if isinstance(codec, Int):
        return st.integers(codec.min_value, codec.max_value)
    if codec is Bool:
        return st.booleans()
    if codec is Str:
        return st.text(max_size=40)
    if isinstance(codec, Compact):
        if codec.inner.min_size == 0 and not isinstance(codec.inner, Int):
            return st.none()
        return st.integers(0, codec.max_value)
    if isinstance(codec, Vec):
        if codec._is_bytes:
            return st.binary(max_size=64)
        return st.lists(values_for(codec.inner, depth + 1), max_size=6 if depth else 12)
    if isinstance(codec, Array):
        if codec._is_bytes:
            return st.binary(min_size=codec.length, max_size=codec.length)
        return st.tuples(*[values_for(codec.inner, depth + 1)] * codec.length)
    if isinstance(codec, Option):
        return st.none() | values_for(codec.inner, depth + 1)
    if isinstance(codec, Result):
        return values_for(codec.ok, depth + 1).map(Ok) | values_for(codec.err, depth + 1).map(Err)
    if isinstance(codec, Tuple):
        if not codec.types:
            return st.just(())
        return st.tuples(*[values_for(t, depth + 1) for t in codec.types])
    if isinstance(codec, BTreeMap):
        return st.dictionaries(values_for(codec.key, depth + 1), values_for(codec.value, depth + 1), max_size=5)
    if isinstance(codec, FixedPoint):
        s = codec.storage
        return st.integers(s.min_value, s.max_value).map(codec.from_bits)
    if isinstance(codec, Struct):
        return st.builds(codec.cls, *[values_for(f.type, depth + 1) for f in codec.fields])
    if isinstance(codec, Composite):
        shape = codec._shape
        if shape == "unit":
            return st.none()
        if shape == "newtype":
            return values_for(codec.fields[0].type, depth + 1)
        parts = [values_for(f.type, depth + 1) for f in codec.fields]
        if shape == "tuple":
            return st.tuples(*parts)
        return st.fixed_dictionaries({f.name: p for f, p in zip(codec.fields, parts)})
    if isinstance(codec, Enum):
        options = []
        for v in codec.variants:
            if not v.fields:
                options.append(st.just(v.name))
            elif v.fields[0].name is not None:
                options.append(st.fixed_dictionaries(
                    {f.name: values_for(f.type, depth + 1) for f in v.fields}).map(lambda d, n=v.name: (n, d)))
            elif len(v.fields) == 1:
                options.append(values_for(v.fields[0].type, depth + 1).map(lambda x, n=v.name: (n, x)))
            else:
                options.append(st.tuples(*[values_for(f.type, depth + 1) for f in v.fields])
                               .map(lambda x, n=v.name: (n, x)))
        return st.one_of(options)
    if isinstance(codec, Lazy):
        return values_for(codec.target, depth + 1)
    if isinstance(codec, Converted):
        return values_for(codec.base, depth + 1).map(codec.to_python)
    raise TypeError(f"no strategy for {codec!r}")


__all__ = ["values_for", "Fixed"]
