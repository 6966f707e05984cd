"""SubtensorModule storage, part 2 of 4.

Items: per-subnet settings: token symbols, TAO flows and the emission gate, network registration
and lock costs, rate limits, tempo and epochs, hyperparameters, dissolution and voting power.

Doc lines, defaults and shapes are those of node-subtensor's metadata (fast-runtime localnet).
"""

from __future__ import annotations

from runtime.pallets.subtensor.schema import storage, RATE_LIMIT_KEY, NETUID, NETUID_BLAKE, ACCOUNT, RAW_KEY
from runtime.pallets.subtensor.types import (
    AccountId32, AlphaBalance, BytesVec, ConsensusMode, DissolveCleanupStatus, NetUid, NetworkRegistrationInfo,
    RecycleOrBurnEnum, TaoBalance, ZERO_ACCOUNT,
)
from runtime.scale import Bool, I16, I64, I64F64, U8, U16, U32, U64, U64F64, U96F32, Tuple, Vec

TokenSymbol = storage.map("TokenSymbol", [NETUID], BytesVec, default="𝜏".encode(), docs=[
    ' MAP ( netuid ) --> token_symbol | Returns the token symbol for a subnet.',
])
SubnetTaoFlow = storage.map("SubnetTaoFlow", [NETUID], I64, default=0, docs=[
    ' MAP ( netuid ) --> subnet_tao_flow | Returns the TAO inflow-outflow balance.',
])
SubnetEmaTaoFlow = storage.map("SubnetEmaTaoFlow", [NETUID], Tuple(U64, I64F64), docs=[
    ' MAP ( netuid ) --> subnet_ema_tao_flow | Returns the EMA of TAO inflow-outflow balance.',
])
NetTaoFlowEnabled = storage.value("NetTaoFlowEnabled", Bool, default=True)
SubnetProtocolFlow = storage.map("SubnetProtocolFlow", [NETUID], I64, default=0, docs=[
    ' MAP ( netuid ) --> subnet_protocol_flow | Per-block accumulator for protocol cost (emission + chain buys - root sells).',
])
SubnetEmaProtocolFlow = storage.map("SubnetEmaProtocolFlow", [NETUID], Tuple(U64, I64F64), docs=[
    ' MAP ( netuid ) --> subnet_ema_protocol_flow | EMA of protocol cost flow, same smoothing as SubnetEmaTaoFlow.',
])
TaoFlowCutoff = storage.value("TaoFlowCutoff", I64F64, default=I64F64.from_int(0), docs=[' ITEM --> TAO Flow Cutoff'])
FlowNormExponent = storage.value("FlowNormExponent", U64F64, default=U64F64.from_int(1), docs=[
    ' ITEM --> Flow Normalization Exponent (p)',
])
EmissionBarQuantile = storage.value(
    "EmissionBarQuantile", U64F64, default=U64F64.from_bits(11_252_513_884_962_826_240), docs=[
    ' ITEM --> Emission Bar Quantile (q)',
])
EmissionBarRank = storage.value("EmissionBarRank", U16, default=32, docs=[
    ' ITEM --> Emission Bar Rank (N). When non-zero, overrides the quantile.',
])
EmissionGateExponent = storage.value("EmissionGateExponent", U64F64, default=U64F64.from_int(3), docs=[
    ' ITEM --> Emission Gate Exponent (h)',
])
EmissionGateBar = storage.value("EmissionGateBar", U64F64, default=U64F64.from_int(0), docs=[
    ' ITEM --> Emission gate bar (theta): the q-mass demand-share threshold the',
    ' Hill gate is centered on. Recomputed on a fixed block cadence from the',
    ' same EMA-price shares that drive emission. Zero means "not yet computed"',
    ' and disables the gate.',
])
FlowEmaSmoothingFactor = storage.value("FlowEmaSmoothingFactor", U64, default=29_597_889_189_277, docs=[
    ' ITEM --> Flow EMA smoothing factor (flow alpha), u64 normalized',
])
UsedWork = storage.map("UsedWork", [RAW_KEY], U64, default=0, docs=[' StorageItem Global Used Work.'])
MaxRegistrationsPerBlock = storage.map("MaxRegistrationsPerBlock", [NETUID], U16, default=1, docs=[
    ' ITEM( global_max_registrations_per_block )',
])
TotalNetworks = storage.value("TotalNetworks", U16, default=0, docs=[' ITEM( total_number_of_existing_networks )'])
NetworkImmunityPeriod = storage.value("NetworkImmunityPeriod", U64, default=1_296_000, docs=[
    ' ITEM( network_immunity_period )',
])
StartCallDelay = storage.value("StartCallDelay", U64, default=0, docs=[' ITEM( start_call_delay )'])
NetworkMinLockCost = storage.value("NetworkMinLockCost", TaoBalance, default=1_000_000_000_000, docs=[
    ' ITEM( min_network_lock_cost )',
])
NetworkLastLockCost = storage.value("NetworkLastLockCost", TaoBalance, default=1_000_000_000_000, docs=[
    ' ITEM( last_network_lock_cost )',
])
NetworkLockReductionInterval = storage.value("NetworkLockReductionInterval", U64, default=100_800, docs=[
    ' ITEM( network_lock_reduction_interval )',
])
SubnetOwnerCut = storage.value("SubnetOwnerCut", U16, default=11_796, docs=[' ITEM( subnet_owner_cut )'])
OwnerCutEnabled = storage.map("OwnerCutEnabled", [NETUID], Bool, default=True, docs=[
    ' MAP ( netuid ) --> owner_cut_enabled',
])
NetworkRateLimit = storage.value("NetworkRateLimit", U64, default=7200, docs=[' ITEM( network_rate_limit )'])
NominatorMinRequiredStake = storage.value("NominatorMinRequiredStake", U64, default=0, docs=[
    ' ITEM( nominator_min_required_stake ) --- Factor of DefaultMinStake in per-mill format.',
])
WeightsVersionKeyRateLimit = storage.value("WeightsVersionKeyRateLimit", U64, default=5, docs=[
    ' ITEM( weights_version_key_rate_limit ) --- Rate limit in tempos.',
])
LastRateLimitedBlock = storage.map("LastRateLimitedBlock", [RATE_LIMIT_KEY], U64, default=0, docs=[
    ' MAP ( RateLimitKey ) --> Block number in which the last rate limited operation occured',
])
TransferToggle = storage.map("TransferToggle", [NETUID], Bool, default=True, docs=[
    ' MAP ( netuid ) --> transfer_toggle',
])
SubnetLocked = storage.map("SubnetLocked", [NETUID], TaoBalance, default=0, docs=[
    ' MAP ( netuid ) --> total_subnet_locked',
])
LargestLocked = storage.map("LargestLocked", [NETUID], U64, default=0, docs=[' MAP ( netuid ) --> largest_locked'])
Tempo = storage.map("Tempo", [NETUID], U16, default=10, docs=[' MAP ( netuid ) --> tempo'])
LastEpochBlock = storage.map("LastEpochBlock", [NETUID], U64, default=0, docs=[
    ' MAP ( netuid ) --> last epoch attempt block (consumed slot).',
    ' Drives normal-cadence scheduling and the admin freeze window.',
    ' Advances on every `should_run_epoch == true` slot — including consistency-skipped slots —',
    ' and on a successful `sudo_set_tempo` (cycle reset).',
])
PendingEpochAt = storage.map("PendingEpochAt", [NETUID], U64, default=0, docs=[
    ' MAP ( netuid ) --> block at which a manually triggered epoch should fire.',
    ' `0` means no trigger pending. Cleared after the triggered epoch runs.',
])
SubnetEpochIndex = storage.map("SubnetEpochIndex", [NETUID], U64, default=0, docs=[
    ' MAP ( netuid ) --> monotonic epoch counter.',
    " Incremented by exactly one each time the subnet's epoch slot is consumed in `run_coinbase`",
])
ActivityCutoffFactorMilli = storage.map("ActivityCutoffFactorMilli", [NETUID], U32, default=13_889, docs=[
    ' MAP ( netuid ) --> activity-cutoff factor in per-mille epochs (1/1000 granularity).',
    ' Effective cutoff in blocks = `(factor × tempo) / 1000`, clamped to ≥ 1.',
])
FirstEmissionBlockNumber = storage.map("FirstEmissionBlockNumber", [NETUID], U64, docs=[
    ' MAP ( netuid ) --> block number of first emission',
])
SubnetMechanism = storage.map("SubnetMechanism", [NETUID], U16, default=0, docs=[
    ' MAP ( netuid ) --> subnet mechanism',
])
SubnetworkN = storage.map("SubnetworkN", [NETUID], U16, default=0, docs=[
    ' MAP ( netuid ) --> subnetwork_n (Number of UIDs in the network).',
])
NetworksAdded = storage.map("NetworksAdded", [NETUID], Bool, default=False, docs=[
    ' MAP ( netuid ) --> network_is_added',
])
IsNetworkMember = storage.map("IsNetworkMember", [ACCOUNT, NETUID], Bool, default=False, docs=[
    ' DMAP ( hotkey, netuid ) --> bool',
])
NetworkRegistrationAllowed = storage.map("NetworkRegistrationAllowed", [NETUID], Bool, default=True, docs=[
    ' MAP ( netuid ) --> network_registration_allowed',
])
NetworkPowRegistrationAllowed = storage.map("NetworkPowRegistrationAllowed", [NETUID], Bool, default=True, docs=[
    ' MAP ( netuid ) --> network_pow_allowed',
])
NetworkRegisteredAt = storage.map("NetworkRegisteredAt", [NETUID], U64, default=0, docs=[
    ' MAP ( netuid ) --> block_created',
])
RegisteredSubnetCounter = storage.map("RegisteredSubnetCounter", [NETUID], U64, default=0, docs=[
    ' MAP ( netuid ) --> registered_subnet_counter',
    '',
    ' Monotonic counter incremented on every successful `do_register_network`',
    ' for a given netuid. Consumers that persist per-netuid state keyed by',
    ' `(user, netuid)` (e.g. the staking precompile `AllowancesStorage`) can',
    ' mix the current counter value into their storage key so that entries',
    ' written under a previous registration of the same netuid become',
    ' unreachable after the netuid is re-registered, without requiring',
    ' unbounded storage iteration on deregistration.',
])
PendingServerEmission = storage.map("PendingServerEmission", [NETUID], AlphaBalance, default=0, docs=[
    ' MAP ( netuid ) --> pending_server_emission',
])
PendingValidatorEmission = storage.map("PendingValidatorEmission", [NETUID], AlphaBalance, default=0, docs=[
    ' MAP ( netuid ) --> pending_validator_emission',
])
PendingRootAlphaDivs = storage.map("PendingRootAlphaDivs", [NETUID], AlphaBalance, default=0, docs=[
    ' MAP ( netuid ) --> pending_root_alpha_emission',
])
PendingOwnerCut = storage.map("PendingOwnerCut", [NETUID], AlphaBalance, default=0, docs=[
    ' MAP ( netuid ) --> pending_owner_cut',
])
MinerBurned = storage.map("MinerBurned", [NETUID], U96F32, default=U96F32.from_int(0), docs=[
    " MAP ( netuid ) --> miner_burned | Proportion (0..1) of this tempo's miner",
    ' (incentive) emission that was withheld from miners during emission distribution',
    ' because the recipient hotkey is owned by the subnet owner (immune key). Counts',
    ' emission that is either recycled or burned, so the value is independent of the',
    " subnet's RecycleOrBurn configuration.",
])
BlocksSinceLastStep = storage.map("BlocksSinceLastStep", [NETUID], U64, default=0, docs=[
    " MAP ( netuid ) --> blocks_since_last_step, capped at the subnet's `tempo + 1`",
])
LastMechansimStepBlock = storage.map("LastMechansimStepBlock", [NETUID], U64, default=0, docs=[
    ' MAP ( netuid ) --> last_mechanism_step_block',
])
SubnetOwner = storage.map("SubnetOwner", [NETUID], AccountId32, default=ZERO_ACCOUNT, docs=[
    ' MAP ( netuid ) --> subnet_owner',
])
SubnetOwnerHotkey = storage.map("SubnetOwnerHotkey", [NETUID], AccountId32, default=ZERO_ACCOUNT, docs=[
    ' MAP ( netuid ) --> subnet_owner_hotkey',
])
RecycleOrBurn = storage.map("RecycleOrBurn", [NETUID], RecycleOrBurnEnum, default='Burn', docs=[
    ' MAP ( netuid ) --> recycle_or_burn',
])
ServingRateLimit = storage.map("ServingRateLimit", [NETUID], U64, default=50, docs=[
    ' MAP ( netuid ) --> serving_rate_limit',
])
Rho = storage.map("Rho", [NETUID], U16, default=10, docs=[' MAP ( netuid ) --> Rho'])
AlphaSigmoidSteepness = storage.map("AlphaSigmoidSteepness", [NETUID], I16, default=1000, docs=[
    ' MAP ( netuid ) --> AlphaSigmoidSteepness',
])
Kappa = storage.map("Kappa", [NETUID], U16, default=32_767, docs=[' MAP ( netuid ) --> Kappa'])
RegistrationsThisInterval = storage.map("RegistrationsThisInterval", [NETUID], U16, default=0, docs=[
    ' MAP ( netuid ) --> registrations_this_interval',
])
POWRegistrationsThisInterval = storage.map("POWRegistrationsThisInterval", [NETUID], U16, default=0, docs=[
    ' MAP ( netuid ) --> pow_registrations_this_interval',
])
BurnRegistrationsThisInterval = storage.map("BurnRegistrationsThisInterval", [NETUID], U16, default=0, docs=[
    ' MAP ( netuid ) --> burn_registrations_this_interval',
])
MinAllowedUids = storage.map("MinAllowedUids", [NETUID], U16, default=64, docs=[
    ' MAP ( netuid ) --> min_allowed_uids',
])
MaxAllowedUids = storage.map("MaxAllowedUids", [NETUID], U16, default=256, docs=[
    ' MAP ( netuid ) --> max_allowed_uids',
])
ImmunityPeriod = storage.map("ImmunityPeriod", [NETUID], U16, default=4096, docs=[
    ' MAP ( netuid ) --> immunity_period',
])
ActivityCutoff = storage.map("ActivityCutoff", [NETUID], U16, default=5000, docs=[
    ' MAP ( netuid ) --> activity_cutoff',
])
MaxWeightsLimit = storage.map("MaxWeightsLimit", [NETUID], U16, default=65_535, docs=[
    ' MAP ( netuid ) --> max_weight_limit',
])
WeightsVersionKey = storage.map("WeightsVersionKey", [NETUID], U64, default=0, docs=[
    ' MAP ( netuid ) --> weights_version_key',
])
MinAllowedWeights = storage.map("MinAllowedWeights", [NETUID], U16, default=1024, docs=[
    ' MAP ( netuid ) --> min_allowed_weights',
])
MaxAllowedValidators = storage.map("MaxAllowedValidators", [NETUID], U16, default=128, docs=[
    ' MAP ( netuid ) --> max_allowed_validators',
])
AdjustmentInterval = storage.map("AdjustmentInterval", [NETUID], U16, default=100, docs=[
    ' MAP ( netuid ) --> adjustment_interval',
])
BondsMovingAverage = storage.map("BondsMovingAverage", [NETUID], U64, default=900_000, docs=[
    ' MAP ( netuid ) --> bonds_moving_average',
])
BondsPenalty = storage.map("BondsPenalty", [NETUID], U16, default=65_535, docs=[' MAP ( netuid ) --> bonds_penalty'])
BondsResetOn = storage.map("BondsResetOn", [NETUID], Bool, default=False, docs=[' MAP ( netuid ) --> bonds_reset'])
WeightsSetRateLimit = storage.map("WeightsSetRateLimit", [NETUID], U64, default=100, docs=[
    ' MAP ( netuid ) --> weights_set_rate_limit',
])
ValidatorPruneLen = storage.map("ValidatorPruneLen", [NETUID], U64, default=1, docs=[
    ' MAP ( netuid ) --> validator_prune_len',
])
ScalingLawPower = storage.map("ScalingLawPower", [NETUID], U16, default=50, docs=[
    ' MAP ( netuid ) --> scaling_law_power',
])
TargetRegistrationsPerInterval = storage.map("TargetRegistrationsPerInterval", [NETUID], U16, default=2, docs=[
    ' MAP ( netuid ) --> target_registrations_this_interval',
])
AdjustmentAlpha = storage.map("AdjustmentAlpha", [NETUID], U64, default=0, docs=[
    ' MAP ( netuid ) --> adjustment_alpha',
])
CommitRevealWeightsEnabled = storage.map("CommitRevealWeightsEnabled", [NETUID], Bool, default=True, docs=[
    ' MAP ( netuid ) --> commit reveal v2 weights are enabled',
])
Burn = storage.map("Burn", [NETUID], TaoBalance, default=100_000_000, docs=[' MAP ( netuid ) --> Burn'])
Difficulty = storage.map("Difficulty", [NETUID], U64, default=10_000_000, docs=[' MAP ( netuid ) --> Difficulty'])
MinBurn = storage.map("MinBurn", [NETUID], TaoBalance, default=500_000, docs=[' MAP ( netuid ) --> MinBurn'])
MaxBurn = storage.map("MaxBurn", [NETUID], TaoBalance, default=100_000_000_000, docs=[' MAP ( netuid ) --> MaxBurn'])
MinDifficulty = storage.map("MinDifficulty", [NETUID], U64, default=10_000_000, docs=[
    ' MAP ( netuid ) --> MinDifficulty',
])
MaxDifficulty = storage.map("MaxDifficulty", [NETUID], U64, default=4_611_686_018_427_387_903, docs=[
    ' MAP ( netuid ) --> MaxDifficulty',
])
LastAdjustmentBlock = storage.map("LastAdjustmentBlock", [NETUID], U64, default=0, docs=[
    ' MAP ( netuid ) -->  Block at last adjustment.',
])
RegistrationsThisBlock = storage.map("RegistrationsThisBlock", [NETUID], U16, default=0, docs=[
    ' MAP ( netuid ) --> Registrations of this Block.',
])
EMAPriceHalvingBlocks = storage.map("EMAPriceHalvingBlocks", [NETUID], U64, default=201_600, docs=[
    ' MAP ( netuid ) --> Halving time of average moving price.',
])
RAORecycledForRegistration = storage.map("RAORecycledForRegistration", [NETUID], TaoBalance, default=0, docs=[
    ' MAP ( netuid ) --> global_RAO_recycled_for_registration',
])
MaxEpochsPerBlock = storage.value("MaxEpochsPerBlock", U8, default=32, docs=[' ITEM ( max_epochs_per_block )'])
TxRateLimit = storage.value("TxRateLimit", U64, default=1000, docs=[' ITEM ( tx_rate_limit )'])
TxDelegateTakeRateLimit = storage.value("TxDelegateTakeRateLimit", U64, default=216_000, docs=[
    ' ITEM ( tx_delegate_take_rate_limit )',
])
TxChildkeyTakeRateLimit = storage.value("TxChildkeyTakeRateLimit", U64, default=5, docs=[
    ' ITEM ( tx_childkey_take_rate_limit )',
])
LiquidAlphaOn = storage.map("LiquidAlphaOn", [NETUID_BLAKE], Bool, default=False, docs=[
    ' MAP ( netuid ) --> Whether or not Liquid Alpha is enabled',
])
Yuma3On = storage.map("Yuma3On", [NETUID_BLAKE], Bool, default=False, docs=[
    ' MAP ( netuid ) --> Whether or not Yuma3 is enabled',
])
AlphaValues = storage.map("AlphaValues", [NETUID], Tuple(U16, U16), default=(45_875, 58_982), docs=[
    '  MAP ( netuid ) --> (alpha_low, alpha_high)',
])
LiquidAlphaConsensusMode = storage.map("LiquidAlphaConsensusMode", [NETUID], ConsensusMode, default='Auto', docs=[
    ' Consensus mode used by liquid alpha for each subnet.',
])
SubtokenEnabled = storage.map("SubtokenEnabled", [NETUID], Bool, default=False, docs=[
    ' MAP ( netuid ) --> If subtoken trading enabled',
])
DissolveCleanupQueue = storage.value("DissolveCleanupQueue", Vec(NetUid), default=[], docs=[
    ' ITEM ( dissolve_cleanup_queue ) Networks dissolved but some storage not removed yet',
])
CurrentDissolveCleanupStatus = storage.value("CurrentDissolveCleanupStatus", DissolveCleanupStatus, docs=[
    ' ITEM ( current_dissolve_cleanup_status ) dissolve status for the network',
])
NetworkRegistrationQueue = storage.value("NetworkRegistrationQueue", Vec(NetworkRegistrationInfo), default=[], docs=[
    ' ITEM ( network_registration_queue ) Network registrations waiting to be executed.',
])
NetworkRegistrationLockId = storage.value("NetworkRegistrationLockId", U32, default=0, docs=[
    ' MAP ( coldkey ) --> lock_id',
])
VotingPower = storage.map("VotingPower", [NETUID, ACCOUNT], U64, default=0, docs=[
    ' DMAP ( netuid, hotkey ) --> voting_power | EMA of stake for voting',
    ' This tracks stake EMA updated every epoch when VotingPowerTrackingEnabled is true.',
    ' Used by smart contracts to determine validator voting power for subnet governance.',
])
TotalVotingPower = storage.map("TotalVotingPower", [NETUID], U64, default=0, docs=[
    ' MAP ( netuid ) --> total_voting_power | Sum of all validator voting-power',
    ' entries on the subnet. Kept in sync with `VotingPower` so consumers can',
    ' read the aggregate without iterating the complete validator map.',
])
VotingPowerTrackingEnabled = storage.map("VotingPowerTrackingEnabled", [NETUID], Bool, default=False, docs=[
    ' MAP ( netuid ) --> bool | Whether voting power tracking is enabled for this subnet.',
    ' When enabled, VotingPower EMA is updated every epoch. Default is false.',
    ' When disabled with disable_at_block set, tracking continues until that block.',
])
VotingPowerDisableAtBlock = storage.map("VotingPowerDisableAtBlock", [NETUID], U64, default=0, docs=[
    ' MAP ( netuid ) --> block_number | Block at which voting power tracking will be disabled.',
    ' When set (non-zero), tracking continues until this block, then automatically disables',
    ' and clears VotingPower entries for the subnet. Provides a 14-day grace period.',
])
VotingPowerEmaAlpha = storage.map("VotingPowerEmaAlpha", [NETUID], U64, default=3_570_000_000_000_000, docs=[
    ' MAP ( netuid ) --> u64 | EMA alpha value for voting power calculation.',
    ' Higher alpha = faster response to stake changes.',
    ' Stored as u64 with 18 decimal precision (1.0 = 10^18).',
    ' Only settable by sudo/root.',
])
ImmuneOwnerUidsLimit = storage.map("ImmuneOwnerUidsLimit", [NETUID], U16, default=1, docs=[
    ' MAP ( netuid ) --> Burn key limit',
])
StakeWeight = storage.map("StakeWeight", [NETUID], Vec(U16), default=[], docs=[
    ' DMAP ( netuid ) --> stake_weight | weight for stake used in YC.',
])
