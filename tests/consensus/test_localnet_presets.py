"""N-authority localnet presets: authority order and keys, and the dev/local genesis stay as they were."""

from __future__ import annotations

import pytest

from runtime.presets import AUTHORITY_NAMES, localnet_preset, preset
from runtime.primitives.keys import Keypair, KeyType, dev_account
from runtime.primitives.ss58 import ss58_decode
from subtensor.chain_spec import load_chain_spec


def test_localnet_preset_lists_n_authorities_in_order() -> None:
    config = localnet_preset(4)["genesis"]["runtimeGenesis"]["config"]
    aura = [ss58_decode(a) for a in config["aura"]["authorities"]]
    assert aura == [dev_account(n).public for n in ("Alice", "Bob", "Charlie", "Dave")]
    grandpa = config["grandpa"]["authorities"]
    assert [w for _, w in grandpa] == [1, 1, 1, 1]
    expected = [Keypair.from_uri(f"//{n}", KeyType.Ed25519).public for n in AUTHORITY_NAMES[:4]]
    decoded = [ss58_decode(k) for k, _ in grandpa]
    assert decoded == expected
    assert preset("local4") == localnet_preset(4)
    assert preset("local7") is None
    with pytest.raises(ValueError):
        localnet_preset(0)


def test_two_authority_localnet_has_the_local_genesis() -> None:
    _, local = load_chain_spec("local")
    _, local2 = load_chain_spec("local2")
    _, local4 = load_chain_spec("local4")
    assert local.genesis_header().hash == local2.genesis_header().hash
    assert local4.genesis_header().hash != local.genesis_header().hash
