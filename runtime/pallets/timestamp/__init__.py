"""pallet_timestamp: the block's wall-clock time, set once per block by an unsigned inherent.

The block author puts ``Timestamp.set(now)`` (milliseconds since the Unix epoch) into every block. The
call takes the ``None`` origin, is ``Mandatory``, may run once per block (``DidUpdate``) and must move time
forward by at least ``MinimumPeriod``. ``on_finalize`` insists the inherent was applied: a block without
it is invalid.

Violations are not dispatch errors: FRAME panics, which makes the whole block invalid. Here they raise
:class:`TimestampPanic`, which no dispatch path catches.

After storing the time the pallet calls Aura's ``on_timestamp_set`` (node-subtensor's ``OnTimestampSet``),
which checks the time agrees with the slot of the block.

Configuration: ``MinimumPeriod`` is half the slot duration — 125 ms on the fast (localnet) runtime,
6000 ms on the normal one. :func:`configure` picks between them (the chain spec decides); fast is the
default, as on the recorded localnet.
"""

from __future__ import annotations

from typing import Annotated, Any

from runtime.scale import U64, Bool, CompactU64
from runtime.support.context import Context
from runtime.support.dispatch import DB_READ, DB_WRITE, DispatchClass, Origin, Weight, ensure_none
from runtime.support.externalities import Externalities
from runtime.support.pallet import ConstantDef, Pallet, PalletCalls
from runtime.support.storage import PalletStorage

CRATE = "pallet_timestamp"

FAST_MINIMUM_PERIOD = 125  # ms; slots of 250 ms (node-subtensor's fast-runtime feature)
NORMAL_MINIMUM_PERIOD = 6_000  # ms; slots of 12 s

_CONFIG = {"minimum_period": FAST_MINIMUM_PERIOD}

#: The inherent data identifier the block author's timestamp is filed under.
INHERENT_IDENTIFIER = b"timstap0"
#: How far ahead of the local clock an imported block's timestamp may be (sp_timestamp's 30 s).
MAX_TIMESTAMP_DRIFT_MILLIS = 30_000

SET_WEIGHT = Weight(8_684_000 + 2 * DB_READ + DB_WRITE, 1_493)  # SubstrateWeight::set
ON_FINALIZE_WEIGHT = Weight(4_118_000, 0)  # SubstrateWeight::on_finalize, charged in on_initialize


def configure(*, fast: bool = True) -> None:
    """Choose the fast (125 ms) or normal (6 s) minimum period; Aura's slot duration follows."""
    _CONFIG["minimum_period"] = FAST_MINIMUM_PERIOD if fast else NORMAL_MINIMUM_PERIOD


def minimum_period() -> int:
    """The configured ``MinimumPeriod`` in milliseconds."""
    return _CONFIG["minimum_period"]


class TimestampPanic(Exception):
    """A broken timestamp rule: FRAME panics here, so the block being built or imported is invalid."""


class InherentError(Exception):
    """``sp_timestamp::InherentError``: why a block's timestamp inherent is unacceptable.

    ``kind`` is ``"TooEarly"`` (before the previous time plus ``MinimumPeriod``), ``"TooFarInFuture"``
    (more than :data:`MAX_TIMESTAMP_DRIFT_MILLIS` ahead of our clock) or ``"Other"``. Both named kinds
    are fatal for the block (the client may retry a ``TooFarInFuture`` block later).
    """

    def __init__(self, kind: str, message: str = "") -> None:
        super().__init__(message or kind)
        self.kind = kind

    @property
    def is_fatal(self) -> bool:
        return True


# -- storage ----------------------------------------------------------------------------------------

storage = PalletStorage("Timestamp")
Now = storage.value("Now", U64, default=0, docs=[" The current time for the current block."])
DidUpdate = storage.value("DidUpdate", Bool, default=False, docs=[
    " Whether the timestamp has been updated in this block.",
    "",
    " This value is updated to `true` upon successful submission of a timestamp by a node.",
    " It is then checked at the end of each block execution in the `on_finalize` hook.",
])

# -- calls ------------------------------------------------------------------------------------------

calls = PalletCalls(CRATE)


