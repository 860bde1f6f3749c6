"""A result cache that cannot be written (issue 25) never fails a check: it is said once on stderr."""

import os
import shutil
import subprocess
import sys

from conftest import ROOT

from gklint.policy.config import Settings
from gklint.run import cache
from gklint.run.runner import run

REPORTS = [ROOT / "examples" / "series" / "某区教育局2022.docx", ROOT / "examples" / "series" / "某区教育局2023.docx"]


def test_a_file_where_the_cache_folder_should_be(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    files = [shutil.copy(p, tmp_path / p.name) for p in REPORTS]

    def check(cache_dir):
        return subprocess.run([sys.executable, "-m", "gklint", "check", "--output-format", "concise",
                               *map(str, files)], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "GKLINT_CACHE_DIR": str(cache_dir)})

    p, usual = check(blocker), check(tmp_path / "good-cache")
    assert (p.returncode, p.stdout) == (usual.returncode, usual.stdout) and "GK601" in p.stdout
    assert "无法写入" not in usual.stderr
    assert p.stderr.count("无法写入") == 1, p.stderr  # once, not once per file
    assert "路径中有同名的文件" in p.stderr and str(blocker) in p.stderr
    assert "Traceback" not in p.stderr


def test_a_full_disk_leaves_no_half_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("GKLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_unwritable", set())
    report = shutil.copy(REPORTS[0], tmp_path / "r.docx")
    k = cache.key(str(report), None, "auto")
    entry = cache._entry(k)
    os.makedirs(os.path.dirname(entry))
    os.symlink("/dev/full", f"{entry}.{os.getpid()}.tmp")  # every write there fails with ENOSPC
    results = run([str(report)], [Settings()], jobs=1)
    assert not results[0].unreadable and results[0].report_year == 2022
    assert cache.cache_dir() in cache._unwritable
    assert os.listdir(os.path.dirname(entry)) == []  # the temporary entry is gone, no entry written
