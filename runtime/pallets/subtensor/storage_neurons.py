"""SubtensorModule storage, part 3 of 4.

Items: neurons of a subnet: uid ↔ hotkey, the per-uid vectors the epoch writes, weights and bonds,
axon/prometheus/certificate info, identities, transaction rate limits and weight commits.

Doc lines, defaults and shapes are those of node-subtensor's metadata (fast-runtime localnet).
"""

from __future__ import annotations

from runtime.pallets.subtensor.schema import (
    storage, NETUID, NETUID_BLAKE, NETUID_TWOX, NETUID_INDEX, NETUID_INDEX_TWOX, UID, ACCOUNT, ACCOUNT_ID,
    ACCOUNT_TWOX, EPOCH_TWOX,
)
from runtime.pallets.subtensor.types import (
    AccountId32, AlphaBalance, AxonInfo, BoundedVec, ChainIdentityV2, H256, NeuronCertificate, PerU16,
    PrometheusInfo, SubnetIdentityV3, WeightsRow, ZERO_ACCOUNT,
)
from runtime.scale import Bool, U8, U16, U64, Tuple, Vec

Uids = storage.map("Uids", [NETUID, ACCOUNT], U16, docs=[' DMAP ( netuid, hotkey ) --> uid'])
Keys = storage.map("Keys", [NETUID, UID], AccountId32, default=ZERO_ACCOUNT, docs=[
    ' DMAP ( netuid, uid ) --> hotkey',
])
LoadedEmission = storage.map("LoadedEmission", [NETUID], Vec(Tuple(AccountId32, U64, U64)), docs=[
    ' MAP ( netuid ) --> (hotkey, se, ve)',
])
Active = storage.map("Active", [NETUID], Vec(Bool), default=[], docs=[' MAP ( netuid ) --> active'])
Consensus = storage.map("Consensus", [NETUID], Vec(PerU16), default=[], docs=[' MAP ( netuid ) --> consensus'])
ConsensusByMechanism = storage.map("ConsensusByMechanism", [NETUID_INDEX], Vec(PerU16), default=[], docs=[
    ' MAP ( netuid storage index ) --> previous epoch consensus for each mechanism',
])
Incentive = storage.map("Incentive", [NETUID_INDEX], Vec(PerU16), default=[], docs=[' MAP ( netuid ) --> incentive'])
Dividends = storage.map("Dividends", [NETUID], Vec(PerU16), default=[], docs=[' MAP ( netuid ) --> dividends'])
Emission = storage.map("Emission", [NETUID], Vec(AlphaBalance), default=[], docs=[' MAP ( netuid ) --> emission'])
LastUpdate = storage.map("LastUpdate", [NETUID_INDEX], Vec(U64), default=[], docs=[' MAP ( netuid ) --> last_update'])
ValidatorTrust = storage.map("ValidatorTrust", [NETUID], Vec(PerU16), default=[], docs=[
    ' MAP ( netuid ) --> validator_trust',
])
ValidatorPermit = storage.map("ValidatorPermit", [NETUID], Vec(Bool), default=[], docs=[
    ' MAP ( netuid ) --> validator_permit',
])
Weights = storage.map("Weights", [NETUID_INDEX, UID], WeightsRow, default=[], docs=[
    ' DMAP ( netuid, uid ) --> weights',
])
Bonds = storage.map("Bonds", [NETUID_INDEX, UID], WeightsRow, default=[], docs=[' DMAP ( netuid, uid ) --> bonds'])
BlockAtRegistration = storage.map("BlockAtRegistration", [NETUID, UID], U64, default=0, docs=[
    ' DMAP ( netuid, uid ) --> block_at_registration',
])
Axons = storage.map("Axons", [NETUID, ACCOUNT], AxonInfo, docs=[' MAP ( netuid, hotkey ) --> axon_info'])
NeuronCertificates = storage.map("NeuronCertificates", [NETUID, ACCOUNT], NeuronCertificate, docs=[
    ' MAP ( netuid, hotkey ) --> certificate',
])
Prometheus = storage.map("Prometheus", [NETUID, ACCOUNT], PrometheusInfo, docs=[
    ' MAP ( netuid, hotkey ) --> prometheus_info',
])
IdentitiesV2 = storage.map("IdentitiesV2", [ACCOUNT], ChainIdentityV2, docs=[' MAP ( coldkey ) --> identity'])
SubnetIdentitiesV3 = storage.map("SubnetIdentitiesV3", [NETUID_BLAKE], SubnetIdentityV3, docs=[
    ' MAP ( netuid ) --> SubnetIdentityOfV3',
])
TransactionKeyLastBlock = storage.map("TransactionKeyLastBlock", [ACCOUNT, NETUID, UID], U64, default=0, docs=[
    ' NMAP ( hot, netuid, name ) --> last_block | Returns the last block of a transaction for a given key, netuid, and name.',
])
LastTxBlock = storage.map("LastTxBlock", [ACCOUNT_ID], U64, default=0, docs=[' MAP ( key ) --> last_block'])
LastTxBlockChildKeyTake = storage.map("LastTxBlockChildKeyTake", [ACCOUNT_ID], U64, default=0, docs=[
    ' MAP ( key ) --> last_tx_block_childkey_take',
])
LastTxBlockDelegateTake = storage.map("LastTxBlockDelegateTake", [ACCOUNT_ID], U64, default=0, docs=[
    ' MAP ( key ) --> last_tx_block_delegate_take',
])
StakeThreshold = storage.value("StakeThreshold", U64, default=0, docs=[' ITEM( weights_min_stake )'])
WeightCommits = storage.map(
    "WeightCommits", [NETUID_INDEX_TWOX, ACCOUNT_TWOX], Vec(Tuple(H256, U64, U64, U64)), docs=[
    ' MAP (netuid, who) --> VecDeque<(hash, commit_epoch, commit_block, _unused)>',
    ' Stores a queue of commit-reveal-v2 commits for an account on a given netuid.',
])
TimelockedWeightCommits = storage.map(
    "TimelockedWeightCommits", [NETUID_INDEX_TWOX, EPOCH_TWOX], Vec(Tuple(AccountId32, U64, BoundedVec(U8), U64)), default=[], docs=[
    ' MAP (netuid, epoch) → VecDeque<(who, commit_block, ciphertext, reveal_round)>',
    ' Stores a queue of weight commits for an account on a given subnet.',
])
CRV3WeightCommits = storage.map(
    "CRV3WeightCommits", [NETUID_INDEX_TWOX, EPOCH_TWOX], Vec(Tuple(AccountId32, BoundedVec(U8), U64)), default=[], docs=[
    ' MAP (netuid, epoch) → VecDeque<(who, ciphertext, reveal_round)>',
    ' Deprecated: superseded by `CRV3WeightCommitsV2`.',
])
CRV3WeightCommitsV2 = storage.map(
    "CRV3WeightCommitsV2", [NETUID_INDEX_TWOX, EPOCH_TWOX], Vec(Tuple(AccountId32, U64, BoundedVec(U8), U64)), default=[], docs=[
    ' MAP (netuid, epoch) → VecDeque<(who, commit_block, ciphertext, reveal_round)>',
    ' Deprecated: superseded by `TimelockedWeightCommits`.',
])
RevealPeriodEpochs = storage.map("RevealPeriodEpochs", [NETUID_TWOX], U64, default=1, docs=[
    ' Map (netuid) --> Number of epochs allowed for commit reveal periods',
])
LastColdkeyHotkeyStakeBlock = storage.map("LastColdkeyHotkeyStakeBlock", [ACCOUNT_TWOX, ACCOUNT_TWOX], U64, docs=[
    ' Map (coldkey, hotkey) --> u64 the last block at which **root** stake was',
    ' added/removed/claimed for that pair. Used solely as the age basis for',
    ' `RootStakeUnlockInterval`. Non-root stake ops must not write this map.',
])
