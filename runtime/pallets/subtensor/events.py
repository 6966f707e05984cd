"""pallet_subtensor events (indices, field names, type names and doc lines as in node-subtensor's metadata).

Unnamed fields are positional (``NetworkAdded(netuid, n)`` → ``("NetworkAdded", (netuid, n))``); named
ones take keywords. Calls are not declared yet, so nothing deposits most of these; they exist so that
clients decode the event enum the real chain has.
"""

from __future__ import annotations

from collections.abc import Callable

from runtime.pallets.subtensor.types import (
    AccountId32, AlphaBalance, BytesVec, ChildList, CompactNetUid, ConsensusMode, H160, NetUid, NetUidStorageIndex, PerU16,
    SubnetIdentityV3, TaoBalance,
)
from runtime.primitives.types import H256
from runtime.scale import I16, U8, U16, U32, U64, U64F64, Bool, Option, ScaleType, Vec
from runtime.support.dispatch import DispatchErrorCodec, DispatchResultCodec
from runtime.support.pallet import PalletEvents

Field = tuple[str | None, ScaleType, str | None]


def _field(codec: ScaleType, type_name: str) -> Callable[..., Field]:
    """A field maker: ``NETUID()`` is an unnamed NetUid field, ``NETUID("netuid")`` a named one."""
    return lambda name=None: (name, codec, type_name)


NETUID = _field(NetUid, "NetUid")
NETUID_INDEX = _field(NetUidStorageIndex, "NetUidStorageIndex")
ACCOUNT = _field(AccountId32, "T::AccountId")
TAO = _field(TaoBalance, "TaoBalance")
ALPHA = _field(AlphaBalance, "AlphaBalance")
TAKE = _field(PerU16, "PerU16")
HASH = _field(H256, "H256")
BLOCK = _field(U32, "BlockNumberFor<T>")
BOOL = _field(Bool, "bool")
U16_ = _field(U16, "u16")
U64_ = _field(U64, "u64")

events = PalletEvents("SubtensorModule", "pallet_subtensor")

NetworkAdded = events.event(0, 'NetworkAdded', [NETUID(), U16_()], ['a new network is added.'])
NetworkRemoved = events.event(1, 'NetworkRemoved', [NETUID()], ['a network is removed.'])
StakeAdded = events.event(2, 'StakeAdded', [ACCOUNT(), ACCOUNT(), TAO(), ALPHA(), NETUID(), U64_()],
    ['stake has been transferred from the a coldkey account onto the hotkey staking account.'])
StakeRemoved = events.event(3, 'StakeRemoved', [ACCOUNT(), ACCOUNT(), TAO(), ALPHA(), NETUID(), U64_()],
    ['stake has been removed from the hotkey staking account onto the coldkey account.'])
StakeMoved = events.event(4, 'StakeMoved', [ACCOUNT(), ACCOUNT(), NETUID(), ACCOUNT(), NETUID(), TAO()], [
        'stake has been moved from origin (hotkey, subnet ID) to destination (hotkey, subnet ID) of this amount (in TAO).',
    ])
WeightsSet = events.event(5, 'WeightsSet', [NETUID_INDEX(), U16_()],
    ['a caller successfully sets their weights on a subnetwork.'])
RootWeightsSet = events.event(6, 'RootWeightsSet', [U16_()], [
        'Retired (kept for SCALE index stability): emitted by the removed',
        '`set_root_weights` extrinsic. Never emitted on current runtimes.',
    ])
NeuronRegistered = events.event(7, 'NeuronRegistered', [NETUID(), U16_(), ACCOUNT()],
    ['a new neuron account has been registered to the chain.'])
BulkNeuronsRegistered = events.event(8, 'BulkNeuronsRegistered', [U16_(), U16_()],
    ['multiple uids have been concurrently registered.'])
BulkBalancesSet = events.event(9, 'BulkBalancesSet', [U16_(), U16_()],
    ['bulk balances have been set (placeholder: this event is currently unused).'])
MaxAllowedUidsSet = events.event(10, 'MaxAllowedUidsSet', [NETUID(), U16_()],
    ['max allowed uids has been set for a subnetwork.'])
MaxWeightLimitSet = events.event(11, 'MaxWeightLimitSet', [NETUID(), U16_()],
    ['max weight limit has been set for a subnet (deprecated: this event is unused).'])
