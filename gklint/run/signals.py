"""SIGINT and SIGTERM end a command cleanly: the signal unwinds the main process as an exception, the
worker pool is cancelled on the way (gklint/run/runner.py), no traceback, exit 130 or 143.

A signal the process inherited as ignored stays ignored: `nohup gklint … &` and a shell without job control
start background commands with SIGINT ignored, and mean it. See docs/exit-codes-and-signals.md."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class Terminated(BaseException):
    """SIGTERM (`timeout`, a CI cancel, a service manager): unwinds like KeyboardInterrupt does for SIGINT."""


HANDLED = (signal.SIGINT, signal.SIGTERM)


def _stop(signum, _frame):
    # one signal is enough: a second one must not interrupt the cleanup that ends the workers
    for s in HANDLED:
        if signal.getsignal(s) is _stop:
            signal.signal(s, signal.SIG_IGN)
    raise KeyboardInterrupt if signum == signal.SIGINT else Terminated


@contextmanager
def handled():
    """Install the handlers for the duration of a command; the previous ones come back afterwards (main() is
    also called in-process, by tests and by programs that embed gklint)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.getsignal(s) for s in HANDLED}
    for s, handler in old.items():
        if handler is not signal.SIG_IGN:  # inherited SIG_IGN is kept
            signal.signal(s, _stop)
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)


def blocked():
    """Block SIGINT and SIGTERM in this thread while worker processes are forked: a child starts with the
    mask of the thread that forked it and has no chance to run _stop before it ignores both signals itself
    (runner._worker_init); threads started meanwhile (the pool's manager, a queue's feeder) keep the mask and
    so never take a signal meant for the main thread. Pending signals arrive when the block ends."""
    return _Mask()


class _Mask:
    def __enter__(self):
        self.old = signal.pthread_sigmask(signal.SIG_BLOCK, HANDLED)

    def __exit__(self, *exc):
        signal.pthread_sigmask(signal.SIG_SETMASK, self.old)
        return False


def ignore_in_worker() -> None:
    """A worker leaves SIGINT and SIGTERM to the main process, which cancels the pool: a terminal's Ctrl-C
    or a service manager's SIGTERM sent to the whole process group cannot kill a worker half-way and leave
    the pool waiting for it, and the worker never prints a traceback of its own."""
    for s in HANDLED:
        signal.signal(s, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HANDLED)
