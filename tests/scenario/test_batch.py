"""Batch runs: 200 reports with unreadable ones mixed in, parallel jobs, progress on a terminal."""

import json
import os
import select
import shutil
import subprocess
import sys
import time

import pytest

from conftest import ROOT, seed

from gklint.cli import main

DEFECTS = ROOT / "examples" / "report-2022-defects.docx"
CLEAN = ROOT / "examples" / "report-2022.docx"


def make_corpus(root, n_docx: int, n_txt: int, n_bad: int):
    """Reports of four kinds plus unreadable files; returns {relative path: kind}.
    (A report from the official template takes ~0.1 s to read, a text one ~5 ms.)"""
    kinds = {}
    sources = {"clean_docx": CLEAN, "defects_docx": DEFECTS, "clean_txt": seed("000"), "defects_txt": seed("001")}
    for kind, src in sources.items():
        for i in range(n_docx if kind.endswith("docx") else n_txt):
            rel = f"{kind}/{i:03d}{src.suffix}"
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(src, root / rel)
            kinds[rel] = kind
    (root / "bad").mkdir()
    good = CLEAN.read_bytes()
    for i in range(n_bad):
        rel = f"bad/{i:03d}" + (".docx" if i % 3 else ".txt")
        data = os.urandom(3000) if i % 3 == 1 else good[: 2000 + i] if i % 3 == 2 else b"\xff\xfe\x00\xd8" * 999
        (root / rel).write_bytes(data)
        kinds[rel] = "bad"
    return kinds


@pytest.mark.slow
def test_200_reports_with_unreadable_ones(capsys, tmp_path):
    kinds = make_corpus(tmp_path, 10, 84, 12)
    assert len(kinds) == 200
    code = main(["check", str(tmp_path), "--jobs", "2", "--output-format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 3  # some files could not be read
    files = {os.path.relpath(f["path"], tmp_path): f for f in data["files"]}
    assert set(files) == set(kinds)
    assert data["summary"]["files"] == 200
    for rel, kind in kinds.items():
        found = {f["code"] for f in files[rel]["findings"] if f["severity"] != "info"}
        expected = {"clean_docx": set(), "clean_txt": set(), "defects_docx": {"GK503", "GK304", "GK504", "GK402"},
                    "defects_txt": {"GK401", "GK501"}}.get(kind)
        if kind == "bad":
            assert found & {"GK001", "GK002"}, rel
        else:
            assert found == expected, rel
    assert data["summary"]["unreadable"] == sum(1 for f in files.values()
                                                if any(x["code"] == "GK001" for x in f["findings"]))
    assert data["summary"]["unreadable"] >= 8


def test_parallel_and_serial_runs_agree(capsys, tmp_path):
    make_corpus(tmp_path, 2, 4, 3)
    outputs = []
    for jobs in ("1", "3"):
        code = main(["check", str(tmp_path), "--jobs", jobs, "--output-format", "json"])
        data = json.loads(capsys.readouterr().out)
        data["summary"].pop("seconds")
        outputs.append((code, data))
    assert outputs[0] == outputs[1]


def test_progress_bar_on_a_terminal(tmp_path):
    import pty  # POSIX only, like the terminals the bar is for

    make_corpus(tmp_path, 0, 6, 0)
    main_fd, sub_fd = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")} | {"TERM": "xterm", "COLUMNS": "100"}
    p = subprocess.Popen([sys.executable, "-m", "gklint", "check", str(tmp_path), "--jobs", "1"],
                         stdout=subprocess.DEVNULL, stderr=sub_fd, env=env)
    os.close(sub_fd)
    chunks, deadline = [], time.monotonic() + 120  # a hung gklint fails the test instead of hanging it
    while time.monotonic() < deadline:
        if not select.select([main_fd], [], [], 1)[0]:
            continue
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert p.wait(timeout=120) == 1
    err = b"".join(chunks).decode("utf-8", "replace")
    assert "检查中" in err and "/12" in err
    assert "检查了 12 个文件" in err
