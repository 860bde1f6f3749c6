"""SIGINT to the main process only (`timeout -s INT`, a CI cancel): the pool is cancelled, gklint exits 130
within 5 s and prints no partial results as if they were complete."""

import random
import signal
import subprocess
import sys
import time

import pytest
from test_batch import make_corpus

RUNS = 20


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    assert len(make_corpus(root, 10, 84, 12)) == 200  # 40 Word files: ~12 s of work on two workers
    return root


@pytest.mark.slow
def test_sigint_to_the_main_process_cancels_the_pool(corpus):
    rng = random.Random(14)
    outcomes = []
    for _ in range(RUNS):
        p = subprocess.Popen([sys.executable, "-m", "gklint", "check", str(corpus), "--jobs", "2", "--no-cache",
                              "--output-format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(1.0, 3.0))  # start-up is ~0.3 s: the pool is busy by now
        sent = time.monotonic()
        p.send_signal(signal.SIGINT)
        try:
            # communicate() also waits for every process holding the pipes: a surviving worker times out here
            out, err = p.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            outcomes.append(("hung", None))
            continue
        outcomes.append((p.returncode, round(time.monotonic() - sent, 2), out, "Traceback" in err))
    assert all(o[0] == 130 and o[1] < 5 and o[2] == "" and not o[3] for o in outcomes), outcomes


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
