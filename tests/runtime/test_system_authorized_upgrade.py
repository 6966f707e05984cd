"""System's authorized-upgrade calls: root authorizes a code hash (with or without version checks); anyone
may then supply the code. This native runtime cannot switch code: an authorization with checks is
rejected fee-free with an event (the version cannot be read from the code), one without checks fails as
``set_code_without_checks`` does and stays in place."""

from __future__ import annotations

from typing import Any

import pytest

from runtime.node_runtime import node_runtime
from runtime.pallets.system import pallet as system
from runtime.pallets.system import storage
from runtime.primitives.hashing import blake2_256
from runtime.support.context import Context
from runtime.support.dispatch import Origin, Pays
from tests.runtime.pallet_checks import dispatch, dispatch_error, events, module_error, new_ctx

RUNTIME = node_runtime()
CODE = b"\x00asm" + bytes(64)
ALICE = bytes([1]) * 32


@pytest.fixture
def ctx() -> Context:
    return new_ctx(RUNTIME, number=3)


def call(ctx: Context, origin: Origin, name: str, **args: Any) -> Any:
    return dispatch(ctx, origin, ("System", (name, args)))


def error(ctx: Context, origin: Origin, name: str, **args: Any) -> Any:
    return dispatch_error(ctx, origin, ("System", (name, args)))


def err(name: str) -> Any:
    return module_error(RUNTIME, "System", system.errors._index[name])


def test_authorize_then_apply_with_checks_is_rejected_fee_free(ctx: Context) -> None:
    code_hash = blake2_256(CODE)
    assert error(ctx, Origin.signed(ALICE), "authorize_upgrade", code_hash=code_hash) == "BadOrigin"
    assert error(ctx, Origin.signed(ALICE), "apply_authorized_upgrade", code=CODE) == err("NothingAuthorized")
    call(ctx, Origin.root(), "authorize_upgrade", code_hash=code_hash)
    assert storage.AuthorizedUpgrade.get(ctx) == {"code_hash": code_hash, "check_version": True}
    assert ("System", ("UpgradeAuthorized", {"code_hash": code_hash, "check_version": True})) in events(ctx)
    assert error(ctx, Origin.signed(ALICE), "apply_authorized_upgrade", code=CODE + b"x") == err("Unauthorized")
    post = call(ctx, Origin.signed(ALICE), "apply_authorized_upgrade", code=CODE)
    assert post.pays_fee is Pays.No and not storage.AuthorizedUpgrade.exists(ctx)
    assert events(ctx)[-1] == ("System", ("RejectedInvalidAuthorizedUpgrade", {
        "code_hash": code_hash, "error": err("FailedToExtractRuntimeVersion")}))


def test_without_checks_fails_like_set_code_without_checks(ctx: Context) -> None:
    code_hash = blake2_256(CODE)
    call(ctx, Origin.root(), "authorize_upgrade_without_checks", code_hash=code_hash)
    assert storage.AuthorizedUpgrade.get(ctx)["check_version"] is False
    assert error(ctx, Origin.signed(ALICE), "apply_authorized_upgrade", code=CODE) == err(
        "FailedToExtractRuntimeVersion")
    assert storage.AuthorizedUpgrade.exists(ctx)  # the failed call changed nothing
