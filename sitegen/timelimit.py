"""Stop a piece of work that runs too long, in whichever thread it runs.

Templates can come from a pull request, and a few lines of Jinja (two nested
loops over large ranges) can render for hours. Jinja runs as Python code, so a
watchdog thread can raise an exception in the rendering thread at its next
step: the page's render fails with TimeLimitExceeded, reported at its template
line, and the build goes on to report it. One watchdog per process (forked
workers start their own); the main thread, the preview's build thread and the
workers are all covered.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimitExceeded(Exception):
    """Raised in a thread whose work ran past its time limit."""


class _Watchdog:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.deadlines: dict[int, float] = {}  # thread id -> time.monotonic() deadline
        self.fired: set[int] = set()
        self.pid = os.getpid()
        self.wake = threading.Event()
        threading.Thread(target=self._watch, name="sitegen-time-limit", daemon=True).start()

    def _watch(self) -> None:
        while True:
            with self.lock:
                now = time.monotonic()
                due = [ident for ident, deadline in self.deadlines.items() if deadline <= now]
                for ident in due:
                    del self.deadlines[ident]
                    self.fired.add(ident)
                    _raise_in(ident, TimeLimitExceeded)
                soonest = min(self.deadlines.values(), default=now + 3600) - now
            self.wake.wait(max(0.01, min(soonest, 1.0)))
            self.wake.clear()

    @contextmanager
    def limit(self, seconds: float) -> Iterator[None]:
        ident = threading.get_ident()
        with self.lock:
            self.deadlines[ident] = time.monotonic() + seconds
        self.wake.set()
        try:
            yield
        finally:
            with self.lock:
                self.deadlines.pop(ident, None)
                if ident in self.fired:
                    self.fired.discard(ident)
                    _raise_in(ident, None)  # withdraw an exception not yet delivered


def _raise_in(ident: int, exception: type[BaseException] | None) -> None:
    """Have thread *ident* raise *exception* at its next step (None: withdraw a pending one)."""
    pending = ctypes.py_object(exception) if exception is not None else None  # None is NULL
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), pending)


_watchdog: _Watchdog | None = None
_start = threading.Lock()


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Run the block; if it takes longer than *seconds*, raise TimeLimitExceeded inside it."""
    global _watchdog
    with _start:
        if _watchdog is None or _watchdog.pid != os.getpid():  # a forked worker has no watchdog thread
            _watchdog = _Watchdog()
        watchdog = _watchdog
    with watchdog.limit(seconds):
        yield
