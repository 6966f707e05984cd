"""SubnetRegistrationRuntimeApi: the current lock cost of registering a subnet."""

from __future__ import annotations

from runtime.apis import runtime_api
from runtime.pallets.subtensor.subnets import network_lock_cost
from runtime.primitives.types import TaoBalance
from runtime.support.context import Context

SubnetRegistrationRuntimeApi = runtime_api("SubnetRegistrationRuntimeApi", 1)


@SubnetRegistrationRuntimeApi.method("get_network_registration_cost", [], TaoBalance)
def get_network_registration_cost(ctx: Context) -> int:
    return network_lock_cost(ctx)
