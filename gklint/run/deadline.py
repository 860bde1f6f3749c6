"""A per-file time limit (`gklint check --timeout`, config `timeout`): a file that takes longer is reported as
not checked (GK007) and the run goes on. SIGALRM in the process that checks the file — the main process with
--jobs 1, each worker otherwise — so no extra thread or process is needed. The alarm interrupts Python code;
a single C call (one regular expression, one lxml parse) finishes first, which the size limits keep short."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

class TimeLimit(BaseException):
    """BaseException: readers turn every Exception of a parser into a ReadError; this must get through them."""

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds


@contextmanager
def limit(seconds: float | None):
    """Raise TimeLimit in this block after `seconds`. No limit for None or 0, off the main thread (signals
    are delivered only there) or where the platform has no SIGALRM (Windows)."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimeLimit(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
