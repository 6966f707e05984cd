"""SubtensorModule serving: serve_axon, serve_axon_tls and serve_prometheus over the mock runtime of
``test_subtensor_subnets`` — stored endpoints and events, every validation error, the serving rate limit."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.pallets import subtensor
from runtime.pallets.subtensor import serving
from runtime.pallets.subtensor import storage as st
from runtime.support.dispatch import Origin, Pays, Weight
from tests.runtime.test_subtensor_subnets import ALICE, BOB, HK_A, HK_B, RUNTIME, Env, error_index, module_error

IP4 = int.from_bytes(bytes([192, 168, 1, 7]), "big")


def axon_args(netuid: int, **changes: Any) -> dict[str, Any]:
    args = {"netuid": netuid, "version": 7, "ip": IP4, "port": 8091, "ip_type": 4, "protocol": 4,
            "placeholder1": 0, "placeholder2": 0}
    args.update(changes)
    return args


def prometheus_args(netuid: int, **changes: Any) -> dict[str, Any]:
    args = {"netuid": netuid, "version": 3, "ip": IP4, "port": 9090, "ip_type": 4}
    args.update(changes)
    return args


def served_env(block: int = 100) -> tuple[Env, int]:
    """A subnet owned by Alice (HK_A, uid 0) with Bob's HK_B registered as uid 1."""
    env = Env(block=block)
    netuid = env.register_network(ALICE, HK_A)
    env.call(BOB, "burned_register", netuid=netuid, hotkey=HK_B)
    env.clear_events()
    return env, netuid


def subtensor_events(env: Env) -> list[Any]:
    return [e for e in env.events() if e[0] == "SubtensorModule"]


def test_declarations() -> None:
    calls = subtensor.PALLET.calls
    assert calls is not None
    for name, index, pays in (("serve_axon", 4, Pays.No), ("serve_axon_tls", 40, Pays.No),
                              ("serve_prometheus", 5, Pays.No)):
        assert calls.by_name[name].index == index and calls.by_name[name].pays is pays
    # from_parts(31_278_000, 4178) + 3 reads (25e6) + 1 write (1e8)
    assert calls.by_name["serve_axon"].weight == Weight(31_278_000 + 3 * 25_000_000 + 100_000_000, 4178)
    assert calls.by_name["serve_axon_tls"].weight == Weight(30_617_000 + 3 * 25_000_000 + 100_000_000, 4149)
    assert calls.by_name["serve_prometheus"].weight == Weight(29_294_000 + 3 * 25_000_000 + 100_000_000, 4277)


def test_serve_axon_call_encoding() -> None:
    call = ("SubtensorModule", ("serve_axon", axon_args(2)))
    encoded = RUNTIME.encode_call(call)
    assert encoded == (bytes([7, 4]) + (2).to_bytes(2, "little") + (7).to_bytes(4, "little")
                       + IP4.to_bytes(16, "little") + (8091).to_bytes(2, "little") + bytes([4, 4, 0, 0]))


def test_serve_axon_happy_path() -> None:
    env, netuid = served_env()
    env.call(HK_B, "serve_axon", **axon_args(netuid))
    assert st.Axons.get(env.ext, netuid, HK_B) == {
        "block": 100, "version": 7, "ip": IP4, "port": 8091, "ip_type": 4, "protocol": 4, "placeholder1": 0,
        "placeholder2": 0}
    assert not st.NeuronCertificates.exists(env.ext, netuid, HK_B)
    assert subtensor_events(env) == [("SubtensorModule", ("AxonServed", (netuid, HK_B)))]


def test_serve_axon_allows_zero_ip_and_ipv6() -> None:
    env, netuid = served_env()
    env.call(HK_B, "serve_axon", **axon_args(netuid, ip=0))
    assert st.Axons.get(env.ext, netuid, HK_B)["ip"] == 0
    env.call(HK_A, "serve_axon", **axon_args(netuid, ip=(1 << 127) + 5, ip_type=6))
    assert st.Axons.get(env.ext, netuid, HK_A)["ip_type"] == 6


def test_serve_axon_tls_stores_the_certificate() -> None:
    env, netuid = served_env()
    key = bytes(range(64))
    env.call(HK_B, "serve_axon_tls", **axon_args(netuid), certificate=bytes([1]) + key)
    assert st.NeuronCertificates.get(env.ext, netuid, HK_B) == {"public_key": key, "algorithm": 1}
    assert st.Axons.get(env.ext, netuid, HK_B)["port"] == 8091
    assert subtensor_events(env) == [("SubtensorModule", ("AxonServed", (netuid, HK_B)))]


@pytest.mark.parametrize("certificate", [b"", bytes(66)])
def test_serve_axon_tls_ignores_an_unusable_certificate(certificate: bytes) -> None:
    env, netuid = served_env()
    env.call(HK_B, "serve_axon_tls", **axon_args(netuid), certificate=certificate)
    assert not st.NeuronCertificates.exists(env.ext, netuid, HK_B)
    assert st.Axons.exists(env.ext, netuid, HK_B)


