"""The after-coinbase updates of ``block_step``: the subnet price EMA (``update_moving_prices``,
``staking/stake_utils.rs::update_moving_price``) and the informational ``RootProp`` (``update_root_prop``)
— spec ``yuma-epoch-and-emission.md`` §1.1 steps 5–6 and §4.7.

Both run over the emit-to subnets only, after the coinbase used the old values. The EMA, in ``U64F64``:

* ``t = block − (FirstEmissionBlockNumber − 1)`` (blocks since ``start_call``, saturating);
* ``α = SubnetMovingAlpha × t / (t + EMAPriceHalvingBlocks)``;
* ``p_new = α × min(spot price, 1) + (1 − α) × p_old``, stored as ``I96F32`` (fraction bits dropped).
"""

from __future__ import annotations

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.coinbase_fixed import (
    F64, ONE_U64F64, U128_MAX, i96_from_u64f64, i96_to_u64f64, u_from_int, u_mul, u_safe_div, u_sub,
)
from runtime.pallets.subtensor.queries import all_subnet_netuids
from runtime.pallets.subtensor.subnet_emissions import get_moving_alpha_price, get_subnets_to_emit_to, root_proportion
from runtime.pallets.swap import engine
from runtime.scale import I96F32, U96F32
from runtime.support.context import Context

__all__ = ["update_moving_price", "update_moving_prices", "update_root_prop"]


def update_moving_price(ctx: Context, netuid: int) -> None:
    """One EMA step of ``SubnetMovingPrice[netuid]`` towards the spot price capped at 1."""
    first_emission = st.FirstEmissionBlockNumber.try_get(ctx, netuid) or 0
    start_call_block = max(first_emission - 1, 0)
    since_start = u_from_int(max(ctx.block_number - start_call_block, 0), F64)
    halving = u_from_int(st.EMAPriceHalvingBlocks.get(ctx, netuid), F64)
    moving_alpha = i96_to_u64f64(st.SubnetMovingAlpha.get(ctx).bits)
    alpha = u_mul(moving_alpha, u_safe_div(since_start, min(since_start + halving, U128_MAX), F64), F64)
    spot = min(engine.current_price_bits(ctx, netuid), ONE_U64F64)
    new = min(u_mul(alpha, spot, F64) + u_mul(u_sub(ONE_U64F64, alpha), get_moving_alpha_price(ctx, netuid), F64),
              U128_MAX)
    st.SubnetMovingPrice.put(ctx, netuid, I96F32.from_bits(i96_from_u64f64(new)))


def _emit_subnets(ctx: Context) -> list[int]:
    return get_subnets_to_emit_to(ctx, all_subnet_netuids(ctx))


def update_moving_prices(ctx: Context) -> None:
    """The EMA step for every subnet emitted to this block."""
    for netuid in _emit_subnets(ctx):
        update_moving_price(ctx, netuid)


def update_root_prop(ctx: Context) -> None:
    """``RootProp[netuid] = root_proportion(netuid)`` for every subnet emitted to this block."""
    for netuid in _emit_subnets(ctx):
        st.RootProp.put(ctx, netuid, U96F32.from_bits(root_proportion(ctx, netuid)))
