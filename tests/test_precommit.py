"""The real pre-commit runs this project's hook (`pre-commit try-repo`) in a temporary document repository."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

PROJECT_FILES = ["pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "gklint", "rules"]
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd, *args, env):
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, timeout=60)


def snapshot(dst: Path, env) -> Path:
    """This working tree's hook and package as a committed repository (try-repo needs commits)."""
    dst.mkdir()
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dst / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(src, dst / name)
    git(dst, "init", "-q", env=env)
    git(dst, "add", "-A", env=env)
    git(dst, "commit", "-q", "-m", "snapshot", env=env)
    return dst


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}


def try_repo(project: Path, docs: Path, env) -> subprocess.CompletedProcess:
    exe = [sys.executable, "-m", "pre_commit"]
    return subprocess.run([*exe, "try-repo", str(project), "gklint", "--all-files", "--color", "never"],
                          cwd=docs, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.slow
def test_hook_fails_on_a_defect_and_passes_once_fixed(tmp_path, env):
    project = snapshot(tmp_path / "project", env)
    docs = tmp_path / "docs"
    (docs / "2022").mkdir(parents=True)
    git(docs, "init", "-q", env=env)
    shutil.copy(ROOT / "examples" / "report-2022-defects.docx", docs / "2022" / "某市某某局.docx")
    shutil.copy(ROOT / "examples" / "report-2022.docx", docs / "2022" / "某市另一局.docx")
    (docs / "notes.odt").write_bytes(b"not a report")  # not matched by the hook's files pattern
    # a document repository's own files: matched by the pattern, but no report: skipped, never blocking
    (docs / "README.md").write_text("# 各部门年度报告\n\n本仓库收集各部门的政府信息公开工作年度报告，按年度存放。\n\n"
                                    "| 年度 | 份数 |\n|---|---|\n| 2022 | 2 |\n", encoding="utf-8")
    (docs / "notes.txt").write_text("会议记录\n下周一前收齐各部门的年报初稿。\n", encoding="utf-8")
    (docs / "requirements.txt").write_text("gklint\n", encoding="utf-8")
    git(docs, "add", "-A", env=env)

    failed = try_repo(project, docs, env)
    out = failed.stdout + failed.stderr
    assert failed.returncode == 1, out
    assert "Failed" in out and "GK304" in out and "某市某某局.docx" in out and "→" in out
    assert "notes.odt" not in out
    assert not any(name in line for line in out.splitlines() if "GK" in line
                   for name in ("README.md", "notes.txt", "requirements.txt"))
    assert "非年报文件" in out  # skipped and counted (pre-commit may split the files into batches)

    shutil.copy(ROOT / "examples" / "report-2022.docx", docs / "2022" / "某市某某局.docx")  # the fix
    git(docs, "add", "-A", env=env)
    passed = try_repo(project, docs, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout  # the README, notes and requirements do not block the commit