DifficultySet = events.event(12, 'DifficultySet', [NETUID(), U64_()], ['the difficulty has been set for a subnet.'])
AdjustmentIntervalSet = events.event(13, 'AdjustmentIntervalSet', [NETUID(), U16_()],
    ['the adjustment interval is set for a subnet.'])
RegistrationPerIntervalSet = events.event(14, 'RegistrationPerIntervalSet', [NETUID(), U16_()],
    ['registration per interval is set for a subnet.'])
MaxRegistrationsPerBlockSet = events.event(15, 'MaxRegistrationsPerBlockSet', [NETUID(), U16_()],
    ['we set max registrations per block.'])
ActivityCutoffSet = events.event(16, 'ActivityCutoffSet', [NETUID(), U16_()],
    ['an activity cutoff is set for a subnet.'])
RhoSet = events.event(17, 'RhoSet', [NETUID(), U16_()], ['Rho value is set.'])
AlphaSigmoidSteepnessSet = events.event(18, 'AlphaSigmoidSteepnessSet', [NETUID(), (None, I16, 'i16')],
    ['steepness of the sigmoid used to compute alpha values.'])
KappaSet = events.event(19, 'KappaSet', [NETUID(), U16_()], ['Kappa is set for a subnet.'])
MinAllowedWeightSet = events.event(20, 'MinAllowedWeightSet', [NETUID(), U16_()],
    ['minimum allowed weight is set for a subnet.'])
ValidatorPruneLenSet = events.event(21, 'ValidatorPruneLenSet', [NETUID(), U64_()],
    ['the validator pruning length has been set.'])
ScalingLawPowerSet = events.event(22, 'ScalingLawPowerSet', [NETUID(), U16_()],
    ['the scaling law power has been set for a subnet.'])
WeightsSetRateLimitSet = events.event(23, 'WeightsSetRateLimitSet', [NETUID(), U64_()],
    ['weights set rate limit has been set for a subnet.'])
ImmunityPeriodSet = events.event(24, 'ImmunityPeriodSet', [NETUID(), U16_()],
    ['immunity period is set for a subnet.'])
BondsMovingAverageSet = events.event(25, 'BondsMovingAverageSet', [NETUID(), U64_()],
    ['bonds moving average is set for a subnet.'])
BondsPenaltySet = events.event(26, 'BondsPenaltySet', [NETUID(), U16_()], ['bonds penalty is set for a subnet.'])
BondsResetOnSet = events.event(27, 'BondsResetOnSet', [NETUID(), BOOL()], ['bonds reset is set for a subnet.'])
MaxAllowedValidatorsSet = events.event(28, 'MaxAllowedValidatorsSet', [NETUID(), U16_()],
    ['setting the max number of allowed validators on a subnet.'])
AxonServed = events.event(29, 'AxonServed', [NETUID(), ACCOUNT()],
    ['the axon server information is added to the network.'])
PrometheusServed = events.event(30, 'PrometheusServed', [NETUID(), ACCOUNT()],
    ['the prometheus server information is added to the network.'])
DelegateAdded = events.event(31, 'DelegateAdded', [ACCOUNT(), ACCOUNT(), TAKE()], ['a hotkey has become a delegate.'])
DefaultTakeSet = events.event(32, 'DefaultTakeSet', [TAKE()], ['the default take is set.'])
WeightsVersionKeySet = events.event(33, 'WeightsVersionKeySet', [NETUID(), U64_()],
    ['weights version key is set for a network.'])
MinDifficultySet = events.event(34, 'MinDifficultySet', [NETUID(), U64_()], ['setting min difficulty on a network.'])
MaxDifficultySet = events.event(35, 'MaxDifficultySet', [NETUID(), U64_()], ['setting max difficulty on a network.'])
ServingRateLimitSet = events.event(36, 'ServingRateLimitSet', [NETUID(), U64_()],
    ['setting the prometheus serving rate limit.'])
BurnSet = events.event(37, 'BurnSet', [NETUID(), TAO()], ['setting burn on a network.'])
MaxBurnSet = events.event(38, 'MaxBurnSet', [NETUID(), TAO()], ['setting max burn on a network.'])
MinBurnSet = events.event(39, 'MinBurnSet', [NETUID(), TAO()], ['setting min burn on a network.'])
MaxEpochsPerBlockSet = events.event(40, 'MaxEpochsPerBlockSet', [(None, U8, 'u8')],
    ['setting the per-block epoch cap (dynamic tempo throttle).'])
