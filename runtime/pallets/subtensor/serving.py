"""Serving endpoints: ``serve_axon``, ``serve_axon_tls`` and ``serve_prometheus`` (node-subtensor's
``subnets/serving.rs``).

A registered hotkey publishes where its axon (and optionally its prometheus exporter) listens:

* the subnet must exist (``SubnetNotExists``) and the signer (the hotkey) must hold a uid on it
  (``HotKeyNotRegisteredInNetwork``);
* ``ip_type`` is 4 or 6 (``InvalidIpType``); the address must fit its family and not be the loopback
  address or the all-ones value (``InvalidIpAddress``); an axon may publish the zero address, a
  prometheus endpoint may not;
* at most one update per ``ServingRateLimit[netuid]`` blocks (counted from the stored entry's block;
  a stored block of 0 or a limit of 0 never blocks) — ``ServingRateLimitExceeded``;
* the port must be non-zero (``InvalidPort``).

For an axon the checks run in the order: registration, ip type, ip address, rate limit, port; for
prometheus: ip type, ip address, registration, rate limit, port (as the reference orders them).
node-subtensor runs these same checks as a dispatch guard (``CheckServingEndpoints``, a
``frame_system`` ``DispatchExtension`` applied to signed origins) before the call body, whose first check
is the subnet's existence: so an unknown subnet normally fails ``HotKeyNotRegisteredInNetwork`` and
``SubnetNotExists`` is only reached by a hotkey with a uid on a subnet that is not added. This runtime
has no dispatch-guard hook, so the calls run the guard's checks themselves, first.
The TLS variant also stores ``NeuronCertificates[netuid][hotkey]`` (first byte the algorithm, the rest
the public key) when the certificate is 1 to 65 bytes long; anything else is silently ignored.
"""

from __future__ import annotations

from typing import Any

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor import subnets
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import AxonServed, PrometheusServed
from runtime.support.context import Context
from runtime.support.dispatch import Origin, ensure_signed
from runtime.support.externalities import Externalities

U32_MAX = (1 << 32) - 1
U128_MAX = (1 << 128) - 1
IPV4_LOOPBACK = 0x7F00_0001
IPV6_LOOPBACK = 1
MAX_CERTIFICATE_KEY_LEN = 64
"""``NeuronCertificate.public_key`` is a ``BoundedVec<u8, ConstU32<64>>``."""

EMPTY_AXON = {"block": 0, "version": 0, "ip": 0, "port": 0, "ip_type": 0, "protocol": 0, "placeholder1": 0,
              "placeholder2": 0}
EMPTY_PROMETHEUS = {"block": 0, "version": 0, "ip": 0, "port": 0, "ip_type": 0}


def is_valid_ip_type(ip_type: int) -> bool:
    return ip_type in (4, 6)


def is_valid_ip_address(ip_type: int, address: int, allow_zero: bool) -> bool:
    """Family range and loopback checks; private ranges are accepted (the reference does not filter them).

    IPv4 rejects anything from ``u32::MAX`` up (note: the broadcast value itself is refused too) and
    127.0.0.1; IPv6 rejects ``u128::MAX`` and ``::1``.
    """
    if address == 0:
        return allow_zero
    if ip_type == 4 and (address >= U32_MAX or address == IPV4_LOOPBACK):
        return False
    if ip_type == 6 and address in (U128_MAX, IPV6_LOOPBACK):
        return False
    return True


def passes_serving_rate_limit(ext: Externalities, netuid: int, last_served: int, now: int) -> bool:
    limit = st.ServingRateLimit.get(ext, netuid)
    return limit == 0 or last_served == 0 or max(now - last_served, 0) >= limit


def axon_info(ext: Externalities, netuid: int, hotkey: bytes) -> dict[str, Any]:
    """The stored axon of ``hotkey`` on ``netuid``, or an all-zero one."""
    stored = st.Axons.try_get(ext, netuid, hotkey)
    return dict(EMPTY_AXON) if stored is None else dict(stored)


