"""FRAME-like support for pallets: storage declarations, calls, events, errors, origins and dispatch."""
