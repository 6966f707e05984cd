"""The composition root: builds storage, runtime, chain, pool, authoring and RPC, and runs them.

Everything runs in one trio nursery; SIGINT/SIGTERM cancel it and the database is closed on the way
out. Logs use Substrate's wording so operators and test harnesses find what they expect
(``Initializing Genesis block/state``, ``Local node identity is``, ``Running JSON-RPC server``,
``Imported #N``, the periodic ``Idle`` line).
"""

from __future__ import annotations

import functools
import logging
import shutil
import signal
import tempfile
from pathlib import Path
from collections.abc import Iterable
from typing import Any

import trio

from consensus.authoring import Author, AuthoringConfig, SystemClock
from consensus.chain import Chain, ImportOutcome, open_chain
from consensus.mev_shield import ShieldAuthor
from runtime.executive import validate_transaction
from runtime.pallets.system import accounts as system_accounts
from runtime.primitives.extrinsic import extrinsic_hash
from runtime.primitives.keys import dev_account
from subtensor import __version__, node_key
from subtensor.allocator import keep_freed_memory
from subtensor.chain_spec import load_chain_spec
from subtensor.config import NodeConfig
from subtensor.errors import ChainSpecError, NodeError
from subtensor.metrics import NodeMetrics, serve_metrics
from subtensor.node_backend import BlockNotifier, NodeChainBackend
from subtensor.rpc.backend import BlockEvent, NodeInfo
from subtensor.txpool.pool import PoolOptions, TransactionPool
from subtensor.txpool.service import PoolService

log = logging.getLogger("subtensor")
INFORMANT_PERIOD_S = 5.0


def short(block_hash: bytes) -> str:
    text = block_hash.hex()
    return f"0x{text[:4]}…{text[-4:]}"


def database_path(base_path: Path, chain_id: str) -> Path:
    return base_path / "chains" / chain_id / "db" / "full"


def configure_logging(filters: tuple[str, ...]) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%Y-%m-%d %H:%M:%S")
    for spec in filters:
        for part in spec.split(","):
            target, _, level = part.rpartition("=")
            logging.getLogger(target or None).setLevel(level.upper() if level else "INFO")


