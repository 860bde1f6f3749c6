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


def try_repo(project: Path, docs: Path, env, all_files=True) -> subprocess.CompletedProcess:
    exe = [sys.executable, "-m", "pre_commit"]
    return subprocess.run([*exe, "try-repo", str(project), "gklint", *(["--all-files"] if all_files else []),
                           "--color", "never"],
                          cwd=docs, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.slow
def test_hook_fails_on_a_defect_and_passes_once_fixed(tmp_path, env):
    project = snapshot(tmp_path / "project", env)
    docs = tmp_path / "docs"
    (docs / "2022").mkdir(parents=True)
    git(docs, "init", "-q", env=env)
    shutil.copy(ROOT / "examples" / "report-2022-defects.docx", docs / "2022" / "某市某某局.docx")
    shutil.copy(ROOT / "examples" / "report-2022.docx", docs / "2022" / "某市另一局.docx")
    (docs / "notes.xlsx").write_bytes(b"not a report")  # not matched by the hook's files pattern
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
    assert "notes.xlsx" not in out
    assert not any(name in line for line in out.splitlines() if "GK" in line
                   for name in ("README.md", "notes.txt", "requirements.txt"))
    assert "非年报文件" in out  # skipped and counted (pre-commit may split the files into batches)

    shutil.copy(ROOT / "examples" / "report-2022.docx", docs / "2022" / "某市某某局.docx")  # the fix
    git(docs, "add", "-A", env=env)
    passed = try_repo(project, docs, env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout  # the README, notes and requirements do not block the commit


@pytest.mark.slow
def test_a_commit_to_a_report_repository(tmp_path, env):
    """The staged 2023 report is compared with 2022's already in the repository (GK601); one gklint run for
    the whole commit (one summary); a PDF is read as the hook installs gklint; a Word lock file is skipped;
    a .doc does not pass unseen."""
    from docgen import consistent_data
    from test_repository_pairing import broken_carry_over
    from test_across import _build

    project = snapshot(tmp_path / "project", env)
    docs = tmp_path / "docs"
    (docs / "2022").mkdir(parents=True)
    (docs / "2023").mkdir()
    git(docs, "init", "-q", env=env)
    first = consistent_data()
    _build(docs / "2022", 2022, first, agency="某市某某局")
    git(docs, "add", "-A", env=env)
    git(docs, "commit", "-q", "-m", "2022", env=env)

    _build(docs / "2023", 2023, broken_carry_over(first), agency="某市某某局")
    shutil.copy(ROOT / "tests" / "data" / "pdf" / "szfgs2024.pdf", docs / "2023" / "另一局.pdf")
    (docs / "2023" / "~$某市某某局2023.docx").write_bytes(b"\x06user  " + b"\0" * 150)  # Word's lock file
    (docs / "2023" / "旧格式.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    for i in range(8):  # enough files for pre-commit to split them into batches if the hook allowed it
        (docs / "2023" / f"会议记录{i}.txt").write_text(f"会议记录{i}\n下周一前收齐。\n", encoding="utf-8")
    git(docs, "add", "-A", env=env)

    p = try_repo(project, docs, env, all_files=False)  # the staged files, as a commit runs it
    out = p.stdout + p.stderr
    assert p.returncode == 1, out
    assert "GK601" in block(out, "2023/某市某某局2023.docx"), out
    assert "上一年度报告：2022/某市某某局2022.docx" in out  # the report already in the repository
    assert out.count("检查了") == 1, out  # one run, one summary
    assert "GK001" in block(out, "2023/旧格式.doc") and "另存为 .docx" in out
    assert "GK001" not in block(out, "2023/另一局.pdf") and "pdfplumber" not in out, out
    assert "~$" not in out  # skipped and counted: "跳过 9 个非年报文件"
    assert "跳过 9 个非年报文件" in out


def block(out: str, name: str) -> str:
    """The full format's paragraph about one file: its header line up to the next blank line."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(name + " "))
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return "\n".join(lines[start:end])
