"""Requests that arrive together are run together, and each waiting thread gets its own answer."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest

from dashboard.data.request_batches import Batcher


def test_concurrent_items_are_batched_and_each_gets_its_answer() -> None:
    batches: list[int] = []

    def run(items: Sequence[int]) -> list[int]:
        batches.append(len(items))
        time.sleep(0.05)  # while one batch runs, the others queue up
        return [item * 10 for item in items]

    batcher: Batcher[int, int] = Batcher(run, name="test-batches")
    answers: dict[int, int] = {}

    def ask(item: int) -> None:
        answers[item] = batcher.submit(item)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == {n: n * 10 for n in range(40)}
    assert sum(batches) == 40 and len(batches) < 40


def test_a_failing_batch_fails_each_waiting_item_and_the_next_batch_runs() -> None:
    def run(items: Sequence[str]) -> list[str]:
        if "bad" in items:
            raise RuntimeError("store away")
        return list(items)

    batcher: Batcher[str, str] = Batcher(run, name="test-failing")
    with pytest.raises(RuntimeError, match="store away"):
        batcher.submit("bad")
    assert batcher.submit("good") == "good"
