"""What the GRANDPA voter needs from the chain, declared here so any block tree can serve it.

``consensus.chain.Chain`` implements it over the block database; tests use small in-memory trees.
"""

from __future__ import annotations

from typing import Protocol

from consensus.grandpa.authorities import AuthoritySet
from runtime.primitives.header import Header


class VoterChain(Protocol):
    def is_descendant(self, ancestor: bytes, block: bytes) -> bool:
        """True if ``block`` strictly descends from ``ancestor`` (False for unknown blocks)."""
        ...

    def ancestry(self, base: bytes, block: bytes) -> list[bytes] | None:
        """Hashes from ``block`` back to, excluding, ``base``; None unless ``block`` strictly descends from it."""
        ...

    def best_chain_containing(self, block: bytes) -> tuple[bytes, int] | None:
        """The head of the best chain through ``block`` (None if ``block`` is unknown or abandoned)."""
        ...

    def finalized(self) -> tuple[bytes, int]:
        ...

    def header(self, block: bytes) -> Header | None:
        ...

    def authority_set(self) -> AuthoritySet:
        """The current GRANDPA authority set (changes once a change-enacting block is finalized)."""
        ...

    def vote_limit(self, block: bytes) -> int | None:
        """The highest number a vote may target on ``block``'s chain (a pending change's block), if any."""
        ...
