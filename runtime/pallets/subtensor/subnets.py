"""Subnet lifecycle: network registration (lock cost, pruning, initial state), start_call, identity,
token symbols and dissolution — node-subtensor's ``subnets/subnet.rs``, ``coinbase/root.rs`` (lock cost,
pruning, removal), ``subnets/symbols.rs`` and ``utils/identity.rs`` at runtime spec 425.

Every amount is an integer; the reference's fixed-point values are handled as raw bits with its
truncating rounding (``U64F64`` = value × 2^64, ``I64F64`` likewise, ``I96F32`` = value × 2^32).

Known gaps (waiting for other parts of the runtime):

* Dissolution pays alpha holders their share of the pool and clears the swap pool at once (the newest
  reference spreads this over a cleanup queue); TAO left on the subnet account is not recycled, and
  commitments and lock maps are not purged.
"""

from __future__ import annotations

from runtime.pallets import balances
from runtime.pallets.subtensor import accounts
from runtime.pallets.subtensor import block_emission
from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor.errors import errors
from runtime.pallets.subtensor.events import (
    FirstEmissionBlockNumberSet, ImmunityPeriodSet, MaxAllowedUidsSet, MaxAllowedValidatorsSet, MinAllowedWeightSet, NetworkAdded, NetworkRemoved, RegistrationAllowed, SubnetIdentityRemoved, SubnetIdentitySet, SubnetOwnerHotkeySet, SymbolUpdated,
)
from runtime.pallets.subtensor.queries import current_alpha_price, safe_float_to_u64, fixed_from_int, fixed_safe_div, fixed_to_u64
from runtime.pallets.subtensor.types import ROOT_NETUID, storage_index
from runtime.support.context import Context
from runtime.support.dispatch import BadOrigin, DispatchError, Origin, ensure_signed
from runtime.support.externalities import Externalities

DYNAMIC_MECHANISM = 1
DEFAULT_TEMPO = 10
"""``DefaultTempo`` = ``InitialTempo`` of the fast-runtime build (the localnet's)."""
DEFAULT_NEURON_BURN_COST = 1_000_000_000
"""``DefaultNeuronBurnCost``: the burn a new subnet starts at (1 TAO)."""
DEFAULT_BLOCK_EMISSION = 1_000_000_000
TOTAL_SUPPLY = 21_000_000_000_000_000
U64_MAX = (1 << 64) - 1
U128_MAX = (1 << 128) - 1
NETWORK_LAST_REGISTERED = "NetworkLastRegistered"
"""The ``RateLimitKey`` under which the last network registration block is kept."""

# -- symbols ----------------------------------------------------------------------------------------------

_SYMBOL_TABLE = """
    Τ α β γ δ ε ζ η θ ι κ λ
    μ ν ξ ο π ρ σ t υ φ χ ψ
    ω א ב ג ד ה ו ז ח ט י ך
    כ ל ם מ ן נ ס ע ף פ ץ צ
    ק ר ש ת ا ب ت ث ج ح خ د
    ذ ر ز س ش ص ض ط ظ ع غ ف
    ق ك ل م ن ه و ي ى ᚠ ᚢ ᚦ
    ᚨ ᚱ ᚳ Ы ᛉ ᛒ   ᚁ ᚂ ᚃ ᚄ ᚅ
    ᚛ ა ბ გ დ ე ვ Ա Բ Գ Դ Ե
    Զ ՞ Ѐ Ё Ђ Ѓ Є Ѕ ъ Ⲁ ⲁ Ⲃ
    ⲃ Ⲅ ⲅ 𑀀 𑀁 𑀂 𑀃 𑀅 න ඳ ප ඵ
    බ භ Ⰰ Ⰱ Ⰲ Ⰳ Ⰴ Ⰵ Ⰶ Ⰷ Ⰸ Ⰹ
    Ⰺ Ⰻ Ⰼ Ⰽ Ⰾ Ⰿ Ⱀ Ⱁ Ⱂ Ⱃ Ⱄ Ⱅ
    Ⱆ Ⱇ Ⱈ Ⱉ Ⱊ Ⱋ Ⱌ Ⱍ Ⱎ Ⱏ Ⱐ ก
    ข ฃ ค ฅ ฆ ง จ ฉ ช ซ ฌ ญ
    ฎ ฏ ฐ ฑ ฒ ณ ด ต ถ ท ธ น
    บ ป ผ ฝ พ ฟ ภ ม ย ร ล ว
    ศ ษ ส ห ฬ อ ฮ ㄱ ㄴ ㄷ ㄹ ㅁ
    ㅂ ㅅ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ ㅏ ㅐ ㅑ
    ㅒ ㅓ ㅔ ㅕ ㅖ ㅗ ㅘ ㅙ ㅚ ㅛ ㅜ ㅝ
    ㅞ ㅟ ㅠ ㅡ ㅢ ㅣ አ ኡ ኢ ኣ ኤ እ
    ኦ ኧ ወ ዉ ዊ ዋ ዌ ው ዎ ኰ ኱ ኲ
    ኳ ኴ ኵ ኶ ጐ ጑ ጒ መ ጔ ጕ ጖ अ
    आ इ ई उ ऊ ऋ ए ऐ ओ औ क ख
    ग घ ङ च छ ज झ ञ ट ठ ड ढ
    ण त थ द ध न प फ ब भ म य
    र ल व श ष स ह ア イ ウ エ オ
    カ キ ク ケ コ サ シ ス セ ソ タ チ
    ツ テ ト ナ ニ ヌ ネ ノ ハ ヒ フ ヘ
    ホ マ ミ ム メ モ ヤ ユ ヨ ラ リ ル
    レ ロ ワ ヲ ン ⴰ ⴱ ⴲ ⴳ ⴴ ⴵ ⴶ
    ⴷ ⴸ ⴹ ⴺ ⴻ ⴼ ⴽ ⴾ ⴿ ⵀ ⵁ ⵂ
    ⵃ ⵄ ⵅ ⵆ ⵇ ⵈ ⵉ ⵊ ⵋ ⵌ ⵍ ⵎ
    ⵏ ⵐ ⵑ ⵒ ⵓ අ ආ ඉ ඊ උ ඌ ඍ
    ඎ ඏ ඐ එ ඒ ඓ ඔ ඕ ඖ ක ඛ ග
    ඝ ඞ ච ඡ ජ ඣ ඤ ට ඥ ඦ ඩ ඨ
    ඪ ණ ඬ ත ථ ද ධ
"""
SYMBOLS: tuple[bytes, ...] = tuple(
    s.encode() for line in _SYMBOL_TABLE.strip("\n").split("\n") for s in line.strip(" ").split(" "))
