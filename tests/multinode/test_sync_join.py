"""A node with an empty database joins a running chain, downloads 1,000+ blocks over sync/2, then follows the
head through block announces; its progress shows in ``system_syncState`` and in the ``⚙️ Syncing`` log line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.multinode.harness import Net, make_net

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

TARGET = 1_050


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Net]:
    # The source authors a block every 15 ms (interval sealing) so 1,000 blocks exist within seconds.
    network = make_net(tmp_path_factory.mktemp("sync"), 2, 1, "dev")
    try:
        network.start(0, extra=("--sealing", "15"))
        yield network
    finally:
        network.stop_all()


def best(net: Net, index: int) -> int:
    return net.number(index, finalized=False) or 0


def test_empty_node_syncs_a_thousand_blocks_then_follows_the_head(net: Net) -> None:
    net.wait(f"the source to author #{TARGET}", lambda: best(net, 0) >= TARGET, 300)
    net.start(1, validator=False)
    net.wait("the joining node to answer RPC", lambda: net.number(1, finalized=False) is not None, 60)
    net.wait("the joining node to catch up", lambda: best(net, 1) >= TARGET, 300)
    for height in (1, 500, TARGET):
        assert net.hash_at(0, height) == net.hash_at(1, height)
    state = net.rpc(1, "system_syncState")
    assert state["highestBlock"] >= TARGET and state["currentBlock"] >= TARGET
    # Following the head: new blocks keep arriving through announces and stay identical.
    mark = best(net, 0)
    net.wait("the joined node to follow new blocks", lambda: best(net, 1) >= mark + 50, 120)
    height = mark + 40
    assert net.hash_at(0, height) == net.hash_at(1, height)
    assert net.rpc(1, "system_health")["peers"] == 1
    log = net.nodes[1].log_path.read_text(errors="replace")
    assert "⚙️  Syncing" in log and "target=#" in log
