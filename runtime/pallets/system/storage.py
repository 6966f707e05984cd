"""frame_system storage, in metadata order."""

from __future__ import annotations

from runtime.primitives.hashing import Hasher
from runtime.primitives.header import Digest
from runtime.primitives.types import H256, AccountId32
from runtime.scale import U8, U32, Bool, Vec
from runtime.support.dispatch import Weight
from runtime.support.storage import PalletStorage
from runtime.pallets.system.types import (
    AccountInfo, CodeUpgradeAuthorization, EventRecord, EventTopicEntry, LastRuntimeUpgradeInfo,
    PerDispatchClassWeight, Phase,
)

storage = PalletStorage("System")

Account = storage.map("Account", [(Hasher.Blake2_128Concat, AccountId32)], AccountInfo.SCALE,  # type: ignore[attr-defined]
                      default=AccountInfo(), docs=[" The full account information for a particular account ID."])
ExtrinsicCount = storage.value("ExtrinsicCount", U32, docs=[" Total extrinsics count for the current block."])
InherentsApplied = storage.value("InherentsApplied", Bool, default=False,
                                 docs=[" Whether all inherents have been applied."])
_ZERO = Weight()
BlockWeight = storage.value("BlockWeight", PerDispatchClassWeight,
                            default={"normal": _ZERO, "operational": _ZERO, "mandatory": _ZERO},
                            docs=[" The current weight for the block."])
AllExtrinsicsLen = storage.value("AllExtrinsicsLen", U32,
                                 docs=[" Total length (in bytes) for all extrinsics put together, for the current block."])
BlockHash = storage.map("BlockHash", [(Hasher.Twox64Concat, U32)], H256, default=bytes(32),
                        docs=[" Map of block numbers to block hashes."])
ExtrinsicData = storage.map("ExtrinsicData", [(Hasher.Twox64Concat, U32)], Vec(U8), default=b"",
                            docs=[" Extrinsics data for the current block (maps an extrinsic's index to its data)."])
Number = storage.value("Number", U32, default=0, docs=[" The current block number being processed. Set by `execute_block`."])
ParentHash = storage.value("ParentHash", H256, default=bytes(32), docs=[" Hash of the previous block."])
DigestItems = storage.value("Digest", Digest, default=(),
                            docs=[" Digest of the current block, also part of the block header."])
Events = storage.value("Events", Vec(EventRecord), default=[], docs=[" Events deposited for the current block."])
EventCount = storage.value("EventCount", U32, default=0, docs=[" The number of events in the `Events<T>` list."])
EventTopics = storage.map("EventTopics", [(Hasher.Blake2_128Concat, H256)], EventTopicEntry, default=[],
                          docs=[" Mapping between a topic (represented by T::Hash) and a vector of indexes",
                                " of events in the `<Events<T>>` list."])
LastRuntimeUpgrade = storage.value("LastRuntimeUpgrade", LastRuntimeUpgradeInfo,
                                   docs=[" Stores the `spec_version` and `spec_name` of when the last runtime upgrade happened."])
UpgradedToU32RefCount = storage.value("UpgradedToU32RefCount", Bool, default=False,
                                      docs=[" True if we have upgraded so that `type RefCount` is `u32`. False (default) if not."])
UpgradedToTripleRefCount = storage.value("UpgradedToTripleRefCount", Bool, default=False,
                                         docs=[" True if we have upgraded so that AccountInfo contains three types of `RefCount`. False",
                                               " (default) if not."])
ExecutionPhase = storage.value("ExecutionPhase", Phase, docs=[" The execution phase of the block."])
AuthorizedUpgrade = storage.value("AuthorizedUpgrade", CodeUpgradeAuthorization,
                                  docs=[" `Some` if a code upgrade has been authorized."])
ExtrinsicWeightReclaimed = storage.value("ExtrinsicWeightReclaimed", Weight.SCALE, default=Weight(),  # type: ignore[attr-defined]
                                         docs=[" The weight reclaimed for the extrinsic."])
