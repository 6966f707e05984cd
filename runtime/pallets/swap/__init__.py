"""pallet_subtensor_swap (index 28, ``Swap``): dTAO's per-subnet TAO↔alpha Balancer pool.

* :mod:`.pallet` — storage, events, errors, constants and calls of the recorded metadata;
* :mod:`.engine` — the swap itself (``SwapHandler``) and SubtensorModule's reserve bookkeeping,
  what staking, coinbase and the runtime APIs call::

      from runtime.pallets.swap import engine
      engine.swap_tao_for_alpha(ctx, netuid, tao, engine.max_price())     # buy, reserves moved
      engine.sim_swap(ctx, netuid, engine.GetTaoForAlpha(alpha))           # dry run
      engine.current_alpha_price_rao(ctx, netuid)                          # rao per alpha

* :mod:`.balancer` — the weighted-product math; :mod:`.fixed_math` — U64F64, Perquintill and
  safe-bigmath's ``pow_ratio_scaled`` on integers.
"""

from runtime.pallets.swap import balancer, engine
from runtime.pallets.swap.engine import (
    GetAlphaForTao, GetTaoForAlpha, SimSwapResult, SwapResult, current_alpha_price_rao, current_price,
    current_price_bits, sim_swap, sim_swap_alpha_for_tao, sim_swap_tao_for_alpha, swap, swap_alpha_for_tao,
    swap_tao_for_alpha,
)
from runtime.pallets.swap.pallet import PALLET, PALLET_INDEX, errors, events, storage

__all__ = [
    "PALLET", "PALLET_INDEX", "GetAlphaForTao", "GetTaoForAlpha", "SimSwapResult", "SwapResult", "balancer",
    "current_alpha_price_rao", "current_price", "current_price_bits", "engine", "errors", "events", "sim_swap",
    "sim_swap_alpha_for_tao", "sim_swap_tao_for_alpha", "storage", "swap", "swap_alpha_for_tao",
    "swap_tao_for_alpha",
]
