"""Shared test helpers for GRANDPA: dev ed25519 voters, a fake block tree, signed precommits."""

from __future__ import annotations

from runtime.primitives.header import Header
from runtime.primitives.keys import Keypair, KeyType

from consensus.grandpa.authorities import AuthoritySet
from consensus.grandpa.messages import Precommit, Prevote, SignedPrecommit, SignedPrevote, sign_vote

NAMES = ("Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie")
KEYS = {name: Keypair.from_uri(f"//{name}", KeyType.Ed25519) for name in NAMES}


def voter_set(names: tuple[str, ...] = NAMES[:4], set_id: int = 0) -> AuthoritySet:
    return AuthoritySet(set_id, tuple((KEYS[n].public, 1) for n in names))


def make_header(parent: Header | None, salt: int = 0, logs: tuple = ()) -> Header:  # type: ignore[type-arg]
    """A child of ``parent`` (genesis when None); ``salt`` tells forks apart."""
    if parent is None:
        return Header(bytes(32), 0, bytes(32), bytes(32), logs)
    return Header(parent.hash, parent.number + 1, salt.to_bytes(32, "little"), bytes(32), logs)


def chain_of(length: int, base: Header | None = None, salt: int = 0) -> list[Header]:
    headers = [base if base is not None else make_header(None)]
    for _ in range(length):
        headers.append(make_header(headers[-1], salt))
    return headers


def precommit(name: str, header: Header, round_number: int = 1, set_id: int = 0) -> SignedPrecommit:
    vote = Precommit(header.hash, header.number)
    return SignedPrecommit(vote, sign_vote(KEYS[name], vote, round_number, set_id), KEYS[name].public)


def prevote(name: str, header: Header, round_number: int = 1, set_id: int = 0) -> SignedPrevote:
    vote = Prevote(header.hash, header.number)
    return SignedPrevote(vote, sign_vote(KEYS[name], vote, round_number, set_id), KEYS[name].public)
