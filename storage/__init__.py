"""Persistence for pysubtensor: key-value backends, the Substrate trie, block and state databases.

Bytes in, bytes out: this package imports nothing else from the project.
"""
