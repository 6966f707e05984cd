"""Key pairs and secret URIs against published Substrate vectors and substrate-interface."""

from __future__ import annotations

import dataclasses

import bip39
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from substrateinterface import Keypair as SIKeypair
from substrateinterface import KeypairType

from runtime.primitives.errors import InvalidKeyMaterial, InvalidKeyUri, PrimitivesError
from runtime.primitives.keys import (
    DEV_ACCOUNT_NAMES,
    DEV_PHRASE,
    DeriveJunction,
    Keypair,
    KeyType,
    dev_account,
    generate_mnemonic,
    parse_secret_uri,
    verify,
)

SR, ED = KeyType.Sr25519, KeyType.Ed25519
RFC8032_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
OTHER_MNEMONIC = "legal winner thank year wave sausage worth useful legal winner thank yellow"

# Published vectors: sp_core's sr25519/ed25519 tests, the GRANDPA dev keys of every Substrate dev chain,
# and polkadot-api's substrate-bindings key-derivation tests.
KNOWN: list[tuple[str, KeyType, str]] = [
    ("//Alice", SR, "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"),
    ("//Bob", SR, "8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48"),
    ("//Charlie", SR, "90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22"),
    (f"{DEV_PHRASE}//Alice", SR, "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"),
    ("/Alice", SR, "d6c71059dbbe9ad2b0ed3f289738b800836eb425544ce694825285b958ca755e"),
    (DEV_PHRASE, SR, "46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a"),
    ("//Alice//foo", SR, "c674c01a238914605f5f47615c3230eff592a2d1148190cac4b7825e61c80842"),
    ("//Alice//0", SR, "4435d0e6e507975038a9fe8f6002b6a8aa6a2740de8b2e5ea193654d204ada09"),
    ("//Alice/0", SR, "9057db4878163172ea51d570612043a98971737bf608b544991130ac110b0801"),
    ("//Alice///password", SR, "32fc18294f88e02ec071e59bb3996aa21f4519d92593dc6e01fda2921d459b23"),
    ("0x" + RFC8032_SEED, SR, "44a996beb1eef7bdcab976ab6d2ca26104834164ecf28fb375600576fcc6eb0f"),
    ("//Alice", ED, "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"),
    ("//Bob", ED, "d17c2d7823ebf260fd138f2d7e27d114c0145d968b5ff5006125f2414fadae69"),
    ("//Charlie", ED, "439660b36c6c03afafca027b910b4fecf99801834c62a5e6006f27d978de234f"),
    ("//Dave", ED, "5e639b43e0052c47447dac87d6fd2b6ec50bdd4d0f614e4299c665249bbd09d9"),
    ("//Eve", ED, "1dfe3e22cc0d45c70779c1095f7489a8ef3cf52d62fbd8c2fa38c9f1723502b5"),
    (DEV_PHRASE, ED, "345071da55e5dccefaaa440339415ef9f2663338a38f7da0df21be5ab4e055ef"),
    ("//Alice//0", ED, "de6c1b2cf7076546c493ada471947fbab1f100a31c680ac82ea78c46e33dd3e4"),
    ("//Alice///password", ED, "2818a78aba524c30f6054d7bf23dd78bc2d20c4111d00f6ba56a060e97e0d8d4"),
    ("0x" + RFC8032_SEED, ED, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
]


@pytest.mark.parametrize(("uri", "key_type", "public_hex"), KNOWN)
def test_published_vectors(uri: str, key_type: KeyType, public_hex: str) -> None:
    assert Keypair.from_uri(uri, key_type).public.hex() == public_hex


# substrate-interface derives sr25519 paths (not ed25519 ones, nor passwords) with the same bindings.
SR_URIS = [
    "//Alice", "//Alice_hk", "//Bob_hk", "//Alice//stash", "//Alice/stash", "//1", "//0", "/1",
    "//18446744073709551615", "//007",
    "//a-very-long-junction-name-that-is-longer-than-thirty-two-bytes",
    "//ünïcödé", "//Alice//stash/soft//hard/0",
    f"{DEV_PHRASE}//Ferdie", f"{OTHER_MNEMONIC}/soft//hard", f"{OTHER_MNEMONIC}//hard/soft", OTHER_MNEMONIC,
]


@pytest.mark.parametrize("uri", SR_URIS)
def test_sr25519_matches_substrate_interface(uri: str) -> None:
    expected = SIKeypair.create_from_uri(uri, crypto_type=KeypairType.SR25519)
    ours = Keypair.from_uri(uri, SR)
    assert ours.public == expected.public_key
    assert ours.ss58_address == expected.ss58_address


@pytest.mark.parametrize("phrase", [DEV_PHRASE, OTHER_MNEMONIC])
def test_root_keys_match_substrate_interface(phrase: str) -> None:
    for key_type, si_type in ((SR, KeypairType.SR25519), (ED, KeypairType.ED25519)):
        expected = SIKeypair.create_from_mnemonic(phrase, crypto_type=si_type)
        assert Keypair.from_mnemonic(phrase, key_type).public == expected.public_key
        assert Keypair.from_uri(phrase, key_type).public == expected.public_key


def test_password_is_the_bip39_passphrase() -> None:
    mini = bytes(bip39.bip39_to_mini_secret(DEV_PHRASE, "pw"))
    for key_type, si_type in ((SR, KeypairType.SR25519), (ED, KeypairType.ED25519)):
        expected = SIKeypair.create_from_seed(mini, crypto_type=si_type).public_key
        assert Keypair.from_uri("///pw", key_type).public == expected
        assert Keypair.from_mnemonic(DEV_PHRASE, key_type, password="pw").public == expected
    assert Keypair.from_uri("//Alice///password") == Keypair.from_mnemonic(
        DEV_PHRASE, password="password"
    ).derive("//Alice")
    # As in sp_core, a hex seed is already the secret: a password after it changes nothing.
    assert Keypair.from_uri(f"0x{RFC8032_SEED}///pw") == Keypair.from_uri(f"0x{RFC8032_SEED}")


def test_ed25519_hard_derivation_vector() -> None:
    # sp_core ed25519 seed_and_derive_should_work: Hard([0; 32]) from the RFC 8032 seed.
    derived = Keypair.from_uri(f"0x{RFC8032_SEED}//0", ED)
    assert derived.secret.hex() == "ede3354e133f9c8e337ddd6ee5415ed4b4ffe5fc7d21e933f4930a3730e5b21c"


def test_ed25519_rfc8032_signature() -> None:
    pair = Keypair.from_seed(bytes.fromhex(RFC8032_SEED), ED)
    assert pair.sign(b"").hex() == (
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
        "d25bf5f0595bbe24655141438e7a100b"
    )


def test_seed_constructors_match_substrate_interface() -> None:
    seed = bytes(range(32))
    for key_type, si_type in ((SR, KeypairType.SR25519), (ED, KeypairType.ED25519)):
        assert Keypair.from_seed(seed, key_type).public == SIKeypair.create_from_seed(
            seed, crypto_type=si_type
        ).public_key


def test_junctions_follow_sp_core_where_substrate_interface_differs() -> None:
    # sp_core parses a junction with Rust's u64 parser: "+5" is the number 5, and a decimal too big
    # for a u64 is a string. substrate-interface treats both differently, so pin sp_core's reading.
    assert Keypair.from_uri("//+5") == Keypair.from_uri("//5")
    big = "18446744073709551616"
    assert DeriveJunction.from_text(big, hard=True).chain_code == (b"\x50" + big.encode()).ljust(32, b"\0")
    assert DeriveJunction.from_text(str(2**64 - 1), hard=True).chain_code == b"\xff" * 8 + b"\0" * 24


def test_junction_chain_codes() -> None:
    assert DeriveJunction.from_text("1", hard=True).chain_code == b"\x01" + b"\x00" * 31
    assert DeriveJunction.from_text("Alice", hard=True).chain_code == b"\x14Alice".ljust(32, b"\x00")
    too_big = DeriveJunction.from_text("18446744073709551616", hard=False)
    assert too_big.chain_code == (b"\x50" + b"18446744073709551616").ljust(32, b"\x00")
    assert not too_big.hard
    parsed = parse_secret_uri("//Alice/soft//1///pw/with/slashes")
    assert parsed.phrase == DEV_PHRASE
    assert [j.hard for j in parsed.junctions] == [True, False, True]
    assert parsed.password == "pw/with/slashes"


def test_derive_method_equals_uri() -> None:
    alice = dev_account("Alice")
    assert alice.derive("//stash") == Keypair.from_uri("//Alice//stash")
    assert alice.derive("/soft//hard") == Keypair.from_uri("//Alice/soft//hard")
    assert alice.derive("") == alice
    with pytest.raises(InvalidKeyUri):
        alice.derive("stash")
    with pytest.raises(InvalidKeyUri):
        alice.derive("//x///pw")


def test_dev_accounts() -> None:
    assert dev_account("alice") == Keypair.from_uri("//Alice")
    assert dev_account("BOB").public.hex() == KNOWN[1][2]
    for name in DEV_ACCOUNT_NAMES:
        pair = dev_account(name.upper())
        assert pair.key_type is SR
        assert pair.public == SIKeypair.create_from_uri(f"//{name}").public_key
    assert dev_account("Alice").ss58_address == "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
    for bad in ("Mallory", "", "//Alice", None):
        with pytest.raises(InvalidKeyMaterial):
            dev_account(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("key_type", [SR, ED])
def test_sign_verify_round_trip(key_type: KeyType) -> None:
    pair = Keypair.from_uri("//Alice", key_type)
    message = b"pysubtensor signs this"
    signature = pair.sign(message)
    assert len(signature) == 64
    assert verify(key_type, signature, message, pair.public)
    assert pair.verify(signature, message)
    assert not verify(key_type, signature, message + b"!", pair.public)
    tampered = bytearray(signature)
    tampered[10] ^= 1
    assert not verify(key_type, bytes(tampered), message, pair.public)
    assert not verify(key_type, signature, message, Keypair.from_uri("//Bob", key_type).public)
    # The other scheme never accepts it.
    other = ED if key_type is SR else SR
    assert not verify(other, signature, message, pair.public)


def test_signatures_cross_verify_with_substrate_interface() -> None:
    ours = dev_account("Alice")
    theirs = SIKeypair.create_from_uri("//Alice")
    assert theirs.verify(b"hello", ours.sign(b"hello"))
    assert verify(SR, theirs.sign(b"hello"), b"hello", ours.public)
    ed_theirs = SIKeypair.create_from_seed(bytes.fromhex(RFC8032_SEED), crypto_type=KeypairType.ED25519)
    assert verify(ED, ed_theirs.sign(b"hi"), b"hi", ed_theirs.public_key)


@pytest.mark.parametrize("key_type", [SR, ED])
def test_verify_malformed_inputs_return_false(key_type: KeyType) -> None:
    pair = Keypair.from_uri("//Alice", key_type)
    signature = pair.sign(b"m")
    for sig, pub in [
        (signature[:63], pair.public),
        (signature + b"\x00", pair.public),
        (b"", pair.public),
        (signature, pair.public[:31]),
        (signature, pair.public + b"\x00"),
        (b"\xff" * 64, pair.public),
        (signature, b"\xff" * 32),
        (None, pair.public),
        (signature, "not bytes"),
    ]:
        assert verify(key_type, sig, b"m", pub) is False  # type: ignore[arg-type]


def test_ed25519_uses_zip215_rules_like_substrate() -> None:
    # ed25519-zebra (what sp_core verifies with) applies ZIP-215: with a small-order key and R, the
    # cofactored equation holds, so this all-zero signature is *valid*. Consensus code must agree
    # with Substrate here, so the behaviour is pinned rather than "fixed".
    assert verify(ED, b"\x00" * 64, b"m", b"\x00" * 32) is True
    assert verify(SR, b"\x00" * 64, b"m", b"\x00" * 32) is False


@settings(max_examples=50)
@given(st.binary(min_size=64, max_size=64), st.binary(max_size=40), st.binary(min_size=32, max_size=32))
def test_verify_never_raises(signature: bytes, message: bytes, public: bytes) -> None:
    for key_type in (SR, ED):
        assert verify(key_type, signature, message, public) in (True, False)


def test_keypair_value_semantics() -> None:
    pair = dev_account("Alice")
    assert "secret" not in repr(pair) and pair.secret.hex() not in repr(pair)
    assert repr(pair) == "Keypair(sr25519, public=0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        pair.public = b"\x00" * 32  # type: ignore[misc]
    assert not hasattr(pair, "__dict__")
    assert hash(pair) == hash(Keypair.from_uri("//Alice"))
    assert Keypair.from_secret_key(pair.secret) == pair
    ed = Keypair.from_uri("//Alice", ED)
    assert Keypair.from_secret_key(ed.secret, ED) == ed
    assert ed != Keypair.from_seed(ed.secret, SR)
    assert pair.address(0) == "15oF4uVJwmo4TdGW7VfQxNLavjCXviqxT9S1MgbjMNHr6Sp5"
    with pytest.raises(InvalidKeyMaterial):
        Keypair(pair.public, Keypair.from_uri("//Bob").secret, SR)
    with pytest.raises(InvalidKeyMaterial):
        Keypair(pair.public, pair.secret[:32], SR)
    with pytest.raises(InvalidKeyMaterial):
        Keypair(pair.public, pair.secret, "rsa")  # type: ignore[arg-type]
    assert Keypair(pair.public, pair.secret, "sr25519").key_type is SR  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        pair.sign("text")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("uri", "key_type"),
    [
        ("//Alice/soft", ED),
        ("/Alice", ED),
        ("not a valid mnemonic phrase", SR),
        ("Alice", SR),
        ("0x1234", SR),
        ("0x" + "zz" * 32, ED),
        ("0x" + RFC8032_SEED + "00", SR),
        ("//Alice//", SR),
        ("//", SR),
        ("/", SR),
    ],
)
def test_bad_uris(uri: str, key_type: KeyType) -> None:
    with pytest.raises(InvalidKeyUri):
        Keypair.from_uri(uri, key_type)


def test_unencodable_junction_rejected() -> None:
    with pytest.raises(InvalidKeyUri):
        Keypair.from_uri("//\ud800")


def test_password_edge_cases() -> None:
    # "///" starts the password, which may be empty (same as none) or contain slashes.
    assert Keypair.from_uri("//Alice///") == Keypair.from_uri("//Alice")
    assert parse_secret_uri("//a///b//c").password == "b//c"


def test_bad_key_material() -> None:
    for seed in (b"", b"\x00" * 31, b"\x00" * 33, "00" * 32):
        for key_type in (SR, ED):
            with pytest.raises(InvalidKeyMaterial):
                Keypair.from_seed(seed, key_type)  # type: ignore[arg-type]
    with pytest.raises(InvalidKeyMaterial):
        Keypair.from_mnemonic("abandon " * 11 + "abandon")
    with pytest.raises(InvalidKeyMaterial):
        Keypair.from_seed(b"\x00" * 32, "ecdsa")  # type: ignore[arg-type]
    with pytest.raises(InvalidKeyUri):
        Keypair.from_uri(42)  # type: ignore[arg-type]


def test_generate_mnemonic() -> None:
    for words in (12, 24):
        phrase = generate_mnemonic(words)
        assert len(phrase.split()) == words
        assert bip39.bip39_validate(phrase)
        Keypair.from_uri(f"{phrase}//hotkey")
    assert generate_mnemonic() != generate_mnemonic()
    with pytest.raises(InvalidKeyMaterial):
        generate_mnemonic(13)


@settings(max_examples=200)
@given(st.one_of(st.text(max_size=40), st.text(alphabet="/ab01x+ \u00fc", max_size=30)))
def test_garbage_uris_raise_only_typed_errors(uri: str) -> None:
    try:
        pair = Keypair.from_uri(uri)
    except PrimitivesError:
        return
    assert len(pair.public) == 32
