"""Networking: py-libp2p host and Substrate's wire protocols (block announces, sync, transactions, GRANDPA).

The node uses :class:`network.service.NetworkService` only; see ``docs/network.md``.
"""