TxRateLimitSet = events.event(41, 'TxRateLimitSet', [U64_()], ['setting the transaction rate limit.'])
TxDelegateTakeRateLimitSet = events.event(42, 'TxDelegateTakeRateLimitSet', [U64_()],
    ['setting the delegate take transaction rate limit.'])
TxChildKeyTakeRateLimitSet = events.event(43, 'TxChildKeyTakeRateLimitSet', [U64_()],
    ['setting the childkey take transaction rate limit.'])
AdminFreezeWindowSet = events.event(44, 'AdminFreezeWindowSet', [U16_()],
    ['setting the admin freeze window length (last N blocks of tempo)'])
OwnerHyperparamRateLimitSet = events.event(45, 'OwnerHyperparamRateLimitSet', [U16_()],
    ['setting the owner hyperparameter rate limit in epochs'])
MinChildKeyTakeSet = events.event(46, 'MinChildKeyTakeSet', [TAKE()], ['minimum childkey take set'])
MinChildKeyTakePerSubnetSet = events.event(47, 'MinChildKeyTakePerSubnetSet', [NETUID(), TAKE()],
    ['subnet-specific minimum childkey take set'])
MaxChildKeyTakeSet = events.event(48, 'MaxChildKeyTakeSet', [TAKE()], ['maximum childkey take set'])
ChildKeyTakeSet = events.event(49, 'ChildKeyTakeSet', [ACCOUNT(), TAKE()], ['childkey take set'])
Sudid = events.event(50, 'Sudid', [(None, DispatchResultCodec, 'DispatchResult')], ['a sudo call is done.'])
RegistrationAllowed = events.event(51, 'RegistrationAllowed', [NETUID(), BOOL()],
    ['registration is allowed/disallowed for a subnet.'])
PowRegistrationAllowed = events.event(52, 'PowRegistrationAllowed', [NETUID(), BOOL()],
    ['POW registration is allowed/disallowed for a subnet.'])
TempoSet = events.event(53, 'TempoSet', [NETUID(), U16_()], ['setting tempo on a network'])
RAORecycledForRegistrationSet = events.event(54, 'RAORecycledForRegistrationSet', [NETUID(), TAO()],
    ['setting the RAO recycled for registration.'])
StakeThresholdSet = events.event(55, 'StakeThresholdSet', [U64_()],
    ['min stake is set for validators to set weights.'])
AdjustmentAlphaSet = events.event(56, 'AdjustmentAlphaSet', [NETUID(), U64_()],
    ['setting the adjustment alpha on a subnet.'])
Faucet = events.event(57, 'Faucet', [ACCOUNT(), U64_()], ['the faucet it called on the test net.'])
SubnetOwnerCutSet = events.event(58, 'SubnetOwnerCutSet', [U16_()], ['the subnet owner cut is set.'])
NetworkRateLimitSet = events.event(59, 'NetworkRateLimitSet', [U64_()], ['the network creation rate limit is set.'])
NetworkImmunityPeriodSet = events.event(60, 'NetworkImmunityPeriodSet', [U64_()],
    ['the network immunity period is set.'])
StartCallDelaySet = events.event(61, 'StartCallDelaySet', [U64_()], ['the start call delay is set.'])
NetworkMinLockCostSet = events.event(62, 'NetworkMinLockCostSet', [TAO()],
    ['the network minimum locking cost is set.'])
SubnetLimitSet = events.event(63, 'SubnetLimitSet', [U16_()], ['the maximum number of subnets is set'])
NetworkLockCostReductionIntervalSet = events.event(64, 'NetworkLockCostReductionIntervalSet', [U64_()],
    ['the lock cost reduction is set'])
TakeDecreased = events.event(65, 'TakeDecreased', [ACCOUNT(), ACCOUNT(), TAKE()],
    ['the take for a delegate is decreased.'])
TakeIncreased = events.event(66, 'TakeIncreased', [ACCOUNT(), ACCOUNT(), TAKE()],
    ['the take for a delegate is increased.'])
HotkeySwapped = events.event(67, 'HotkeySwapped', [ACCOUNT('coldkey'), ACCOUNT('old_hotkey'), ACCOUNT('new_hotkey')],
    ['the hotkey is swapped'])
MaxDelegateTakeSet = events.event(68, 'MaxDelegateTakeSet', [TAKE()],
    ['maximum delegate take is set by sudo/admin transaction'])
MinDelegateTakeSet = events.event(69, 'MinDelegateTakeSet', [TAKE()],
    ['minimum delegate take is set by sudo/admin transaction'])
