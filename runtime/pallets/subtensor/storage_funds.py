"""SubtensorModule storage, part 4 of 4.

Items: root stake holds, validator basket funds, root claims, staking-coldkey index, EVM
associations, subnet leases, mechanisms, burn settings, miner collateral and migrations.

Doc lines, defaults and shapes are those of node-subtensor's metadata (fast-runtime localnet).
"""

from __future__ import annotations

from runtime.pallets.subtensor.schema import (
    storage, NETUID, NETUID_BLAKE, NETUID_TWOX, UID_TWOX, ACCOUNT, ACCOUNT_ID, LEASE_ID, INDEX, RAW_KEY,
    EVM_ADDRESS,
)
from runtime.pallets.subtensor.types import (
    AccountId32, AlphaBalance, BetaBaselineOf, BetaIndexFundSampleOf, BetaIndexSnapshotOf, BetaIndexSweepOf,
    BoundedVec, H160, MechId, MinerCollateralState, RootClaimableMap, SubnetLease, TaoBalance,
)
from runtime.scale import Bool, I128, I96F32, U16, U32, U64, U128, U64F64, Tuple, Unit, Vec

RootStakeUnlockInterval = storage.value("RootStakeUnlockInterval", U64, default=0, docs=[
    ' Minimum number of blocks root (netuid 0) stake must be held before it can be',
    ' removed from root (via `remove_stake`, move/swap/transfer off root, etc.),',
    ' keyed off `LastColdkeyHotkeyStakeBlock`. `0` disables the hold (default),',
    ' preserving legacy behaviour. When set >= one tempo it neutralises epoch-boundary',
    ' "just-in-time" dividend sniping: root stake is 1:1 TAO with no AMM slippage, so',
    ' without this friction a sniper can stake right before a boundary, capture a full',
    " tempo's root dividend pro-rata to instantaneous stake, and exit immediately.",
])
BasketTradingEnabled = storage.value("BasketTradingEnabled", Bool, default=False, docs=[
    ' Master switch for `swap_basket` (validator-directed basket rebalancing). Defaults to',
    ' OFF. Flipped on via `AdminUtils::sudo_set_basket_trading_enabled`. Gates only the',
    ' trade path: deposits, claims, dividend accrual, and all read paths are unaffected.',
])
BasketTradingFrozen = storage.map("BasketTradingFrozen", [ACCOUNT], Unit, docs=[
    ' --- SET ( validator_hotkey ) --> basket trading frozen for this fund.',
    '',
    ' Per-fund kill switch set by governance (`AdminUtils::sudo_set_basket_trading_frozen`),',
    ' e.g. after a suspected key compromise. A frozen fund still accepts deposits and pays',
    ' claims; only `swap_basket` is refused. Follows the fund on hotkey swap.',
])
BasketDailyTurnoverCap = storage.value("BasketDailyTurnoverCap", U16, default=6553, docs=[
    " --- ITEM --> capacity of a fund's `swap_basket` turnover bucket as a u16-normalized",
    " share of the fund's NAV (`u16::MAX` = 100%). The bucket refills at",
    ' `capacity / BASKET_TRADE_REFILL_BLOCKS` per block, so at most one capacity can be',
    ' pushed through the fund at any instant and about one per day sustained. Each leg is',
    ' also bounded to [`crate::BASKET_TRADE_MAX_SLIPPAGE_BPS`] of *both* the moving price',
    ' and the spot price. Set via `AdminUtils::sudo_set_basket_daily_turnover_cap`.',
])
BasketLiquidityCap = storage.value("BasketLiquidityCap", U16, default=6553, docs=[
    " --- ITEM --> max share of a subnet's alpha reserve (`SubnetAlphaIn`) a fund may hold",
    ' on that subnet after a `swap_basket` buy (u16-normalized, `u16::MAX` = 100%).',
    '',
    ' The concentration cap ([`BasketConcentrationCap`]) marks holdings at realizable value, which',
    " is bounded by the pool's TAO reserve, so on a thin pool a fund could keep buying while",
    ' counterparties sell back into its own price support and the realizable share never',
    " grows. This cap bounds the fund's exposure to any one pool's liquidity instead: with",
    ' cap `L` the value at risk on a pool with TAO reserve `R` is about `R × L² / (1 + L)`',
    ' (≈ 1% of `R` at 10%). Set via `AdminUtils::sudo_set_basket_liquidity_cap`.',
])
BasketTradeBucket = storage.map("BasketTradeBucket", [ACCOUNT], Tuple(U64, U64), docs=[
    " --- MAP ( validator_hotkey ) --> `(tao_available, last_refill_block)` of the fund's",
    ' `swap_basket` turnover bucket. A missing row is a full bucket (a new fund starts full).',
    ' On each trade the bucket is refilled for the blocks elapsed since `last_refill_block`',
    ' at `budget / BASKET_TRADE_REFILL_BLOCKS` per block, clamped to one budget (NAV at',
    ' that moment), then the TAO through the middle of the swap is taken out. Follows the',
    ' fund on hotkey swap (lower level, later refill block).',
])
BasketConcentrationCap = storage.value("BasketConcentrationCap", U16, default=4096, docs=[
    " --- ITEM --> max share of a fund's NAV one holding may reach through a `swap_basket`",
    ' buy, u16-normalized (`u16::MAX` = 100%). Holdings are marked at realizable value. A',
    ' cap of 1/16 forces a traded fund to spread across at least 16 holdings, so trading',
    ' cannot recreate single-subnet concentration. Only buys are checked: a holding that',
    ' grows past the cap through price appreciation or in-place dividends is left alone',
    ' (it can be sold down, not topped up). Skipped at check time while fewer subnets',
    ' exist than the cap demands (young chains, tests). Set via',
    ' `AdminUtils::sudo_set_basket_concentration_cap`.',
])
RootClaimableThreshold = storage.map(
    "RootClaimableThreshold", [NETUID_BLAKE], I96F32, default=I96F32.from_int(500_000), docs=[
    ' Basket redemption is fund-level (not per-subnet), so only the `NetUid::ROOT` entry is',
    ' consulted: a claim below `RootClaimableThreshold[ROOT]` TAO is skipped as dust. Other',
    ' entries are inert.',
])
RootClaimable = storage.map("RootClaimable", [ACCOUNT], RootClaimableMap, default={}, docs=[
    ' --- MAP ( hot ) --> MAP(netuid ) --> claimable_dividends | LEGACY per-subnet root',
    ' claimable rates. Superseded by the unified [`BasketRate`]; only read (and drained) by',
    ' `migrate_seed_beta_basket`. Do not use in runtime logic.',
])
RootClaimed = storage.map("RootClaimed", [NETUID, ACCOUNT, ACCOUNT], U128, default=0, docs=[
    ' LEGACY per-subnet claimed watermarks. Superseded by the unified [`BasketClaimed`]; only',
    ' read (and drained) by `migrate_seed_beta_basket`. Do not use in runtime logic.',
])
BasketShares = storage.map("BasketShares", [ACCOUNT], U64, default=0, docs=[
    ' --- MAP ( validator_hotkey ) --> total outstanding basket fund shares `P`.',
    '',
    " A validator's beta basket is a single fund: its holdings are the escrow stake positions",
    " `(hotkey, escrow, netuid)` across subnets (the root slot is the fund's TAO/cash position),",
    ' and its net asset value `N` is the realizable (slippage-aware) TAO value of those',
    " holdings. Stakers' entitlements are denominated in *fund shares*, never in any particular",
    " subnet's alpha: dividend deposits mint `value_added * P / N` shares, where `value_added`",
    " is the realizable NAV the deposit actually added, and redemption pays the staker's owed",
    ' share fraction `owed / P` of every holding, sold pro-rata. Direct `stake_into_basket`',
    ' deposits additionally cap that NAV-priced mint by the fraction of every existing holding',
    ' actually acquired, so their proportional redemption cannot sell more units than they',
    ' bought. Their shares are credited through the signed [`BasketClaimed`] watermark. Because',
    ' entitlement is decoupled from composition, holdings can be rebalanced (validator-directed',
    " trading, dissolution conversions) without touching any staker's claim.",
])
BasketRate = storage.map("BasketRate", [ACCOUNT], I96F32, default=I96F32.from_int(0), docs=[
    ' --- MAP ( validator_hotkey ) --> cumulative fund-shares-per-root-stake accumulator.',
    '',
    " Each dividend deposit increments this by `minted_shares / total_root_stake`. A staker's",
    ' gross entitlement is `BasketRate * root_stake`; net owed subtracts their',
    ' [`BasketClaimed`] watermark. Stake additions/removals rebase the watermark by',
    ' `rate * delta` so changing root stake never retroactively grants or removes accrued',
    ' claimable.',
])
BetaBaseline = storage.map("BetaBaseline", [ACCOUNT], BetaBaselineOf, docs=[
    " --- MAP ( validator_hotkey ) --> the fund's frozen display baseline (see",
    ' [`BetaBaselineOf`]).',
    '',
    " Stamped once at the fund's first share mint (or seeded from the frozen SDK table by",
    ' `migrate_stamp_beta_baselines` for funds that predate on-chain stamping) and never',
    " rewritten, so the spliced display/stake prices stay continuous for the fund's whole",
    ' life. Scoped to one fund *life*: follows the fund on hotkey swap, and is retired',
    ' when the last share is claimed or a dust revival starts a new life (see',
    ' `retire_beta_display_state`), so an entry exists only while the fund has',
    ' outstanding shares. Also absent for funds born before this storage existed that',
    ' have not minted since; such funds price provisionally at the live index level',
    ' until their next mint stamps them.',
])
BasketTwr = storage.map("BasketTwr", [ACCOUNT], U64F64, default=U64F64.from_int(1), docs=[
    " --- MAP ( validator_hotkey ) --> the fund's staker total-return accumulator.",
    '',
    ' The one canonical root-staker return series. Starts at 1.0 and multiplies by',
    ' `1 + stakers_value / total_root_stake` on every dividend share mint — the value that',
    " deposit actually added per rao of claimant root stake, locked in at the deposit's own",
    ' (realizable) pricing. Flows never move it; only dividends do. The staker return of',
    ' τ1 staked over any window (claim-and-restake convention) is `Twr(t1) / Twr(t0) - 1`,',
    ' so any two archive samples agree for every consumer. Everything staker-facing',
    ' derives from it: `stake_price` is this accumulator spliced onto the stake index',
    ' (`tr_splice × Twr`), and the index chains its relatives. The rate-delta figure',
    ' `(BasketRate - rate0) * price` is *not* an alternative return series — it is the',
    " pending-entitlement mark (`staker_yield`), which re-values all accrued β at today's",
    ' price. Accumulates from the upgrade that introduced it; earlier history lives in the',
    ' seeded `tr_splice` (see `migrate_stamp_beta_baselines`). Like [`BetaBaseline`],',
    ' scoped to one fund life: moves on hotkey swap and is retired when the fund drains or',
    ' a dust revival starts a new life.',
])
BetaIndexSnapshot = storage.value("BetaIndexSnapshot", BetaIndexSnapshotOf, docs=[
    ' --- ITEM --> the latest published beta-index snapshot (see [`BetaIndexSnapshotOf`]).',
    '',
    ' Refreshed by the paged background sweep in block processing; read by baseline stamps',
    ' so no state-changing path ever sweeps every fund inline. Absent until the first',
    ' pass after genesis (or the runtime upgrade that introduced it) completes; stamps',
    ' simply wait for the next mint while it is absent.',
])
BetaIndexSweep = storage.value("BetaIndexSweep", BetaIndexSweepOf, docs=[
    ' --- ITEM --> in-progress paged beta-index sweep (see [`BetaIndexSweepOf`]).',
    '',
    ' Present only mid-pass. `advance_beta_index_sweep` processes one strictly bounded',
    ' page per block and clears this on completion.',
])
BetaIndexFundSample = storage.map("BetaIndexFundSample", [ACCOUNT], BetaIndexFundSampleOf, docs=[
    " --- MAP ( validator_hotkey ) --> the fund's last completed index-sweep sample",
    ' (see [`BetaIndexFundSampleOf`]).',
    '',
    " Written by the sweep as it visits each fund (the current pass's sample replaces the",
    " previous pass's in the same visit) and consumed as the start-of-period state of the",
    " next pass's price relative. Removed when the fund becomes unpriceable, retires, or",
    " starts a new life, so no relative ever chains across a gap in the fund's history.",
])
BasketClaimed = storage.map("BasketClaimed", [ACCOUNT, ACCOUNT], I128, default=0, docs=[
    ' --- DMAP ( validator_hotkey, staker_coldkey ) --> fund shares already claimed (watermark).',
    '',
    ' Signed on purpose, for two reasons. First, stake-change rebasing',
    ' (`claimed ± rate * delta`) must be exact in both directions: with an unsigned floor,',
    ' unstaking root before claiming would clip the rebase at zero, silently forfeiting the',
    " staker's accrued entitlement and permanently stranding the matching shares (and their",
    ' escrow value) in the fund. Second, this map doubles as the grant ledger for direct',
    ' deposits: `stake_into_basket` credits its minted shares by *decrementing* the watermark',
    ' (`owed = rate * root_stake - claimed`), so a persistent negative value is an intentional',
    ' unconditional share grant, not a rebasing artifact.',
])
BasketDepositedTao = storage.map("BasketDepositedTao", [ACCOUNT], TaoBalance, default=0, docs=[
    ' --- MAP ( validator_hotkey ) --> lifetime realizable TAO value deposited into the basket.',
    '',
    " Cumulative sum of every deposit's `value_added`: the realizable NAV the deposit actually",
    ' added (net of buy slippage and fees), deliberately less than the raw TAO deployed. Both',
    ' dividend deposits and direct `stake_into_basket` deposits accumulate here, and dividend',
    " deposits add their full `value_added` even though only the stakers' attribution fraction",
    ' mints shares. Together with [`BasketRedeemedTao`] this makes lifetime fund performance',
    ' (`(NAV + redeemed) / deposited`) and deposit-rate metrics computable from two storage',
    ' reads, with no event indexing. Follows the fund across hotkey swaps.',
])
BasketRedeemedTao = storage.map("BasketRedeemedTao", [ACCOUNT], TaoBalance, default=0, docs=[
    ' --- MAP ( validator_hotkey ) --> lifetime TAO redeemed (claimed) out of the basket.',
    '',
    " Cumulative sum of every claim's realized payout. See [`BasketDepositedTao`].",
])
StakingColdkeysByIndex = storage.map("StakingColdkeysByIndex", [INDEX], AccountId32)
StakingColdkeys = storage.map("StakingColdkeys", [ACCOUNT_ID], U64)
NumStakingColdkeys = storage.value("NumStakingColdkeys", U64, default=0)
AssociatedEvmAddress = storage.map("AssociatedEvmAddress", [NETUID_TWOX, UID_TWOX], Tuple(H160, U64), docs=[
    ' DMAP (netuid, uid) --> (H160, last_block_where_ownership_was_proven)',
])
AssociatedUidsByEvmAddress = storage.map(
    "AssociatedUidsByEvmAddress", [NETUID_TWOX, EVM_ADDRESS], BoundedVec(Tuple(U16, U64)), default=[], docs=[
    ' DMAP (netuid, H160) --> associated UIDs and last block where ownership was proven.',
])
SubnetLeases = storage.map("SubnetLeases", [LEASE_ID], SubnetLease, docs=[
    ' MAP ( lease_id ) --> subnet lease | The subnet lease for a given lease id.',
])
SubnetLeaseShares = storage.map(
    "SubnetLeaseShares", [LEASE_ID, ACCOUNT_ID], U64F64, default=U64F64.from_int(0), docs=[
    ' DMAP ( lease_id, contributor ) --> shares | The shares of a contributor for a given lease.',
])
SubnetUidToLeaseId = storage.map("SubnetUidToLeaseId", [NETUID_TWOX], U32, docs=[
    ' MAP ( netuid ) --> lease_id | The lease id for a given netuid.',
])
NextSubnetLeaseId = storage.value("NextSubnetLeaseId", U32, default=0, docs=[
    ' ITEM ( next_lease_id ) | The next lease id.',
])
AccumulatedLeaseDividends = storage.map("AccumulatedLeaseDividends", [LEASE_ID], AlphaBalance, default=0, docs=[
    ' MAP ( lease_id ) --> accumulated_dividends | The accumulated dividends for a given lease that needs to be distributed.',
])
CommitRevealWeightsVersion = storage.value("CommitRevealWeightsVersion", U16, default=4, docs=[
    ' ITEM ( CommitRevealWeightsVersion )',
])
NetworkRegistrationStartBlock = storage.value("NetworkRegistrationStartBlock", U64, default=0, docs=[
    ' ITEM( NetworkRegistrationStartBlock )',
])
TaoInRefundDeploymentBlock = storage.value("TaoInRefundDeploymentBlock", U64, default=0, docs=[
    ' ITEM( TaoInRefundDeploymentBlock )',
])
MinNonImmuneUids = storage.map("MinNonImmuneUids", [NETUID], U16, default=10, docs=[
    ' MAP ( netuid ) --> minimum required number of non-immortal & non-immune UIDs',
])
MaxMechanismCount = storage.value("MaxMechanismCount", MechId, default=2, docs=[' ITEM( max_mechanism_count )'])
MechanismCountCurrent = storage.map("MechanismCountCurrent", [NETUID_TWOX], MechId, default=1, docs=[
    ' MAP ( netuid ) --> Current number of subnet mechanisms',
])
MechanismEmissionSplit = storage.map("MechanismEmissionSplit", [NETUID_TWOX], Vec(U16), docs=[
    ' MAP ( netuid ) --> Normalized vector of emission split proportion between subnet mechanisms',
])
BurnHalfLife = storage.map("BurnHalfLife", [NETUID], U16, default=360, docs=[
    ' MAP ( netuid ) --> BurnHalfLife (blocks)',
])
BurnIncreaseMult = storage.map(
    "BurnIncreaseMult", [NETUID], U64F64, default=U64F64.from_bits(23_242_897_532_874_035_200), docs=[
    ' MAP ( netuid ) --> BurnIncreaseMult',
])
CollateralLockShare = storage.map("CollateralLockShare", [NETUID], U16, default=0, docs=[
    ' MAP ( netuid ) --> CollateralLockShare (p)',
    '',
    ' Share of the registration price locked as miner collateral instead of',
    ' burned, normalized so `u16::MAX` = 100%. 0 (the default) disables',
    ' collateral: the whole registration price is burned as before.',
])
CollateralDrainRatio = storage.map("CollateralDrainRatio", [NETUID], U64F64, default=U64F64.from_int(1), docs=[
    ' MAP ( netuid ) --> CollateralDrainRatio (k)',
    '',
    ' Alpha of locked collateral released per alpha of hotkey emission',
    ' earned (miner incentive and validator dividends). Snapshot into',
    ' `MinerCollateral` at each registration.',
])
MinerCollateral = storage.map("MinerCollateral", [NETUID, ACCOUNT, ACCOUNT], MinerCollateralState, docs=[
    ' NMAP ( netuid, hotkey, coldkey ) --> MinerCollateralState',
    '',
    ' Standing registration collateral of a `(hotkey, coldkey)` stake',
    ' position on a subnet. Keyed by coldkey so nominators on the same',
    " hotkey are never charged for the owner's bond. The entry persists",
    ' across deregistration and is only removed when fully drained through',
    ' earned emission.',
])
ColdkeyMinerCollateral = storage.map("ColdkeyMinerCollateral", [NETUID, ACCOUNT], AlphaBalance, default=0, docs=[
    ' MAP ( netuid, coldkey ) --> total locked miner collateral',
    '',
    " O(1) aggregate of `MinerCollateral.locked` across that coldkey's hotkeys",
    ' on the subnet. Kept in sync by collateral credit / settle paths so',
    ' unstake availability checks do not scan `OwnedHotkeys`.',
])
ColdkeyCollateralHotkeys = storage.map(
    "ColdkeyCollateralHotkeys", [NETUID, ACCOUNT], BoundedVec(AccountId32), default=[], docs=[
    ' DMAP ( netuid, coldkey ) --> BoundedVec of hotkeys',
    '',
    ' Hotkeys with a standing [`MinerCollateral`] row for this coldkey on the',
    ' subnet. Kept in sync by collateral create / remove / swap paths so',
    ' coldkey swaps migrate bonds with a bounded indexed walk (see',
    ' [`MAX_COLDKEY_COLLATERAL_HOTKEYS`]) instead of scanning unbounded',
    ' association vectors.',
])
AutoParentDelegationEnabled = storage.map("AutoParentDelegationEnabled", [ACCOUNT], Bool, default=True, docs=[
    ' MAP ( hotkey ) --> parent_delegation_enabled',
    '',
    ' When `true`, this root validator allows auto parent delegation:',
    ' new subnets childkey existing root validators to the new owner,',
    ' and a new root validator childkeys to all current subnet owners.',
    ' Defaults to `true`; validators can opt out at any time',
    ' by calling `set_auto_parent_delegation_enabled(false)`.',
])
HasMigrationRun = storage.map("HasMigrationRun", [RAW_KEY], Bool, default=False, docs=[
    ' Storage for migration run status',
])
PendingChildKeyCooldown = storage.value("PendingChildKeyCooldown", U64, default=15, docs=[
    ' Storage value for pending childkey cooldown, settable by root.',
])
