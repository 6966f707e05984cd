"""SubtensorModule storage, part 1 of 4.

Items: hotkey/coldkey bookkeeping, swaps, delegation and childkey takes, emissions per hotkey,
the dynamic-TAO pool reserves and flows, stake shares (Alpha / AlphaV2) and conviction locks.

Doc lines, defaults and shapes are those of node-subtensor's metadata (fast-runtime localnet).
"""

from __future__ import annotations

from runtime.pallets.subtensor.schema import storage, NETUID, ACCOUNT, ACCOUNT_TWOX
from runtime.pallets.subtensor.types import (
    AccountId32, AlphaBalance, BytesVec, ChildList, H256, LockState, PerU16, SafeFloat, TaoBalance, ZERO_ACCOUNT,
    safe_float,
)
from runtime.scale import Bool, I96F32, U16, U32, U64, U128, U64F64, U96F32, Option, Tuple, Unit, Vec

# The reference's doc comment on TotalIssuance, which the recorded metadata also attaches to the items declared
# next to it; the recording keeps the repetition, so the metadata does too.
_ISSUANCE_NOTE = [
    ' The Subtensor [`TotalIssuance`] represents the total issuance of tokens on the Bittensor network.',
    '',
    ' It is comprised of three parts:',
    ' * The total amount of issued tokens, tracked in the TotalIssuance of the Balances pallet',
    ' * The total amount of tokens staked in the system, tracked in [`TotalStake`]',
    ' * The total amount of tokens locked up for subnet reg, tracked in [`TotalSubnetLocked`] attained by iterating over subnet lock.',
    '',
    ' Eventually, Bittensor should migrate to using Holds afterwhich time we will not require this',
    ' separate accounting.',
]

