"""GRANDPA wire types: votes, commits, catch-ups, gossip messages and justifications.

Byte-compatible with ``finality_grandpa`` (``Prevote``, ``Precommit``, ``PrimaryPropose``, ``Message``,
``SignedMessage``, ``Commit``, ``CompactCommit``, ``CatchUp``) and with sc-consensus-grandpa's gossip
layer (``GossipMessage`` and its ``VoteMessage``, ``FullCommitMessage``, ``VersionedNeighborPacket``,
``CatchUpRequestMessage``, ``FullCatchUpMessage``) and ``GrandpaJustification``. Block numbers are u32 and
hashes 32 bytes, as on subtensor. A vote is signed with the voter's ed25519 key over
``SCALE((message, round u64, set_id u64))`` (:func:`localized_payload`).

Values are frozen dataclasses; ``decode_gossip`` raises :class:`MalformedMessage` on bad bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from runtime.primitives.header import Header
from runtime.primitives.keys import Keypair, KeyType, verify
from runtime.scale import (
    U64, Converted, Enum, FixedBytes, ScaleError, ScaleType, Tuple, Vec, hash256, scale_struct, u32, u64, variant,
)

SIGNATURE = FixedBytes(64)
AUTHORITY_ID = FixedBytes(32)
signature64 = Annotated[bytes, SIGNATURE, "ed25519::Signature"]
authority_id = Annotated[bytes, AUTHORITY_ID, "AuthorityId"]


class MalformedMessage(Exception):
    """Bytes that do not decode as the expected GRANDPA message."""


def _seq(inner: ScaleType) -> Converted:
    # Values are tuples so decoded messages compare equal to constructed ones (dataclasses stay hashable).
    return Converted(Vec(inner), lambda items: tuple(tuple(i) if isinstance(i, list) else i for i in items),
                     list, f"Vec<{inner!r}>")


# -- votes ------------------------------------------------------------------------------------------


@scale_struct("finality_grandpa::Prevote")
@dataclass(frozen=True, slots=True)
class Prevote:
    target_hash: hash256
    target_number: u32


@scale_struct("finality_grandpa::Precommit")
@dataclass(frozen=True, slots=True)
class Precommit:
    target_hash: hash256
    target_number: u32


@scale_struct("finality_grandpa::PrimaryPropose")
@dataclass(frozen=True, slots=True)
class PrimaryPropose:
    target_hash: hash256
    target_number: u32


Vote = Prevote | Precommit | PrimaryPropose
_VOTE_CLASSES: dict[str, type] = {"Prevote": Prevote, "Precommit": Precommit, "PrimaryPropose": PrimaryPropose}

#: ``finality_grandpa::Message``: the variant index is the vote kind (0 prevote, 1 precommit, 2 propose).
Message = Converted(
    Enum("finality_grandpa::Message", [
        variant("Prevote", 0, [(None, Prevote.SCALE)]),  # type: ignore[attr-defined]
        variant("Precommit", 1, [(None, Precommit.SCALE)]),  # type: ignore[attr-defined]
        variant("PrimaryPropose", 2, [(None, PrimaryPropose.SCALE)]),  # type: ignore[attr-defined]
    ]),
    lambda value: value[1],
    lambda vote: (type(vote).__name__, vote),
    "Message",
)
message_t = Annotated[Any, Message, "Message"]


def localized_payload(message: Vote, round_number: int, set_id: int) -> bytes:
    """What a voter signs: ``(message, round, set_id)`` SCALE-encoded."""
    return Message.encode(message) + U64.encode(round_number) + U64.encode(set_id)


def sign_vote(key: Keypair, message: Vote, round_number: int, set_id: int) -> bytes:
    if key.key_type is not KeyType.Ed25519:
        raise ValueError("GRANDPA voters sign with ed25519")
    return key.sign(localized_payload(message, round_number, set_id))


def check_vote_signature(message: Vote, signature: bytes, voter: bytes, round_number: int, set_id: int) -> bool:
    return verify(KeyType.Ed25519, signature, localized_payload(message, round_number, set_id), voter)


@scale_struct("finality_grandpa::SignedMessage")
@dataclass(frozen=True, slots=True)
class SignedMessage:
    message: message_t
    signature: signature64
    id: authority_id


@scale_struct("finality_grandpa::SignedPrevote")
@dataclass(frozen=True, slots=True)
class SignedPrevote:
    prevote: Annotated[Prevote, Prevote.SCALE]  # type: ignore[attr-defined]
    signature: signature64
    id: authority_id


@scale_struct("finality_grandpa::SignedPrecommit")
@dataclass(frozen=True, slots=True)
class SignedPrecommit:
    precommit: Annotated[Precommit, Precommit.SCALE]  # type: ignore[attr-defined]
    signature: signature64
    id: authority_id


# -- commits and catch-ups --------------------------------------------------------------------------


@scale_struct("finality_grandpa::Commit")
@dataclass(frozen=True, slots=True)
class Commit:
    """A finalized target with the precommits that justify it."""

    target_hash: hash256
    target_number: u32
    precommits: Annotated[tuple[SignedPrecommit, ...], _seq(SignedPrecommit.SCALE)]  # type: ignore[attr-defined]

    def compact(self) -> CompactCommit:
        return CompactCommit(self.target_hash, self.target_number,
                             tuple(p.precommit for p in self.precommits),
                             tuple((p.signature, p.id) for p in self.precommits))


@scale_struct("finality_grandpa::CompactCommit")
@dataclass(frozen=True, slots=True)
class CompactCommit:
    """A commit as gossiped: the precommits and their (signature, id) pairs in two parallel lists."""

    target_hash: hash256
    target_number: u32
    precommits: Annotated[tuple[Precommit, ...], _seq(Precommit.SCALE)]  # type: ignore[attr-defined]
    auth_data: Annotated[tuple[tuple[bytes, bytes], ...], _seq(Tuple(SIGNATURE, AUTHORITY_ID))]

    def expand(self) -> Commit:
        if len(self.precommits) != len(self.auth_data):
            raise MalformedMessage("compact commit: precommits and auth_data differ in length")
        return Commit(self.target_hash, self.target_number,
                      tuple(SignedPrecommit(p, s, i) for p, (s, i) in zip(self.precommits, self.auth_data)))


@scale_struct("finality_grandpa::CatchUp")
@dataclass(frozen=True, slots=True)
class CatchUp:
    """The votes of a completed round, sent to a voter that lags behind."""

    round_number: u64
    prevotes: Annotated[tuple[SignedPrevote, ...], _seq(SignedPrevote.SCALE)]  # type: ignore[attr-defined]
    precommits: Annotated[tuple[SignedPrecommit, ...], _seq(SignedPrecommit.SCALE)]  # type: ignore[attr-defined]
    base_hash: hash256
    base_number: u32


# -- gossip -----------------------------------------------------------------------------------------


@scale_struct("sc_consensus_grandpa::communication::gossip::VoteMessage")
@dataclass(frozen=True, slots=True)
class VoteMessage:
    round: u64
    set_id: u64
    message: Annotated[SignedMessage, SignedMessage.SCALE]  # type: ignore[attr-defined]


@scale_struct("sc_consensus_grandpa::communication::gossip::FullCommitMessage")
@dataclass(frozen=True, slots=True)
class FullCommitMessage:
    round: u64
    set_id: u64
    message: Annotated[CompactCommit, CompactCommit.SCALE]  # type: ignore[attr-defined]


@scale_struct("sc_consensus_grandpa::communication::gossip::NeighborPacket")
@dataclass(frozen=True, slots=True)
class NeighborPacket:
    """A peer's view: its current round and set and the height it last finalized by a commit."""

    round: u64
    set_id: u64
    commit_finalized_height: u32