ColdkeySwapAnnounced = events.event(70, 'ColdkeySwapAnnounced', [
    ACCOUNT('who'), ('new_coldkey_hash', H256, 'T::Hash')],
    ['A coldkey swap announcement has been made.'])
ColdkeySwapReset = events.event(71, 'ColdkeySwapReset', [ACCOUNT('who')], ['A coldkey swap has been reset.'])
ColdkeySwapped = events.event(72, 'ColdkeySwapped', [ACCOUNT('old_coldkey'), ACCOUNT('new_coldkey')],
    ['A coldkey has been swapped.'])
ColdkeySwapDisputed = events.event(73, 'ColdkeySwapDisputed', [ACCOUNT('coldkey')],
    ['A coldkey swap has been disputed.'])
AllBalanceUnstakedAndTransferredToNewColdkey = events.event(74, 'AllBalanceUnstakedAndTransferredToNewColdkey', [
    ACCOUNT('current_coldkey'), ACCOUNT('new_coldkey'), ('total_balance', TaoBalance, '<<T as Config>::Currency as fungible::Inspect<<T as frame_system::\nConfig>::AccountId,>>::Balance')],
    ['All balance of a hotkey has been unstaked and transferred to a new coldkey'])
ArbitrationPeriodExtended = events.event(75, 'ArbitrationPeriodExtended', [ACCOUNT('coldkey')],
    ['The arbitration period has been extended'])
SetChildrenScheduled = events.event(76, 'SetChildrenScheduled', [
    ACCOUNT(), NETUID(), U64_(), (None, ChildList, 'Vec<(u64, T::AccountId)>')],
    ['Setting of children of a hotkey have been scheduled'])
SetChildren = events.event(77, 'SetChildren', [ACCOUNT(), NETUID(), (None, ChildList, 'Vec<(u64, T::AccountId)>')],
    ['The children of a hotkey have been set'])
ChainIdentitySet = events.event(78, 'ChainIdentitySet', [ACCOUNT()], ['The identity of a coldkey has been set'])
SubnetIdentitySet = events.event(79, 'SubnetIdentitySet', [NETUID()], ['The identity of a subnet has been set'])
SubnetIdentityRemoved = events.event(80, 'SubnetIdentityRemoved', [NETUID()],
    ['The identity of a subnet has been removed'])
DissolveNetworkScheduled = events.event(81, 'DissolveNetworkScheduled', [
    ACCOUNT('account'), NETUID('netuid'), BLOCK('execution_block')],
    ['A dissolve network extrinsic scheduled.'])
ColdkeySwapAnnouncementDelaySet = events.event(82, 'ColdkeySwapAnnouncementDelaySet', [BLOCK()],
    ['The coldkey swap announcement delay has been set.'])
ColdkeySwapReannouncementDelaySet = events.event(83, 'ColdkeySwapReannouncementDelaySet', [BLOCK()],
    ['The coldkey swap reannouncement delay has been set.'])
DissolveNetworkScheduleDurationSet = events.event(84, 'DissolveNetworkScheduleDurationSet', [BLOCK()],
    ['The duration of dissolve network has been set'])
CRV3WeightsCommitted = events.event(85, 'CRV3WeightsCommitted', [ACCOUNT(), NETUID_INDEX(), HASH()], [
        'Commit-reveal v3 weights have been successfully committed.',
        '',
        '* **who**: The account ID of the user committing the weights.',
        '* **netuid**: The network identifier.',
        '* **commit_hash**: The hash representing the committed weights.',
    ])
WeightsCommitted = events.event(86, 'WeightsCommitted', [ACCOUNT(), NETUID_INDEX(), HASH()], [
        'Weights have been successfully committed.',
        '',
        '* **who**: The account ID of the user committing the weights.',
        '* **netuid**: The network identifier.',
        '* **commit_hash**: The hash representing the committed weights.',
    ])
WeightsRevealed = events.event(87, 'WeightsRevealed', [ACCOUNT(), NETUID_INDEX(), HASH()], [
        'Weights have been successfully revealed.',
        '',
        '* **who**: The account ID of the user revealing the weights.',
        '* **netuid**: The network identifier.',
        '* **commit_hash**: The hash of the revealed weights.',
    ])
WeightsBatchRevealed = events.event(88, 'WeightsBatchRevealed', [
    ACCOUNT(), NETUID(), (None, Vec(H256), 'Vec<H256>')], [
        'Weights have been successfully batch revealed.',
        '',
        '* **who**: The account ID of the user revealing the weights.',
        '* **netuid**: The network identifier.',
        '* **revealed_hashes**: A vector of hashes representing each revealed weight set.',
    ])