"""The 439 built-in token symbols, indexed by netuid (index 0 is root's capital tau).

The table is split on ASCII spaces only: entry 90 is U+1680, which Python counts as whitespace."""
DEFAULT_SYMBOL = SYMBOLS[0]


def symbol_for_subnet(netuid: int) -> bytes:
    return SYMBOLS[netuid] if netuid < len(SYMBOLS) else DEFAULT_SYMBOL


def next_available_symbol(ext: Externalities, netuid: int) -> bytes:
    """The netuid's own symbol if unused, else the first unused one after root's, else the default."""
    used = {value for _, value in st.TokenSymbol.iter(ext)}
    own = symbol_for_subnet(netuid)
    if own not in used:
        return own
    return next((s for s in SYMBOLS[1:] if s not in used), DEFAULT_SYMBOL)


def ensure_symbol_exists(symbol: bytes) -> None:
    if symbol not in SYMBOLS[1:]:
        raise errors.SymbolDoesNotExist


def ensure_symbol_available(ext: Externalities, symbol: bytes) -> None:
    if any(value == symbol for _, value in st.TokenSymbol.iter(ext)):
        raise errors.SymbolAlreadyInUse


# -- origins and small helpers -----------------------------------------------------------------------------


def subnet_exists(ext: Externalities, netuid: int) -> bool:
    return st.NetworksAdded.get(ext, netuid)  # type: ignore[no-any-return]


def added_netuids(ext: Externalities) -> list[tuple[int, bool]]:
    """(netuid, added) for every ``NetworksAdded`` entry, in storage-key order."""
    return [(netuid, added) for (netuid,), added in st.NetworksAdded.iter(ext)]


def ensure_subnet_owner(ext: Externalities, origin: Origin, netuid: int) -> bytes:
    """A signed origin that owns the subnet (``BadOrigin`` otherwise)."""
    who = ensure_signed(origin)
    if st.SubnetOwner.get(ext, netuid) != who:
        raise BadOrigin()
    return who


def ensure_subnet_owner_or_root(ext: Externalities, origin: Origin, netuid: int) -> bytes | None:
    """Root (None) or the subnet owner's signed origin; anything else is ``BadOrigin``."""
    if origin.is_root:
        return None
    return ensure_subnet_owner(ext, origin, netuid)


def block_now(ctx: Context) -> int:
    return ctx.block_number


def can_remove_balance(ext: Externalities, coldkey: bytes, amount: int) -> bool:
    """``can_remove_balance_from_coldkey_account``: ``amount`` ≤ the reducible (expendable) balance."""
    return amount <= balances.reducible_balance(ext, coldkey, balances.EXPENDABLE)


