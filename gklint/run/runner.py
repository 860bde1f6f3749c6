"""Run many files: file discovery, per-file settings, parallel workers. One bad file never stops the run."""

from __future__ import annotations

import os
from dataclasses import dataclass

from gklint.policy.config import Resolver, Settings
from gklint.run.engine import FileResult, check_file
from gklint.findings import Finding

PARALLEL_FROM = 8  # below this many files a process pool costs more than it saves


@dataclass(frozen=True)
class Job:
    path: str
    ruleset: str | None
    agency_kind: str
    timeout: float | None = None  # seconds; beyond it the file is reported as not checked (GK007)


@dataclass
class Discovered:
    files: list[str]  # to check
    missing: list[str]  # paths that do not exist
    unsupported: list[str]  # no longer filled: .doc/.wps/.odt/.rtf are checked (kept for the outputs' field)
    empty: list[str]  # directories that hold no file to check


# formats the reader converts (or says how to convert): found in a directory they are checked, exactly as
# when named, so a .doc in a report repository never passes unseen
CONVERTED_SUFFIXES = (".doc", ".wps", ".odt", ".rtf")


def discover(paths: list[str], resolver: Resolver, suffixes: tuple[str, ...]) -> Discovered:
    """Files to check (directories searched recursively, .gitignore and excludes applied)."""
    found = Discovered([], [], [], [])
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            before = len(found.files)
            for full in _walk(path, resolver):
                name = full.lower()
                if name.endswith(suffixes + CONVERTED_SUFFIXES) and _new(full, seen):
                    found.files.append(full)
            if len(found.files) == before:
                found.empty.append(path)
        elif os.path.exists(path) or os.path.islink(path):
            if not resolver.for_path(path).excluded(path) and _new(path, seen):
                found.files.append(path)
        else:
            found.missing.append(path)
    return found


ANNOTATED = ".gklint.docx"  # `gklint annotate`'s copies: checking them again would repeat every finding


def _walk(top: str, resolver: Resolver):
    """Every file below `top` in order, hidden and excluded directories left out; in a git work tree only
    the files git does not ignore (as ruff does with .gitignore)."""
    tracked = _git_files(top)
    for root, dirs, names in os.walk(top):  # symlinked directories are not followed: no loops
        settings = resolver.for_path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not settings.excluded(os.path.join(root, d)))
        for n in sorted(names):
            full = os.path.normpath(os.path.join(root, n))
            if settings.excluded(full) or n.endswith(ANNOTATED) or ".gklint-fix." in n:  # annotate's, fix's copies
                continue
            if tracked is None or os.path.realpath(full) in tracked:
                yield full


