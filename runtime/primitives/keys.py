"""Key pairs, Substrate secret URIs and the well-known development accounts.

Two signature schemes matter to a Bittensor node: **sr25519** (Schnorr over Ristretto, the default for
accounts, hotkeys and coldkeys) and **ed25519** (GRANDPA authority keys). The curve arithmetic lives in
the audited Rust bindings (``sr25519``, ``ed25519_zebra``, ``bip39``); this module only decides which
bytes go in, following ``sp_core`` so that every key we derive matches ``subkey`` and polkadot.js.

Secret URIs
-----------
A secret URI is ``<phrase><path>[///<password>]``:

* ``phrase`` is a BIP-39 mnemonic, a ``0x``-prefixed 32-byte hex seed, or empty, in which case the
  public development phrase :data:`DEV_PHRASE` is used (that is all ``//Alice`` means);
* ``path`` is a list of junctions, ``//hard`` or ``/soft``;
* ``password`` is the BIP-39 passphrase. As in ``sp_core`` it only affects mnemonics: a hex seed is
  already the secret, so a password after it is ignored.

A mnemonic becomes a 32-byte *mini secret* through ``bip39_to_mini_secret`` (PBKDF2 over the entropy,
first 32 bytes). For sr25519 that mini secret is expanded in "Ed25519 mode"; for ed25519 it is the seed.

Each junction becomes a 32-byte chain code: its text is SCALE-encoded (a decimal that fits a ``u64``
as 8 little-endian bytes, anything else as a length-prefixed UTF-8 string), then zero-padded to 32
bytes, or hashed with blake2_256 when longer. sr25519 supports hard and soft derivation; ed25519 only
hard derivation, where the child seed is ``blake2_256(SCALE("Ed25519HDKD") ++ seed ++ chain_code)``.

Note that sr25519 signatures and soft-derived secret nonces are randomised, so two :class:`Keypair`
values compare equal on their public key and scheme only.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import bip39
import ed25519_zebra
import sr25519

from runtime.primitives.errors import InvalidKeyMaterial, InvalidKeyUri
from runtime.primitives.hashing import blake2_256
from runtime.primitives.ss58 import DEFAULT_SS58_PREFIX, ss58_encode
from runtime.scale.primitives import encode_compact

__all__ = [
    "DEV_ACCOUNT_NAMES",
    "DEV_PHRASE",
    "DeriveJunction",
    "KeyType",
    "Keypair",
    "SecretUri",
    "dev_account",
    "generate_mnemonic",
    "parse_secret_uri",
    "verify",
]

#: The public development mnemonic behind ``//Alice`` and friends. Never hold value with it.
DEV_PHRASE = "bottom drive obey lake curtain smoke basket hold race lonely fit walk"

#: The development accounts every Substrate dev chain knows, in their usual order.
DEV_ACCOUNT_NAMES: tuple[str, ...] = ("Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie")

SEED_LEN = 32
PUBLIC_LEN = 32
SIGNATURE_LEN = 64
SR25519_SECRET_LEN = 64  # 32-byte scalar ++ 32-byte nonce, as the bindings take it.
CHAIN_CODE_LEN = 32
MNEMONIC_WORD_COUNTS = (12, 15, 18, 21, 24)

_ED25519_HDKD_TAG = b"\x2cEd25519HDKD"  # SCALE string: compact length 11 (0x2c) ++ the ASCII bytes.
_U64_LIMIT = 1 << 64

# Phrase, then junctions, then an optional password; the same grammar as sp_core's SecretUri. The phrase
# cannot contain "/", so everything from the first slash on is path and password.
_URI_RE = re.compile(r"(?P<phrase>[^/]*)(?P<path>(?://?[^/]+)*)(?:///(?P<password>.*))?", re.DOTALL)
_JUNCTION_RE = re.compile(r"/(/?)([^/]+)")
# Rust's u64 parser accepts ASCII digits with an optional leading "+", nothing else.
_DECIMAL_RE = re.compile(r"\+?[0-9]+")
_HEX_RE = re.compile(r"[0-9a-fA-F]*")


class KeyType(enum.Enum):
    """The signature scheme of a key pair."""

    Sr25519 = "sr25519"
    Ed25519 = "ed25519"


def _as_bytes(value: object, what: str) -> bytes:
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise InvalidKeyMaterial(f"{what} must be bytes, not {type(value).__name__}")
    return bytes(value)


def _key_type(value: KeyType | str) -> KeyType:
    try:
        return KeyType(value)
    except ValueError as exc:
        raise InvalidKeyMaterial(f"unknown key type {value!r}") from exc


# --------------------------------------------------------------------------------------------------
# Secret URIs
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeriveJunction:
    """One step of a derivation path: a 32-byte chain code and whether the step is hard."""

    chain_code: bytes
    hard: bool

    def __post_init__(self) -> None:
        if not isinstance(self.chain_code, bytes) or len(self.chain_code) != CHAIN_CODE_LEN:
            raise InvalidKeyUri(f"a chain code is {CHAIN_CODE_LEN} bytes, got {self.chain_code!r}")

    @classmethod
    def from_text(cls, text: str, hard: bool) -> DeriveJunction:
        """The junction written ``text`` in a URI (without its slashes)."""
        if not text:
            raise InvalidKeyUri("empty derivation junction")
        if _DECIMAL_RE.fullmatch(text) and int(text) < _U64_LIMIT:
            encoded = int(text).to_bytes(8, "little")
        else:
            try:
                utf8 = text.encode("utf-8")
            except UnicodeEncodeError as exc:  # lone surrogates: no Rust &str could hold them
                raise InvalidKeyUri("derivation junction is not valid Unicode") from exc
            out = bytearray()
            encode_compact(len(utf8), out)
            encoded = bytes(out) + utf8
        if len(encoded) > CHAIN_CODE_LEN:
            encoded = blake2_256(encoded)
        return cls(encoded.ljust(CHAIN_CODE_LEN, b"\x00"), hard)


@dataclass(frozen=True, slots=True)
class SecretUri:
    """A parsed secret URI. ``phrase`` is already defaulted to :data:`DEV_PHRASE` when omitted."""

    phrase: str = field(repr=False)
    junctions: tuple[DeriveJunction, ...]
    password: str | None = field(default=None, repr=False)


def parse_secret_uri(uri: str) -> SecretUri:
    """Split a secret URI into phrase, junctions and password (no key material is computed)."""
    if not isinstance(uri, str):
        raise InvalidKeyUri(f"a secret URI must be a str, not {type(uri).__name__}")
    match = _URI_RE.fullmatch(uri)
    if match is None:
        raise InvalidKeyUri("malformed secret URI (check the slashes of the derivation path)")
    junctions = tuple(
        DeriveJunction.from_text(text, hard=bool(extra_slash))
        for extra_slash, text in _JUNCTION_RE.findall(match["path"])
    )
    return SecretUri(match["phrase"] or DEV_PHRASE, junctions, match["password"])


# --------------------------------------------------------------------------------------------------
# Key pairs
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Keypair:
    """A public key with its secret. ``secret`` is the 64-byte sr25519 secret or the 32-byte ed25519 seed."""

    public: bytes
    secret: bytes = field(repr=False, compare=False)
    key_type: KeyType = KeyType.Sr25519

    def __post_init__(self) -> None:
        object.__setattr__(self, "key_type", _key_type(self.key_type))
        object.__setattr__(self, "public", _as_bytes(self.public, "public key"))
        object.__setattr__(self, "secret", _as_bytes(self.secret, "secret key"))
        # A pair whose halves disagree would sign with one key and advertise another; refuse it.
        if _public_from_secret(self.secret, self.key_type) != self.public:
            raise InvalidKeyMaterial("public key does not belong to the secret key")

    def __repr__(self) -> str:
        # Hex reads better than a bytes literal in logs; the secret is never shown.
        return f"Keypair({self.key_type.value}, public=0x{self.public.hex()})"

    # -- construction -------------------------------------------------------------------------------

    @classmethod
    def from_seed(cls, seed: bytes, key_type: KeyType = KeyType.Sr25519) -> Keypair:
        """The key pair of a 32-byte seed (an sr25519 mini secret or an ed25519 secret)."""
        seed = _as_bytes(seed, "seed")
        if len(seed) != SEED_LEN:
            raise InvalidKeyMaterial(f"a seed is {SEED_LEN} bytes, got {len(seed)}")
        if _key_type(key_type) is KeyType.Sr25519:
            public, secret = sr25519.pair_from_seed(seed)
            return cls(bytes(public), bytes(secret), KeyType.Sr25519)
        return cls(bytes(ed25519_zebra.ed_public_from_secret(seed)), seed, KeyType.Ed25519)

    @classmethod
    def from_secret_key(cls, secret: bytes, key_type: KeyType = KeyType.Sr25519) -> Keypair:
        """Rebuild a pair from its stored secret (64-byte sr25519 secret, or 32-byte ed25519 seed)."""
        secret = _as_bytes(secret, "secret key")
        return cls(_public_from_secret(secret, _key_type(key_type)), secret, key_type)

    @classmethod
    def from_mnemonic(
        cls, phrase: str, key_type: KeyType = KeyType.Sr25519, password: str = ""
    ) -> Keypair:
        """The root key pair of a BIP-39 mnemonic (with an optional BIP-39 passphrase)."""
        return cls.from_seed(_mini_secret(phrase, password), key_type)

    @classmethod
    def from_uri(cls, uri: str, key_type: KeyType = KeyType.Sr25519) -> Keypair:
        """The key pair named by a secret URI such as ``//Alice`` or ``<mnemonic>//hard/soft///pw``."""
        key_type = _key_type(key_type)
        parsed = parse_secret_uri(uri)
        try:
            if parsed.phrase.startswith("0x"):
                root = cls.from_seed(_hex_seed(parsed.phrase[2:]), key_type)
            else:
                root = cls.from_mnemonic(parsed.phrase, key_type, parsed.password or "")
        except InvalidKeyMaterial as exc:
            raise InvalidKeyUri(str(exc)) from exc
        return root.derive_junctions(parsed.junctions)

    # -- derivation ---------------------------------------------------------------------------------

    def derive(self, path: str) -> Keypair:
        """Derive a child along a path such as ``//stash`` or ``//hard/soft`` (no phrase, no password)."""
        if not isinstance(path, str) or (path and not path.startswith("/")):
            raise InvalidKeyUri(f"a derivation path starts with '/': {path!r}")
        parsed = parse_secret_uri(path)
        if parsed.password is not None:
            raise InvalidKeyUri("a derivation path cannot carry a password")
        return self.derive_junctions(parsed.junctions)

    def derive_junctions(self, junctions: Iterable[DeriveJunction]) -> Keypair:
        """Apply parsed junctions one after the other."""
        pair = self
        for junction in junctions:
            pair = pair._derive_one(junction)
        return pair

    def _derive_one(self, junction: DeriveJunction) -> Keypair:
        if self.key_type is KeyType.Ed25519:
            if not junction.hard:
                raise InvalidKeyUri("ed25519 keys support only hard (//) derivation")
            return Keypair.from_seed(
                blake2_256(_ED25519_HDKD_TAG + self.secret + junction.chain_code), KeyType.Ed25519
            )
        # The bindings read the chain code from the "extended keypair" tuple; the extra id stays empty,
        # exactly as sp_core calls schnorrkel.
        derive = sr25519.hard_derive_keypair if junction.hard else sr25519.derive_keypair
        _, public, secret = derive((junction.chain_code, self.public, self.secret), b"")
        return Keypair(bytes(public), bytes(secret), KeyType.Sr25519)

    # -- use ----------------------------------------------------------------------------------------

    @property
    def ss58_address(self) -> str:
        """The address under the generic prefix 42 (the one subtensor uses)."""
        return ss58_encode(self.public, DEFAULT_SS58_PREFIX)

    def address(self, prefix: int = DEFAULT_SS58_PREFIX) -> str:
        """The address under any SS58 prefix."""
        return ss58_encode(self.public, prefix)

    def sign(self, message: bytes) -> bytes:
        """A 64-byte signature of ``message`` (sr25519 under the ``substrate`` signing context)."""
        if not isinstance(message, (bytes, bytearray, memoryview)):
            raise TypeError(f"can only sign bytes, not {type(message).__name__}")
        message = bytes(message)
        if self.key_type is KeyType.Sr25519:
            return bytes(sr25519.sign((self.public, self.secret), message))
        return bytes(ed25519_zebra.ed_sign(self.secret, message))

    def verify(self, signature: bytes, message: bytes) -> bool:
        """Whether ``signature`` is this key's signature of ``message``."""
        return verify(self.key_type, signature, message, self.public)


