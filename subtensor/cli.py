"""The ``subtensor`` command line (click), with node-subtensor/Substrate's flags and subcommands.

Commands only parse options and call into the library; no logic lives here.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click

from subtensor import __version__
from subtensor.chain_spec import ChainSpecError, is_builtin, load_chain_spec, load_raw_chain_spec
from subtensor.config import DEV_ACCOUNTS, ConfigError, NodeConfig


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pysubtensor")
def main() -> None:
    """pysubtensor: a Substrate-compatible Bittensor node written in Python."""


def _pruning(value: str) -> int | None:
    if value == "archive":
        return None
    try:
        return int(value)
    except ValueError:
        raise click.BadParameter("use 'archive' or a number of blocks") from None


def _dev_key_options(func):  # type: ignore[no-untyped-def]
    for name in reversed(DEV_ACCOUNTS):
        func = click.option(f"--{name}", "dev_keys", flag_value=name, multiple=True,
                            help=f"Shortcut for --name {name.capitalize()} --validator with the {name} dev key.")(func)
    return func


@main.command("node")
@click.option("--dev", is_flag=True, help="Development chain: --chain dev --alice, instant finality, temporary DB.")
@click.option("--chain", default=None, help="dev, local, or a chain-spec JSON file.")
@click.option("--base-path", "-d", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--tmp", is_flag=True, help="Use a temporary base path, deleted on exit.")
@click.option("--name", default=None, help="The node's human-readable name.")
@click.option("--validator", is_flag=True, help="Author blocks with the node's session keys.")
@_dev_key_options
@click.option("--port", default=30333, show_default=True, help="libp2p TCP port.")
@click.option("--rpc-port", default=9944, show_default=True)
@click.option("--rpc-external", "--unsafe-rpc-external", "rpc_external", is_flag=True,
              help="Listen for RPC on all interfaces.")
@click.option("--rpc-cors", default=None, help="'all' or comma-separated origins.")
@click.option("--rpc-methods", type=click.Choice(["safe", "unsafe", "auto"]), default="auto", show_default=True)
@click.option("--rpc-max-connections", default=100, show_default=True)
@click.option("--pruning", default="256", show_default=True, help="'archive' or the number of blocks to keep.")
@click.option("--bootnodes", multiple=True, help="Multiaddresses of boot nodes.")
@click.option("--listen-addr", "listen_addrs", multiple=True,
              help="libp2p listen multiaddress (default /ip4/0.0.0.0/tcp/<--port>).")
@click.option("--reserved-nodes", multiple=True, help="Multiaddresses of peers always kept connected.")
@click.option("--reserved-only", is_flag=True, help="Only connect to reserved nodes.")
@click.option("--in-peers", default=32, show_default=True, help="Maximum inbound full-node peers.")
@click.option("--out-peers", default=8, show_default=True, help="Target outbound full-node peers.")
@click.option("--mdns/--no-mdns", default=False, show_default=True, help="Discover peers on the LAN with mDNS.")
@click.option("--no-network", is_flag=True, help="Run without a libp2p host (a lone node).")
@click.option("--node-key", default=None, help="The libp2p ed25519 secret key, as hex.")
@click.option("--prometheus-port", default=9615, show_default=True)
@click.option("--no-prometheus", is_flag=True)
@click.option("--fast-blocks/--no-fast-blocks", default=None,
              help="250 ms slots and the fast-runtime constants (default for --dev and local).")
@click.option("--sealing", default="aura", show_default=True,
              help="aura (slots), instant, manual (engine_createBlock), or a number of milliseconds.")
@click.option("-l", "--log", "log_filters", multiple=True, help="Log filters, e.g. -l runtime=debug.")
def node(dev: bool, chain: str | None, base_path: Path | None, tmp: bool, name: str | None, validator: bool,
         dev_keys: tuple[str, ...], port: int, rpc_port: int, rpc_external: bool, rpc_cors: str | None,
         rpc_methods: str, rpc_max_connections: int, pruning: str, bootnodes: tuple[str, ...],
         listen_addrs: tuple[str, ...], reserved_nodes: tuple[str, ...], reserved_only: bool, in_peers: int,
         out_peers: int, mdns: bool, no_network: bool, node_key: str | None, prometheus_port: int, no_prometheus: bool, fast_blocks: bool | None,
         sealing: str, log_filters: tuple[str, ...]) -> None:
    """Run a node."""
    from subtensor.service import run_node

    dev_key = dev_keys[-1] if dev_keys else None
    if dev:
        chain = chain or "dev"
        dev_key = dev_key or "alice"
        tmp = tmp or base_path is None
    chain = chain or "local"
    interval = 1000
    if sealing.isdigit():
        interval, sealing = int(sealing), "interval"
    cors: tuple[str, ...] | str = NodeConfig.rpc_cors
    if rpc_cors is not None:
        cors = "all" if rpc_cors == "all" else tuple(o.strip() for o in rpc_cors.split(",") if o.strip())
    try:
        config = NodeConfig(
            chain=chain, base_path=base_path, tmp=tmp, name=name or (dev_key or "pysubtensor").capitalize(),
            validator=validator or dev_key is not None, dev_key=dev_key, port=port, rpc_port=rpc_port,
            rpc_external=rpc_external, rpc_cors=cors, rpc_methods=rpc_methods,
            rpc_max_connections=rpc_max_connections, pruning=_pruning(pruning), bootnodes=bootnodes,
            listen_addrs=listen_addrs, reserved_nodes=reserved_nodes, reserved_only=reserved_only,
            in_peers=in_peers, out_peers=out_peers, mdns=mdns, network=not no_network,
            node_key=node_key, prometheus_port=None if no_prometheus else prometheus_port,
            fast_blocks=fast_blocks if fast_blocks is not None else is_builtin(chain),
            sealing=sealing, sealing_interval_ms=interval, log_filters=log_filters,
        )
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    sys.exit(run_node(config))


@main.command("localnet")
@click.option("--nodes", default=3, show_default=True, help="How many nodes (the first six are validators).")
@click.option("--base-path", "-d", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where node databases, logs and the chain spec go (default: a temporary directory).")
@click.option("--port", default=30333, show_default=True, help="libp2p port of the first node (+1 per node).")
@click.option("--rpc-port", default=9944, show_default=True, help="RPC port of the first node (+1 per node).")
@click.option("--fast-blocks/--no-fast-blocks", default=True, show_default=True)
def localnet(nodes: int, base_path: Path | None, port: int, rpc_port: int, fast_blocks: bool) -> None:
    """Run a local multi-node network until Ctrl-C."""
    import signal

    import trio

    from subtensor.localnet import LocalnetError, run_localnet

    async def main() -> None:
        with trio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
            async with trio.open_nursery() as nursery:
                await nursery.start(lambda task_status: run_localnet(
                    nodes, base_path, port=port, rpc_port=rpc_port, fast_blocks=fast_blocks,
                    task_status=task_status))
                async for _ in signals:
                    click.echo("stopping all nodes…")
                    nursery.cancel_scope.cancel()
                    break

    try:
        trio.run(main)
    except BaseExceptionGroup as group:
        failure, _ = group.split(LocalnetError)
        if failure is None:
            raise
        raise click.ClickException("; ".join(str(e) for e in failure.exceptions)) from None
    except LocalnetError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command("build-spec")
@click.option("--chain", default="local", show_default=True, help="dev, local, or a chain-spec JSON file.")
@click.option("--raw", is_flag=True, help="Output the raw (storage) form.")
def build_spec(chain: str, raw: bool) -> None:
    """Print a chain spec as JSON."""
    try:
        document, spec = load_chain_spec(chain)
    except ChainSpecError as exc:
        raise click.ClickException(str(exc)) from exc
    if raw:
        document = dict(document)
        document["genesis"] = {"raw": {"top": {"0x" + k.hex(): "0x" + v.hex() for k, v in sorted(spec.top.items())},
                                       "childrenDefault": {}}}
        document["stateVersion"] = spec.state_version
    click.echo(json.dumps(document, indent=2))


@main.command("export-genesis-head")
@click.option("--chain", "chain", required=True, help="dev, local, or a chain-spec JSON file (plain or raw).")
def export_genesis_head(chain: str) -> None:
    """Print 0x + the SCALE-encoded genesis header of a chain spec."""
    try:
        spec = load_chain_spec(chain)[1] if is_builtin(chain) else _load_any(chain)
    except ChainSpecError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("0x" + spec.genesis_header().encode().hex())


def _load_any(path: str):  # type: ignore[no-untyped-def]
    try:
        return load_raw_chain_spec(path)
    except ChainSpecError as exc:
        if "raw chain spec" not in str(exc):
            raise
        return load_chain_spec(path)[1]


@main.group("key")
def key() -> None:
    """Key utilities."""


@key.command("generate-node-key")
@click.option("--file", "file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the secret to this file instead of stdout.")
def generate_node_key(file: Path | None) -> None:
    """Generate a libp2p node key; the peer id goes to stderr, the secret to stdout or --file."""
    from subtensor.node_key import generate_secret, peer_id

    secret = generate_secret()
    click.echo(peer_id(secret), err=True)
    if file is None:
        click.echo(secret.hex())
    else:
        file.write_bytes(secret)
        file.chmod(0o600)


@key.command("inspect")
@click.argument("uri")
@click.option("--scheme", type=click.Choice(["sr25519", "ed25519"]), default="sr25519", show_default=True)
@click.option("--network", default=42, show_default=True, help="SS58 prefix.")
def inspect(uri: str, scheme: str, network: int) -> None:
    """Show the keys of a secret URI (//Alice, a mnemonic, 0x seed…)."""
    from runtime.primitives.errors import PrimitivesError
    from runtime.primitives.keys import Keypair, KeyType

    try:
        pair = Keypair.from_uri(uri, KeyType.Sr25519 if scheme == "sr25519" else KeyType.Ed25519)
    except PrimitivesError as exc:
        raise click.ClickException(str(exc)) from exc
    address = pair.address(network)
    click.echo(f"Secret Key URI `{uri}` is account:\n"
               f"  Network ID:        {'substrate' if network == 42 else network}\n"
               f"  Public key (hex):  0x{pair.public.hex()}\n"
               f"  Account ID:        0x{pair.public.hex()}\n"
               f"  Public key (SS58): {address}\n"
               f"  SS58 Address:      {address}")


@main.command("purge-chain")
@click.option("--base-path", "-d", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option("--chain", default="local", show_default=True)
@click.option("-y", "yes", is_flag=True, help="Do not ask for confirmation.")
def purge_chain(base_path: Path, chain: str, yes: bool) -> None:
    """Delete the chain database under a base path."""
    from subtensor.service import database_path

    try:
        document, _ = load_chain_spec(chain)
    except ChainSpecError as exc:
        raise click.ClickException(str(exc)) from exc
    path = database_path(base_path, str(document.get("id", chain)))
    if not path.exists():
        click.echo(f"{path} did not exist.")
        return
    if not yes and not click.confirm(f"Are you sure to remove {path}?"):
        click.echo("Aborted")
        return
    shutil.rmtree(path)
    click.echo(f"{path} removed.")


if __name__ == "__main__":  # pragma: no cover
    main()