class Node:
    """One running node: its chain, pool, authoring and RPC."""

    def __init__(self, config: NodeConfig, base_path: Path) -> None:
        from runtime.node_runtime import node_runtime
        from runtime.pallets import timestamp

        self.config = config
        timestamp.configure(fast=config.fast_blocks)
        try:
            self.document, self.spec = load_chain_spec(config.chain)
        except ChainSpecError as exc:
            raise NodeError(str(exc)) from exc
        chain_id = str(self.document.get("id") or "chain")
        self.base_path = base_path
        self.db_path = database_path(base_path, chain_id)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        genesis = self.spec.genesis_header()
        log.info("🔨 Initializing Genesis block/state (state: %s, header-hash: %s)",
                 short(genesis.state_root), short(genesis.hash))
        self.grandpa_state_path = self.db_path.parent / "grandpa_authority_set"
        saved = self.grandpa_state_path.read_bytes() if self.grandpa_state_path.exists() else None
        self.chain: Chain = open_chain(str(self.db_path), self.spec, node_runtime(), pruning=config.pruning,
                                       instant_finality=config.instant_finality, grandpa_state=saved)
        self._saved_grandpa_state = saved
        self._announced_best = self.chain.best_hash()  # the best block RPC and the pool last heard of
        self._last_finalized = self.chain.finalized_hash()  # the pool has been told up to here
        secret = (node_key.parse_node_key(config.node_key) if config.node_key
                  else node_key.load_or_create(base_path / "chains" / chain_id / "network" / "secret_ed25519"))
        self.node_secret = secret
        self.peer_id = node_key.peer_id(secret)
        self.network: Any = None  # the NetworkBridge once run() starts networking
        self.grandpa: Any = None  # the GrandpaService once run() starts it
        self.notifier = BlockNotifier()
        self.backend = NodeChainBackend(self.chain, self.notifier)
        self.metrics = NodeMetrics()
        self.pool: PoolService = build_pool(self)
        self.author: Author | None = None
        self._update_height_metrics()

    def _update_height_metrics(self) -> None:
        self.metrics.block_height.labels("best").set(self.chain.db.best().number)
        self.metrics.block_height.labels("finalized").set(self.chain.db.finalized().number)

    def info(self) -> NodeInfo:
        return NodeInfo(
            name=self.config.name, version=__version__, chain=str(self.document.get("name", "")),
            chain_type=str(self.document.get("chainType", "Live")),
            properties=dict(self.document.get("properties") or {}),
            roles=("Authority",) if self.config.validator else ("Full",),
            local_peer_id=self.peer_id,
            listen_addresses=(f"/ip4/127.0.0.1/tcp/{self.config.port}/p2p/{self.peer_id}",),
        )

    async def on_imported(self, outcome: ImportOutcome, included: list[bytes], own: bool = False) -> None:
        header = outcome.header
        if outcome.equivocation is not None:
            log.warning("⚠️ Equivocation: %s", outcome.equivocation)
        log.info("🏆 Imported #%d (%s → %s)", header.number, short(header.parent_hash), short(outcome.hash))
        if outcome.is_new_best:
            self._announced_best = outcome.hash
            self.notifier.publish(BlockEvent(outcome.hash, header, is_best=True))
            if self.network is not None and own and outcome.equivocation is None:
                self.network.announce(header.encode(), True)
        self._update_height_metrics()
        self.save_grandpa_state()
        await pool_block_imported(self, outcome)
        if self.grandpa is not None:
            self.grandpa.notify_block_imported()
        if outcome.finalized is not None:
            await self.on_finalized(outcome.finalized, -1)

    async def _follow_finality_reorg(self) -> None:
        """Finalizing a block off our best chain moves the best block onto it (finality beats length):
        tell RPC subscribers and the pool, as an import that became best would."""
        best = self.chain.db.best()
        if best.hash == self._announced_best:
            return
        try:
            route = self.chain.db.blocks.tree_route(self._announced_best, best.hash)
        except Exception:  # the old best was pruned: nothing to retract that we can still read
            route = None
        header = self.chain.header(best.hash)
        if header is None:
            return
        outcome = ImportOutcome(best.hash, header, True, None, tuple(route.retracted) if route else (),
                                tuple(route.enacted) if route else ())
        self._announced_best = best.hash
        self.notifier.publish(BlockEvent(best.hash, header, is_best=True))
        await pool_block_imported(self, outcome)

    def save_grandpa_state(self) -> None:
        """Persist the GRANDPA authority sets when they changed (pending or enacted set changes), so a
        restart does not rebuild them from the runtime's ``Grandpa.Authorities`` alone. Written to a temporary
        file and renamed, so a crash leaves the old or the new state, never a torn one."""
        state = self.chain.grandpa.encode()
        if state == self._saved_grandpa_state:
            return
        temporary = self.grandpa_state_path.with_suffix(".tmp")
        temporary.write_bytes(state)
        temporary.replace(self.grandpa_state_path)
        self._saved_grandpa_state = state

    async def on_finalized(self, block_hash: bytes, number: int) -> None:
        self.save_grandpa_state()
        await self._follow_finality_reorg()
        final = self.chain.header(block_hash)
        if final is not None:
            self.notifier.publish(BlockEvent(block_hash, final, is_finalized=True))
        self._update_height_metrics()
        for newly_final in self._newly_finalized(block_hash):
            await pool_block_finalized(self, newly_final)

    def _newly_finalized(self, block_hash: bytes) -> list[bytes]:
        """Every block finality just covered, oldest first: GRANDPA often finalizes several blocks at once,
        and transactions in each of them must reach their ``finalized`` status (Substrate's pool walks the
        same route)."""
        previous, self._last_finalized = self._last_finalized, block_hash
        if previous == block_hash:
            return []
        try:
            route = self.chain.db.blocks.tree_route(previous, block_hash)
        except Exception:  # the previous one was pruned away: only the new block is known to be covered
            return [block_hash]
        return list(route.enacted) or [block_hash]

    async def informant(self) -> None:
        while True:
            await trio.sleep(INFORMANT_PERIOD_S)
            best, final = self.chain.db.best(), self.chain.db.finalized()
            peers = self.network.service.peer_count() if self.network is not None else 0
            tail = (f"best: #{best.number} ({short(best.hash)}), finalized #{final.number} ({short(final.hash)})")
            if self.network is not None and self.network.sync.is_major_syncing():
                bps = self.network.sync.blocks_per_second()
                log.info("⚙️  Syncing %.1f bps, target=#%d (%d peers), %s", bps, self.network.sync.target(),
                         peers, tail)
            else:
                if self.network is not None:
                    self.network.sync.blocks_per_second()  # keep the rate window current
                log.info("💤 Idle (%d peers), %s", peers, tail)

    async def run(self, *, task_status: Any = trio.TASK_STATUS_IGNORED) -> None:
        if not self.config.network:  # otherwise the network service logs it once it has its host
            log.info("🏷  Local node identity is: %s", self.peer_id)
        async with trio.open_nursery() as nursery:
            if self.config.network:
                from subtensor.networking import NetworkBridge

                self.network = NetworkBridge(self)
                await nursery.start(self.network.run)
                self.pool.pool.add_listener(self._propagate)
            if not self.config.instant_finality:
                self.grandpa = start_grandpa(self, nursery)
            rpc_address = await start_rpc(self, nursery)
            log.info("Running JSON-RPC server: addr=%s, allowed origins=%s", rpc_address,
                     "all" if self.config.rpc_cors == "all" else list(self.config.rpc_cors))
            nursery.start_soon(self.informant)
            if self.config.prometheus_port is not None:
                host = "0.0.0.0" if self.config.rpc_external else "127.0.0.1"
                await nursery.start(serve_metrics, self.metrics, host, self.config.prometheus_port)
            if self.config.validator and self.config.dev_key is not None:
                key = dev_account(self.config.dev_key)
                from runtime.pallets import aura

                self.author = Author(self.chain, key, self.pool_ready(), AuthoringConfig(
                    aura.slot_duration(), self.config.sealing, self.config.sealing_interval_ms),
                    functools.partial(self.on_imported, own=True), shield=ShieldAuthor(self.chain.runtime))
                author = self.author
                self.pool.pool.add_listener(
                    lambda tx_hash, value, final: author.notify_transaction() if value == "ready" else None)
                nursery.start_soon(self.author.run)
            task_status.started(rpc_address)

    def _propagate(self, tx_hash: bytes, value: Any, final: bool) -> None:
        if value == "ready" and self.network is not None:
            tx = self.pool.pool.get(tx_hash)
            if tx is not None:
                self.network.propagate([tx.data])

    def pool_ready(self) -> PoolFeed:
        return PoolFeed(self.pool.pool)

    def close(self) -> None:
        self.chain.db.close()


