"""Typed errors of the node application."""

from __future__ import annotations


class NodeError(Exception):
    """Base class of node-level errors (configuration, chain specs, services)."""


class ChainSpecError(NodeError):
    """A chain spec file is missing, unreadable, or not a Substrate chain spec."""