def verify(key_type: KeyType, signature: bytes, message: bytes, public: bytes) -> bool:
    """Check a signature. Malformed signatures or keys give ``False``; they never raise."""
    key_type = _key_type(key_type)
    if not all(isinstance(v, (bytes, bytearray, memoryview)) for v in (signature, message, public)):
        return False
    signature, message, public = bytes(signature), bytes(message), bytes(public)
    # The bindings raise on wrong lengths; checking first keeps "invalid" a plain False.
    if len(signature) != SIGNATURE_LEN or len(public) != PUBLIC_LEN:
        return False
    try:
        if key_type is KeyType.Sr25519:
            return bool(sr25519.verify(signature, message, public))
        return bool(ed25519_zebra.ed_verify(signature, message, public))
    except ValueError:
        # Structurally invalid points or scalars (e.g. a public key that is not on the curve).
        return False


# --------------------------------------------------------------------------------------------------
# Helpers and dev accounts
# --------------------------------------------------------------------------------------------------


def _public_from_secret(secret: bytes, key_type: KeyType) -> bytes:
    if key_type is KeyType.Sr25519:
        if len(secret) != SR25519_SECRET_LEN:
            raise InvalidKeyMaterial(f"an sr25519 secret is {SR25519_SECRET_LEN} bytes, got {len(secret)}")
        try:
            return bytes(sr25519.public_from_secret_key(secret))
        except ValueError as exc:
            raise InvalidKeyMaterial(f"invalid sr25519 secret key: {exc}") from exc
    if len(secret) != SEED_LEN:
        raise InvalidKeyMaterial(f"an ed25519 secret is {SEED_LEN} bytes, got {len(secret)}")
    return bytes(ed25519_zebra.ed_public_from_secret(secret))