class PoolFeed:
    """The pool as authoring sees it: ready (hash, extrinsic) pairs in block order."""

    def __init__(self, pool: TransactionPool) -> None:
        self.pool = pool

    def ready(self) -> Iterable[tuple[bytes, bytes]]:
        for tx in self.pool.ready():
            yield tx.hash, tx.data


def build_pool(node: Node) -> PoolService:
    """The transaction pool, validating through the runtime at the named block's state."""
    chain = node.chain

    def validate(at: bytes, extrinsic: bytes) -> Any:
        with chain.lock:
            state = chain.block_state(at)
        return validate_transaction(chain.runtime.context(state), "External", extrinsic, at)

    def best() -> tuple[bytes, int]:
        ref = chain.db.best()
        return ref.hash, ref.number

    def account_nonce(account: bytes) -> int:
        return system_accounts.account_nonce(chain.state_view(chain.best_hash()), account)

    core = TransactionPool(validate, best, PoolOptions(revalidation_batch=512))
    return PoolService(core, account_nonce)


async def pool_block_imported(node: Node, outcome: ImportOutcome) -> None:
    body = node.chain.body(outcome.hash) or []
    retracted_xts: list[bytes] = []
    for block_hash in outcome.retracted:
        retracted_xts += node.chain.body(block_hash) or []
    if outcome.is_new_best:
        await node.pool.on_block_imported(outcome.hash, outcome.header.number, [extrinsic_hash(x) for x in body],
                                          retracted_xts, outcome.retracted)
    node.metrics.ready_transactions.set(len(node.pool.pending()))


async def pool_block_finalized(node: Node, block_hash: bytes) -> None:
    body = node.chain.body(block_hash) or []
    node.pool.on_block_finalized(block_hash, [extrinsic_hash(x) for x in body])