# ``VersionedNeighborPacket`` has a single variant, V1, at index 1.
_VERSIONED_NEIGHBOR = Converted(
    Enum("sc_consensus_grandpa::communication::gossip::VersionedNeighborPacket",
         [variant("V1", 1, [(None, NeighborPacket.SCALE)])]),  # type: ignore[attr-defined]
    lambda value: value[1], lambda packet: ("V1", packet), "VersionedNeighborPacket",
)


@scale_struct("sc_consensus_grandpa::communication::gossip::CatchUpRequestMessage")
@dataclass(frozen=True, slots=True)
class CatchUpRequestMessage:
    round: u64
    set_id: u64


@scale_struct("sc_consensus_grandpa::communication::gossip::FullCatchUpMessage")
@dataclass(frozen=True, slots=True)
class FullCatchUpMessage:
    set_id: u64
    message: Annotated[CatchUp, CatchUp.SCALE]  # type: ignore[attr-defined]


GossipMessage = VoteMessage | FullCommitMessage | NeighborPacket | CatchUpRequestMessage | FullCatchUpMessage
_GOSSIP_NAMES: dict[type, str] = {VoteMessage: "Vote", FullCommitMessage: "Commit", NeighborPacket: "Neighbor",
                                  CatchUpRequestMessage: "CatchUpRequest", FullCatchUpMessage: "CatchUp"}

