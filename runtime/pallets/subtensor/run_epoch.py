"""The storage side of a subnet epoch: read SubtensorModule storage into :class:`EpochInputs`, run the pure
bit-exact :func:`runtime.yuma.epoch`, and write its outputs back, as node-subtensor's
``epoch/run_epoch.rs`` (``epoch_mechanism``, ``persist_*_epoch_terms``) and ``subnets/mechanism.rs``
(``epoch_with_mechanisms``, ``split_emissions``) do at HEAD.

* Inputs per mechanism ``mecid`` use the storage index ``netuid + 4096·mecid`` for ``LastUpdate``,
  ``Weights``, ``Bonds`` and the commit maps; everything else is per netuid.
* Stake: inherited alpha and inherited root TAO of each uid's hotkey (0 for a uid without a key); the
  epoch itself combines them with ``TaoWeight``.
* The epoch's terms are keyed by hotkey (the reference's ``BTreeMap``) and persisted sorted by uid, so a
  uid without a key has no entry and the written vectors are the keyed uids in uid order.
* Per mechanism: ``Incentive[index]`` and ``Bonds[index][i]``. Per netuid (aggregated over mechanisms,
  weighted by the mechanism's share of the emission): ``Active``, ``Emission``, ``Consensus``,
  ``Dividends``, ``ValidatorTrust``, ``ValidatorPermit``, ``StakeWeight``. ``LastUpdate`` is not touched
  by the epoch. The voting-power EMA update of the reference is not modelled here.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from runtime.pallets.subtensor import storage as st
from runtime.pallets.subtensor import voting_power
from runtime.pallets.subtensor.rpc_info import activity_cutoff_blocks
from runtime.pallets.subtensor.share_pool import get_u64, key_hn
from runtime.pallets.subtensor.types import ROOT_NETUID, storage_index
from runtime.support.context import Context
from runtime.support.externalities import Externalities
from runtime.scale import encode_compact
from runtime.support.storage import StorageEntry
from runtime.yuma import EpochInputs, EpochOutputs, U16Rows, epoch
from runtime.yuma.io import SparseRows

U16_MAX = 0xFFFF
U64_MAX = (1 << 64) - 1
U128_MAX = (1 << 128) - 1
MAX_TEMPO = 50_400

__all__ = [
    "EpochTerms", "current_epoch_with_lookahead", "epoch_inputs", "epoch_mechanism", "is_commit_expired",
    "persist_mechanism_epoch_terms", "persist_netuid_epoch_terms", "run_epoch", "should_run_epoch",
    "split_emissions",
]


# -- schedule predicates shared with the block step ------------------------------------------------------------


def should_run_epoch(ext: Externalities, netuid: int, block: int) -> bool:
    """HEAD trigger: tempo 0 never; a due ``PendingEpochAt``; the ``BlocksSinceLastStep > MAX_TEMPO`` safety
    net; else ``block − LastEpochBlock ≥ tempo`` (saturating)."""
    tempo = st.Tempo.get(ext, netuid)
    if tempo == 0:
        return False
    pending = st.PendingEpochAt.get(ext, netuid)
    if pending > 0 and block >= pending:
        return True
    if st.BlocksSinceLastStep.get(ext, netuid) > MAX_TEMPO:
        return True
    return max(block - st.LastEpochBlock.get(ext, netuid), 0) >= tempo


def current_epoch_with_lookahead(ext: Externalities, netuid: int, block: int) -> int:
    """``SubnetEpochIndex``, plus one if an epoch slot is due at ``block``."""
    base = st.SubnetEpochIndex.get(ext, netuid)
    return min(base + 1, U64_MAX) if should_run_epoch(ext, netuid, block) else base


def is_commit_expired(ext: Externalities, netuid: int, commit_epoch: int, block: int) -> bool:
    return current_epoch_with_lookahead(ext, netuid, block) > commit_epoch + st.RevealPeriodEpochs.get(ext, netuid)


# -- inputs ----------------------------------------------------------------------------------------------------


def _owner_uid(ext: Externalities, netuid: int) -> int | None:
    owner_hotkey = st.SubnetOwnerHotkey.try_get(ext, netuid)
    if owner_hotkey is None:
        return None
    uid = st.Uids.try_get(ext, netuid, owner_hotkey)
    return None if uid is None else int(uid)


def _raw_prefix(ext: Externalities, prefix: bytes) -> Iterator[tuple[bytes, bytes]]:
    """``(key, raw value)`` of every key strictly under ``prefix``, in key order."""
    key = ext.next_key(prefix)
    while key is not None and key.startswith(prefix):
        raw = ext.get(key)
        if raw is not None:
            yield key, raw
        key = ext.next_key(key)


def _uid_rows(ext: Externalities, item: StorageEntry, index: int) -> Iterator[tuple[int, bytes]]:
    """``(uid, raw value)`` of a ``(NETUID_INDEX, UID)`` map under ``index``: both keys are Identity-hashed
    u16s, so the uid is the key's last two bytes."""
    prefix = item.key(index)
    width = len(prefix) + 2
    for key, raw in _raw_prefix(ext, prefix):
        if len(key) == width:
            yield int.from_bytes(key[-2:], "little"), raw


