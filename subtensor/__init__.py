"""The pysubtensor node application: CLI, chain specs, service wiring, JSON-RPC and transaction pool."""

__version__ = "0.1.0"
