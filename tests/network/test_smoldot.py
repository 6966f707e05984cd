"""Interop smoke test: smoldot (an independent Rust libp2p/Substrate stack) peers with our NetworkService.

smoldot gets the Kusama raw chain spec with our node as its only bootnode. It must complete
multistream-select, Noise XX and Yamux, exchange block-announce handshakes (it announces the light role), open
the GRANDPA substream (it sends a neighbour packet) and report one peer in ``system_health``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import trio

from network.config import NetworkConfig, Roles
from network.service import NetworkService
from tests.network.harness import MemoryChain, Recorder, make_chain, seed, wait_for

KUSAMA_GENESIS = bytes.fromhex("b0a8d493285c2df73290dfb7e61f870f17b41801197a149ca93654499ea3dafe")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(60)]


class KusamaAtGenesis(MemoryChain):
    def genesis_hash(self) -> bytes:
        return KUSAMA_GENESIS

    def best(self) -> tuple[int, bytes]:
        return 0, KUSAMA_GENESIS


def _smoldot() -> Any:
    try:
        import smoldot_light
    except Exception as exc:  # noqa: BLE001 -- a missing or broken native extension means skip
        pytest.skip(f"smoldot_light cannot be loaded: {exc}")
    return smoldot_light.SmoldotClient()


def test_smoldot_completes_noise_yamux_and_the_block_announce_handshake(kusama_spec: dict[str, Any]) -> None:
    client = _smoldot()

    async def main() -> None:
        chain = KusamaAtGenesis(make_chain(0))
        config = NetworkConfig(node_key=seed(9), genesis_hash=KUSAMA_GENESIS, protocol_id="ksmcc3",
                               listen_addresses=("/ip4/127.0.0.1/tcp/0",))
        events = Recorder()
        service = NetworkService(config, chain, chain, events)
        async with trio.open_nursery() as nursery:
            await nursery.start(service.run)
            spec = {k: v for k, v in kusama_spec.items() if k != "lightSyncState"}
            spec["bootNodes"] = [service.listen_addresses()[0]]
            chain_id = await trio.to_thread.run_sync(client.add_chain, json.dumps(spec))
            await wait_for(lambda: events.connected != [], timeout=30)
            (peer_id, roles, best_number, best_hash), = events.connected
            assert roles == int(Roles.LIGHT) and best_number == 0 and best_hash == KUSAMA_GENESIS
            assert peer_id.startswith("12D3KooW")
            # smoldot opens GRANDPA and sends its neighbour packet: 02 (Neighbor) 01 (V1) round set_id height.
            await wait_for(lambda: events.grandpa != [], timeout=10)
            assert events.grandpa[0][1][:2] == b"\x02\x01" and len(events.grandpa[0][1]) == 22

            client.json_rpc_request(chain_id, '{"id":1,"jsonrpc":"2.0","method":"system_health","params":[]}')
            health: dict[str, Any] = {}

            def answered() -> bool:
                for raw in client.drain_responses(chain_id, max=10):
                    message = json.loads(raw)
                    if message.get("id") == 1:
                        health.update(message["result"])
                return bool(health)

            await wait_for(answered, timeout=10)
            assert health["peers"] == 1
            # Our outbound block-announce substream was accepted too (smoldot answered our handshake).
            assert "block-announces" in service._peers[peer_id].outbound
            nursery.cancel_scope.cancel()

    trio.run(main)