def _sparse_rows(ext: Externalities, item: StorageEntry, index: int, n: int) -> U16Rows:
    """Rows ``0..n`` of ``Weights``/``Bonds`` at ``index`` in stored order; rows and columns ``≥ n`` are
    ignored (the reference filters weight columns; bond columns ``≥ n`` cannot contribute either).

    Read as raw values into CSR arrays (one ``frombuffer`` per row): decoding 2 × 64 rows of 256 pairs
    into Python tuples was most of an epoch's storage read."""
    rows = U16Rows.from_scale(n, _uid_rows(ext, item, index))
    if rows.indices.size and int(rows.indices.max()) >= n:
        keep = rows.indices < n
        row_of = np.repeat(np.arange(n, dtype=np.int64), np.diff(rows.indptr))
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(row_of[keep], minlength=n), out=indptr[1:])
        rows = U16Rows(indptr, rows.indices[keep], rows.values[keep])
    return rows


def _block_at_registration(ext: Externalities, netuid: int, hotkeys: list[bytes | None]) -> tuple[int, ...]:
    """``BlockAtRegistration`` of each uid with a hotkey, else 0 (keys: Identity netuid ++ Identity uid)."""
    prefix = st.BlockAtRegistration.key(netuid)
    out = []
    for uid, hotkey in enumerate(hotkeys):
        raw = None if hotkey is None else ext.get(prefix + uid.to_bytes(2, "little"))
        out.append(0 if raw is None else int.from_bytes(raw, "little"))
    return tuple(out)