BatchWeightsCompleted = events.event(89, 'BatchWeightsCompleted', [
    (None, Vec(CompactNetUid), 'Vec<Compact<NetUid>>'), ACCOUNT()], [
        'A batch of weights (or commits) have been force-set.',
        '',
        '* **netuids**: The netuids these weights were successfully set/committed for.',
        '* **who**: The hotkey that set this batch.',
    ])
BatchCompletedWithErrors = events.event(90, 'BatchCompletedWithErrors', [],
    ['A batch extrinsic completed but with some errors.'])
BatchWeightItemFailed = events.event(91, 'BatchWeightItemFailed', [
    NETUID(), (None, DispatchErrorCodec, 'sp_runtime::DispatchError')], [
        'A weight set among a batch of weights failed.',
        '',
        '* **netuid**: The netuid of the batch item that failed.',
        '* **error**: The dispatch error emitted by the failed item.',
    ])
StakeTransferred = events.event(92, 'StakeTransferred', [ACCOUNT(), ACCOUNT(), ACCOUNT(), NETUID(), NETUID(), TAO()], [
        'Stake has been transferred from one coldkey to another on the same subnet.',
        'Parameters:',
        '(origin_coldkey, destination_coldkey, hotkey, origin_netuid, destination_netuid, amount)',
    ])
StakeSwapped = events.event(93, 'StakeSwapped', [ACCOUNT(), ACCOUNT(), NETUID(), NETUID(), TAO()], [
        'Stake has been swapped from one subnet to another for the same coldkey-hotkey pair.',
        '',
        'Parameters:',
        '(coldkey, hotkey, origin_netuid, destination_netuid, amount)',
    ])
TransferToggle = events.event(94, 'TransferToggle', [NETUID(), BOOL()],
    ['Event called when transfer is toggled on a subnet.', '', 'Parameters:', '(netuid, bool)'])
SubnetOwnerHotkeySet = events.event(95, 'SubnetOwnerHotkeySet', [NETUID(), ACCOUNT()],
    ['The owner hotkey for a subnet has been set.', '', 'Parameters:', '(netuid, new_hotkey)'])
FirstEmissionBlockNumberSet = events.event(96, 'FirstEmissionBlockNumberSet', [NETUID(), U64_()],
    ['FirstEmissionBlockNumber is set via start call extrinsic', '', 'Parameters:', 'netuid', 'block number'])
AlphaRecycled = events.event(97, 'AlphaRecycled', [ACCOUNT(), ACCOUNT(), ALPHA(), NETUID()], [
        'Alpha has been recycled, reducing AlphaOut on a subnet.',
        '',
        'Parameters:',
        '(coldkey, hotkey, amount, subnet_id)',
    ])
AlphaBurned = events.event(98, 'AlphaBurned', [ACCOUNT(), ACCOUNT(), ALPHA(), NETUID()],
    ['Alpha have been burned without reducing AlphaOut.', '', 'Parameters:', '(coldkey, hotkey, amount, subnet_id)'])
EvmKeyAssociated = events.event(99, 'EvmKeyAssociated', [
    NETUID('netuid'), ACCOUNT('hotkey'), ('evm_key', H160, 'H160'), U64_('block_associated')],
    ['An EVM key has been associated with a hotkey.'])
CRV3WeightsRevealed = events.event(100, 'CRV3WeightsRevealed', [NETUID(), ACCOUNT()], [
        'CRV3 Weights have been successfully revealed.',
        '',
        '* **netuid**: The network identifier.',
        '* **who**: The account ID of the user revealing the weights.',
    ])
CommitRevealPeriodsSet = events.event(101, 'CommitRevealPeriodsSet', [NETUID(), U64_()], [
        'Commit-Reveal periods has been successfully set.',
        '',
        '* **netuid**: The network identifier.',
        '* **periods**: The number of epochs before the reveal.',
    ])
CommitRevealEnabled = events.event(102, 'CommitRevealEnabled', [NETUID(), BOOL()], [
        'Commit-Reveal has been successfully toggled.',
        '',
        '* **netuid**: The network identifier.',
        '* **Enabled**: Is Commit-Reveal enabled.',
    ])
HotkeySwappedOnSubnet = events.event(103, 'HotkeySwappedOnSubnet', [
    ACCOUNT('coldkey'), ACCOUNT('old_hotkey'), ACCOUNT('new_hotkey'), NETUID('netuid')],
    ['the hotkey is swapped'])