MinActivityCutoff = storage.value("MinActivityCutoff", U16, default=360)
AdminFreezeWindow = storage.value("AdminFreezeWindow", U16, default=10, docs=[
    ' Global window (in blocks) at the end of each tempo where admin ops are disallowed',
])
OwnerHyperparamRateLimit = storage.value("OwnerHyperparamRateLimit", U16, default=2, docs=[
    ' Global number of epochs used to rate limit subnet owner hyperparameter updates',
])
DissolveNetworkScheduleDuration = storage.value("DissolveNetworkScheduleDuration", U32, default=36_000, docs=[
    ' Duration of dissolve network schedule before execution',
])
LastHotkeySwapOnNetuid = storage.map("LastHotkeySwapOnNetuid", [NETUID, ACCOUNT], U64, default=0, docs=[
    ' DMap ( netuid, coldkey ) --> blocknumber | last hotkey swap on network.',
])
HotkeySuccessor = storage.map("HotkeySuccessor", [NETUID, ACCOUNT], AccountId32, docs=[
    ' DMap ( netuid, old_hotkey ) --> new_hotkey | hotkey swap successor on a subnet.',
    '',
    ' Written on each successful hotkey swap so watchers can follow identity',
    ' without an archive node. Per-subnet because a swap may move a UID on',
    ' one netuid while the old hotkey remains registered elsewhere.',
])
HotkeyRoot = storage.map("HotkeyRoot", [NETUID, ACCOUNT], AccountId32, docs=[
    " DMap ( netuid, hotkey ) --> root_hotkey | first hotkey in this subnet's",
    ' swap lineage. Absent means the hotkey is its own root (never swapped',
    ' into, or never recorded). Ban/score against the root, not a single SS58.',
])
ColdkeySuccessor = storage.map("ColdkeySuccessor", [ACCOUNT], AccountId32, docs=[
    ' MAP ( old_coldkey ) --> new_coldkey | global coldkey swap successor.',
    '',
    ' Written on each successful coldkey swap so watchers can follow owner',
    ' identity without an archive node. Global (not per-netuid) because a',
    ' coldkey swap moves ownership everywhere at once.',
])
ColdkeyRoot = storage.map("ColdkeyRoot", [ACCOUNT], AccountId32, docs=[
    ' MAP ( coldkey ) --> root_coldkey | first coldkey in this swap lineage.',
    ' Absent means the coldkey is its own root. Prefer root for owner-keyed',
    ' bans/attribution, not a single SS58.',
])
NextStakeJobId = storage.value("NextStakeJobId", U64, default=0, docs=[
    ' Ensures unique IDs for StakeJobs storage map',
])
TaoWeight = storage.value("TaoWeight", U64, default=971_718_665_099_567_868, docs=[
    *_ISSUANCE_NOTE, ' ITEM --> Global weight',
])
CKBurn = storage.value("CKBurn", U64, default=0, docs=[' ITEM --> CK burn'])
MaxDelegateTake = storage.value("MaxDelegateTake", PerU16, default=11_796, docs=[' ITEM ( default_delegate_take )'])
MinDelegateTake = storage.value("MinDelegateTake", PerU16, default=0, docs=[' ITEM ( min_delegate_take )'])
MaxChildkeyTake = storage.value("MaxChildkeyTake", PerU16, default=11_796, docs=[' ITEM ( default_childkey_take )'])
MinChildkeyTake = storage.value("MinChildkeyTake", PerU16, default=0, docs=[' ITEM ( min_childkey_take )'])
MinChildkeyTakePerSubnet = storage.map("MinChildkeyTakePerSubnet", [NETUID], PerU16, default=0, docs=[
    ' MAP ( netuid ) --> take | Returns the subnet-specific minimum childkey take.',
])
Owner = storage.map("Owner", [ACCOUNT], AccountId32, default=ZERO_ACCOUNT, docs=[
    ' MAP ( hot ) --> cold | Returns the controlling coldkey for a hotkey',
])
AccountFlags = storage.map("AccountFlags", [ACCOUNT], U128, default=0, docs=[
    ' MAP ( coldkey ) --> flags | Account-level flags. Defaults to zero.',
])
Delegates = storage.map("Delegates", [ACCOUNT], PerU16, default=11_796, docs=[
    ' MAP ( hot ) --> take | Returns the hotkey delegation take. And signals that this key is open for delegation',
])
ChildkeyTake = storage.map("ChildkeyTake", [ACCOUNT, NETUID], PerU16, default=0, docs=[
    ' DMAP ( hot, netuid ) --> take | Returns the hotkey childkey take for a specific subnet',
])
ChildkeyThresholdChecks = storage.map("ChildkeyThresholdChecks", [ACCOUNT], Unit, docs=[
    ' MAP ( parent ) --> () | Parents with live child relations whose stake just changed.',
    " Drained in `on_idle`, where each parent's total stake is re-checked against",
    ' `StakeThreshold` and `ChildkeyThresholdSuspended` is set or cleared.',
])
ChildkeyThresholdSuspended = storage.map("ChildkeyThresholdSuspended", [ACCOUNT], Unit, docs=[
    ' MAP ( parent ) --> () | Parents whose total stake is below `StakeThreshold`. Their child',
    ' relations stay stored but are inert (hidden from `get_children` / `get_parents`)',
    ' except on subnets they own, until they qualify again.',
])
PendingChildKeys = storage.map("PendingChildKeys", [NETUID, ACCOUNT], Tuple(ChildList, U64), default=([], 0), docs=[
    ' DMAP ( netuid, parent ) --> (Vec<(proportion,child)>, cool_down_block)',
])
ChildKeys = storage.map("ChildKeys", [ACCOUNT, NETUID], ChildList, default=[], docs=[
    ' DMAP ( parent, netuid ) --> Vec<(proportion,child)>',
])
ParentKeys = storage.map("ParentKeys", [ACCOUNT, NETUID], ChildList, default=[], docs=[
    ' DMAP ( child, netuid ) --> Vec<(proportion,parent)>',
])
AlphaDividendsPerSubnet = storage.map("AlphaDividendsPerSubnet", [NETUID, ACCOUNT], AlphaBalance, default=0, docs=[
    ' DMAP ( netuid, hotkey ) --> u64 | Last alpha dividend this hotkey got on tempo.',
])
RootAlphaDividendsPerSubnet = storage.map(
    "RootAlphaDividendsPerSubnet", [NETUID, ACCOUNT], AlphaBalance, default=0, docs=[
    ' DMAP ( netuid, hotkey ) --> u64 | Last root alpha dividend this hotkey got on tempo.',
])
PendingBasketDeposits = storage.map("PendingBasketDeposits", [ACCOUNT, NETUID], AlphaBalance, default=0, docs=[
    ' DMAP ( hotkey, netuid ) --> alpha | Root dividend credits waiting to enter the',
    " validator's beta basket. Epochs enqueue here instead of depositing inline (a deposit",
    " prices a share mint against the fund's full NAV — one AMM quote per holding — so",
    ' running one per validator inside the epoch made epoch blocks scale with',
    ' `validators x holdings`). Credits merge per (hotkey, origin subnet) and are flushed',
    ' as a single batched deposit per hotkey: by the one-hotkey-per-block round-robin',
    " drain (`flush_pending_basket_deposits_block`), or eagerly whenever the hotkey's claimant",
    ' base or basket is touched (claims, basket stakes, root stake changes, hotkey swaps),',
    ' so stake added after an epoch can never capture dividends earned before it arrived.',
    ' Credits whose spot value is below `RootClaimableThreshold[ROOT]` stay queued and',
    ' keep merging until they are worth a deposit, which is what keeps dust from ever',
    ' becoming a basket holding row. Hotkeys deregistered from root have their remaining',
    ' queued credits recycled and purged (pending only — basket holdings are untouched).',
])
PendingBasketFlushCursor = storage.value("PendingBasketFlushCursor", BytesVec, docs=[
    ' ITEM ( raw storage key ) | Round-robin cursor of the per-block pending-basket-deposit',
    ' flush over [`PendingBasketDeposits`]: the drain flushes one hotkey per block and',
    ' resumes here, so every queued hotkey gets its turn even when some entries are',
    " deferred dust that stays in the map after its hotkey's visit.",
])
BlockEmission = storage.value("BlockEmission", U64, default=1_000_000_000, docs=[' ITEM ( global_block_emission )'])
LastHotkeyEmissionOnNetuid = storage.map(
    "LastHotkeyEmissionOnNetuid", [ACCOUNT, NETUID], AlphaBalance, default=0, docs=[
    ' DMap ( hot, netuid ) --> emission | last hotkey emission on network.',
])
SubnetLimit = storage.value("SubnetLimit", U16, default=128, docs=[
    *_ISSUANCE_NOTE, ' ITEM ( maximum_number_of_networks )',
])
TotalIssuance = storage.value("TotalIssuance", TaoBalance, default=0, docs=[' ITEM ( total_issuance )'])
TotalStake = storage.value("TotalStake", TaoBalance, default=0, docs=[' ITEM ( total_stake )'])
SubnetMovingAlpha = storage.value("SubnetMovingAlpha", I96F32, default=I96F32.from_bits(12_885), docs=[
    ' ITEM ( moving_alpha ) -- subnet moving alpha.',
])
SubnetMovingPrice = storage.map("SubnetMovingPrice", [NETUID], I96F32, default=I96F32.from_int(0), docs=[
    ' MAP ( netuid ) --> moving_price | The subnet moving price.',
])
SubnetFastMovingPrice = storage.map("SubnetFastMovingPrice", [NETUID], U64F64, docs=[
    " MAP ( netuid ) --> fast moving price | A fast EMA of the subnet's spot price",
    ' (TAO per alpha, unclamped) with a [`BASKET_FAST_EMA_HALF_LIFE_BLOCKS`] half-life,',
    ' updated once per block right after [`SubnetMovingPrice`] from the spot at the end of',
    ' the previous block, so no extrinsic in the current block can move it. It is a trading',
    ' anchor only — `swap_basket` bounds every leg to within',
    ' [`BASKET_TRADE_MAX_SLIPPAGE_BPS`] of the strictest of this, the slow EMA, and spot —',
    " and plays no part in emission. Absent until the subnet's first update after the",
    ' upgrade (trading on it is refused until then).',
])
RootProp = storage.map("RootProp", [NETUID], U96F32, default=U96F32.from_int(0), docs=[
    ' MAP ( netuid ) --> root_prop | The subnet root proportion.',
])
SubnetVolume = storage.map("SubnetVolume", [NETUID], U128, default=0, docs=[
    ' MAP ( netuid ) --> total_volume | The total amount of TAO bought and sold since the start of the network.',
])
SubnetTAO = storage.map("SubnetTAO", [NETUID], TaoBalance, default=0, docs=[
    ' MAP ( netuid ) --> tao_in_subnet | Returns the amount of TAO in the subnet.',
])
SubnetAlphaInEmission = storage.map("SubnetAlphaInEmission", [NETUID], AlphaBalance, default=0, docs=[
    ' MAP ( netuid ) --> alpha_in_emission | Returns the amount of alph in  emission into the pool per block.',
])
SubnetEmissionEnabled = storage.map("SubnetEmissionEnabled", [NETUID], Bool, default=True, docs=[
    ' MAP ( netuid ) --> subnet_emission_enabled',
    '',
    ' When false, subnet pool-side emission is disabled for this subnet:',
    ' `alpha_in`, `tao_in`, and `excess_tao` chain buys are all treated as zero.',
    ' `alpha_out`, owner cut, root proportion, pending server emission, and pending',
    ' validator emission are intentionally left unchanged.',
    '',
    ' Defaults to true so existing subnets keep current behavior.',
])
SubnetAlphaOutEmission = storage.map("SubnetAlphaOutEmission", [NETUID], AlphaBalance, default=0, docs=[
    ' MAP ( netuid ) --> alpha_out_emission | Returns the amount of alpha out emission into the network per block.',
])
SubnetTaoInEmission = storage.map("SubnetTaoInEmission", [NETUID], TaoBalance, default=0, docs=[
    ' MAP ( netuid ) --> tao_in_emission | Returns the amount of tao emitted into this subent on the last block.',
])
SubnetExcessTao = storage.map("SubnetExcessTao", [NETUID], TaoBalance, default=0, docs=[
    ' MAP ( netuid ) --> excess_tao | Returns the excess TAO swapped (chain buys) into this subnet on the last block.',
])
SubnetRootSellTao = storage.map("SubnetRootSellTao", [NETUID], TaoBalance, default=0, docs=[
    ' MAP ( netuid ) --> root_sell_tao | Returns the TAO received from root dividend sells on this subnet on the last block.',
])
SubnetAlphaIn = storage.map("SubnetAlphaIn", [NETUID], AlphaBalance, default=0, docs=[
    ' MAP ( netuid ) --> alpha_supply_in_pool | Returns the amount of alpha in the pool.',
])
SubnetAlphaOut = storage.map("SubnetAlphaOut", [NETUID], AlphaBalance, default=0, docs=[
    ' MAP ( netuid ) --> alpha_supply_in_subnet | Returns the amount of alpha in the subnet.',
])
SubnetProtocolAlpha = storage.map("SubnetProtocolAlpha", [NETUID], AlphaBalance, default=0, docs=[
    ' MAP ( netuid ) --> protocol_alpha | Returns the protocol-owned alpha cached for the subnet.',
])
StakingHotkeys = storage.map("StakingHotkeys", [ACCOUNT], Vec(AccountId32), default=[], docs=[
    ' MAP ( cold ) --> Vec<hot> | Maps coldkey to hotkeys that stake to it',
])
OwnedHotkeys = storage.map("OwnedHotkeys", [ACCOUNT], Vec(AccountId32), default=[], docs=[
    ' MAP ( cold ) --> Vec<hot> | Returns the vector of hotkeys controlled by this coldkey.',
])
AutoStakeDestination = storage.map("AutoStakeDestination", [ACCOUNT, NETUID], AccountId32, docs=[
    ' DMAP ( cold, netuid )--> hot | Returns the hotkey a coldkey will autostake to with mining rewards.',
])
AutoStakeDestinationColdkeys = storage.map(
    "AutoStakeDestinationColdkeys", [ACCOUNT, NETUID], Vec(AccountId32), default=[], docs=[
    ' DMAP ( hot, netuid )--> Vec<cold> | Returns a list of coldkeys that are autostaking to a hotkey',
])
ColdkeySwapAnnouncementDelay = storage.value("ColdkeySwapAnnouncementDelay", U32, default=50, docs=[
    ' The delay after an announcement before a coldkey swap can be performed.',
])
ColdkeySwapReannouncementDelay = storage.value("ColdkeySwapReannouncementDelay", U32, default=10, docs=[
    ' The delay after the initial delay has passed before a new announcement can be made.',
])
ColdkeySwapAnnouncements = storage.map("ColdkeySwapAnnouncements", [ACCOUNT_TWOX], Tuple(U32, H256), docs=[
    ' A map of the coldkey swap announcements from a coldkey',
    ' to the block number the coldkey swap can be performed.',
])
ColdkeySwapDisputes = storage.map("ColdkeySwapDisputes", [ACCOUNT_TWOX], U32, docs=[
    ' A map of the coldkey swap disputes from a coldkey to the',
    ' block number the coldkey swap was disputed.',
])
TotalHotkeyAlpha = storage.map("TotalHotkeyAlpha", [ACCOUNT, NETUID], AlphaBalance, default=0, docs=[
    ' DMAP ( hot, netuid ) --> alpha | Returns the total amount of alpha a hotkey owns.',
])
TotalAlphaStaked = storage.map("TotalAlphaStaked", [NETUID], AlphaBalance, default=0, docs=[
    ' MAP ( netuid ) --> alpha | Returns the total alpha staked across all hotkeys on a subnet.',
])
TotalHotkeyAlphaLastEpoch = storage.map(
    "TotalHotkeyAlphaLastEpoch", [ACCOUNT, NETUID], AlphaBalance, default=0, docs=[
    ' DMAP ( hot, netuid ) --> alpha | Returns the total amount of alpha a hotkey owned in the last epoch.',
])
TotalHotkeyShares = storage.map("TotalHotkeyShares", [ACCOUNT, NETUID], U64F64, default=U64F64.from_int(0), docs=[
    ' DMAP ( hot, netuid ) --> total_alpha_shares | Returns the number of alpha shares for a hotkey on a subnet.',
])
Alpha = storage.map("Alpha", [ACCOUNT, ACCOUNT, NETUID], U64F64, default=U64F64.from_int(0), docs=[
    ' NMAP ( hot, cold, netuid ) --> alpha | Returns the alpha shares for a hotkey, coldkey, netuid triplet.',
])
TotalHotkeySharesV2 = storage.map("TotalHotkeySharesV2", [ACCOUNT, NETUID], SafeFloat, default=safe_float(0), docs=[
    ' DMAP ( hot, netuid ) --> total_alpha_shares | Returns the number of alpha shares for a hotkey on a subnet, stores SafeFloat.',
])
AlphaV2 = storage.map("AlphaV2", [ACCOUNT, ACCOUNT, NETUID], SafeFloat, default=safe_float(0), docs=[
    ' NMAP ( hot, cold, netuid ) --> alpha | Returns the alpha shares for a hotkey, coldkey, netuid triplet, stores SafeFloat.',
])
AlphaSharePoolEpoch = storage.map("AlphaSharePoolEpoch", [ACCOUNT, NETUID], U64, default=0, docs=[
    " DMAP ( hot, netuid ) --> epoch | Generation of the hotkey's alpha share pool on a subnet.",
    ' Incremented each time the pool is closed (its share denominator is written to zero',
    ' because the pool holds no value). Share rows stamped with an older epoch belong to a',
    ' closed pool and are read as absent, so they can never claim value deposited later.',
])
AlphaShareEpoch = storage.map("AlphaShareEpoch", [ACCOUNT, ACCOUNT, NETUID], U64, default=0, docs=[
    ' NMAP ( hot, cold, netuid ) --> epoch | Pool epoch in which an `AlphaV2` (or legacy',
    ' `Alpha`) share row was last written. Absent means epoch 0.',
])
Lock = storage.map("Lock", [ACCOUNT, NETUID, ACCOUNT], LockState, docs=[
    ' DMAP ( coldkey, netuid, hotkey ) --> LockState | Exponential lock per coldkey per subnet.',
])
LockingColdkeys = storage.map("LockingColdkeys", [NETUID, ACCOUNT, ACCOUNT], Unit, docs=[
    ' NMAP ( netuid, hotkey, coldkey ) --> () | Reverse index for non-zero locks targeting this hotkey on this subnet.',
])
HotkeyLock = storage.map("HotkeyLock", [NETUID, ACCOUNT], LockState, docs=[
    ' DMAP ( netuid, hotkey ) --> LockState | Total lock per hotkey per subnet.',
])
DecayingHotkeyLock = storage.map("DecayingHotkeyLock", [NETUID, ACCOUNT], LockState, docs=[
    ' DMAP ( netuid, hotkey ) --> LockState | Total decaying non-owner lock per hotkey per subnet.',
])
OwnerLock = storage.map("OwnerLock", [NETUID], LockState, docs=[
    ' MAP ( netuid ) --> LockState | Total perpetual lock to the owner hotkey for a subnet.',
])
DecayingOwnerLock = storage.map("DecayingOwnerLock", [NETUID], LockState, docs=[
    ' MAP ( netuid ) --> LockState | Total decaying lock to the owner hotkey for a subnet.',
])
DecayingLock = storage.map("DecayingLock", [ACCOUNT, NETUID], Bool, docs=[
    " DMAP ( coldkey, netuid ) --> false | When present and false, this coldkey's lock is perpetual.",
    ' Missing entries mean the lock decays by default.',
])
OwnerCutAutoLockEnabled = storage.map("OwnerCutAutoLockEnabled", [NETUID], Bool, default=False, docs=[
    ' MAP ( netuid ) --> bool | Whether subnet owner cut should be auto-locked.',
    ' Missing entries default to false, so auto-locking is disabled unless explicitly enabled.',
])
MaturityRate = storage.value("MaturityRate", U64, default=934_866, docs=[
    ' ITEM( maturity_rate ) | Decay timescale in blocks for lock conviction.',
])
UnlockRate = storage.value("UnlockRate", U64, default=934_866, docs=[
    ' ITEM( unlock_rate ) | Decay timescale in blocks for locked mass.',
])
AlphaMapLastKey = storage.value("AlphaMapLastKey", Option(BytesVec), default=None, docs=[
    ' Contains last Alpha storage map key to iterate (check first)',
])
AlphaV2MapLastKey = storage.value("AlphaV2MapLastKey", Option(BytesVec), default=None, docs=[
    ' Contains last AlphaV2 storage map key to iterate (check first)',
])
