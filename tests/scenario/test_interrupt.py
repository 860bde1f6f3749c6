"""SIGINT and SIGTERM, to gklint alone (`timeout`, a CI cancel) or to its whole process group (Ctrl-C, a
service manager): the pool is cancelled, gklint exits 130 / 143 within 5 s, no worker is left behind, nothing
is printed as if it were complete, no traceback, and the result cache is still good afterwards.
A SIGINT inherited as ignored (`nohup gklint … &`) stays ignored; SIGTERM still ends the run."""

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from test_batch import make_corpus

RUNS = 20
EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    assert len(make_corpus(root, 40, 54, 12)) == 200  # 80 Word files: seconds of work on two workers
    return root


@pytest.fixture(scope="module")
def fresh(corpus, tmp_path_factory):
    """A whole run without the cache: what the cache written by interrupted runs must give; and how long it took."""
    began = time.monotonic()
    ended = end(start(corpus, tmp_path_factory.mktemp("unused"), "--no-cache"), timeout=300)
    return (*ended, time.monotonic() - began)


def group(pgid: int) -> list[int]:
    """Processes (zombies included) still in the process group `pgid`, read from /proc."""
    left = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:  # ended while we looked
            continue
        if int(fields[2]) == pgid:
            left.append(int(pid))
    return left


