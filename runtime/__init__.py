"""The native Python runtime of pysubtensor: SCALE codec, primitives, pallets and the executive.

Sans-IO by design: nothing in this package opens a socket, reads a clock, or imports trio. State is
reached only through the externalities object the client passes in.
"""