def transfer_tao_to_subnet(ctx: Context, netuid: int, coldkey: bytes, amount: int) -> int:
    """Move up to ``amount`` (never below the ED) to the subnet account; the amount moved.

    ``InsufficientBalance`` when nothing can move; ``SubnetNotExists`` without a subnet account.
    """
    if amount == 0:
        return 0
    subnet_account = accounts.subnet_account_if_exists(ctx, netuid)
    if subnet_account is None:
        raise errors.SubnetNotExists
    moved = min(amount, balances.reducible_balance(ctx, coldkey, balances.PRESERVE))
    if moved == 0:
        raise errors.InsufficientBalance
    balances.fungible_transfer(ctx, coldkey, subnet_account, moved, balances.PRESERVE)
    return moved


def increase_total_stake(ext: Externalities, amount: int) -> None:
    st.TotalStake.put(ext, min(st.TotalStake.get(ext) + amount, U64_MAX))


def swap_tao_for_alpha(ctx: Context, netuid: int, tao: int) -> int:
    """Buy alpha with ``tao`` on the subnet's pool at any price and account the reserves; the alpha bought.

    The Swap engine's ``swap_tao_for_alpha`` with ``max_price``: the alpha reserve shrinks and the
    outstanding alpha grows by the alpha bought, the TAO reserve grows by the TAO net of the swap fee,
    ``TotalStake`` and the volume by the TAO paid. The fee stays on the subnet account.
    """
    from runtime.pallets.swap import engine  # the engine reads this pallet's storage

    return engine.swap_tao_for_alpha(ctx, netuid, tao, engine.max_price()).amount_paid_out


def record_tao_inflow(ext: Externalities, netuid: int, tao: int) -> None:
    """``SubnetTaoFlow += tao`` (an i64, saturating)."""
    st.SubnetTaoFlow.put(ext, netuid, min(st.SubnetTaoFlow.get(ext, netuid) + tao, (1 << 63) - 1))


# -- lock cost ------------------------------------------------------------------------------------------------


def block_emission_for_issuance(issuance: int) -> int:
    """``get_block_emission_for_issuance`` without the storage write (one curve: :mod:`block_emission`)."""
    return block_emission.block_emission_curve(issuance)


def calculate_block_emission(ext: Externalities) -> int:
    """The block emission for the current issuance; ``BlockEmission`` is updated when it changes."""
    return block_emission.calculate_block_emission(ext)


def lock_reduction_interval(ext: Externalities) -> int:
    """``NetworkLockReductionInterval`` scaled by the emission halving (I64F64, truncated)."""
    interval = st.NetworkLockReductionInterval.get(ext)
    halving_bits = (calculate_block_emission(ext) << 64) // DEFAULT_BLOCK_EMISSION
    return min((interval * halving_bits) >> 64, U64_MAX)


def network_last_lock_block(ext: Externalities) -> int:
    return st.LastRateLimitedBlock.get(ext, NETWORK_LAST_REGISTERED)  # type: ignore[no-any-return]


def network_lock_cost(ctx: Context) -> int:
    """``get_network_lock_cost``: the last lock doubled, decaying linearly back to the minimum.

    ``max(min_lock, last·mult − (last // interval)·(now − last_block))`` with ``mult`` 1 before the
    first registration and 2 after, u64 saturating arithmetic.
    """
    last_lock = st.NetworkLastLockCost.get(ctx)
    min_lock = st.NetworkMinLockCost.get(ctx)
    last_block = network_last_lock_block(ctx)
    now = block_now(ctx)
    interval = lock_reduction_interval(ctx)
    mult = 1 if last_block == 0 else 2
    per_block = last_lock // interval if interval else 0
    decay = min(per_block * max(now - last_block, 0), U64_MAX)
    cost = max(min(last_lock * mult, U64_MAX) - decay, 0)
    return max(cost, min_lock)


# -- pruning and netuids --------------------------------------------------------------------------------------


def moving_alpha_price_bits(ext: Externalities, netuid: int) -> int:
    """``get_moving_alpha_price`` as U64F64 bits: 1.0 for root and stable subnets, else the EMA price."""
    if netuid == ROOT_NETUID or st.SubnetMechanism.get(ext, netuid) == 0:
        return fixed_from_int(1)
    bits = st.SubnetMovingPrice.get(ext, netuid).bits  # I96F32: 32 fraction bits, signed
    return 0 if bits <= 0 else min(bits << 32, U128_MAX)


def network_to_prune(ctx: Context) -> int | None:
    """The non-root subnet past its immunity with the lowest moving price (earliest registered on ties)."""
    now = block_now(ctx)
    immunity = st.NetworkImmunityPeriod.get(ctx)
    best: tuple[int, int, int] | None = None  # (price, registered_at, netuid)
    for netuid, added in added_netuids(ctx):
        if not added or netuid == ROOT_NETUID:
            continue
        registered_at = st.NetworkRegisteredAt.get(ctx, netuid)
        if now < registered_at + immunity:
            continue
        price = moving_alpha_price_bits(ctx, netuid)
        if best is None or price < best[0] or (price == best[0] and registered_at < best[1]):
            best = (price, registered_at, netuid)
    return None if best is None else best[2]


