#!/usr/bin/env bash
# Start a fresh development chain on ws://127.0.0.1:9944, printing the node's log; SIGTERM stops it.
# Usage: scripts/localnet.sh [True|False] [--no-purge] [--build-only]
#   True (default): fast blocks (250 ms slots, fast-runtime constants); False: 12 s blocks.
# This is the contract the public bittensor e2e harness relies on (it waits for "Imported #1").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FAST="True"
BUILD_ONLY=0
for arg in "$@"; do
  case "$arg" in
    True|true|False|false) FAST="$arg" ;;
    --build-only) BUILD_ONLY=1 ;;
    --no-purge) ;;  # every run starts from a temporary database anyway
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

if [ ! -x "$ROOT/.venv/bin/python" ]; then
  make -C "$ROOT" .venv/.installed >&2
fi
[ "$BUILD_ONLY" = 1 ] && exit 0

flags=(--dev --rpc-port 9944 --rpc-cors all --rpc-methods unsafe)
case "$FAST" in
  False|false) flags+=(--no-fast-blocks) ;;
  *) flags+=(--fast-blocks) ;;
esac
exec "$ROOT/.venv/bin/python" -m subtensor.cli node "${flags[@]}"
