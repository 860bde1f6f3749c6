"""The README as a new user follows it, in a fresh copy of the repository: its two commands (in either order:
the second reinstalls gklint in editable mode over the first's install, the first over the second's), then every
`$ gklint …` example whose files exist, run from the copy's root with the cache where a user has it (./.gklint_cache).

Compared by exit code and key lines (the rule codes and the first line of `gklint rule`), not whole outputs: the
README's output blocks are re-pasted from real runs, so wording and timings may change freely."""

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CODE = re.compile(r"\bGK\d{3}\b")


def _blocks() -> list[tuple[str, list[str]]]:
    """(language, lines) of every fenced block."""
    return [(m[1], m[2].splitlines()) for m in re.finditer(r"^ *```(\w*)\n(.*?)^ *```", README, re.S | re.M)]


def install_commands() -> list[str]:
    """The two commands at the top of the README (the first two sh blocks)."""
    cmds = [lines[0] for lang, lines in _blocks() if lang == "sh"][:2]
    assert len(cmds) == 2 and all("python3 -m venv .venv" in c for c in cmds)
    return cmds


def examples() -> list[tuple[str, list[str]]]:
    """(command, documented output) for every `$ gklint …` line of the README."""
    out = []
    for _, lines in _blocks():
        lines = [line.strip() for line in lines]
        for i, line in enumerate(lines):
            if line.startswith("$ gklint "):
                doc = []
                for nxt in lines[i + 1:]:
                    if nxt.startswith("$ "):
                        break
                    doc.append(nxt)
                out.append((line[2:].split("  #")[0].strip(), doc))
    return out


def expected_status(argv: list[str], doc: list[str]) -> int:
    """The exit code the documented output implies: 1 when a check shows an error or warning (at the
    default fail-on), or a rule-set test fails; otherwise 0."""
    text = "\n".join(doc)
    if argv[1] == "check":
        if "--write-baseline" in argv or "--exit-zero" in argv:
            return 0
        summary = re.search(r"(\d+) 个错误，(\d+) 个警告", text)
        if summary:
            return 1 if int(summary[1]) + int(summary[2]) else 0
        return 1 if re.search(r"\[(错误|警告|error|warning)\]|::error|::warning|<failure", text) else 0
    if argv[1] == "ruleset":
        return 1 if re.search(r"^FAIL|^\S+:\d+: ", text, re.M) else 0
    return 0


def _files_exist(argv: list[str], cwd: Path) -> bool:
    """Examples about the reader's own files (报告.docx, /tmp/readme-demo) are illustrations, not runnable."""
    paths = [a for a in argv[1:] if not a.startswith("-") and ("/" in a or "." in a)]
    return all((cwd / p).exists() for p in paths)


def _copy_repo(dst: Path) -> Path:
    """What a clone has: the files git tracks (and new ones it does not ignore), nothing built or cached."""
    names = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True, timeout=60).stdout.decode().split("\0")
    for name in filter(None, names):
        src = ROOT / name
        if src.is_file():
            (dst / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst / name)
    return dst


def _env(repo: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("GKLINT_CACHE_DIR", "VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = f"{repo / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["XDG_CACHE_HOME"] = str(repo.parent / "user-cache")  # parsed rule sets: not in the tester's home
    return env


def _run_install(cmd: str, repo: Path, first: bool) -> None:
    if first:  # the first command ends by checking the two example reports: one has four defects, exit 1
        p = subprocess.run(["bash", "-c", cmd], cwd=repo, env=_env(repo), capture_output=True, text=True,
                           timeout=900)
        assert p.returncode == 1, p.stdout + p.stderr
        assert {"GK304", "GK402", "GK503", "GK504"} <= set(CODE.findall(p.stdout)), p.stdout
    else:  # the second runs the test suite: its install part only, or this test would run itself
        install = cmd.split(" && .venv/bin/python -m pytest")[0]
        assert install != cmd, "the README's second command no longer ends with the test run"
        p = subprocess.run(["bash", "-c", install], cwd=repo, env=_env(repo), capture_output=True, text=True,
                           timeout=900)
        assert p.returncode == 0, p.stdout + p.stderr


@pytest.mark.slow
@pytest.mark.parametrize("order", [(0, 1), (1, 0)], ids=["readme-order", "reverse-order"])
def test_readme_walk_through(tmp_path, order):
    repo = _copy_repo(tmp_path / "gklint")
    cmds = install_commands()
    for i in order:
        _run_install(cmds[i], repo, first=i == 0)
    ran = 0
    for cmd, doc in examples():
        argv = shlex.split(cmd)
        if not _files_exist(argv, repo):
            continue
        p = subprocess.run(argv, cwd=repo, env=_env(repo), capture_output=True, text=True, timeout=120)
        shown = p.stdout + p.stderr
        assert "Traceback" not in shown, (cmd, shown)
        assert p.returncode == expected_status(argv, doc), (cmd, p.returncode, shown)
        documented = set(CODE.findall("\n".join(doc)))
        if argv[1] != "rules":  # `rules` shows an elided list (…)
            assert documented <= set(CODE.findall(shown)), (cmd, documented, shown)
        if argv[1] == "rule" and doc:
            assert p.stdout.splitlines()[0].split("（")[0] == doc[0].split("（")[0], (cmd, p.stdout)
        ran += 1
    assert ran >= 8, f"only {ran} README examples could run"


def test_the_readme_examples_are_parsed():
    """The parser itself (fast): the examples a user would try first are found, with their outputs."""
    found = {cmd: doc for cmd, doc in examples()}
    assert "gklint check examples/report-2022-defects.docx" in found
    assert any(c.startswith("gklint check examples/ --statistics") for c in found)
    assert expected_status(["gklint", "check"], found["gklint check examples/report-2022-defects.docx"]) == 1
    assert expected_status(["gklint", "ruleset", "test"],
                           found["gklint ruleset test examples/province/province.toml"]) == 0
    assert len(install_commands()) == 2
