"""Typed errors raised by the chain primitives.

Everything in :mod:`runtime.primitives` that can reject its input raises a subclass of
:class:`PrimitivesError`, so a caller handling untrusted data (an address typed on the command line, a
storage key read back from the database, a secret URI from a config file) can catch one family of
exceptions and never has to guess at ``ValueError``/``IndexError`` leaking out of a binding.

Errors derive from ``ValueError`` as well, because every one of them means "this value is malformed";
that keeps them catchable by generic validation code without hiding their precise type.
"""

from __future__ import annotations


class PrimitivesError(ValueError):
    """Base class of all errors raised by :mod:`runtime.primitives`."""


class InvalidAccountId(PrimitivesError):
    """A value could not be turned into a 32-byte account id."""


class InvalidSS58(InvalidAccountId):
    """An SS58 address is malformed: bad base58, length, prefix form, checksum, or unexpected prefix."""


class InvalidKeyUri(PrimitivesError):
    """A secret URI (``//Alice``, ``<mnemonic>//hard/soft///password``, ``0x<seed>``) is unusable."""


class InvalidKeyMaterial(PrimitivesError):
    """A seed, secret key, mnemonic or dev-account name is malformed or of the wrong length."""


class StorageKeyError(PrimitivesError):
    """A storage key cannot be built or split as requested."""


class InvalidMultisig(PrimitivesError):
    """The signatories or threshold of a multisig account are malformed."""