SubnetLeaseCreated = events.event(104, 'SubnetLeaseCreated', [
    ACCOUNT('beneficiary'), ('lease_id', U32, 'LeaseId'), NETUID('netuid'), ('end_block', Option(U32), 'Option<BlockNumberFor<T>>')],
    ['A subnet lease has been created.'])
SubnetLeaseTerminated = events.event(105, 'SubnetLeaseTerminated', [ACCOUNT('beneficiary'), NETUID('netuid')],
    ['A subnet lease has been terminated.'])
SymbolUpdated = events.event(106, 'SymbolUpdated', [NETUID('netuid'), ('symbol', BytesVec, 'Vec<u8>')],
    ['The symbol for a subnet has been updated.'])
CommitRevealVersionSet = events.event(107, 'CommitRevealVersionSet', [U16_()],
    ['Commit Reveal Weights version has been updated.', '', '* **version**: The required version.'])
TimelockedWeightsCommitted = events.event(108, 'TimelockedWeightsCommitted', [
    ACCOUNT(), NETUID_INDEX(), HASH(), U64_()], [
        'Timelocked weights have been successfully committed.',
        '',
        '* **who**: The account ID of the user committing the weights.',
        '* **netuid**: The network identifier.',
        '* **commit_hash**: The hash representing the committed weights.',
        '* **reveal_round**: The round at which weights can be revealed.',
    ])
TimelockedWeightsRevealed = events.event(109, 'TimelockedWeightsRevealed', [NETUID_INDEX(), ACCOUNT()], [
        'Timelocked Weights have been successfully revealed.',
        '',
        '* **netuid**: The network identifier.',
        '* **who**: The account ID of the user revealing the weights.',
    ])
AutoStakeAdded = events.event(110, 'AutoStakeAdded', [
    NETUID('netuid'), ACCOUNT('destination'), ACCOUNT('hotkey'), ACCOUNT('owner'), ALPHA('incentive')],
    ['Auto-staking hotkey received stake'])
IncentiveAlphaEmittedToMiners = events.event(111, 'IncentiveAlphaEmittedToMiners', [
    NETUID_INDEX('netuid'), ('emissions', Vec(AlphaBalance), 'Vec<AlphaBalance>')],
    ['End-of-epoch miner incentive alpha by UID'])
MinAllowedUidsSet = events.event(112, 'MinAllowedUidsSet', [NETUID(), U16_()],
    ['The minimum allowed UIDs for a subnet have been set.'])
AutoStakeDestinationSet = events.event(113, 'AutoStakeDestinationSet', [
    ACCOUNT('coldkey'), NETUID('netuid'), ACCOUNT('hotkey')], [
        'The auto stake destination has been set.',
        '',
        '* **coldkey**: The account ID of the coldkey.',
        '* **netuid**: The network identifier.',
        '* **hotkey**: The account ID of the hotkey.',
    ])
MinNonImmuneUidsSet = events.event(114, 'MinNonImmuneUidsSet', [NETUID(), U16_()],
    ['The minimum allowed non-Immune UIDs has been set.'])
RootClaimed = events.event(115, 'RootClaimed', [ACCOUNT('coldkey'), TAO('tao')],
    ['Root emissions have been claimed for a coldkey on all subnets and hotkeys.'])
BasketDeposited = events.event(116, 'BasketDeposited', [ACCOUNT('hotkey'), TAO('tao'), U64_('shares')], [
        "A validator's beta basket (fund) received a dividend deposit: the dividend alpha",
        "was credited in place to the fund's holding on the subnet it was earned on,",
        'adding `tao` of realizable NAV to the fund and minting `shares` fund shares at',
        'the pre-deposit NAV.',
    ])
BasketStakedIn = events.event(117, 'BasketStakedIn', [
    ACCOUNT('hotkey'), ACCOUNT('coldkey'), TAO('tao'), TAO('value'), U64_('shares')], [
        "A staker deposited TAO from their balance directly into a validator's beta",
        "basket: the TAO was split across the fund's current holdings by value (or held",
        'as the root cash slot of an empty fund) and `shares` fund shares were credited',
        'to the staker via their claimed watermark.',
    ])
BasketClaimed = events.event(118, 'BasketClaimed', [ACCOUNT('hotkey'), ACCOUNT('coldkey'), TAO('tao')], [
        "A staker redeemed (claimed) their owed share of a validator's beta basket: their",
        'pro-rata fraction of every holding was realized as `tao` and staked onto their root',
        'position.',
    ])