def _git_files(top: str) -> set[str] | None:
    """Real paths of the files git would not ignore below `top`; None outside a work tree or without git."""
    import subprocess

    try:
        out = subprocess.run(["git", "-C", top, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             capture_output=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {os.path.realpath(os.path.join(top, p)) for p in out.decode("utf-8", "surrogateescape").split("\0") if p}


def _new(path: str, seen: set) -> bool:
    key = os.path.realpath(path)
    if key in seen:
        return False
    seen.add(key)
    return True


def _work(job: Job, keep_report: bool = False) -> FileResult:
    from gklint.run.deadline import TimeLimit, limit

    try:
        with limit(job.timeout):
            result = check_file(job.path, job.ruleset, job.agency_kind)
    except TimeLimit as exc:
        result = FileResult(job.path, unreadable=True, timed_out=True)
        result.findings.append(Finding("GK007", "error", f"超出检查上限，未检查：检查时间超过 {exc.seconds:g} 秒"
                                       "（--timeout 或配置项 timeout）", {}))
    except Exception as exc:  # a reader or rule bug must not end the run; say so plainly
        result = FileResult(job.path, unreadable=True)
        result.findings.append(Finding("GK001", "error", f"gklint 内部错误（{type(exc).__name__}: {exc}），"
                                       "请把此文件报告给 gklint 维护者", {}))
    if not keep_report:
        result.report = None  # large and not needed after the rules ran; keeps worker results cheap to send
    return result


def default_jobs(n_files: int) -> int:
    return (os.cpu_count() or 1) if n_files >= PARALLEL_FROM else 1


def run(files: list[str], settings: list[Settings], jobs: int, advance=None,
        previous: tuple[str, Settings] | None = None, keep_reports: bool = False, check_all=None,
        context=None, context_jobs: int | None = None) -> list[FileResult]:
    """Check `files` (settings[i] belongs to files[i]); results in input order; `advance()` after each file.
    Unchanged files come from the cache when their settings allow it. Reports of one agency for consecutive
    years are then compared (`previous`: the previous year's report given with --previous, and its settings;
    `context(results)`: tiers of (path, settings) where earlier reports may be, see run/repository.py,
    checked with `context_jobs` processes, by default as many as for that many files).
    Every finding is returned: what is shown is decided after, by gklint.policy.apply. `keep_reports`: check
    in this process, not from the cache, and keep each report (and what the reader read) for annotate/fix.
    `check_all(jobs_list, jobs)` yields the results in order (default: this process or a pool; `gklint serve`
    passes its own, with a time limit per file)."""
    from gklint.run import cache
    from gklint.run.pairing import check_across

    work = [Job(p, s.ruleset, s.agency_kind, s.timeout) for p, s in zip(files, settings)]
    if previous is not None:  # checked like the others (and cached), but only its facts are used
        work.append(Job(previous[0], previous[1].ruleset, previous[1].agency_kind, previous[1].timeout))
        settings = list(settings) + [previous[1]]
    keys = [cache.key(j.path, j.ruleset, j.agency_kind) if s.cache and not keep_reports else None
            for j, s in zip(work, settings)]
    results: list[FileResult | None] = [cache.get(k, j.path) if k else None for j, k in zip(work, keys)]
    todo = [i for i, r in enumerate(results) if r is None]
    if advance:
        for _ in range(len(files) - sum(1 for i in todo if i < len(files))):
            advance()
    checked = (_work(work[i], keep_report=True) for i in todo) if keep_reports else \
        (check_all or _check_all)([work[i] for i in todo], jobs)
    try:
        for i, result in zip(todo, checked):
            results[i] = result
            if keys[i] and not result.timed_out:  # a slow moment of the machine is not a property of the file
                cache.put(keys[i], result)
            if advance and i < len(files):
                advance()
    finally:  # an interrupt between two results (in cache.put, in advance) cancels the pool now, not at exit
        checked.close()
    before = results.pop() if previous is not None else None
    settings = settings[:len(results)]
    extra, extra_settings = [], []
    if context is not None and before is None:
        extra, extra_settings = _predecessors(results, settings, context, context_jobs)
    check_across(results + extra, settings + extra_settings, before)  # extra: compared with, never reported
    return results


def _predecessors(results, settings, context, jobs: int | None):
    """Results of the files `context` offers, tier by tier, until every report has its predecessor."""
    from gklint.run import cache
    from gklint.run.pairing import pairs

    renamed = {old: new for s in settings for old, new in s.renamed_agencies}
    extra, extra_settings = [], []
    for tier in context(results):
        work = [Job(p, s.ruleset, s.agency_kind) for p, s in tier]
        keys = [cache.key(j.path, j.ruleset, j.agency_kind) if s.cache else None for j, (_, s) in zip(work, tier)]
        got = [cache.get(k, j.path) if k else None for j, k in zip(work, keys)]
        todo = [i for i, r in enumerate(got) if r is None]
        checked = _check_all([work[i] for i in todo], jobs or default_jobs(len(todo)))
        try:
            for i, result in zip(todo, checked):
                got[i] = result
                if keys[i]:
                    cache.put(keys[i], result)
        finally:
            checked.close()
        extra += got
        extra_settings += [s for _, s in tier]
        paired = {i for i, _ in pairs(results + extra, renamed)}
        if all(i in paired for i, r in enumerate(results) if r.facts and r.facts.get("year")):
            break
    return extra, extra_settings


def _check_all(work: list[Job], jobs: int):
    if jobs <= 1 or len(work) < 2:
        yield from map(_work, work)
        return
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from gklint.run.signals import blocked, ignore_in_worker

    done, alone = 0, False
    while done < len(work):
        todo = work[done:]
        pool = ProcessPoolExecutor(max_workers=1 if alone else min(jobs, len(todo)), initializer=ignore_in_worker)
        try:
            with blocked():  # the workers are forked here
                results = pool.map(_work, todo, chunksize=1 if alone else max(1, min(8, len(todo) // (jobs * 4))))
            for result in results:
                yield result
                done += 1
        except BrokenProcessPool:
            # a worker died (the kernel's out-of-memory killer, a crash in a C library): which file it was
            # checking is not known while several run at once, so the files go one at a time until a worker
            # dies again, on that file: reported, and the others are checked as before
            _cancel(pool)
            if alone:
                yield _died(work[done])
                done += 1
            alone = not alone
            continue
        except BaseException:  # Ctrl-C, SIGTERM, a CI cancel (to this process only), a closed pipe
            _cancel(pool)
            raise
        pool.shutdown()


def _died(job: Job) -> FileResult:
    result = FileResult(job.path, unreadable=True)
    result.findings.append(Finding("GK001", "error", "检查此文件的进程意外终止（可能是内存不足），文件未检查；"
                                   "其他文件照常检查", {}))
    return result


def _cancel(pool) -> None:
    """Drop the queued files and end the workers at once (they ignore SIGINT and SIGTERM and would finish
    their chunk).
    There is no public way to reach a pool's processes and its manager thread: the private names are read
    defensively. The manager thread, which sees its workers die, may fail on the cancelled futures
    (InvalidStateError in Python 3.11) and would be joined at interpreter exit: it is silenced and not waited
    for, so an interrupt never prints a traceback or hangs on the way out."""
    import threading
    from concurrent.futures import process as cf_process

    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    hook = threading.excepthook
    threading.excepthook = lambda a: None if a.thread is manager else hook(a)
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.kill()
    for p in processes:
        p.join(timeout=2)
    getattr(cf_process, "_threads_wakeups", {}).pop(manager, None)