def _default_sigint():
    # the test suite itself may run with SIGINT ignored (`nohup pytest &`), and gklint keeps an inherited SIG_IGN
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(corpus, cache, *extra, preexec_fn=_default_sigint):
    env = {**os.environ, "GKLINT_CACHE_DIR": str(cache)}
    # a session of its own: its process group holds gklint and its workers, and nothing else
    return subprocess.Popen([sys.executable, "-m", "gklint", "check", str(corpus), "--jobs", "2",
                             "--output-format", "json", *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, start_new_session=True, preexec_fn=preexec_fn)


def end(p, timeout):
    """(returncode, stdout, stderr), or None when gklint (or a worker holding its pipes) outlived `timeout`."""
    try:
        out, err = p.communicate(timeout=timeout)  # also waits for every process holding the pipes
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate(timeout=10)
        return None
    return p.returncode, out, err


def results(out: str) -> dict:
    return {f["path"]: f["findings"] for f in json.loads(out)["files"]}


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_at_a_random_moment_ends_the_run_and_every_worker(corpus, fresh, tmp_path, sig):
    rng = random.Random(int(sig))
    # the signal comes while the run works: before 60 % of a whole run's time (a faster machine, a faster gklint)
    latest = min(3.0, 0.6 * fresh[3])
    assert latest > 1.2, f"the corpus is checked in {fresh[3]:.1f} s: too quick to be signalled while working"
    outcomes = []
    for trial in range(RUNS):
        # every other trial writes a cache of its own: an interrupted write must not spoil it (a cache another
        # trial had filled would finish the run before the signal on a quick machine)
        cache = tmp_path / f"cache{trial}"
        p = start(corpus, cache, *(() if trial % 2 else ("--no-cache",)))
        # discovery, the pool starting, the pool busy (the first tenths of a second are Python starting up: a
        # SIGINT there is Python's own KeyboardInterrupt, before gklint runs; see docs/exit-codes-and-signals.md)
        time.sleep(rng.uniform(0.8, latest))
        to_group = trial % 4 >= 2  # Ctrl-C and service managers signal the group; `timeout` the process
        sent = time.monotonic()
        os.killpg(p.pid, sig) if to_group else p.send_signal(sig)
        ended = end(p, timeout=5)
        took = round(time.monotonic() - sent, 2)
        left = group(p.pid)
        if ended is None:
            outcomes.append(("hung", trial, left))
            continue
        code, out, err = ended
        outcomes.append((code, trial, took, out == "", "Traceback" in err, left))
    bad = [o for o in outcomes if not (o[0] == EXIT[sig] and o[2] < 5 and o[3] and not o[4] and o[5] == [])]
    assert not bad, bad

    # a cache an interrupted run wrote gives the results of a run without it
    cached = end(start(corpus, cache), timeout=300)
    assert cached[0] == fresh[0] == 3 and results(cached[1]) == results(fresh[1]) and len(results(fresh[1])) == 200
    assert not list(tmp_path.rglob("*.tmp"))  # no half-written entry left in any of them


def _workers(pid: int) -> set[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return {int(c) for c in fh.read().split()}
    except OSError:
        return set()


def _kill_a_worker(p, spared: set[int], deadline: float) -> set[int]:
    """SIGKILL one of gklint's workers not in `spared` (as the kernel's out-of-memory killer would) once it
    has worked a moment; the workers alive at that moment."""
    while time.monotonic() < deadline and p.poll() is None:
        fresh_ones = _workers(p.pid) - spared
        if fresh_ones:
            time.sleep(0.3)
            alive = _workers(p.pid)
            target = next(iter(fresh_ones & alive), None)
            if target is not None:
                os.kill(target, signal.SIGKILL)
                return alive
        time.sleep(0.02)
    raise AssertionError("no worker to kill: the run ended first")


@pytest.mark.slow
def test_a_killed_worker_is_one_file_not_checked_and_the_run_goes_on(corpus, fresh):
    """A worker killed while several run: the rest are checked one at a time; a worker killed then names its
    file (GK001, not checked), and every other file gets the results of an undisturbed run."""
    p = start(corpus, corpus.parent / "unused-cache", "--no-cache")
    time.sleep(0.8)
    first = _kill_a_worker(p, set(), time.monotonic() + 30)  # the pool breaks: which file, nobody knows
    _kill_a_worker(p, first, time.monotonic() + 30)  # the one worker checking files one at a time: its file
    code, out, err = end(p, timeout=300)
    assert code == 3 and "Traceback" not in err and group(p.pid) == [], err
    got, want = results(out), results(fresh[1])
    assert set(got) == set(want)
    died = [path for path, findings in got.items() if any("进程意外终止" in f["message"] for f in findings)]
    assert len(died) == 1 and got[died[0]][0]["code"] == "GK001"
    assert {k: v for k, v in got.items() if k not in died} == {k: v for k, v in want.items() if k not in died}


def _ignore_sigint():
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as `nohup gklint … &` starts it


def test_an_inherited_ignored_sigint_stays_ignored_and_sigterm_still_ends_the_run(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 40, 54, 12)  # 200 files, 80 of them Word: seconds of work, signalled while working
    p = start(corpus, tmp_path / "cache", "--no-cache", preexec_fn=_ignore_sigint)
    time.sleep(1.0)
    os.killpg(p.pid, signal.SIGINT)  # to gklint and its workers: all keep going
    code, out, err = end(p, timeout=120)
    assert code == 3 and len(results(out)) == 200 and "Traceback" not in err and group(p.pid) == []

    p = start(corpus, tmp_path / "cache", "--no-cache", preexec_fn=_ignore_sigint)
    time.sleep(1.0)
    os.killpg(p.pid, signal.SIGINT)
    time.sleep(0.3)
    p.send_signal(signal.SIGTERM)
    ended = end(p, timeout=5)
    assert ended is not None and ended[0] == 143 and ended[1] == "" and "Traceback" not in ended[2], ended
    assert group(p.pid) == []


def test_the_signal_handlers_are_restored_after_an_in_process_run(tmp_path):
    from conftest import seed

    from gklint.cli import main

    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    (tmp_path / "a.txt").write_bytes(seed("001").read_bytes())
    main(["check", str(tmp_path), "--no-cache", "-q"])
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


def test_an_explicit_dot_is_kept_with_paths_after_options(tmp_path, monkeypatch, capsys):
    from conftest import seed

    from gklint.cli import main

    (tmp_path / "here").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "here" / "a.txt").write_bytes(seed("001").read_bytes())
    (tmp_path / "other" / "b.txt").write_bytes(seed("001").read_bytes())
    monkeypatch.chdir(tmp_path / "here")
    main(["check", ".", "-j", "1", "../other", "--output-format", "concise", "--no-cache"])
    out = capsys.readouterr().out
    assert "a.txt" in out and "b.txt" in out
