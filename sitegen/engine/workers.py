"""Share work among the processor's cores: worker processes forked with what they work with."""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator
from typing import Any

PARALLEL_FROM = 48  # fewer items than this are done faster in this process than the workers start

# In a worker process only: what it works with, given by the pool's initializer when it starts.
_work: Callable[[Any], Any] | None = None


def _start(work: Callable[[Any], Any]) -> None:
    global _work
    _work = work


def _do(chunk: list[Any]) -> list[Any]:
    assert _work is not None
    return [_work(item) for item in chunk]


def run(
    work: Callable[[Any], Any], items: list[Any], jobs: int, parallel_from: int = PARALLEL_FROM
) -> list[Any]:
    """Return ``[work(item) for item in items]``, done by up to *jobs* processes.

    *work* and what it holds (the site, the renderers) reach the workers by fork, not by
    pickling; the items and results are plain data, sent between processes. Below
    *parallel_from* items (fewer for items that take long each), this process does them.
    """
    # Forking is only safe while this process runs no other thread (the preview server does).
    if jobs < 2 or len(items) < parallel_from or threading.active_count() > 1 or not _can_fork():
        return [work(item) for item in items]
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_start, initargs=(work,)) as pool:
        chunks = pool.map(_do, list(_chunks(items, jobs * 4)))
    return [result for chunk in chunks for result in chunk]


def _chunks(items: list[Any], count: int) -> Iterator[list[Any]]:
    size = max(1, -(-len(items) // count))
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
