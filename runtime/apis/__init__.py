"""Runtime APIs: named entry points the client calls through ``state_call`` (``Core_version`` …).

Each API is declared once as a :class:`RuntimeApi` with typed methods; from that declaration come the
``state_call`` dispatch (SCALE-decode the inputs, run, SCALE-encode the output), the ``apis`` list of
the runtime version, and the V15 metadata ``apis`` section.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from runtime.scale import DecodeError, FieldInfo, ScaleType, Tuple

# Modules that declare APIs; importing them fills the registry.
API_MODULES = (
    "runtime.apis.core", "runtime.apis.metadata", "runtime.apis.consensus", "runtime.apis.payment",
    "runtime.apis.genesis_builder", "runtime.apis.stake_info", "runtime.apis.stake_availability",
    "runtime.apis.beta_basket",
    "runtime.apis.swap", "runtime.apis.neuron_info", "runtime.apis.subnet_info", "runtime.apis.metagraph",
    "runtime.apis.subnet_registration", "runtime.apis.delegate_info",
    "runtime.apis.subtensor_extra",  # adds methods to APIs declared above: keep it after them
    "runtime.apis.shield",
)


@dataclass(frozen=True, slots=True)
class ApiMethod:
    name: str
    inputs: tuple[FieldInfo, ...]
    output: ScaleType
    implementation: Callable[..., Any]
    docs: tuple[str, ...] = ()


@dataclass
class RuntimeApi:
    """A runtime API trait: its name, version and methods."""

    name: str
    version: int
    docs: tuple[str, ...] = ()
    methods: dict[str, ApiMethod] = field(default_factory=dict)

    def method(self, name: str, inputs: Sequence[tuple[str, ScaleType]], output: ScaleType,
               docs: Sequence[str] = ()) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(fn: Callable[..., Any]) -> Callable[..., Any]:
            self.methods[name] = ApiMethod(name, tuple(FieldInfo(n, c) for n, c in inputs), output, fn,
                                           tuple(docs))
            return fn

        return register


REGISTRY: dict[str, RuntimeApi] = {}

# node-subtensor's impl_runtime_apis! order; the runtime version and metadata list APIs in this order.
API_ORDER = (
    "Core", "Metadata", "BlockBuilder", "GenesisBuilder", "TaggedTransactionQueue", "OffchainWorkerApi",
    "AuraApi", "SessionKeys", "GrandpaApi", "AccountNonceApi", "TransactionPaymentApi",
    "TransactionPaymentCallApi", "EthereumRuntimeRPCApi", "ConvertTransactionRuntimeApi", "ContractsApi",
    "DelegateInfoRuntimeApi", "NeuronInfoRuntimeApi", "SubnetInfoRuntimeApi", "StakeInfoRuntimeApi",
    "SubnetRegistrationRuntimeApi", "BetaBasketRuntimeApi", "ProxyFilterRuntimeApi", "BabeApi",
    "SwapRuntimeApi", "ShieldApi",
)


def runtime_api(name: str, version: int, docs: Sequence[str] = ()) -> RuntimeApi:
    """Declare (or fetch) a runtime API trait."""
    api = REGISTRY.get(name)
    if api is None:
        api = REGISTRY[name] = RuntimeApi(name, version, tuple(docs))
    elif api.version != version:
        # Several modules may add methods to one API; they must agree on what it is.
        raise ValueError(f"runtime API {name} declared with versions {api.version} and {version}")
    elif docs and not api.docs:
        api.docs = tuple(docs)
    return api


def load_all() -> dict[str, RuntimeApi]:
    """Every declared API, in node-subtensor's order (APIs it does not have come last)."""
    for module in API_MODULES:
        importlib.import_module(module)
    rank = {name: i for i, name in enumerate(API_ORDER)}
    return dict(sorted(REGISTRY.items(), key=lambda item: rank.get(item[0], len(rank))))


def declared_apis() -> list[tuple[str, int]]:
    return [(api.name, api.version) for api in load_all().values()]


class UnknownApiMethod(LookupError):
    """``state_call`` named a method no API declares."""


def resolve(method: str) -> tuple[RuntimeApi, ApiMethod]:
    """``"Core_version"`` → (the Core API, its ``version`` method)."""
    trait, _, name = method.partition("_")
    api = load_all().get(trait)
    if api is None or name not in api.methods:
        raise UnknownApiMethod(f"Exported method {method} is not found")
    return api, api.methods[name]


def call_api(env: Any, method: str, data: bytes) -> bytes:
    """Run a runtime API method on SCALE-encoded arguments; return the SCALE-encoded result."""
    _, definition = resolve(method)
    args = Tuple(*(f.type for f in definition.inputs)).decode(data) if definition.inputs else ()
    if not definition.inputs and data:
        raise DecodeError(f"{method} takes no arguments")
    return definition.output.encode(definition.implementation(env, *args))
