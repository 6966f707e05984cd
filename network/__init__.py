"""Networking: py-libp2p host and Substrate's wire protocols (block announces, sync, transactions, GRANDPA)."""