@calls.call(0, weight=SET_WEIGHT, dispatch_class=DispatchClass.Mandatory)
def set(ctx: Context, origin: Origin, now: Annotated[int, CompactU64, "T::Moment"]) -> None:  # noqa: A001
    """Set the current time.

    This call should be invoked exactly once per block. It will panic at the finalization
    phase, if this call hasn't been invoked by that time.

    The timestamp should be greater than the previous one by the amount specified by
    [`Config::MinimumPeriod`].

    The dispatch origin for this call must be _None_.

    This dispatch class is _Mandatory_ to ensure it gets executed in the block. Be aware
    that changing the complexity of this call could result exhausting the resources in a
    block to execute any other calls.

    ## Complexity
    - `O(1)` (Note that implementations of `OnTimestampSet` must also be `O(1)`)
    - 1 storage read and 1 storage mutation (codec `O(1)` because of `DidUpdate::take` in
      `on_finalize`)
    - 1 event handler `on_timestamp_set`. Must be `O(1)`.
    """
    ensure_none(origin)
    if DidUpdate.exists(ctx):
        raise TimestampPanic("Timestamp must be updated only once in the block")
    previous = Now.get(ctx)
    if previous != 0 and now < previous + minimum_period():
        raise TimestampPanic("Timestamp must increment by at least <MinimumPeriod> between sequential blocks")
    Now.put(ctx, now)
    DidUpdate.put(ctx, True)
    _on_timestamp_set(ctx, now)


def _on_timestamp_set(ctx: Context, now: int) -> None:
    """node-subtensor's ``OnTimestampSet = Aura`` (only when Aura is part of the runtime)."""
    if "Aura" in ctx.runtime.by_name:
        from runtime.pallets import aura

        aura.on_timestamp_set(ctx, now)


# -- hooks ------------------------------------------------------------------------------------------


def on_initialize(ctx: Context, number: int) -> Weight:
    # The finalize check costs something; FRAME books it up front.
    return ON_FINALIZE_WEIGHT


def on_finalize(ctx: Context, number: int) -> None:
    if not DidUpdate.take(ctx):
        raise TimestampPanic("Timestamp must be updated once in the block")


# -- inherent ---------------------------------------------------------------------------------------


def is_inherent(call: Any) -> bool:
    pallet, (name, _) = call
    return bool(pallet == "Timestamp" and name == "set")


def create_inherent(now: int, ext: Externalities | None = None) -> Any:
    """The ``Timestamp.set`` call for a block authored at ``now`` (ms).

    Given the parent state, the time is raised to at least the previous time plus ``MinimumPeriod``,
    as FRAME's ``ProvideInherent::create_inherent`` does.
    """
    if ext is not None:
        now = max(now, Now.get(ext) + minimum_period())
    return ("Timestamp", ("set", {"now": now}))


def check_inherent(ext: Externalities, call: Any, local_now: int) -> None:
    """Check an imported block's timestamp inherent against our clock (``local_now``, ms).

    ``ext`` is the parent state. Raises :class:`InherentError`; calls other than ``set`` pass.
    """
    if not is_inherent(call):
        return
    t = call[1][1]["now"]
    if t > local_now + MAX_TIMESTAMP_DRIFT_MILLIS:
        raise InherentError("TooFarInFuture", f"timestamp {t} is too far ahead of {local_now}")
    if t < Now.get(ext) + minimum_period():
        raise InherentError("TooEarly", f"timestamp {t} is before the minimum {Now.get(ext) + minimum_period()}")


def now(ext: Externalities) -> int:
    """The time stored for the current block (the parent's time before the inherent runs)."""
    return Now.get(ext)  # type: ignore[no-any-return]


PALLET = Pallet(
    "Timestamp", storage=storage, calls=calls,
    constants=(ConstantDef("MinimumPeriod", U64, minimum_period, (
        " The minimum period between blocks.",
        "",
        " Be aware that this is different to the *expected* period that the block production",
        " apparatus provides. Your chosen consensus system will generally work with this to",
        " determine a sensible block time. For example, in the Aura pallet it will be double this",
        " period on default settings.",
    )),),
    on_initialize=on_initialize, on_finalize=on_finalize,
)

__all__ = [
    "DidUpdate", "FAST_MINIMUM_PERIOD", "INHERENT_IDENTIFIER", "InherentError", "MAX_TIMESTAMP_DRIFT_MILLIS",
    "NORMAL_MINIMUM_PERIOD", "Now", "PALLET", "TimestampPanic", "calls", "check_inherent", "configure",
    "create_inherent", "is_inherent", "minimum_period", "now",
]
