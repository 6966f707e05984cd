"""A sans-IO GRANDPA voter: messages, timer ticks and chain events in; gossip, reports and finality out.

The voter never reads a clock or touches the network: every entry point takes ``now_ms`` and returns a
list of outputs (:class:`Broadcast`, :class:`SendTo`, :class:`Report`, :class:`Finalized`,
:class:`EquivocationDetected`) for its driver (:mod:`consensus.grandpa.service`) to carry out. Rounds
follow finality-grandpa's ``voting_round``:

1. at the round start the primary (``round % n``) may propose the previous round's estimate;
2. prevote at ``start + 2Δ`` (or earlier once the round is completable) for the best chain containing
   the previous round's estimate (or the primary's block), never past a pending authority change;
3. precommit at ``start + 4Δ`` (or once completable) for the prevote GHOST, if it descends from the
   previous round's estimate;
4. whenever a round's precommit GHOST rises above the last finalized block, finalize it
   (:class:`Finalized` with a justification) and broadcast the commit;
5. move to the next round once the round is completable and we have precommitted.

Δ is ``gossip_duration_ms``. A voter whose own weight is a supermajority (the dev chain) votes as soon
as there is a new block, so each imported best block is final at once through the same path.
Lagging voters catch up: a neighbour packet or commit two or more rounds ahead triggers a catch-up
request, answered with the votes of the responder's last completed round. Commits from the network
finalize directly after verification. Bad signatures, unknown voters, invalid commits and catch-ups,
and messages for a foreign set cost the sending peer reputation.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass

from consensus.grandpa import reputation as rep
from consensus.grandpa.authorities import AuthoritySet
from consensus.grandpa.environment import VoterChain
from consensus.grandpa.justification import JustificationError, build_justification, verify_commit
from consensus.grandpa.messages import (
    CatchUp, CatchUpRequestMessage, Commit, FullCatchUpMessage, FullCommitMessage, GossipMessage,
    MalformedMessage, NeighborPacket, Precommit, Prevote, PrimaryPropose, SignedMessage, SignedPrecommit,
    SignedPrevote, Vote, VoteMessage, check_vote_signature, decode_gossip, encode_gossip, sign_vote,
)
from consensus.grandpa.round import BlockId, Equivocation, ImportResult, RoundState, RoundVotes
from runtime.primitives.keys import Keypair

log = logging.getLogger("consensus.grandpa")

PeerId = Hashable
CATCH_UP_THRESHOLD = 2  # rounds ahead a peer must be before we ask it to catch us up (sc-consensus-grandpa)
MAX_FUTURE_ROUNDS = 2  # votes this far ahead are kept for later instead of being dropped


@dataclass(frozen=True, slots=True)
class Broadcast:
    data: bytes


@dataclass(frozen=True, slots=True)
class SendTo:
    peer: PeerId
    data: bytes


@dataclass(frozen=True, slots=True)
class Report:
    peer: PeerId
    change: int
    reason: str


@dataclass(frozen=True, slots=True)
class Finalized:
    hash: bytes
    number: int
    justification: bytes


@dataclass(frozen=True, slots=True)
class EquivocationDetected:
    equivocation: Equivocation


Output = Broadcast | SendTo | Report | Finalized | EquivocationDetected


@dataclass(frozen=True, slots=True)
class VoterConfig:
    gossip_duration_ms: int = 1000
    rebroadcast_ms: int = 4000  # re-send our view and votes when a round makes no progress this long
    neighbor_rebroadcast_ms: int = 120_000  # re-send our view at least this often (Substrate: 2 minutes)
    catch_up_timeout_ms: int = 5000


class Voter:
    """The voter of one node (``key`` None or not in the set: an observer that still follows rounds)."""

    def __init__(self, chain: VoterChain, key: Keypair | None, now_ms: int,
                 config: VoterConfig | None = None) -> None:
        self.chain = chain
        self.key = key
        self.config = config or VoterConfig()
        self.finalized: BlockId = chain.finalized()
        self.commit_height = self.finalized[1]
        self.out: list[Output] = []
        self.future: dict[int, list[tuple[PeerId, VoteMessage]]] = {}
        self.peers: dict[PeerId, NeighborPacket] = {}
        self.catch_up_pending: tuple[PeerId, int] | None = None  # (peer, sent at)
        self.pending_commit: tuple[PeerId, FullCommitMessage] | None = None
        self.future_set: list[tuple[PeerId, bytes]] = []  # messages of the next set, kept until we enact it
        self._new_set(chain.authority_set(), self.finalized, now_ms)

    # -- set and round bookkeeping --------------------------------------------------------------------

    def _new_set(self, authorities: AuthoritySet, base: BlockId, now_ms: int) -> None:
        self.authorities = authorities
        self.set_id = authorities.set_id
        self.previous: RoundVotes | None = None
        self.last_estimate: BlockId = base
        self.last_prevote_ghost: BlockId | None = base
        self.future.clear()
        self._start_round(1, now_ms)

    def _start_round(self, number: int, now_ms: int) -> None:
        self.round = RoundVotes(number, self.authorities, self.finalized)
        self.round_start = now_ms
        self.last_rebroadcast = now_ms
        self.proposed = self.prevoted = self.precommitted = False
        self._send_neighbor(now_ms)
        log.debug("GRANDPA set %d round %d starts (base #%d)", self.set_id, number, self.finalized[1])

    def _send_neighbor(self, now_ms: int) -> None:
        self.last_neighbor = now_ms
        self._broadcast(self._neighbor_packet())

    def _neighbor_packet(self) -> NeighborPacket:
        return NeighborPacket(self.round.number, self.set_id, self.commit_height)

    @property
    def _weight(self) -> int:
        return (self.authorities.weight_of(self.key.public) or 0) if self.key is not None else 0

    def _ancestry(self, base: bytes, block: bytes) -> list[bytes] | None:
        return self.chain.ancestry(base, block)

    def _descends_or_equal(self, ancestor: bytes, block: bytes) -> bool:
        return ancestor == block or self.chain.is_descendant(ancestor, block)

    def _broadcast(self, message: GossipMessage) -> None:
        self.out.append(Broadcast(encode_gossip(message)))

    def _drain(self) -> list[Output]:
        out, self.out = self.out, []
        return out

    # -- entry points ---------------------------------------------------------------------------------

    def on_tick(self, now_ms: int) -> list[Output]:
        """Timers: votes due at round deadlines, catch-up timeouts and rebroadcasts when stalled."""
        if self.catch_up_pending is not None and now_ms - self.catch_up_pending[1] >= self.config.catch_up_timeout_ms:
            self.catch_up_pending = None
        if now_ms - self.last_rebroadcast >= self.config.rebroadcast_ms:
            self._rebroadcast(now_ms)
        elif now_ms - self.last_neighbor >= self.config.neighbor_rebroadcast_ms:
            self._send_neighbor(now_ms)
        self._step(now_ms)
        return self._drain()

    def on_block_imported(self, now_ms: int) -> list[Output]:
        """A block was imported or the best block changed: votes may now count, we may vote sooner."""
        self._step(now_ms)
        return self._drain()

    def on_finality_failed(self) -> None:
        """The chain refused a :class:`Finalized` we emitted: forget it so a later step tries again."""
        self.finalized = self.chain.finalized()
        self.commit_height = min(self.commit_height, self.finalized[1])

    def on_peer_connected(self, peer: PeerId, now_ms: int) -> list[Output]:
        self.out.append(SendTo(peer, encode_gossip(self._neighbor_packet())))
        for data in self._own_votes():
            self.out.append(SendTo(peer, data))
        return self._drain()

    def on_message(self, peer: PeerId, data: bytes, now_ms: int) -> list[Output]:
        """One gossip message from ``peer`` (opaque bytes as received)."""
        self._handle(peer, data, now_ms)
        self._step(now_ms)
        return self._drain()

    def _handle(self, peer: PeerId, data: bytes, now_ms: int) -> None:
        try:
            message = decode_gossip(data)
        except MalformedMessage:
            self.out.append(Report(peer, rep.PER_UNDECODABLE_BYTE * max(len(data), 1), "undecodable message"))
            return
        if isinstance(message, VoteMessage):
            self._on_vote(peer, message, now_ms)
        elif isinstance(message, FullCommitMessage):
            self._on_commit(peer, message, now_ms)
        elif isinstance(message, NeighborPacket):
            self._on_neighbor(peer, message, now_ms)
        elif isinstance(message, CatchUpRequestMessage):
            self._on_catch_up_request(peer, message)
        else:
            self._on_catch_up(peer, message, now_ms)

    # -- the round state machine ----------------------------------------------------------------------

    def _step(self, now_ms: int) -> None:
        self._sync_chain(now_ms)
        self._retry_pending_commit(now_ms)
        for _ in range(8):  # bounded: a solo voter completes at most one round per new block
            state = self.round.state(self._ancestry)
            self._maybe_propose()
            if self._weight and not self.prevoted and self._prevote_due(state, now_ms):
                self._prevote()
                state = self.round.state(self._ancestry)
            if (not self.precommitted and (self.prevoted or not self._weight)
                    and self._precommit_due(state, now_ms)):
                self._precommit(state)
                state = self.round.state(self._ancestry)
            if self.previous is not None:
                self._try_finalize(self.previous, self.previous.state(self._ancestry), now_ms)
            self._try_finalize(self.round, state, now_ms)
            if not (state.completable and (self.precommitted or not self._weight)):
                return
            self._complete_round(state, now_ms)

    def _sync_chain(self, now_ms: int) -> None:
        chain_finalized = self.chain.finalized()
        if chain_finalized[1] > self.finalized[1]:
            self.finalized = chain_finalized
        current = self.chain.authority_set()
        if current.set_id > self.set_id:
            log.info("👴 Applying GRANDPA authority set change, new set id %d", current.set_id)
            buffered = self.future_set
            self.future_set = []
            self._new_set(current, self.finalized, now_ms)
            for peer, data in buffered:
                self._handle(peer, data, now_ms)

    def _complete_round(self, state: RoundState, now_ms: int) -> None:
        self.previous = self.round
        self.last_estimate = state.estimate or self.last_estimate  # completable implies an estimate
        self.last_prevote_ghost = state.prevote_ghost
        self._start_round(self.round.number + 1, now_ms)
        for peer, message in self.future.pop(self.round.number, []):
            self._on_vote(peer, message, now_ms)
        self.future = {r: v for r, v in self.future.items() if r > self.round.number}

    def _is_primary(self) -> bool:
        index = self.authorities.index_of(self.key.public) if self.key is not None else None
        return index is not None and self.round.number % len(self.authorities.authorities) == index

    def _maybe_propose(self) -> None:
        ghost = self.last_prevote_ghost
        if self.proposed or not self._is_primary() or ghost is None:
            return
        self.proposed = True
        if ghost[1] > self.last_estimate[1]:
            self._cast(PrimaryPropose(*self.last_estimate))

    def _prevote_due(self, state: RoundState, now_ms: int) -> bool:
        if now_ms >= self.round_start + 2 * self.config.gossip_duration_ms or state.completable:
            return True
        # A supermajority on our own need not wait for anybody: vote as soon as there is something new.
        return self._weight >= self.authorities.threshold and self._prevote_target()[1] > self.last_estimate[1]

    def _precommit_due(self, state: RoundState, now_ms: int) -> bool:
        ghost = state.prevote_ghost
        if ghost is None or not self._descends_or_equal(self.last_estimate[0], ghost[0]):
            return False
        return (now_ms >= self.round_start + 4 * self.config.gossip_duration_ms or state.completable
                or self._weight >= self.authorities.threshold)

    def _prevote_target(self) -> BlockId:
        base = self.last_estimate
        primary = self.round.primary_block
        if (primary is not None and self.last_prevote_ghost is not None
                and primary[1] <= self.last_prevote_ghost[1] and self._descends_or_equal(base[0], primary[0])):
            base = primary
        best = self.chain.best_chain_containing(base[0]) or base
        limit = self.chain.vote_limit(best[0])
        if limit is not None and best[1] > limit:
            best = self._ancestor_at(best, max(limit, base[1]))
        return best

    def _ancestor_at(self, block: BlockId, number: int) -> BlockId:
        if number >= block[1]:
            return block
        route = self._ancestry(self.finalized[0], block[0]) or []
        for offset, block_hash in enumerate(route):
            if block[1] - offset == number:
                return block_hash, number
        return self.finalized

    def _prevote(self) -> None:
        target = self._prevote_target()
        self.prevoted = True
        self._cast(Prevote(*target))

    def _precommit(self, state: RoundState) -> None:
        self.precommitted = True
        if self._weight and state.prevote_ghost is not None:  # _precommit_due checked the GHOST exists
            self._cast(Precommit(*state.prevote_ghost))

    def _cast(self, vote: Vote) -> None:
        if self.key is None:  # observers never vote
            return
        signature = sign_vote(self.key, vote, self.round.number, self.set_id)
        signed = SignedMessage(vote, signature, self.key.public)
        self._import_signed(self.round, signed)
        self._broadcast(VoteMessage(self.round.number, self.set_id, signed))
        log.debug("GRANDPA round %d: cast %s for #%d", self.round.number, type(vote).__name__, vote.target_number)

    def _own_votes(self) -> list[bytes]:
        if self.key is None:
            return []
        votes = []
        for votes_round in (self.previous, self.round):
            if votes_round is None:
                continue
            for table in (votes_round.prevotes, votes_round.precommits):
                signed = table.get(self.key.public)
                if signed is not None:
                    vote = signed.prevote if isinstance(signed, SignedPrevote) else signed.precommit
                    votes.append(encode_gossip(VoteMessage(votes_round.number, self.set_id,
                                                           SignedMessage(vote, signed.signature, signed.id))))
        return votes

    def _rebroadcast(self, now_ms: int) -> None:
        self.last_rebroadcast = now_ms
        self._send_neighbor(now_ms)
        self.out.extend(Broadcast(data) for data in self._own_votes())

    # -- finality -------------------------------------------------------------------------------------

    def _try_finalize(self, votes: RoundVotes, state: RoundState, now_ms: int) -> None:
        target = state.finalized
        if target is None or target[1] <= self.finalized[1]:
            return
        precommits = votes.justification_precommits(target, self._ancestry)
        justification = build_justification(votes.number, target[0], target[1], precommits, self._headers)
        self._finalize(target, justification.encode())
        self.commit_height = target[1]
        self._broadcast(FullCommitMessage(votes.number, self.set_id, justification.commit.compact()))
        self._send_neighbor(now_ms)

    def _finalize(self, target: BlockId, justification: bytes) -> None:
        self.finalized = target
        self.out.append(Finalized(target[0], target[1], justification))
        log.debug("GRANDPA finalized #%d (0x%s)", target[1], target[0].hex())

    def _headers(self, base: bytes, block: bytes) -> list:  # type: ignore[type-arg]
        headers = []
        for block_hash in self._ancestry(base, block) or []:
            header = self.chain.header(block_hash)
            if header is not None:
                headers.append(header)
        return headers

    # -- incoming messages ----------------------------------------------------------------------------

    def _check_set(self, peer: PeerId, set_id: int, data: GossipMessage) -> bool:
        if set_id == self.set_id:
            return True
        if set_id == self.set_id + 1 and len(self.future_set) < 64:
            self.future_set.append((peer, encode_gossip(data)))  # we have not enacted the change yet
        elif set_id > self.set_id + 1:
            self.out.append(Report(peer, rep.FUTURE_MESSAGE, f"message for unknown set {set_id}"))
        return False

    def _on_vote(self, peer: PeerId, message: VoteMessage, now_ms: int) -> None:
        if not self._check_set(peer, message.set_id, message):
            return
        number = message.round
        if number > self.round.number:
            kept = self.future.setdefault(number, []) if number - self.round.number <= MAX_FUTURE_ROUNDS else None
            if kept is not None and len(kept) < 3 * len(self.authorities.authorities):  # bounded: 3 kinds per voter
                kept.append((peer, message))
            return
        target = self.round if number == self.round.number else self.previous
        if target is None or target.number != number:
            return  # an old round: nothing to learn
        signed = message.message
        if self.authorities.weight_of(signed.id) is None:
            self.out.append(Report(peer, rep.UNKNOWN_VOTER, "vote from a non-voter"))
            return
        if not check_vote_signature(signed.message, signed.signature, signed.id, number, self.set_id):
            self.out.append(Report(peer, rep.BAD_SIGNATURE, "bad vote signature"))
            return
        self._import_signed(target, signed)

    def _import_signed(self, votes: RoundVotes, signed: SignedMessage) -> None:
        vote = signed.message
        if isinstance(vote, PrimaryPropose):
            primary_index = votes.number % len(self.authorities.authorities)
            if self.authorities.authorities[primary_index][0] == signed.id and votes.primary_block is None:
                votes.primary_block = (vote.target_hash, vote.target_number)
            return
        if isinstance(vote, Prevote):
            result, equivocation = votes.import_prevote(SignedPrevote(vote, signed.signature, signed.id))
        else:
            result, equivocation = votes.import_precommit(SignedPrecommit(vote, signed.signature, signed.id))
        if result is ImportResult.EQUIVOCATION and equivocation is not None:
            log.warning("GRANDPA: voter 0x%s equivocated in round %d", signed.id.hex(), votes.number)
            self.out.append(EquivocationDetected(equivocation))

    def _on_commit(self, peer: PeerId, message: FullCommitMessage, now_ms: int) -> None:
        if not self._check_set(peer, message.set_id, message):
            return
        if message.round >= self.round.number + CATCH_UP_THRESHOLD:
            self._request_catch_up(peer, now_ms)
        if message.message.target_number <= self.finalized[1]:
            return
        self.pending_commit = (peer, message)
        self._retry_pending_commit(now_ms)

    def _retry_pending_commit(self, now_ms: int) -> None:
        if self.pending_commit is None:
            return
        peer, message = self.pending_commit
        if message.set_id != self.set_id or message.message.target_number <= self.finalized[1]:
            self.pending_commit = None
            return
        try:
            commit = message.message.expand()
        except MalformedMessage:
            self.pending_commit = None
            self.out.append(Report(peer, rep.MALFORMED_COMMIT, "malformed commit"))
            return
        targets = [commit.target_hash] + [p.precommit.target_hash for p in commit.precommits]
        if any(self.chain.header(h) is None for h in targets):
            return  # wait for the blocks: the commit may be fine once they are imported
        self.pending_commit = None
        try:
            verify_commit(commit, message.round, self.authorities, (), self.chain.is_descendant)
        except JustificationError as exc:
            self.out.append(Report(peer, rep.INVALID_COMMIT, f"invalid commit: {exc}"))
            return
        self._finalize_commit(message.round, commit)

    def _finalize_commit(self, round_number: int, commit: Commit) -> None:
        target = (commit.target_hash, commit.target_number)
        justification = build_justification(round_number, target[0], target[1], commit.precommits, self._headers)
        self._finalize(target, justification.encode())
        self.commit_height = target[1]

    def _on_neighbor(self, peer: PeerId, packet: NeighborPacket, now_ms: int) -> None:
        self.peers[peer] = packet
        if packet.set_id == self.set_id and packet.round >= self.round.number + CATCH_UP_THRESHOLD:
            self._request_catch_up(peer, now_ms)

    def _request_catch_up(self, peer: PeerId, now_ms: int) -> None:
        if self.catch_up_pending is not None:
            return
        self.catch_up_pending = (peer, now_ms)
        self.out.append(SendTo(peer, encode_gossip(CatchUpRequestMessage(self.round.number, self.set_id))))
        log.debug("GRANDPA: asking a peer to catch us up from round %d", self.round.number)

    def _on_catch_up_request(self, peer: PeerId, request: CatchUpRequestMessage) -> None:
        if request.set_id != self.set_id:
            self.out.append(Report(peer, rep.OUT_OF_SCOPE_MESSAGE, "catch-up request for another set"))
            return
        done = self.previous
        if done is None or done.number <= request.round:
            return  # we cannot help (yet)
        prevotes = tuple(done.prevotes[v] for v in sorted(done.prevotes))
        precommits = tuple(done.precommits[v] for v in sorted(done.precommits))
        reply = FullCatchUpMessage(self.set_id, CatchUp(done.number, prevotes, precommits, *done.base))
        self.out.append(SendTo(peer, encode_gossip(reply)))

    def _on_catch_up(self, peer: PeerId, message: FullCatchUpMessage, now_ms: int) -> None:
        pending, self.catch_up_pending = self.catch_up_pending, None
        if pending is None or pending[0] != peer:
            self.out.append(Report(peer, rep.OUT_OF_SCOPE_MESSAGE, "unsolicited catch-up"))
            return
        catch_up = message.message
        if message.set_id != self.set_id or catch_up.round_number < self.round.number:
            return
        votes = RoundVotes(catch_up.round_number, self.authorities, (catch_up.base_hash, catch_up.base_number))
        for signed in (*catch_up.prevotes, *catch_up.precommits):
            vote = signed.prevote if isinstance(signed, SignedPrevote) else signed.precommit
            if (self.authorities.weight_of(signed.id) is None or not check_vote_signature(
                    vote, signed.signature, signed.id, catch_up.round_number, self.set_id)):
                self.out.append(Report(peer, rep.INVALID_CATCH_UP, "catch-up with a bad vote"))
                return
            self._import_signed(votes, SignedMessage(vote, signed.signature, signed.id))
        state = votes.state(self._ancestry)
        if not state.completable:
            return  # perhaps blocks we do not have yet; a later request will do
        log.info("👴 GRANDPA caught up to round %d", catch_up.round_number)
        self._try_finalize(votes, state, now_ms)
        self.round = votes
        self.precommitted = True
        self._complete_round(state, now_ms)
