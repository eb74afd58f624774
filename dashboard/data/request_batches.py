"""POSTed requests that arrive together are made cases together: each request thread hands its request
to one writer thread and waits; the writer takes whatever has queued (up to `MAX_BATCH`) and runs it as
one intake, so the checks' fixed cost and the store's transaction are paid once per batch, not per case."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Final, Generic, TypeVar

#: Most requests made cases in one transaction.
MAX_BATCH: Final = 200
#: Longest a request thread waits for its answer.
ANSWER_TIMEOUT_S: Final = 60.0

Item = TypeVar("Item")
Answer = TypeVar("Answer")


class Batcher(Generic[Item, Answer]):
    """`run(items)` returns one answer per item, in order; `submit(item)` waits for the item's answer."""

    def __init__(self, run: Callable[[Sequence[Item]], Sequence[Answer]], *, name: str) -> None:
        self._run = run
        self._queue: queue.SimpleQueue[tuple[Item, Future[Answer]]] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._work, name=name, daemon=True)
        self._started = threading.Lock()

    def submit(self, item: Item) -> Answer:
        with self._started:
            if not self._thread.is_alive():
                self._thread.start()
        future: Future[Answer] = Future()
        self._queue.put((item, future))
        return future.result(timeout=ANSWER_TIMEOUT_S)

    def _work(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                answers = self._run([item for item, _ in batch])
            except BaseException as error:  # every waiting request meets it, none hangs
                for _, future in batch:
                    future.set_exception(error)
                continue
            for (_, future), answer in zip(batch, answers, strict=True):
                future.set_result(answer)