def test_serve_axon_errors() -> None:
    env, netuid = served_env()
    # The dispatch guard's registration check precedes the body's subnet check.
    assert env.error(HK_B, "serve_axon", **axon_args(99)) == module_error(error_index("HotKeyNotRegisteredInNetwork"))
    assert env.error(BOB, "serve_axon", **axon_args(netuid)) == module_error(error_index("HotKeyNotRegisteredInNetwork"))
    assert env.error(HK_B, "serve_axon", **axon_args(netuid, ip_type=5)) == module_error(error_index("InvalidIpType"))
    for ip_type, ip in ((4, 0x7F00_0001), (4, (1 << 32) - 1), (4, 1 << 40), (6, 1), (6, (1 << 128) - 1)):
        assert env.error(HK_B, "serve_axon", **axon_args(netuid, ip=ip, ip_type=ip_type)) == module_error(
            error_index("InvalidIpAddress")), (ip_type, ip)
    assert env.error(HK_B, "serve_axon", **axon_args(netuid, port=0)) == module_error(error_index("InvalidPort"))
    assert env.error(Origin.root(), "serve_axon", **axon_args(netuid)) == "BadOrigin"
    # Order: registration is checked before the ip type.
    assert env.error(BOB, "serve_axon", **axon_args(netuid, ip_type=5)) == module_error(
        error_index("HotKeyNotRegisteredInNetwork"))


def test_subnet_not_exists_after_the_guard() -> None:
    """Only a uid left on a subnet that is not added passes the guard and meets ``SubnetNotExists``."""
    env, netuid = served_env()
    st.Uids.put(env.ext, 99, HK_B, 0)
    assert env.error(HK_B, "serve_axon", **axon_args(99)) == module_error(error_index("SubnetNotExists"))
    assert env.error(HK_B, "serve_prometheus", **prometheus_args(99)) == module_error(error_index("SubnetNotExists"))
    assert error_index("SubnetNotExists") == 76


def test_error_indices() -> None:
    assert [error_index(n) for n in ("InvalidIpType", "InvalidIpAddress", "InvalidPort",
                                     "HotKeyNotRegisteredInNetwork", "ServingRateLimitExceeded")] == [1, 2, 3, 6, 31]


def test_serve_axon_rate_limit() -> None:
    env, netuid = served_env()
    env.call(HK_B, "serve_axon", **axon_args(netuid))
    env.set_block(149)  # 49 blocks later, limit 50
    assert env.error(HK_B, "serve_axon", **axon_args(netuid, port=1)) == module_error(
        error_index("ServingRateLimitExceeded"))
    # The TLS variant shares the axon's limit.
    assert env.error(HK_B, "serve_axon_tls", **axon_args(netuid), certificate=b"\x01") == module_error(
        error_index("ServingRateLimitExceeded"))
    env.set_block(150)
    env.call(HK_B, "serve_axon", **axon_args(netuid, port=1))
    assert st.Axons.get(env.ext, netuid, HK_B)["block"] == 150
    # A limit of 0 never blocks; the limit is per subnet.
    st.ServingRateLimit.put(env.ext, netuid, 0)
    env.call(HK_B, "serve_axon", **axon_args(netuid, port=2))
    assert st.Axons.get(env.ext, netuid, HK_B)["port"] == 2


def test_serve_prometheus_happy_path_and_rate_limit() -> None:
    env, netuid = served_env()
    env.call(HK_B, "serve_prometheus", **prometheus_args(netuid))
    assert st.Prometheus.get(env.ext, netuid, HK_B) == {"block": 100, "version": 3, "ip": IP4, "port": 9090,
                                                        "ip_type": 4}
    assert subtensor_events(env) == [("SubtensorModule", ("PrometheusServed", (netuid, HK_B)))]
    # Prometheus has its own limit, independent of the axon.
    env.call(HK_B, "serve_axon", **axon_args(netuid))
    env.set_block(120)
    assert env.error(HK_B, "serve_prometheus", **prometheus_args(netuid)) == module_error(
        error_index("ServingRateLimitExceeded"))
    env.set_block(150)
    env.call(HK_B, "serve_prometheus", **prometheus_args(netuid, port=9091))
    assert st.Prometheus.get(env.ext, netuid, HK_B)["port"] == 9091


def test_serve_prometheus_errors() -> None:
    env, netuid = served_env()
    assert env.error(HK_B, "serve_prometheus", **prometheus_args(99)) == module_error(
        error_index("HotKeyNotRegisteredInNetwork"))
    # A zero ip is invalid for prometheus.
    assert env.error(HK_B, "serve_prometheus", **prometheus_args(netuid, ip=0)) == module_error(
        error_index("InvalidIpAddress"))
    assert env.error(HK_B, "serve_prometheus", **prometheus_args(netuid, ip_type=0)) == module_error(
        error_index("InvalidIpType"))
    assert env.error(HK_B, "serve_prometheus", **prometheus_args(netuid, port=0)) == module_error(
        error_index("InvalidPort"))
    assert env.error(BOB, "serve_prometheus", **prometheus_args(netuid)) == module_error(
        error_index("HotKeyNotRegisteredInNetwork"))
    # Order: the ip is checked before registration.
    assert env.error(BOB, "serve_prometheus", **prometheus_args(netuid, ip=0)) == module_error(
        error_index("InvalidIpAddress"))


def test_ip_validation_helpers() -> None:
    assert serving.is_valid_ip_type(4) and serving.is_valid_ip_type(6) and not serving.is_valid_ip_type(0)
    assert serving.is_valid_ip_address(4, 0, allow_zero=True)
    assert not serving.is_valid_ip_address(4, 0, allow_zero=False)
    assert serving.is_valid_ip_address(4, (1 << 32) - 2, allow_zero=False)
    assert not serving.is_valid_ip_address(4, (1 << 32) - 1, allow_zero=False)
    assert serving.is_valid_ip_address(6, 2, allow_zero=False)
    assert serving.certificate_of(b"\x02") == {"public_key": b"", "algorithm": 2}
    assert serving.certificate_of(bytes(65)) is not None and serving.certificate_of(bytes(66)) is None
