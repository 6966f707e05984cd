"""JSON-RPC 2.0 over HTTP and WebSocket on one port, with Substrate's method names and error codes."""
