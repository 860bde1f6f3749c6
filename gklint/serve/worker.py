"""Checks in worker processes: one process per file, started from a fork server that has gklint loaded, killed
when it passes the time limit. A hostile or slow file costs its own user one slot for at most that long; the
server process never parses a document, so a reader bug or a memory blow-up cannot take it down."""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor

from gklint.findings import Finding
from gklint.run.engine import FileResult

MEMORY_LIMIT = 2 * 1024 ** 3  # bytes of address space per worker: a decompression bomb fails, not the machine
PRELOAD = ["gklint.serve.worker", "gklint.serve.checking", "gklint.run.runner", "gklint.readers.docx.reader", "gklint.readers.html",
           "gklint.readers.text", "gklint.checks", "gklint.output.annotate"]


class Failed(Exception):
    """The worker ran out of time or died; the message says which, in Chinese."""


class Pool:
    """At most `slots` worker processes at once, shared by every request; `limit` seconds per task."""

    def __init__(self, slots: int, limit: float):
        self.slots, self.limit = slots, limit
        self._free = threading.BoundedSemaphore(slots)
        self._live: set = set()
        self._lock = threading.Lock()
        self._stopping = False
        # the fork server listens on a Unix socket in TMPDIR: a path over the socket's limit (108 bytes) would fail
        # every check, so a long TMPDIR means spawned workers (slower to start, same answers)
        short = len(os.path.join(tempfile.gettempdir(), "pymp-xxxxxxxx", "listener-xxxxxxxx")) < 100
        method = "forkserver" if short and "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self._ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            self._ctx.set_forkserver_preload([m for m in PRELOAD if _importable(m)])

    def call(self, func, *args):
        """func(*args) in a worker process; its return value, or Failed."""
        with self._free:
            if self._stopping:
                raise Failed("服务正在停止，未检查")
            receiver, sender = self._ctx.Pipe(duplex=False)
            process = self._ctx.Process(target=_child, args=(sender, func, args), daemon=True)
            with self._lock:
                self._live.add(process)
            try:
                process.start()
                sender.close()
                if not receiver.poll(self.limit):
                    raise Failed(f"检查超过 {self.limit:g} 秒仍未完成，已停止（文件可能过大或结构异常）")
                try:
                    ok, value = receiver.recv()
                except EOFError:  # the process died before answering: killed, out of memory, a crash
                    process.join(5)
                    if self._stopping:
                        raise Failed("服务正在停止，未检查") from None
                    raise Failed(f"检查进程意外退出（退出码 {process.exitcode}），文件可能过大或结构异常") from None
                if not ok:
                    raise Failed(value)
                return value
            finally:
                if process.pid is not None:  # started (a failed start must not hide its own error)
                    if process.is_alive():
                        process.kill()
                    process.join(5)
                receiver.close()
                with self._lock:
                    self._live.discard(process)

    def check_all(self, names: dict[str, str], progress=None):
        """A `check_all` for gklint.run.runner.run: the jobs' files checked in parallel worker processes,
        yielded in order, each result named by its uploaded name (`names`: private path -> uploaded name)
        so that settings, pairing and output all see the name the user knows. `progress(index, result)` is
        called as each file finishes."""

        def one(indexed):
            i, job = indexed
            from gklint.run.runner import _work

            try:
                result = self.call(_work, job)
            except Failed as exc:
                result = FileResult(job.path, unreadable=True)
                result.findings.append(Finding("GK001", "error", f"无法检查文件：{exc}", {}))
            result.path = names.get(result.path, result.path)
            if progress:
                progress(i, result)
            return result

        def check_all(work, jobs):
            if not work:
                return
            with ThreadPoolExecutor(max_workers=min(len(work), self.slots)) as threads:
                yield from threads.map(one, enumerate(work))

        return check_all

    def stop(self) -> None:
        """End every running worker now (SIGTERM of the server): the requests waiting on them answer at once."""
        self._stopping = True
        with self._lock:
            live = list(self._live)
        for process in live:
            if process.is_alive():
                process.kill()


def _importable(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:
        return False


def _child(sender, func, args) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):  # Windows, or a lower hard limit already
        pass
    try:
        value = (True, func(*args))
    except MemoryError:
        value = (False, "检查所需内存超过上限，已停止（文件可能过大或结构异常）")
    except Exception as exc:  # a bug in gklint: said plainly, the server goes on
        value = (False, f"gklint 内部错误（{type(exc).__name__}: {exc}）")
    sender.send(value)
    sender.close()
    os._exit(0)  # no atexit handlers or inherited finalizers of the server in a worker