def _u96f32_share(stake: int, proportion: int) -> int:
    """``U96F32(stake) × (U96F32(proportion) / U96F32(u64::MAX))`` as bits (32 fraction bits)."""
    return min(((stake << 32) * ((proportion << 32) // U64_MAX)) >> 32, U128_MAX)


def _inherited_stakes(ext: Externalities, netuid: int, hotkeys: list[bytes | None]
                      ) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """``inherited_alpha`` and ``inherited_tao`` (:mod:`.metagraph_info`) of each uid's hotkey, 0 without
    one: own stake less the shares given to children plus the shares taken from parents, in U96F32. The
    same formula with each ``ChildKeys``/``ParentKeys`` list read once for both stakes and raw keys."""
    alpha_out: list[int] = []
    tao_out: list[int] = []
    for hotkey in hotkeys:
        if hotkey is None:
            alpha_out.append(0)
            tao_out.append(0)
            continue
        children = _list_at(ext, st.ChildKeys, hotkey, netuid)
        parents = _list_at(ext, st.ParentKeys, hotkey, netuid)
        own_alpha = get_u64(ext, key_hn(st.TotalHotkeyAlpha, hotkey, netuid))
        own_root = get_u64(ext, key_hn(st.TotalHotkeyAlpha, hotkey, ROOT_NETUID))
        if not children and not parents:  # the formula leaves the own stake as it is
            alpha_out.append(own_alpha)
            tao_out.append(own_root)
            continue
        # on root the alpha stake is the own stake as it is
        alpha_out.append(own_alpha if netuid == ROOT_NETUID else
                         _inherited(ext, own_alpha, netuid, children, parents))
        tao_out.append(_inherited(ext, own_root, ROOT_NETUID, children, parents))
    return tuple(alpha_out), tuple(tao_out)


def _inherited(ext: Externalities, own: int, stake_netuid: int, children: list, parents: list) -> int:
    initial = own << 32
    to_children = sum(_u96f32_share(own, p) for p, _ in children)
    from_parents = sum(
        _u96f32_share(get_u64(ext, key_hn(st.TotalHotkeyAlpha, parent, stake_netuid)), p) for p, parent in parents)
    final = min(max(initial - min(to_children, U128_MAX), 0) + min(from_parents, U128_MAX), U128_MAX)
    return min(final >> 32, U64_MAX)


def _list_at(ext: Externalities, item: StorageEntry, hotkey: bytes, netuid: int) -> list:
    """A ``Vec`` value keyed by (hotkey, netuid); the empty list without decoding when absent or empty."""
    raw = ext.get(key_hn(item, hotkey, netuid))
    return [] if raw is None or raw == b"\x00" else item.value.decode(raw)  # type: ignore[no-any-return]


def _keys(ext: Externalities, netuid: int, n: int) -> tuple[list[bytes | None], dict[bytes, int]]:
    """One pass over ``Keys[netuid]``: the hotkey of each uid ``< n`` (None without one) and
    :func:`keyed_uids`."""
    hotkeys: list[bytes | None] = [None] * n
    uid_of: dict[bytes, int] = {}
    prefix = st.Keys.key(netuid)
    width = len(prefix) + 2  # Identity-hashed u16 uid; the value is the raw 32-byte AccountId32
    for key, raw in _raw_prefix(ext, prefix):
        if len(key) != width or len(raw) != 32:
            raise ValueError(f"unexpected Keys entry {key.hex()}")
        uid = int.from_bytes(key[-2:], "little")
        uid_of[raw] = uid
        if uid < n:
            hotkeys[uid] = raw
    return hotkeys, uid_of


def _commit_blocks(ext: Externalities, netuid: int, index: int, n: int, uid_of: dict[bytes, int],
                   block: int) -> tuple[int, ...]:
    """Per uid the smallest ``commit_block`` among its non-expired commits (v2: the first non-expired entry
    of its queue; v4: every non-expired epoch), ``u64::MAX`` for none."""
    blocks = [U64_MAX] * n
    for (_, who), queue in st.WeightCommits.iter(ext, index):
        for _hash, commit_epoch, commit_block, _ in queue:
            if not is_commit_expired(ext, netuid, commit_epoch, block):
                uid = uid_of.get(who)
                if uid is not None and uid < n:
                    blocks[uid] = min(blocks[uid], commit_block)
                break
    for (_, commit_epoch), queue in st.TimelockedWeightCommits.iter(ext, index):
        if is_commit_expired(ext, netuid, commit_epoch, block):
            continue
        for who, commit_block, *_ in queue:
            uid = uid_of.get(who)
            if uid is not None and uid < n:
                blocks[uid] = min(blocks[uid], commit_block)
    return tuple(blocks)


def keyed_uids(ext: Externalities, netuid: int) -> dict[bytes, int]:
    """hotkey → uid from ``Keys`` in storage order; a later duplicate hotkey wins (the reference's map)."""
    return {hotkey: int(uid) for (_, uid), hotkey in st.Keys.iter(ext, netuid)}


def epoch_inputs(ext: Externalities, netuid: int, mecid: int, rao_emission: int, block: int) -> EpochInputs:
    """Everything ``epoch_mechanism`` reads, from storage at ``block``."""
    return _epoch_inputs(ext, netuid, mecid, rao_emission, block)[0]


def _epoch_inputs(ext: Externalities, netuid: int, mecid: int, rao_emission: int, block: int
                  ) -> tuple[EpochInputs, dict[bytes, int]]:
    """:func:`epoch_inputs` and :func:`keyed_uids` from one read of ``Keys``."""
    index = storage_index(netuid, mecid)
    n = st.SubnetworkN.get(ext, netuid)
    hotkeys, uid_of = _keys(ext, netuid, n)
    alpha_low, alpha_high = st.AlphaValues.get(ext, netuid)
    commit_reveal = bool(st.CommitRevealWeightsEnabled.get(ext, netuid))
    alpha_stake, tao_stake = _inherited_stakes(ext, netuid, hotkeys)
    inputs = EpochInputs(
        n=n,
        block=block,
        tempo=st.Tempo.get(ext, netuid),
        activity_cutoff=activity_cutoff_blocks(ext, netuid),
        last_update=tuple(st.LastUpdate.get(ext, index)),
        block_at_registration=_block_at_registration(ext, netuid, hotkeys),
        alpha_stake=alpha_stake,
        tao_stake=tao_stake,
        tao_weight=st.TaoWeight.get(ext),
        stake_threshold=st.StakeThreshold.get(ext),
        validator_permit=tuple(st.ValidatorPermit.get(ext, netuid)),
        max_allowed_validators=st.MaxAllowedValidators.get(ext, netuid),
        kappa=st.Kappa.get(ext, netuid),
        bonds_penalty=st.BondsPenalty.get(ext, netuid),
        bonds_moving_average=st.BondsMovingAverage.get(ext, netuid),
        yuma3_enabled=bool(st.Yuma3On.get(ext, netuid)),
        liquid_alpha_enabled=bool(st.LiquidAlphaOn.get(ext, netuid)),
        alpha_low=alpha_low,
        alpha_high=alpha_high,
        alpha_sigmoid_steepness=st.AlphaSigmoidSteepness.get(ext, netuid),
        last_mechanism_step_block=st.LastMechansimStepBlock.get(ext, netuid),
        owner_uid=_owner_uid(ext, netuid),
        weights=_sparse_rows(ext, st.Weights, index, n),
        bonds=_sparse_rows(ext, st.Bonds, index, n),
        rao_emission=rao_emission,
        commit_reveal_enabled=commit_reveal,
        commit_blocks=(_commit_blocks(ext, netuid, index, n, uid_of, block) if commit_reveal else ()),
    )
    return inputs, uid_of


# -- terms -----------------------------------------------------------------------------------------------------


@dataclass
class EpochTerms:
    """One hotkey's epoch results (the reference's ``EpochTerms``)."""

    uid: int
    dividend: int = 0
    incentive: int = 0
    validator_emission: int = 0
    server_emission: int = 0
    stake_weight: int = 0
    active: bool = False
    emission: int = 0
    consensus: int = 0
    validator_trust: int = 0
    new_validator_permit: bool = False
    bond_scale: bytes = b"\x00"
    """The new ``Bonds`` row as its SCALE ``Vec<(u16, u16)>`` (written as is; empty by default)."""
    stake: int = 0


def _at(values: tuple, uid: int, default: object) -> object:
    return values[uid] if uid < len(values) else default


class _BondRowEncoder:
    """SCALE ``Vec<(u16, u16)>`` of each output bonds row, sliced from one interleaved u16 buffer (encoding
    64 rows of 256 pairs through the generic codec was a third of writing an epoch's outputs)."""

    def __init__(self, bonds: SparseRows) -> None:
        self.bonds = bonds
        self.pairs: bytes | None = None
        if isinstance(bonds, U16Rows) and bonds.indices.size:
            lo = min(int(bonds.indices.min()), int(bonds.values.min()))
            hi = max(int(bonds.indices.max()), int(bonds.values.max()))
            if 0 <= lo and hi <= U16_MAX:  # otherwise the codec raises as before
                interleaved = np.empty(2 * bonds.indices.size, dtype="<u2")
                interleaved[0::2] = bonds.indices
                interleaved[1::2] = bonds.values
                self.pairs = interleaved.tobytes()
                self.ptr: list[int] = bonds.indptr.tolist()

    def row(self, uid: int) -> bytes:
        if uid >= len(self.bonds):
            return b"\x00"
        if self.pairs is None:
            return st.Bonds.value.encode(list(self.bonds[uid]))  # type: ignore[no-any-return]
        start, end = self.ptr[uid], self.ptr[uid + 1]
        out = bytearray()
        encode_compact(end - start, out)
        out += self.pairs[4 * start: 4 * end]
        return bytes(out)


def terms_from_outputs(uid_of: dict[bytes, int], out: EpochOutputs) -> dict[bytes, EpochTerms]:
    terms = {}
    bonds = _BondRowEncoder(out.bonds)
    columns = (out.dividends, out.incentive, out.validator_emission, out.server_emission, out.stake_weight,
               out.active, out.emission, out.consensus, out.validator_trust, out.validator_permit, out.stake)
    defaults = (0, 0, 0, 0, 0, False, 0, 0, 0, False, 0)
    # one row of every output per uid (a uid beyond the outputs, e.g. a key at or above n, gets defaults)
    if len({len(column) for column in columns}) == 1:
        rows = list(zip(*columns))
    else:  # outputs of different lengths: each column on its own
        rows = [tuple(_at(c, uid, d) for c, d in zip(columns, defaults)) for uid in range(max(map(len, columns)))]
    for hotkey, uid in uid_of.items():
        (dividend, incentive, validator_emission, server_emission, stake_weight, active, emission, consensus,
         validator_trust, permit, stake) = rows[uid] if uid < len(rows) else defaults
        terms[hotkey] = EpochTerms(
            uid=uid, dividend=dividend, incentive=incentive, validator_emission=validator_emission,
            server_emission=server_emission, stake_weight=stake_weight, active=active, emission=emission,
            consensus=consensus, validator_trust=validator_trust, new_validator_permit=permit,
            bond_scale=bonds.row(uid), stake=stake)
    return terms


def epoch_mechanism(ext: Externalities, netuid: int, mecid: int, rao_emission: int, block: int
                    ) -> dict[bytes, EpochTerms]:
    inputs, uid_of = _epoch_inputs(ext, netuid, mecid, rao_emission, block)
    return terms_from_outputs(uid_of, epoch(inputs))


def _sorted(terms: dict[bytes, EpochTerms]) -> list[EpochTerms]:
    return sorted(terms.values(), key=lambda t: t.uid)


def persist_mechanism_epoch_terms(ext: Externalities, netuid: int, mecid: int, terms: dict[bytes, EpochTerms]
                                  ) -> None:
    """``Incentive[index]`` and ``Bonds[index][k]`` — ``k`` is the position in uid order, as the reference."""
    index = storage_index(netuid, mecid)
    ordered = _sorted(terms)
    _put_vec(ext, st.Incentive, index, [t.incentive for t in ordered], "H")
    prefix = st.Bonds.key(index)
    for position, t in enumerate(ordered):
        # Identity-hashed u16 keys: the row key is the index prefix plus the position's two bytes
        key = prefix + position.to_bytes(2, "little") if position <= U16_MAX else st.Bonds.key(index, position)
        ext.set(key, t.bond_scale)


def _put_vec(ext: Externalities, item: StorageEntry, key_part: int, values: list, fmt: str) -> None:
    """``item.put(ext, key_part, values)`` for a ``Vec`` of fixed-width little-endian ints or bools, packed
    in one ``struct`` call (the same bytes; anything ``struct`` rejects goes through the codec, which
    raises as before)."""
    out = bytearray()
    encode_compact(len(values), out)
    try:
        out += struct.pack(f"<{len(values)}{fmt}", *values)
    except struct.error:
        item.put(ext, key_part, values)
        return
    ext.set(item.key(key_part), bytes(out))


def persist_netuid_epoch_terms(ext: Externalities, netuid: int, terms: dict[bytes, EpochTerms]) -> None:
    ordered = _sorted(terms)
    _put_vec(ext, st.Active, netuid, [t.active for t in ordered], "?")
    _put_vec(ext, st.Emission, netuid, [t.emission for t in ordered], "Q")
    _put_vec(ext, st.Consensus, netuid, [t.consensus for t in ordered], "H")
    _put_vec(ext, st.Dividends, netuid, [t.dividend for t in ordered], "H")
    _put_vec(ext, st.ValidatorTrust, netuid, [t.validator_trust for t in ordered], "H")
    _put_vec(ext, st.ValidatorPermit, netuid, [t.new_validator_permit for t in ordered], "?")
    _put_vec(ext, st.StakeWeight, netuid, [t.stake_weight for t in ordered], "H")


# -- mechanisms ------------------------------------------------------------------------------------------------


def split_emissions(ext: Externalities, netuid: int, alpha: int) -> list[int]:
    """Per-mechanism emission: ``MechanismEmissionSplit`` shares of ``u16::MAX`` (or an even split), the
    truncation remainder to mechanism 0."""
    count = st.MechanismCountCurrent.get(ext, netuid)
    split = st.MechanismEmissionSplit.try_get(ext, netuid)
    if split is not None:
        result = [alpha * s // U16_MAX for s in split]
    else:
        result = [alpha // count if count else 0] * count
    result = (result + [0] * count)[:count]
    if result:
        result[0] = min(result[0] + max(alpha - sum(result), 0), U64_MAX)
    return result


def _weighted_acc(existing: int, added: int, weight_bits: int, cap: int) -> int:
    """``U64F64(existing) + U64F64(added) × weight``, floored and saturated to ``cap``."""
    if weight_bits == 1 << 64:  # one mechanism: the weight is exactly 1 (caps are at most u64::MAX)
        return min(existing + added, cap)
    product = min((added << 64) * weight_bits >> 64, (1 << 128) - 1)
    return min(((existing << 64) + product) >> 64, cap)


def run_epoch(ctx: Context, netuid: int, rao_emission: int) -> list[tuple[bytes, int, int]]:
    """``epoch_with_mechanisms``: run every mechanism's epoch on its share of ``rao_emission``, persist the
    per-mechanism and the aggregated per-netuid terms, and return ``(hotkey, server, validator)`` emissions
    in hotkey order."""
    ext, block = ctx, ctx.block_number
    aggregated: dict[bytes, EpochTerms] = {}
    for mecid, sub_emission in enumerate(split_emissions(ext, netuid, rao_emission)):
        terms = epoch_mechanism(ext, netuid, mecid, sub_emission, block)
        persist_mechanism_epoch_terms(ext, netuid, mecid, terms)
        if rao_emission:
            weight = min((sub_emission << 64) // rao_emission, (1 << 128) - 1)
        else:
            weight = (1 << 64) if mecid == 0 else 0
        for hotkey, t in terms.items():
            acc = aggregated.get(hotkey)
            if acc is None:
                aggregated[hotkey] = EpochTerms(
                    uid=t.uid,
                    dividend=_weighted_acc(0, t.dividend, weight, U16_MAX),
                    incentive=_weighted_acc(0, t.incentive, weight, U16_MAX),
                    validator_emission=t.validator_emission, server_emission=t.server_emission,
                    stake_weight=_weighted_acc(0, t.stake_weight, weight, U16_MAX),
                    active=t.active,
                    emission=_weighted_acc(0, t.emission, weight, U64_MAX),
                    consensus=_weighted_acc(0, t.consensus, weight, U16_MAX),
                    validator_trust=_weighted_acc(0, t.validator_trust, weight, U16_MAX),
                    new_validator_permit=t.new_validator_permit, stake=t.stake)
                continue
            acc.validator_emission = min(acc.validator_emission + t.validator_emission, U64_MAX)
            acc.server_emission = min(acc.server_emission + t.server_emission, U64_MAX)
            acc.dividend = _weighted_acc(acc.dividend, t.dividend, weight, U16_MAX)
            acc.stake_weight = _weighted_acc(acc.stake_weight, t.stake_weight, weight, U16_MAX)
            acc.active = acc.active or t.active
            acc.emission = _weighted_acc(acc.emission, t.emission, weight, U64_MAX)
            acc.consensus = _weighted_acc(acc.consensus, t.consensus, weight, U16_MAX)
            acc.validator_trust = _weighted_acc(acc.validator_trust, t.validator_trust, weight, U16_MAX)
            acc.new_validator_permit = acc.new_validator_permit or t.new_validator_permit
            acc.stake = min(acc.stake + t.stake, U64_MAX)
    persist_netuid_epoch_terms(ext, netuid, aggregated)
    ordered = sorted(aggregated.items())
    voting_power.update_voting_power_for_subnet(
        ctx, netuid, [(hotkey, t.new_validator_permit, t.stake) for hotkey, t in ordered])
    return [(hotkey, t.server_emission, t.validator_emission) for hotkey, t in ordered]
