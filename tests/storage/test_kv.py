"""Conformance suite for KeyValueStore backends.

Every test in :class:`TestKVStoreConformance` runs against both :class:`MemoryKV` and
:class:`LevelDBKV`, so the two backends are held to one contract (ordering, prefix/start
semantics, batch atomicity, snapshot iteration).  LevelDB-only behaviour (persistence across
reopen, open failures) is tested separately below.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.errors import StorageError, StoreClosed
from storage.kv import KeyValueStore, MemoryKV, WriteBatch, prefix_upper_bound
from storage.leveldb import LevelDBKV

Factory = Callable[[], KeyValueStore]


@pytest.fixture(params=["memory", "leveldb"])
def make_kv(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Factory]:
    """A factory of fresh stores of the parametrized backend (closed at teardown)."""
    opened: list[KeyValueStore] = []
    counter = iter(range(1_000_000))

    def factory() -> KeyValueStore:
        kv: KeyValueStore
        if request.param == "memory":
            kv = MemoryKV()
        else:
            kv = LevelDBKV(tmp_path / f"db{next(counter)}", sync=False)
        opened.append(kv)
        return kv

    yield factory
    for kv in opened:
        kv.close()


@pytest.fixture
def kv(make_kv: Factory) -> KeyValueStore:
    return make_kv()


def test_prefix_upper_bound() -> None:
    assert prefix_upper_bound(b"") is None
    assert prefix_upper_bound(b"\xff\xff") is None
    assert prefix_upper_bound(b"a") == b"b"
    assert prefix_upper_bound(b"a\xff") == b"b"
    assert prefix_upper_bound(b"a\x00") == b"a\x01"


class TestKVStoreConformance:
    def test_satisfies_protocol(self, kv: KeyValueStore) -> None:
        assert isinstance(kv, KeyValueStore)
        assert isinstance(kv.write_batch(), WriteBatch)

    def test_get_many(self, kv: KeyValueStore) -> None:
        kv.put(b"a", b"1")
        kv.put(b"c", b"")
        assert kv.get_many([b"a", b"b", b"c", b"a"]) == [b"1", None, b"", b"1"]
        assert kv.get_many([]) == []
        with pytest.raises(ValueError):
            kv.get_many([b"a", b""])

    def test_get_put_delete(self, kv: KeyValueStore) -> None:
        assert kv.get(b"k") is None
        kv.put(b"k", b"v1")
        assert kv.get(b"k") == b"v1"
        kv.put(b"k", b"v2")
        assert kv.get(b"k") == b"v2"
        kv.put(b"empty", b"")
        assert kv.get(b"empty") == b""
        kv.delete(b"k")
        assert kv.get(b"k") is None
        kv.delete(b"never-there")  # deleting a missing key is not an error
        assert list(kv.iterate()) == [(b"empty", b"")]

    def test_rejects_bad_keys_and_values(self, kv: KeyValueStore) -> None:
        with pytest.raises(ValueError):
            kv.put(b"", b"v")
        with pytest.raises(TypeError):
            kv.put("k", b"v")  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            kv.put(b"k", "v")  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            kv.write_batch().put(b"k", None)  # type: ignore[arg-type]

    def test_iterate_orders_and_filters_by_prefix(self, kv: KeyValueStore) -> None:
        keys = [b"b\x02", b"a", b"b", b"b\x00\xff", b"b\xff", b"c", b"b\x01", b"ab"]
        for i, key in enumerate(keys):
            kv.put(key, bytes([i]))
        everything = [k for k, _ in kv.iterate()]
        assert everything == sorted(keys)
        in_b = [b"b", b"b\x00\xff", b"b\x01", b"b\x02", b"b\xff"]
        assert [k for k, _ in kv.iterate(b"b")] == in_b
        assert [k for k, _ in kv.iterate(b"a")] == [b"a", b"ab"]
        assert list(kv.iterate(b"zz")) == []
        assert dict(kv.iterate(b"c")) == {b"c": bytes([keys.index(b"c")])}

    def test_iterate_start(self, kv: KeyValueStore) -> None:
        for key in (b"p1", b"p3", b"p5", b"q0", b"o9"):
            kv.put(key, key)
        assert [k for k, _ in kv.iterate(b"p", start=b"p3")] == [b"p3", b"p5"]
        assert [k for k, _ in kv.iterate(b"p", start=b"p2")] == [b"p3", b"p5"]
        # start below the prefix is clamped to it; start past the prefix yields nothing
        assert [k for k, _ in kv.iterate(b"p", start=b"a")] == [b"p1", b"p3", b"p5"]
        assert list(kv.iterate(b"p", start=b"p6")) == []
        assert list(kv.iterate(b"p", start=b"q")) == []
        assert [k for k, _ in kv.iterate(start=b"p4")] == [b"p5", b"q0"]

    def test_iterate_all_ff_prefix(self, kv: KeyValueStore) -> None:
        kv.put(b"\xff", b"1")
        kv.put(b"\xff\xff\x00", b"2")
        kv.put(b"\xfe", b"3")
        assert [k for k, _ in kv.iterate(b"\xff\xff")] == [b"\xff\xff\x00"]
        assert [k for k, _ in kv.iterate(b"\xff")] == [b"\xff", b"\xff\xff\x00"]

    def test_iterate_is_a_snapshot(self, kv: KeyValueStore) -> None:
        for i in range(5):
            kv.put(b"k" + bytes([i]), b"v")
        seen = []
        for key, _ in kv.iterate(b"k"):
            seen.append(key)
            kv.delete(key)
            kv.put(b"k\x10" + key, b"new")
        assert seen == [b"k" + bytes([i]) for i in range(5)]
        assert len(list(kv.iterate(b"k"))) == 5

    def test_batch_commit_applies_everything(self, kv: KeyValueStore) -> None:
        kv.put(b"old", b"x")
        batch = kv.write_batch()
        batch.put(b"a", b"1")
        batch.put(b"b", b"2")
        batch.delete(b"old")
        assert kv.get(b"a") is None and kv.get(b"old") == b"x"  # not visible before commit
        batch.commit()
        assert dict(kv.iterate()) == {b"a": b"1", b"b": b"2"}

    def test_batch_last_operation_wins(self, kv: KeyValueStore) -> None:
        kv.put(b"x", b"0")
        with kv.write_batch() as batch:
            batch.put(b"a", b"1")
            batch.delete(b"a")
            batch.delete(b"x")
            batch.put(b"x", b"2")
            batch.put(b"y", b"1")
            batch.put(b"y", b"3")
        assert dict(kv.iterate()) == {b"x": b"2", b"y": b"3"}

    def test_batch_context_commits_on_clean_exit(self, kv: KeyValueStore) -> None:
        with kv.write_batch() as batch:
            batch.put(b"k", b"v")
        assert kv.get(b"k") == b"v"
        with pytest.raises(StoreClosed):
            batch.put(b"k2", b"v")

    def test_batch_exception_writes_nothing(self, kv: KeyValueStore) -> None:
        kv.put(b"keep", b"1")
        with pytest.raises(RuntimeError):
            with kv.write_batch() as batch:
                batch.put(b"a", b"1")
                batch.delete(b"keep")
                raise RuntimeError("import failed half-way")
        assert dict(kv.iterate()) == {b"keep": b"1"}
        with pytest.raises(StoreClosed):
            batch.commit()

    def test_batch_explicit_commit_inside_context(self, kv: KeyValueStore) -> None:
        with kv.write_batch() as batch:
            batch.put(b"a", b"1")
            batch.commit()
        assert kv.get(b"a") == b"1"
        with pytest.raises(StoreClosed):
            batch.commit()

    def test_discarded_batch_writes_nothing(self, kv: KeyValueStore) -> None:
        batch = kv.write_batch()
        batch.put(b"a", b"1")
        batch.discard()
        batch.discard()  # idempotent
        assert kv.get(b"a") is None
        with pytest.raises(StoreClosed):
            batch.put(b"b", b"1")

    def test_closed_store_raises(self, kv: KeyValueStore) -> None:
        kv.put(b"a", b"1")
        pending = kv.write_batch()
        pending.put(b"b", b"1")
        kv.close()
        kv.close()  # idempotent
        with pytest.raises(StoreClosed):
            pending.commit()
        pending.discard()  # still allowed: nothing to undo
        with pytest.raises(StoreClosed):
            kv.get(b"a")
        with pytest.raises(StoreClosed):
            kv.put(b"a", b"2")
        with pytest.raises(StoreClosed):
            kv.write_batch()

    def test_stores_are_independent(self, make_kv: Factory) -> None:
        one, two = make_kv(), make_kv()
        one.put(b"k", b"1")
        assert two.get(b"k") is None


_ops = st.lists(
    st.tuples(
        st.sampled_from(["put", "delete", "batch"]),
        st.binary(min_size=1, max_size=3),
        st.binary(max_size=3),
    ),
    max_size=40,
)


@pytest.mark.parametrize("backend", ["memory", "leveldb"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=_ops, prefix=st.binary(max_size=2), start=st.none() | st.binary(max_size=3))
def test_matches_dict_model(
    backend: str, ops: list[tuple[str, bytes, bytes]], prefix: bytes, start: bytes | None
) -> None:
    """Random writes (direct and batched) leave the store equal to a plain dict."""
    tmp = tempfile.mkdtemp()
    kv: KeyValueStore = MemoryKV() if backend == "memory" else LevelDBKV(tmp, sync=False)
    try:
        model: dict[bytes, bytes] = {}
        batch = kv.write_batch()
        pending: dict[bytes, bytes | None] = {}
        for op, key, value in ops:
            if op == "put":
                kv.put(key, value)
                model[key] = value
            elif op == "delete":
                kv.delete(key)
                model.pop(key, None)
            else:
                # Alternate batched puts and deletes based on the value's parity.
                if len(value) % 2:
                    batch.delete(key)
                    pending[key] = None
                else:
                    batch.put(key, value)
                    pending[key] = value
        batch.commit()
        for key, pval in pending.items():
            if pval is None:
                model.pop(key, None)
            else:
                model[key] = pval
        assert dict(kv.iterate()) == model
        low = prefix if start is None or start < prefix else start
        expected = sorted((k, v) for k, v in model.items() if k.startswith(prefix) and k >= low)
        assert list(kv.iterate(prefix, start)) == expected
    finally:
        kv.close()
        shutil.rmtree(tmp, ignore_errors=True)


class TestLevelDBSpecific:
    def test_reopen_persists(self, tmp_path: Path) -> None:
        path = tmp_path / "db"
        kv = LevelDBKV(path)
        kv.put(b"a", b"1")
        with kv.write_batch() as batch:
            batch.put(b"b", b"2")
            batch.put(b"c", b"3")
        kv.close()
        with LevelDBKV(path, create_if_missing=False) as reopened:
            assert dict(reopened.iterate()) == {b"a": b"1", b"b": b"2", b"c": b"3"}

    def test_missing_without_create_raises(self, tmp_path: Path) -> None:
        with pytest.raises(StorageError):
            LevelDBKV(tmp_path / "absent", create_if_missing=False)

    def test_second_open_is_refused(self, tmp_path: Path) -> None:
        with LevelDBKV(tmp_path / "db"):
            with pytest.raises(StorageError):
                LevelDBKV(tmp_path / "db")

    def test_sync_setting(self, tmp_path: Path) -> None:
        with LevelDBKV(tmp_path / "db", sync=False) as kv:
            assert kv.sync is False
            with kv.write_batch(sync=True) as batch:  # per-batch override
                batch.put(b"k", b"v")
            assert kv.get(b"k") == b"v"
