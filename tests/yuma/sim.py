"""A minimal stand-in for the reference tests' mock runtime: just the storage the epoch reads and
writes, with ``set_weights`` max-upscaling and ``epoch`` persisting like the reference's
``epoch()`` (permits, bonds and the per-uid outputs; ``LastMechansimStepBlock`` untouched)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from runtime.yuma import EpochInputs, EpochOutputs, epoch
from runtime.yuma.math import vec_u16_max_upscale_to_u16


@dataclass
class SimSubnet:
    tempo: int
    kappa: int = 32767
    bonds_penalty: int = 65535
    bonds_moving_average: int = 900_000
    max_allowed_validators: int = 100
    yuma3: bool = False
    liquid_alpha: bool = False
    alpha_values: tuple[int, int] = (45875, 58982)
    steepness: int = 1000
    cutoff_factor_milli: int = 13_889
    stake_threshold: int = 0
    block: int = 0
    stake: list[int] = field(default_factory=list)
    last_update: list[int] = field(default_factory=list)
    registered: list[int] = field(default_factory=list)
    permits: list[bool] = field(default_factory=list)
    weights: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    bonds: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    out: EpochOutputs | None = None

    @property
    def n(self) -> int:
        return len(self.stake)

    def register(self, stake: int) -> int:
        self.stake.append(stake)
        self.last_update.append(self.block)
        self.registered.append(self.block)
        self.permits.append(False)
        return self.n - 1

    def replace_uid(self, uid: int, stake: int) -> None:
        """A new key takes ``uid``: stake reset, registration block now, its bonds/weights cleared."""
        self.stake[uid] = stake
        self.registered[uid] = self.block
        self.last_update[uid] = self.block
        self.weights.pop(uid, None)
        self.bonds.pop(uid, None)

    def set_weights(self, uid: int, uids: list[int], values: list[int]) -> None:
        up = vec_u16_max_upscale_to_u16(values).tolist()
        self.weights[uid] = list(zip(uids, up))
        self.last_update[uid] = self.block

    def inputs(self, rao: int = 1_000_000_000) -> EpochInputs:
        n = self.n
        return EpochInputs(
            n=n,
            block=self.block,
            tempo=self.tempo,
            activity_cutoff=max(self.cutoff_factor_milli * self.tempo // 1000, 1),
            last_update=tuple(self.last_update),
            block_at_registration=tuple(self.registered),
            alpha_stake=tuple(self.stake),
            tao_stake=(0,) * n,
            tao_weight=0,
            stake_threshold=self.stake_threshold,
            validator_permit=tuple(self.permits),
            max_allowed_validators=self.max_allowed_validators,
            kappa=self.kappa,
            bonds_penalty=self.bonds_penalty,
            bonds_moving_average=self.bonds_moving_average,
            yuma3_enabled=self.yuma3,
            liquid_alpha_enabled=self.liquid_alpha,
            alpha_low=self.alpha_values[0],
            alpha_high=self.alpha_values[1],
            alpha_sigmoid_steepness=self.steepness,
            last_mechanism_step_block=0,
            owner_uid=None,
            weights=tuple(tuple(self.weights.get(i, ())) for i in range(n)),
            bonds=tuple(tuple(self.bonds.get(i, ())) for i in range(n)),
            rao_emission=rao,
        )

    def epoch(self, rao: int = 1_000_000_000) -> EpochOutputs:
        out = epoch(self.inputs(rao))
        self.permits = list(out.validator_permit)
        self.bonds = {i: list(row) for i, row in enumerate(out.bonds)}
        self.out = out
        return out

    def bond(self, i: int, j: int) -> int:
        return dict(self.bonds.get(i, [])).get(j, 0)