BasketHoldingConverted = events.event(119, 'BasketHoldingConverted', [
    ACCOUNT('hotkey'), NETUID('netuid'), TAO('tao')], [
        "A validator's basket holding on a dissolving subnet was converted into the fund's",
        'root (TAO) slot. Fund shares and staker entitlements are unaffected.',
    ])
VotingPowerTrackingEnabled = events.event(120, 'VotingPowerTrackingEnabled', [NETUID('netuid')],
    ['Voting power tracking has been enabled for a subnet.'])
VotingPowerTrackingDisableScheduled = events.event(121, 'VotingPowerTrackingDisableScheduled', [
    NETUID('netuid'), U64_('disable_at_block')], [
        'Voting power tracking has been scheduled for disabling.',
        'Tracking will continue until disable_at_block, then stop and clear entries.',
    ])
VotingPowerTrackingDisabled = events.event(122, 'VotingPowerTrackingDisabled', [NETUID('netuid')],
    ['Voting power tracking has been fully disabled and entries cleared.'])
VotingPowerEmaAlphaSet = events.event(123, 'VotingPowerEmaAlphaSet', [NETUID('netuid'), U64_('alpha')],
    ['Voting power EMA alpha has been set for a subnet.'])
SubnetLeaseDividendsDistributed = events.event(124, 'SubnetLeaseDividendsDistributed', [
    ('lease_id', U32, 'LeaseId'), ACCOUNT('contributor'), ALPHA('alpha')],
    ['Subnet lease dividends have been distributed.'])
AddStakeBurn = events.event(125, 'AddStakeBurn', [
    NETUID('netuid'), ACCOUNT('hotkey'), TAO('amount'), ALPHA('alpha')],
    ['"Add stake and burn" event: alpha token was purchased and burned.'])
NetworkDissolveCleanupCompleted = events.event(126, 'NetworkDissolveCleanupCompleted', [NETUID('netuid')],
    ['data for a dissolved network has been cleaned up.'])
ColdkeySwapCleared = events.event(127, 'ColdkeySwapCleared', [ACCOUNT('who')],
    ['A coldkey swap announcement has been cleared.'])
TransactionFeePaidWithAlpha = events.event(128, 'TransactionFeePaidWithAlpha', [
    ACCOUNT('who'), NETUID('netuid'), ALPHA('alpha_fee'), TAO('tao_amount')], [
        'Transaction fee was paid in Alpha.',
        '',
        'Emitted in addition to `TransactionFeePaid` when the fee payment path is Alpha.',
        '`alpha_fee` is the exact Alpha amount deducted.',
    ])
BurnHalfLifeSet = events.event(129, 'BurnHalfLifeSet', [NETUID('netuid'), U16_('burn_half_life')],
    ['Burn half-life set for neuron registration.'])
BurnIncreaseMultSet = events.event(130, 'BurnIncreaseMultSet', [
    NETUID('netuid'), ('burn_increase_mult', U64F64, 'U64F64')],
    ['Burn increase multiplier set for neuron registration.'])
AutoParentDelegationEnabledSet = events.event(131, 'AutoParentDelegationEnabledSet', [
    ACCOUNT('hotkey'), BOOL('enabled')],
    ['A root validator toggled the "auto parent delegation" flag.'])
StakeLocked = events.event(132, 'StakeLocked', [
    ACCOUNT('coldkey'), ACCOUNT('hotkey'), NETUID('netuid'), ALPHA('amount')],
    ['Stake has been locked to a hotkey on a subnet.'])
StakeUnlocked = events.event(133, 'StakeUnlocked', [
    ACCOUNT('coldkey'), ACCOUNT('hotkey'), NETUID('netuid'), ALPHA('amount')],
    ['Stake has been unlocked from a hotkey on a subnet.'])
LockMoved = events.event(134, 'LockMoved', [
    ACCOUNT('coldkey'), ACCOUNT('origin_hotkey'), ACCOUNT('destination_hotkey'), NETUID('netuid')],
    ['Stake has been unlocked from a hotkey on a subnet.'])
ActivityCutoffFactorMilliSet = events.event(135, 'ActivityCutoffFactorMilliSet', [
    NETUID('netuid'), ('factor_milli', U32, 'u32')],
    ['Activity-cutoff factor (per-mille) set on a subnet by its owner.'])