def _mini_secret(phrase: str, password: str) -> bytes:
    if not isinstance(phrase, str) or not isinstance(password, str):
        raise InvalidKeyMaterial("mnemonic and password must be str")
    try:
        return bytes(bip39.bip39_to_mini_secret(phrase, password))
    except ValueError as exc:
        raise InvalidKeyMaterial(f"invalid mnemonic: {exc}") from exc


def _hex_seed(digits: str) -> bytes:
    if len(digits) != 2 * SEED_LEN or not _HEX_RE.fullmatch(digits):
        raise InvalidKeyMaterial(f"a hex seed is 0x followed by {2 * SEED_LEN} hex digits")
    return bytes.fromhex(digits)


@lru_cache(maxsize=None)
def _dev_account(canonical: str) -> Keypair:
    return Keypair.from_uri(f"//{canonical}")


def dev_account(name: str) -> Keypair:
    """The sr25519 dev account ``//<Name>`` for Alice, Bob, Charlie, Dave, Eve or Ferdie (any case)."""
    if isinstance(name, str):
        for canonical in DEV_ACCOUNT_NAMES:
            if canonical.lower() == name.lower():
                return _dev_account(canonical)
    raise InvalidKeyMaterial(f"unknown dev account {name!r}; expected one of {', '.join(DEV_ACCOUNT_NAMES)}")


def generate_mnemonic(words: int = 12) -> str:
    """A fresh English BIP-39 mnemonic of 12, 15, 18, 21 or 24 words (entropy from the OS via bip39)."""
    if words not in MNEMONIC_WORD_COUNTS:
        raise InvalidKeyMaterial(f"a mnemonic has one of {MNEMONIC_WORD_COUNTS} words, not {words!r}")
    return str(bip39.bip39_generate(words))
