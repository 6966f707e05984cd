"""The node's allocator tuning applies on glibc (every ``mallopt`` call accepted) and is a no-op elsewhere."""

from __future__ import annotations

import platform

from subtensor.allocator import keep_freed_memory


def test_mallopt_settings_are_accepted_on_glibc() -> None:
    applied = keep_freed_memory()
    assert applied is (platform.libc_ver()[0] == "glibc")