def prometheus_info(ext: Externalities, netuid: int, hotkey: bytes) -> dict[str, Any]:
    stored = st.Prometheus.try_get(ext, netuid, hotkey)
    return dict(EMPTY_PROMETHEUS) if stored is None else dict(stored)


def _ensure_subnet(ext: Externalities, netuid: int) -> None:
    if not subnets.subnet_exists(ext, netuid):
        raise errors.SubnetNotExists


def _ensure_registered(ext: Externalities, netuid: int, hotkey: bytes) -> None:
    if not st.Uids.exists(ext, netuid, hotkey):
        raise errors.HotKeyNotRegisteredInNetwork


def validate_serve_axon(ext: Externalities, hotkey: bytes, netuid: int, ip: int, port: int, ip_type: int,
                        now: int) -> None:
    """The axon checks (also what the transaction extension runs before admitting the call)."""
    _ensure_registered(ext, netuid, hotkey)
    if not is_valid_ip_type(ip_type):
        raise errors.InvalidIpType
    if not is_valid_ip_address(ip_type, ip, allow_zero=True):
        raise errors.InvalidIpAddress
    if not passes_serving_rate_limit(ext, netuid, axon_info(ext, netuid, hotkey)["block"], now):
        raise errors.ServingRateLimitExceeded
    if port == 0:
        raise errors.InvalidPort


def validate_serve_prometheus(ext: Externalities, hotkey: bytes, netuid: int, ip: int, port: int, ip_type: int,
                              now: int) -> None:
    if not is_valid_ip_type(ip_type):
        raise errors.InvalidIpType
    if not is_valid_ip_address(ip_type, ip, allow_zero=False):
        raise errors.InvalidIpAddress
    _ensure_registered(ext, netuid, hotkey)
    if not passes_serving_rate_limit(ext, netuid, prometheus_info(ext, netuid, hotkey)["block"], now):
        raise errors.ServingRateLimitExceeded
    if port == 0:
        raise errors.InvalidPort


def certificate_of(raw: bytes) -> dict[str, Any] | None:
    """``NeuronCertificate`` from ``algorithm ++ public_key``; None when empty or longer than 65 bytes."""
    if not raw or len(raw) - 1 > MAX_CERTIFICATE_KEY_LEN:
        return None
    return {"public_key": bytes(raw[1:]), "algorithm": raw[0]}


def do_serve_axon(ctx: Context, origin: Origin, netuid: int, version: int, ip: int, port: int, ip_type: int,
                  protocol: int, placeholder1: int, placeholder2: int, certificate: bytes | None) -> None:
    hotkey = ensure_signed(origin)
    now = ctx.block_number
    validate_serve_axon(ctx, hotkey, netuid, ip, port, ip_type, now)  # the dispatch guard, then the body
    _ensure_subnet(ctx, netuid)
    if certificate is not None:
        parsed = certificate_of(certificate)
        if parsed is not None:
            st.NeuronCertificates.put(ctx, netuid, hotkey, parsed)
    st.Axons.put(ctx, netuid, hotkey, {
        "block": now, "version": version, "ip": ip, "port": port, "ip_type": ip_type, "protocol": protocol,
        "placeholder1": placeholder1, "placeholder2": placeholder2})
    ctx.deposit_event(AxonServed(netuid, hotkey))


def do_serve_prometheus(ctx: Context, origin: Origin, netuid: int, version: int, ip: int, port: int,
                        ip_type: int) -> None:
    hotkey = ensure_signed(origin)
    now = ctx.block_number
    validate_serve_prometheus(ctx, hotkey, netuid, ip, port, ip_type, now)  # the dispatch guard, then the body
    _ensure_subnet(ctx, netuid)
    st.Prometheus.put(ctx, netuid, hotkey, {"block": now, "version": version, "ip": ip, "port": port,
                                            "ip_type": ip_type})
    ctx.deposit_event(PrometheusServed(netuid, hotkey))


__all__ = [
    "axon_info", "certificate_of", "do_serve_axon", "do_serve_prometheus", "is_valid_ip_address", "is_valid_ip_type",
    "passes_serving_rate_limit", "prometheus_info", "validate_serve_axon", "validate_serve_prometheus",
]