EpochTriggered = events.event(136, 'EpochTriggered', [NETUID('netuid'), ACCOUNT('by'), U64_('fires_at')],
    ['Owner manually triggered an epoch for their subnet.'])
EpochDeferred = events.event(137, 'EpochDeferred', [NETUID('netuid'), U64_('from_block'), U64_('to_block')],
    ['An epoch slot was deferred to the next block due to the per-block epoch cap.'])
EpochSkipped = events.event(138, 'EpochSkipped', [NETUID('netuid'), U64_('block')],
    ['Epoch execution skipped by `is_epoch_input_state_consistent` returned false or other errors.'])
SubnetOwnerChanged = events.event(139, 'SubnetOwnerChanged', [
    NETUID('netuid'), ACCOUNT('old_coldkey'), ACCOUNT('new_coldkey')],
    ['Subnet ownership was reassigned by lock conviction.'])
PerpetualLockUpdated = events.event(140, 'PerpetualLockUpdated', [
    ACCOUNT('coldkey'), NETUID('netuid'), BOOL('enabled')],
    ["A coldkey's perpetual lock flag was updated."])
NetworkRegistrationQueued = events.event(141, 'NetworkRegistrationQueued', [
    ACCOUNT('coldkey'), ACCOUNT('hotkey'), U16_('mechid'), ('identity', Option(SubnetIdentityV3), 'Option<SubnetIdentityOfV3>'), TAO('lock_amount'), ('median_subnet_alpha_price', U64F64, 'U64F64'), U64_('registration_block')],
    ['A network registration cost has been queued.'])
RejectLockedAlphaUpdated = events.event(142, 'RejectLockedAlphaUpdated', [ACCOUNT('coldkey'), BOOL('enabled')],
    ["A coldkey's reject locked alpha account flag was updated."])
StakeAndHotkeyTransferred = events.event(143, 'StakeAndHotkeyTransferred', [
    ACCOUNT('origin_coldkey'), ACCOUNT('destination_coldkey'), ACCOUNT('origin_hotkey'), ACCOUNT('destination_hotkey'), NETUID('origin_netuid'), NETUID('destination_netuid'), TAO('amount')], [
        'Stake has been transferred from one coldkey to another, landing on a',
        'different hotkey (and optionally a different subnet).',
    ])
CollateralLocked = events.event(144, 'CollateralLocked', [
    NETUID('netuid'), ACCOUNT('hotkey'), ALPHA('locked'), ALPHA('total_locked')], [
        'Miner collateral was staked and locked (at registration or via',
        '`add_collateral`). Appended at the end of the enum to avoid',
        'shifting existing event indices.',
    ])
MinCollateralSet = events.event(145, 'MinCollateralSet', [NETUID('netuid'), ACCOUNT('hotkey'), ALPHA('min_locked')],
    ['A miner set the self-maintaining collateral floor for a hotkey.'])
LiquidAlphaConsensusModeSet = events.event(146, 'LiquidAlphaConsensusModeSet', [
    NETUID(), (None, ConsensusMode, 'ConsensusMode')],
    ["A subnet's liquid-alpha consensus mode was updated.", 'Appended to preserve existing SCALE event indices.'])
BetaBaselineStamped = events.event(147, 'BetaBaselineStamped', [ACCOUNT('hotkey')], [
        "A fund's frozen display baseline was stamped at its first share mint: its",
        'index-spliced display and total-return stake prices start at the current',
        'index levels from this block on (see `BetaBaseline` storage). Appended to',
        'preserve existing SCALE event indices.',
    ])
BasketAlphaWrittenOff = events.event(148, 'BasketAlphaWrittenOff', [
    ACCOUNT('hotkey'), NETUID('netuid'), ALPHA('alpha')], [
        'A terminally untradeable basket alpha slice was explicitly written off. This is',
        'distinct from a swap/transfer failure: only a pool too shallow to execute any sale',
        "is eligible, and removing the exact slice preserves every holder's fund proportion.",
        'Appended to preserve existing SCALE event indices.',
    ])
BasketSwapped = events.event(149, 'BasketSwapped', [
    ACCOUNT('hotkey'), NETUID('origin_netuid'), NETUID('destination_netuid'), ALPHA('alpha_sold'), TAO('tao_mid'), ALPHA('alpha_bought')], [
        'A validator rebalanced its beta basket: `alpha_sold` of `origin_netuid` was sold',
        'for `tao_mid` TAO, which bought `alpha_bought` of `destination_netuid`. Fund',
        "shares and staker entitlements are unaffected; only the fund's composition changed.",
    ])
