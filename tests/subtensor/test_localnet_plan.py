"""The localnet's plan (ports, keys, bootnodes, chain spec) and the docker compose file agree with the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from subtensor.chain_spec import load_chain_spec
from subtensor.cli import node as node_command_group
from subtensor.localnet import LocalnetError, chain_spec_document, node_command, plan
from subtensor.node_key import peer_id

ROOT = Path(__file__).resolve().parents[2]


def test_plan_gives_each_node_its_ports_key_and_base_path(tmp_path: Path) -> None:
    nodes = plan(4, tmp_path, port=31000, rpc_port=9950)
    assert [n.name for n in nodes] == ["Alice", "Bob", "Charlie", "Dave"]
    assert [n.p2p_port for n in nodes] == [31000, 31001, 31002, 31003]
    assert [n.rpc_port for n in nodes] == [9950, 9951, 9952, 9953]
    assert len({n.base_path for n in nodes}) == 4
    assert nodes[0].peer_id == "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp"
    assert nodes[1].multiaddr.endswith("/p2p/" + peer_id((2).to_bytes(32, "big")))


def test_node_commands_parse_with_the_real_cli(tmp_path: Path) -> None:
    nodes = plan(3, tmp_path)
    spec = tmp_path / "spec.json"
    command = node_command(nodes[2], spec, [nodes[0].multiaddr], validator=True)
    args = command[command.index("node") + 1:]
    ctx = node_command_group.make_context("node", args)
    assert ctx.params["dev_keys"] == ("charlie",)
    assert ctx.params["bootnodes"] == (nodes[0].multiaddr,)
    assert ctx.params["rpc_port"] == 9946 and ctx.params["port"] == 30335


def test_chain_spec_has_the_authorities_and_builtin_name_matches() -> None:
    document = chain_spec_document(4)
    config = document["genesis"]["runtimeGenesis"]["config"]
    assert len(config["aura"]["authorities"]) == 4 and len(config["grandpa"]["authorities"]) == 4
    with pytest.raises(LocalnetError):
        chain_spec_document(7)
    _, from_name = load_chain_spec("local4")
    _, local = load_chain_spec("local")
    assert from_name.genesis_header().hash != local.genesis_header().hash  # two vs four authorities
    _, two = load_chain_spec("local2")
    assert two.top == local.top  # "local2" is the built-in local chain's genesis, under another name


def test_compose_file_runs_the_same_localnet() -> None:
    compose = yaml.safe_load((ROOT / "docker" / "docker-compose.yml").read_text())
    services = compose["services"]
    assert sorted(services) == ["alice", "bob", "charlie"]
    alice_ip = services["alice"]["networks"]["localnet"]["ipv4_address"]
    for name, service in services.items():
        args = service["command"]
        assert args[0] == "node"
        ctx = node_command_group.make_context("node", list(args[1:]))
        assert ctx.params["chain"] == "local3" and ctx.params["dev_keys"] == (name,)
        key = bytes.fromhex(ctx.params["node_key"])
        if name == "alice":
            assert ctx.params["bootnodes"] == ()
        else:
            assert ctx.params["bootnodes"] == (f"/ip4/{alice_ip}/tcp/30333/p2p/{peer_id((1).to_bytes(32, 'big'))}",)
        assert key == plan(3, ROOT)[["alice", "bob", "charlie"].index(name)].secret
