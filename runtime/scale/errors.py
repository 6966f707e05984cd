"""Typed errors of the SCALE codec.

Every malformed input to a decoder surfaces as :class:`DecodeError` (truncated data, oversized or
non-canonical compacts, unknown enum indices, invalid UTF-8, trailing bytes); every value that cannot be
represented surfaces as :class:`EncodeError`. Callers never see IndexError or struct.error.
"""

from __future__ import annotations


class ScaleError(ValueError):
    """Base class of all codec errors."""


class DecodeError(ScaleError):
    """The bytes are not a valid SCALE encoding of the requested type."""


class EncodeError(ScaleError):
    """The value cannot be encoded as the requested type."""
