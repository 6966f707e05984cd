"""Allocator tuning for the node process: let glibc keep freed memory instead of returning it at once.

The epoch and block execution allocate and free large numpy temporaries (megabytes at 4096 uids); with glibc's
defaults each one is mapped fresh and page-faulted in again, which measurably slows the epoch (see the epoch
section of ``bench/README.md``: 4096/256 Yuma3 with fixed alpha, 59–72 ms by default, 42 ms with these settings).
This only changes how memory is recycled, never a computed value, so it has no bearing on determinism.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD = -1, -2, -3
SETTINGS = ((M_TRIM_THRESHOLD, 256 << 20), (M_TOP_PAD, 64 << 20), (M_MMAP_THRESHOLD, 32 << 20))


def keep_freed_memory() -> bool:
    """Apply :data:`SETTINGS` with glibc's ``mallopt``; False where there is no glibc (nothing changes)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name)
    if not hasattr(libc, "mallopt"):
        return False
    return all(libc.mallopt(option, value) == 1 for option, value in SETTINGS)
