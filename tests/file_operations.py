"""Count, fail or slow down the file operations of sitegen/output.py, for the tests of writing site/.

`Operations` stands in for the `os` module inside sitegen.output only. Run as a
script, this builds like `python build.py` with each of those operations slowed
down, so that a test can kill the build at a random moment while it writes:

    SITEGEN_TEST_SLOW=0.01 [SITEGEN_TEST_NO_EXCHANGE=1] python -m tests.file_operations --root DIR

It prints "writing" when the first operation starts.
"""

from __future__ import annotations

import errno
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

# Every call of sitegen.output that changes, opens or lists something on disk.
OPERATIONS = frozenset(
    {"open", "write", "close", "link", "rename", "replace", "unlink", "mkdir", "rmdir", "utime", "scandir"}
)


class Operations:
    """The os module, with each file operation counted and optionally failed or slowed.

    Call number *k* (from 0; of the operations named in *only*, if given) fails
    when k is in *fail_at*: with an OSError of errno *error*, or by raising
    *error* when it is an exception class.
    """

    def __init__(
        self,
        fail_at: frozenset[int] = frozenset(),
        error: int | type[BaseException] = errno.EIO,
        delay: float = 0.0,
        only: frozenset[str] | None = None,
    ) -> None:
        self.calls: list[tuple[str, str]] = []
        self.fail_at = fail_at
        self.only = only
        self._counted = 0
        self.error = error
        self.delay = delay
        self.started = threading.Event()
        self.opened: set[int] = set()  # descriptors not closed yet
        self._lock = threading.Lock()

    def count(self, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        """Return *real* counted as the operation *name*."""

        def operation(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                counts = self.only is None or name in self.only
                index = self._counted if counts else -1
                self._counted += counts
                self.calls.append(
                    (name, " ".join(os.fspath(a) for a in args[:2] if isinstance(a, str | os.PathLike)))
                )
            if not self.started.is_set():
                self.started.set()
                if os.environ.get("SITEGEN_TEST_SLOW"):
                    print("writing", flush=True)
            if self.delay:
                time.sleep(self.delay)
            if index in self.fail_at:
                if name == "close":  # Linux frees the descriptor even when close reports an error
                    self.opened.discard(args[0])
                    real(*args, **kwargs)
                if not isinstance(self.error, int):
                    raise self.error(f"{name} {args[:1]}")
                if args and not isinstance(args[0], int):  # a path; a write to a descriptor names none
                    raise OSError(self.error, os.strerror(self.error), str(args[0]))
                raise OSError(self.error, os.strerror(self.error))
            result = real(*args, **kwargs)
            if name == "open":
                self.opened.add(result)
            elif name == "close":
                self.opened.discard(args[0])
            return result

        return operation

    def die(self) -> None:
        """Close what is still open, as the system does for a process that dies."""
        for handle in self.opened:
            os.close(handle)
        self.opened.clear()

    def __getattr__(self, name: str) -> Any:
        real = getattr(os, name)
        return self.count(name, real) if name in OPERATIONS else real


def main() -> int:
    from sitegen import output
    from sitegen.cli import main as build

    operations = Operations(delay=float(os.environ["SITEGEN_TEST_SLOW"]))
    output.os = operations  # type: ignore[assignment]
    if os.environ.get("SITEGEN_TEST_NO_EXCHANGE"):
        output._exchange = lambda first, second: False
    return build(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