class ManualSealer:
    """``engine_*`` RPCs, delegating to the node's author once it exists."""

    def __init__(self, node: Node) -> None:
        self.node = node

    async def create_block(self, create_empty: bool, finalize: bool, parent_hash: bytes | None) -> bytes:
        if self.node.author is None:
            raise ValueError("this node does not author blocks (start it with a validator key)")
        return await self.node.author.seal_block(create_empty, finalize, parent_hash)

    async def finalize_block(self, block_hash: bytes) -> bool:
        if self.node.author is None:
            return False
        return await self.node.author.finalize(block_hash)


class NoNetwork:
    """Peer facts until networking exists: a single node with no peers, never syncing."""

    def __init__(self, chain: Chain) -> None:
        self.chain = chain

    def peers(self) -> list[dict[str, Any]]:
        return []

    def is_syncing(self) -> bool:
        return False

    def sync_state(self) -> dict[str, int]:
        best = self.chain.db.best().number
        return {"startingBlock": 0, "currentBlock": best, "highestBlock": best}


async def start_rpc(node: Node, nursery: trio.Nursery) -> str:
    """Start the JSON-RPC server; returns ``host:port`` as bound."""
    from subtensor.rpc.methods import build_registry
    from subtensor.rpc.server import RpcConfig, serve

    config = node.config
    network = node.network if node.network is not None else NoNetwork(node.chain)
    registry = build_registry(node.backend, node.pool, network, node.info(),
                              sealer=ManualSealer(node) if config.sealing in ("manual", "instant") else None)
    rpc_config = RpcConfig(host="0.0.0.0" if config.rpc_external else "127.0.0.1", port=config.rpc_port,
                           cors=config.rpc_cors, methods=config.rpc_methods,  # type: ignore[arg-type]
                           max_connections=config.rpc_max_connections)
    host, port = await nursery.start(serve, rpc_config, registry)
    return f"{host}:{port}"


def start_grandpa(node: Node, nursery: trio.Nursery) -> Any:
    """The GRANDPA voter (an observer without a key in the set), gossiping through the network."""
    from consensus.grandpa.service import GrandpaService
    from consensus.grandpa.voter import Voter
    from runtime.primitives.keys import Keypair, KeyType

    key = None
    if node.config.validator and node.config.dev_key is not None:
        key = Keypair.from_uri(f"//{node.config.dev_key.capitalize()}", KeyType.Ed25519)
    clock = SystemClock()
    voter = Voter(node.chain, key, clock.now_ms())
    if node.network is not None:
        gossip: Any = node.network
        inbound = node.network.grandpa_inbound
    else:
        gossip = _NoGossip()
        _, inbound = trio.open_memory_channel[tuple[str, bytes]](0)
    service = GrandpaService(voter, gossip, node.chain, inbound, clock=clock, on_finalized=node.on_finalized)
    if node.network is not None:
        node.network.grandpa = service
    nursery.start_soon(service.run)
    return service


class _NoGossip:
    """GRANDPA gossip for a node without networking: nothing leaves the process."""

    def broadcast(self, data: bytes) -> None:
        return None

    def send(self, peer_id: str, data: bytes) -> None:
        return None

    def report(self, peer_id: str, change: int, reason: str) -> None:
        return None


def run_node(config: NodeConfig) -> int:
    """Run until SIGINT/SIGTERM; returns the process exit code."""
    configure_logging(config.log_filters)
    keep_freed_memory()
    log.info("pysubtensor %s", __version__)
    log.info("📋 Chain specification: %s", config.chain)
    log.info("🏷  Node name: %s", config.name)
    log.info("👤 Role: %s", "AUTHORITY" if config.validator else "FULL")
    temp_dir = None
    if config.tmp or config.base_path is None:
        temp_dir = tempfile.mkdtemp(prefix="pysubtensor-")
        base_path = Path(temp_dir)
    else:
        base_path = config.base_path
    log.info("💾 Database: LevelDB at %s", base_path)
    try:
        node = Node(config, base_path)
    except (NodeError, Exception) as exc:  # startup errors are reported, never a traceback
        log.error("Error: %s", exc)
        if temp_dir:
            shutil.rmtree(temp_dir, ignore_errors=True)
        return 1
    try:
        trio.run(_run_until_signal, node)
    finally:
        node.close()
        if temp_dir:
            shutil.rmtree(temp_dir, ignore_errors=True)
    return 0


async def _run_until_signal(node: Node) -> None:
    with trio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(node.run)
            async for signum in signals:
                log.info("Received %s, shutting down", signal.Signals(signum).name)
                nursery.cancel_scope.cancel()
                break