def next_netuid(ext: Externalities) -> int:
    """The smallest netuid ≥ 1 without a ``NetworksAdded`` entry."""
    taken = {netuid for netuid, _ in added_netuids(ext)}
    netuid = 1
    while netuid in taken:
        netuid += 1
    return netuid


def median_subnet_alpha_price(ext: Externalities) -> int:
    """The median current price (U64F64 bits) over non-root subnets priced above 0; 1.0 if none."""
    prices = sorted(price for netuid, added in added_netuids(ext)
                    if added and netuid != ROOT_NETUID
                    for price in [current_alpha_price(ext, netuid)] if price > 0)
    if not prices:
        return fixed_from_int(1)
    lower, upper = prices[(len(prices) - 1) // 2], prices[len(prices) // 2]
    if (len(prices) - 1) // 2 == len(prices) // 2:
        return upper
    return fixed_safe_div(min(lower + upper, U128_MAX), fixed_from_int(2))


# -- network creation -----------------------------------------------------------------------------------------


def init_new_network(ctx: Context, netuid: int, tempo: int) -> None:
    """A subnet's default parameters, written explicitly (with the setters' events)."""
    st.SubnetworkN.put(ctx, netuid, 0)
    st.NetworksAdded.put(ctx, netuid, True)
    st.Tempo.put(ctx, netuid, tempo)
    st.LastEpochBlock.put(ctx, netuid, max(block_now(ctx) - netuid % max(tempo, 1), 0))
    st.TotalNetworks.put(ctx, min(st.TotalNetworks.get(ctx) + 1, 0xFFFF))
    st.NetworkRegistrationAllowed.put(ctx, netuid, True)
    ctx.deposit_event(RegistrationAllowed(netuid, True))
    st.MaxAllowedUids.put(ctx, netuid, 256)
    ctx.deposit_event(MaxAllowedUidsSet(netuid, 256))
    st.MaxAllowedValidators.put(ctx, netuid, 64)
    ctx.deposit_event(MaxAllowedValidatorsSet(netuid, 64))
    st.MinAllowedWeights.put(ctx, netuid, 1)
    ctx.deposit_event(MinAllowedWeightSet(netuid, 1))
    st.ImmunityPeriod.put(ctx, netuid, 5000)
    ctx.deposit_event(ImmunityPeriodSet(netuid, 5000))
    st.Yuma3On.put(ctx, netuid, True)
    st.Burn.put(ctx, netuid, DEFAULT_NEURON_BURN_COST)
    st.SubnetEmissionEnabled.put(ctx, netuid, True)
    for item in (st.Kappa, st.ActivityCutoff, st.RegistrationsThisInterval):
        if not item.exists(ctx, netuid):
            item.put(ctx, netuid, item.get(ctx, netuid))


def is_valid_subnet_identity(identity: dict[str, bytes]) -> bool:
    """Field length limits of ``SubnetIdentityV3`` (and a total no field combination can exceed)."""
    limits = {"subnet_name": 256, "github_repo": 1024, "subnet_contact": 1024, "subnet_url": 1024,
              "discord": 256, "description": 1024, "logo_url": 1024, "additional": 1024}
    total = len(identity["subnet_name"]) + len(identity["github_repo"]) + len(identity["subnet_contact"])
    return total <= sum(limits.values()) and all(len(identity[k]) <= n for k, n in limits.items())


def set_subnet_owner_hotkey(ctx: Context, netuid: int, hotkey: bytes) -> None:
    accounts.ensure_not_system_account(hotkey)
    st.SubnetOwnerHotkey.put(ctx, netuid, hotkey)
    ctx.deposit_event(SubnetOwnerHotkeySet(netuid, hotkey))


def do_register_network(ctx: Context, origin: Origin, hotkey: bytes, mechid: int,
                        identity: dict[str, bytes] | None) -> int:
    """Create a subnet owned by the signer with ``hotkey`` as uid 0; the new netuid."""
    coldkey = ensure_signed(origin)
    if accounts.hotkey_account_exists(ctx, hotkey) and not accounts.coldkey_owns_hotkey(ctx, coldkey, hotkey):
        raise errors.NonAssociatedColdKey
    accounts.ensure_not_system_account(hotkey)
    if mechid != DYNAMIC_MECHANISM:
        raise errors.MechanismDoesNotExist
    now = block_now(ctx)
    if now < st.NetworkRegistrationStartBlock.get(ctx):
        raise errors.SubNetRegistrationDisabled
    last = network_last_lock_block(ctx)
    if last != 0 and max(now - last, 0) < st.NetworkRateLimit.get(ctx):
        raise errors.NetworkTxRateLimitExceeded

    count = sum(1 for netuid, added in added_netuids(ctx) if added and netuid != ROOT_NETUID)
    recycled_netuid: int | None = None
    if count >= st.SubnetLimit.get(ctx):
        recycled_netuid = network_to_prune(ctx)
        if recycled_netuid is None:
            raise errors.SubnetLimitReached

    lock_amount = network_lock_cost(ctx)
    if not can_remove_balance(ctx, coldkey, lock_amount):
        raise errors.CannotAffordLockCost
    if recycled_netuid is not None:
        do_dissolve_network(ctx, recycled_netuid)
    netuid = recycled_netuid if recycled_netuid is not None else next_netuid(ctx)

    median_price = median_subnet_alpha_price(ctx)
    init_new_network(ctx, netuid, DEFAULT_TEMPO)
    locked = transfer_tao_to_subnet(ctx, netuid, coldkey, lock_amount)
    st.NetworkLastLockCost.put(ctx, locked)
    st.LastRateLimitedBlock.put(ctx, NETWORK_LAST_REGISTERED, now)

    from runtime.pallets.subtensor import registration  # registration builds on this module

    accounts.create_account_if_non_existent(ctx, coldkey, hotkey)
    registration.append_neuron(ctx, netuid, hotkey, now)
    st.SubnetMechanism.put(ctx, netuid, mechid)
    st.NetworkRegisteredAt.put(ctx, netuid, now)
    st.RegisteredSubnetCounter.put(ctx, netuid, min(st.RegisteredSubnetCounter.get(ctx, netuid) + 1, U64_MAX))
    st.TokenSymbol.put(ctx, netuid, next_available_symbol(ctx, netuid))

    # The whole lock stays in the pool, priced at the median of the other subnets.
    pool_tao = max(locked, st.NetworkMinLockCost.get(ctx))
    pool_alpha = fixed_to_u64(fixed_safe_div(fixed_from_int(pool_tao), median_price))
    st.SubnetTAO.put(ctx, netuid, pool_tao)
    st.SubnetAlphaIn.put(ctx, netuid, pool_alpha)
    st.SubnetOwner.put(ctx, netuid, coldkey)
    set_subnet_owner_hotkey(ctx, netuid, hotkey)
    st.SubnetLocked.put(ctx, netuid, locked)
    st.SubnetAlphaOut.put(ctx, netuid, 0)
    st.SubnetVolume.put(ctx, netuid, 0)
    # locked - pool_tao is never positive (pool_tao >= locked), so nothing is recycled.
    st.RAORecycledForRegistration.put(ctx, netuid, max(locked - pool_tao, 0))
    if pool_tao > 0:
        increase_total_stake(ctx, pool_tao)

    if identity is not None:
        if not is_valid_subnet_identity(identity):
            raise errors.InvalidIdentity
        st.SubnetIdentitiesV3.put(ctx, netuid, identity)
        ctx.deposit_event(SubnetIdentitySet(netuid))

    from runtime.pallets.subtensor import auto_parent  # it builds on the child-key relations, which use us
    auto_parent.set_root_validators_for_subnet(ctx, netuid)
    ctx.deposit_event(NetworkAdded(netuid, mechid))
    st.SubnetEmissionEnabled.put(ctx, netuid, False)
    return netuid


def do_start_call(ctx: Context, origin: Origin, netuid: int) -> None:
    if not subnet_exists(ctx, netuid):
        raise errors.SubnetNotExists
    ensure_subnet_owner(ctx, origin, netuid)
    if st.FirstEmissionBlockNumber.exists(ctx, netuid):
        raise errors.FirstEmissionBlockNumberAlreadySet
    now = block_now(ctx)
    if now < st.NetworkRegisteredAt.get(ctx, netuid) + st.StartCallDelay.get(ctx):
        raise errors.NeedWaitingMoreBlocksToStarCall
    st.FirstEmissionBlockNumber.put(ctx, netuid, now + 1)
    st.SubtokenEnabled.put(ctx, netuid, True)
    ctx.deposit_event(FirstEmissionBlockNumberSet(netuid, now + 1))


def do_set_subnet_identity(ctx: Context, origin: Origin, netuid: int, identity: dict[str, bytes]) -> None:
    coldkey = ensure_signed(origin)
    if st.SubnetOwner.get(ctx, netuid) != coldkey:
        raise errors.NotSubnetOwner
    if not is_valid_subnet_identity(identity):
        raise errors.InvalidIdentity
    st.SubnetIdentitiesV3.put(ctx, netuid, identity)
    ctx.deposit_event(SubnetIdentitySet(netuid))


def do_update_symbol(ctx: Context, origin: Origin, netuid: int, symbol: bytes) -> None:
    ensure_subnet_owner_or_root(ctx, origin, netuid)
    ensure_symbol_exists(symbol)
    ensure_symbol_available(ctx, symbol)
    st.TokenSymbol.put(ctx, netuid, symbol)
    ctx.deposit_event(SymbolUpdated(netuid=netuid, symbol=symbol))


# -- dissolution ----------------------------------------------------------------------------------------------

_NETUID_ITEMS = (
    "SubnetOwner", "SubnetworkN", "NetworksAdded", "NetworkRegisteredAt", "Active", "Emission", "Consensus",
    "Dividends", "ValidatorPermit", "ValidatorTrust", "Tempo", "Kappa", "Difficulty", "MaxAllowedUids",
    "ImmunityPeriod", "ActivityCutoff", "ActivityCutoffFactorMilli", "LastEpochBlock", "PendingEpochAt",
    "SubnetEpochIndex", "MinAllowedWeights", "RegistrationsThisInterval", "POWRegistrationsThisInterval",
    "BurnRegistrationsThisInterval", "SubnetAlphaInEmission", "SubnetAlphaOutEmission", "SubnetTaoInEmission",
    "SubnetVolume", "SubnetMovingPrice", "SubnetTaoFlow", "SubnetEmaTaoFlow", "SubnetProtocolFlow",
    "SubnetEmaProtocolFlow", "SubnetExcessTao", "SubnetRootSellTao", "TokenSymbol", "SubnetMechanism",
    "SubnetOwnerHotkey", "NetworkRegistrationAllowed", "NetworkPowRegistrationAllowed", "TransferToggle",
    "SubnetLocked", "LargestLocked", "FirstEmissionBlockNumber", "PendingValidatorEmission",
    "PendingServerEmission", "PendingRootAlphaDivs", "PendingOwnerCut", "MinerBurned", "BlocksSinceLastStep",
    "LastMechansimStepBlock", "LastAdjustmentBlock", "ServingRateLimit", "Rho", "AlphaSigmoidSteepness",
    "MaxAllowedValidators", "BondsMovingAverage", "BondsPenalty", "BondsResetOn", "WeightsSetRateLimit",
    "ValidatorPruneLen", "ScalingLawPower", "TargetRegistrationsPerInterval", "CommitRevealWeightsEnabled",
    "BurnHalfLife", "BurnIncreaseMult", "Burn", "MinBurn", "MaxBurn", "MinDifficulty", "MaxDifficulty",
    "RegistrationsThisBlock", "EMAPriceHalvingBlocks", "RAORecycledForRegistration", "MaxRegistrationsPerBlock",
    "WeightsVersionKey", "LiquidAlphaOn", "Yuma3On", "AlphaValues", "SubtokenEnabled", "OwnerCutAutoLockEnabled",
    "ImmuneOwnerUidsLimit", "StakeWeight", "LoadedEmission", "RevealPeriodEpochs", "MechanismEmissionSplit",
)
"""Items keyed by the netuid alone that ``remove_network`` deletes."""
_NETUID_PREFIX_ITEMS = (
    "Uids", "Keys", "BlockAtRegistration", "Axons", "NeuronCertificates", "Prometheus", "AlphaDividendsPerSubnet",
    "PendingChildKeys", "AssociatedEvmAddress", "LastHotkeySwapOnNetuid",
)
"""Double maps whose first key is the netuid, cleared by prefix."""
_MECHANISM_PREFIX_ITEMS = (
    "WeightCommits", "TimelockedWeightCommits", "CRV3WeightCommits", "CRV3WeightCommitsV2", "Bonds", "Weights",
)
_SECOND_KEY_NETUID_ITEMS = (
    "ChildkeyTake", "ChildKeys", "ParentKeys", "LastHotkeyEmissionOnNetuid", "TotalHotkeyAlphaLastEpoch",
)
"""Double maps keyed (account, netuid): scanned, and the netuid's entries removed."""


def remove_network(ctx: Context, netuid: int) -> None:
    """Delete the subnet's storage, as the reference's ``remove_network`` does for the items we have."""
    items = st.ITEMS
    members = [hotkey for _, hotkey in items["Keys"].iter(ctx, netuid)]
    mechanisms = st.MechanismCountCurrent.get(ctx, netuid)
    st.TotalNetworks.put(ctx, max(st.TotalNetworks.get(ctx) - 1, 0))
    for (_, uid), row in list(st.Weights.iter(ctx, storage_index(ROOT_NETUID))):
        st.Weights.put(ctx, storage_index(ROOT_NETUID), uid, [(d, 0 if d == netuid else w) for d, w in row])
    for hotkey in members:
        st.IsNetworkMember.kill(ctx, hotkey, netuid)
    for name in _NETUID_ITEMS:
        items[name].kill(ctx, netuid)
    for name in _NETUID_PREFIX_ITEMS:
        items[name].clear_all(ctx, netuid)
    for mechid in range(mechanisms):
        index = storage_index(netuid, mechid)
        st.LastUpdate.kill(ctx, index)
        st.Incentive.kill(ctx, index)
        for name in _MECHANISM_PREFIX_ITEMS:
            items[name].clear_all(ctx, index)
    st.MechanismCountCurrent.kill(ctx, netuid)
    if st.SubnetIdentitiesV3.exists(ctx, netuid):
        st.SubnetIdentitiesV3.kill(ctx, netuid)
        ctx.deposit_event(SubnetIdentityRemoved(netuid))
    for name in _SECOND_KEY_NETUID_ITEMS:
        item = items[name]
        for keys in [k for k in item.iter_keys(ctx) if k[1] == netuid]:
            item.kill(ctx, *keys)
    for keys in [k for k in st.TransactionKeyLastBlock.iter_keys(ctx) if k[1] == netuid]:
        st.TransactionKeyLastBlock.kill(ctx, *keys)
    lease = st.SubnetUidToLeaseId.take(ctx, netuid)
    if lease is not None:
        st.SubnetLeases.kill(ctx, lease)
        st.SubnetLeaseShares.clear_all(ctx, lease)
        st.AccumulatedLeaseDividends.kill(ctx, lease)


def _owner_emission_tao(ext: Externalities, netuid: int) -> int:
    """The owner's share of the subnet's alpha issuance, valued in TAO at the current price.

    Mirrors the reference's U96F32 path: cut = SubnetOwnerCut / u16::MAX with 32 fraction bits, owner alpha
    = floor(issuance · cut), TAO = floor(owner alpha · price) with the price truncated to 32 fraction bits.
    """
    issuance = st.SubnetAlphaIn.get(ext, netuid) + st.SubnetAlphaOut.get(ext, netuid)
    if issuance == 0:
        return 0
    cut_bits = (st.SubnetOwnerCut.get(ext) << 32) // 0xFFFF
    owner_alpha = min((issuance * cut_bits) >> 32, U64_MAX)
    if owner_alpha == 0:
        return 0
    price_bits = current_alpha_price(ext, netuid) >> 32  # U64F64 -> U96F32 (truncating)
    return min((owner_alpha * price_bits) >> 32, U64_MAX)


def _largest_remainder_split(pot: int, weights: list[tuple[bytes, int]], total: int) -> list[tuple[bytes, int]]:
    """Split ``pot`` by ``weight / total``: floor each portion, then hand one extra rao to the
    ``sum(remainders) // total`` holders with the largest remainders (a stable descending sort, as
    the reference's ``sort_by``)."""
    portions = []
    leftover_rem = 0
    for coldkey, weight in weights:
        quotient, remainder = divmod(pot * weight, total)
        leftover_rem += remainder
        portions.append([coldkey, min(quotient, U64_MAX), remainder])
    extra = leftover_rem // total
    if extra:
        portions.sort(key=lambda p: p[2], reverse=True)
        for portion in portions[:min(extra, len(portions))]:
            portion[1] = min(portion[1] + 1, U64_MAX)
    return [(coldkey, share) for coldkey, share, _ in portions if share > 0]


def destroy_alpha_in_out_stakes(ctx: Context, netuid: int) -> None:
    """Pay the subnet's TAO pool out to its alpha holders and destroy every alpha position.

    The reference's ``destroy_alpha_in_out_stakes`` (total value → settle stakes → clean alpha → clear
    hotkey totals → finalise), run in one go:

    * the pot is ``SubnetTAO``; each (hotkey, coldkey) position weighs its alpha *value* (the raw share
      when the pool values it at 0); the protocol's alpha (``SubnetProtocolAlpha``, plus ``SubnetAlphaIn``
      for subnets registered after ``TaoInRefundDeploymentBlock``) also weighs in and its portion is not
      paid out;
    * portions are ``floor(pot · value / total)`` with the largest-remainder top-up, summed per coldkey
      and transferred from the subnet account (a failing transfer is ignored, as in the reference);
    * subnets registered before ``NetworkRegistrationStartBlock`` refund the owner
      ``lock − owner emission in TAO`` plus the pot's undistributed rest, capped at what the subnet
      account holds beyond the protocol's portion; newer subnets get no refund;
    * alpha entries, hotkey totals, the alpha counters and ``SubnetLocked`` are removed.
    """
    from runtime.pallets.subtensor import staking  # staking builds on this module

    reg_at = st.NetworkRegisteredAt.get(ctx, netuid)
    protocol_alpha = st.SubnetProtocolAlpha.get(ctx, netuid)
    total = protocol_alpha
    if reg_at > st.TaoInRefundDeploymentBlock.get(ctx):
        total += st.SubnetAlphaIn.get(ctx, netuid)

    hotkeys = [hotkey for (hotkey, this_netuid), _ in st.TotalHotkeyAlpha.iter(ctx) if this_netuid == netuid]
    positions: list[tuple[bytes, bytes]] = []
    stakers: list[tuple[bytes, int]] = []
    for hotkey in hotkeys:
        share_pool = staking.pool(ctx, hotkey, netuid)
        coldkeys = {cold for (hot, cold, nu), _ in st.AlphaV2.iter(ctx) if hot == hotkey and nu == netuid}
        coldkeys |= {cold for (hot, cold, nu), _ in st.Alpha.iter(ctx) if hot == hotkey and nu == netuid}
        for coldkey in sorted(coldkeys):
            positions.append((hotkey, coldkey))
            value = share_pool.try_get_value(coldkey) or 0
            if value == 0:  # an uninitialised pool: the raw share counts as the value
                value = safe_float_to_u64(share_pool.get_share(coldkey))
            if value > 0:
                total += value
                stakers.append((coldkey, value))

    pot = st.SubnetTAO.get(ctx, netuid)
    distributed = 0
    if pot > 0 and total > 0 and stakers:
        payouts: dict[bytes, int] = {}
        for coldkey, share in _largest_remainder_split(pot, stakers, total):
            payouts[coldkey] = min(payouts.get(coldkey, 0) + share, U64_MAX)
        for coldkey in sorted(payouts):
            distributed += payouts[coldkey]
            try:
                with ctx.transaction():
                    staking.transfer_tao_from_subnet(ctx, netuid, coldkey, payouts[coldkey])
            except DispatchError:
                pass

    owner = st.SubnetOwner.get(ctx, netuid)
    lock = st.SubnetLocked.get(ctx, netuid)
    refund_owner = reg_at < st.NetworkRegistrationStartBlock.get(ctx)
    owner_emission = _owner_emission_tao(ctx, netuid) if refund_owner and lock else 0
    protocol_tao = min(pot * protocol_alpha // total, U64_MAX) if protocol_alpha and total else 0

    for hotkey, coldkey in positions:
        st.Alpha.kill(ctx, hotkey, coldkey, netuid)
        st.AlphaV2.kill(ctx, hotkey, coldkey, netuid)
    for hotkey in hotkeys:
        st.TotalHotkeyAlpha.kill(ctx, hotkey, netuid)
        st.TotalHotkeyShares.kill(ctx, hotkey, netuid)
        st.TotalHotkeySharesV2.kill(ctx, hotkey, netuid)
    st.SubnetAlphaIn.kill(ctx, netuid)
    st.SubnetAlphaOut.kill(ctx, netuid)
    st.SubnetProtocolAlpha.kill(ctx, netuid)
    st.SubnetLocked.put(ctx, netuid, 0)

    refund = max(lock - owner_emission, 0) if refund_owner else 0
    subnet_account = accounts.subnet_account_if_exists(ctx, netuid)
    if refund and subnet_account is not None:
        transferable = max(balances.free_balance(ctx, subnet_account) - protocol_tao, 0)
        distributed += refund
        if distributed < pot:
            refund += pot - distributed
        try:
            with ctx.transaction():
                staking.transfer_tao(ctx, subnet_account, owner, min(refund, transferable))
        except DispatchError:
            pass
    st.SubnetTAO.kill(ctx, netuid)


def do_dissolve_network(ctx: Context, netuid: int) -> None:
    """Remove a non-root subnet: pay out its alpha holders, clear its swap pool, delete its storage.

    ``TotalStake`` drops by the pool's TAO up front (the reference does this in ``do_dissolve_network``),
    then :func:`destroy_alpha_in_out_stakes` settles the stakes and the Swap pool's protocol liquidity is
    cleared before ``remove_network``.
    """
    if netuid == ROOT_NETUID or not subnet_exists(ctx, netuid):
        raise errors.SubnetNotExists
    from runtime.pallets.swap import engine  # the engine reads this pallet's storage

    st.TotalStake.put(ctx, max(st.TotalStake.get(ctx) - st.SubnetTAO.get(ctx, netuid), 0))
    destroy_alpha_in_out_stakes(ctx, netuid)
    engine.clear_protocol_liquidity(ctx, netuid)
    remove_network(ctx, netuid)
    ctx.deposit_event(NetworkRemoved(netuid))


__all__ = [
    "DEFAULT_NEURON_BURN_COST", "DEFAULT_SYMBOL", "DEFAULT_TEMPO", "SYMBOLS", "block_emission_for_issuance",
    "can_remove_balance", "destroy_alpha_in_out_stakes", "do_dissolve_network", "do_register_network", "do_set_subnet_identity", "do_start_call",
    "do_update_symbol", "ensure_subnet_owner", "ensure_subnet_owner_or_root", "init_new_network",
    "is_valid_subnet_identity", "lock_reduction_interval", "median_subnet_alpha_price", "network_lock_cost",
    "network_to_prune", "next_available_symbol", "next_netuid", "remove_network", "swap_tao_for_alpha",
    "transfer_tao_to_subnet",
]