GOSSIP_MESSAGE = Converted(
    Enum("sc_consensus_grandpa::communication::gossip::GossipMessage", [
        variant("Vote", 0, [(None, VoteMessage.SCALE)]),  # type: ignore[attr-defined]
        variant("Commit", 1, [(None, FullCommitMessage.SCALE)]),  # type: ignore[attr-defined]
        variant("Neighbor", 2, [(None, _VERSIONED_NEIGHBOR)]),
        variant("CatchUpRequest", 3, [(None, CatchUpRequestMessage.SCALE)]),  # type: ignore[attr-defined]
        variant("CatchUp", 4, [(None, FullCatchUpMessage.SCALE)]),  # type: ignore[attr-defined]
    ]),
    lambda value: value[1],
    lambda message: (_GOSSIP_NAMES[type(message)], message),
    "GossipMessage",
)


def encode_gossip(message: GossipMessage) -> bytes:
    return GOSSIP_MESSAGE.encode(message)


def decode_gossip(data: bytes) -> GossipMessage:
    try:
        return GOSSIP_MESSAGE.decode(data)  # type: ignore[no-any-return]
    except (ScaleError, IndexError, ValueError, TypeError) as exc:
        raise MalformedMessage(f"undecodable GRANDPA gossip message: {exc}") from exc


# -- justification ----------------------------------------------------------------------------------


@scale_struct("sp_consensus_grandpa::GrandpaJustification")
@dataclass(frozen=True, slots=True)
class GrandpaJustification:
    """The commit of a round plus the headers linking every precommit target to the commit target."""

    round: u64
    commit: Annotated[Commit, Commit.SCALE]  # type: ignore[attr-defined]
    votes_ancestries: Annotated[tuple[Header, ...], _seq(Header.SCALE)]  # type: ignore[attr-defined]

    def encode(self) -> bytes:
        return GrandpaJustification.SCALE.encode(self)  # type: ignore[attr-defined, no-any-return]

    @staticmethod
    def decode(data: bytes) -> GrandpaJustification:
        try:
            return GrandpaJustification.SCALE.decode(data)  # type: ignore[attr-defined, no-any-return]
        except (ScaleError, IndexError, ValueError, TypeError) as exc:
            raise MalformedMessage(f"undecodable GRANDPA justification: {exc}") from exc


__all__ = [
    "AUTHORITY_ID", "CatchUp", "CatchUpRequestMessage", "Commit", "CompactCommit", "FullCatchUpMessage",
    "FullCommitMessage", "GOSSIP_MESSAGE", "GossipMessage", "GrandpaJustification", "MalformedMessage", "Message",
    "NeighborPacket", "Precommit", "Prevote", "PrimaryPropose", "SIGNATURE", "SignedMessage", "SignedPrecommit",
    "SignedPrevote", "Vote", "VoteMessage", "check_vote_signature", "decode_gossip", "encode_gossip",
    "localized_payload", "sign_vote",
]
