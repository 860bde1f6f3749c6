"""The result cache: keyed by content, rule set and version; --no-cache; never a reason to fail."""

import json
import os
import shutil
import subprocess
import sys

import pytest


from conftest import ROOT

from gklint import __version__
from gklint.cli import main

DEFECTS = ROOT / "examples" / "report-2022-defects.docx"
CLEAN = ROOT / "examples" / "report-2022.docx"


def codes(capsys, *argv) -> dict[str, set[str]]:
    main(["check", "--output-format", "json", *map(str, argv)])
    data = json.loads(capsys.readouterr().out)
    return {os.path.basename(f["path"]): {x["code"] for x in f["findings"]} for f in data["files"]}


def entries() -> list[str]:
    """The result cache's entries (the parsed rule sets, kept beside them in rulesets/, are not results)."""
    root = os.path.join(os.environ["GKLINT_CACHE_DIR"], __version__)
    return sorted(os.path.join(d, n) for d, _, names in os.walk(root) for n in names if n.endswith(".json"))


def test_second_run_is_answered_from_the_cache(capsys, tmp_path):
    shutil.copy(DEFECTS, tmp_path / "a.docx")
    shutil.copy(CLEAN, tmp_path / "b.docx")
    first = codes(capsys, tmp_path)
    assert len(entries()) == 2
    # plant a finding only the cache knows about: if the second run shows it, it read the cache
    for entry in entries():
        data = json.loads(open(entry, encoding="utf-8").read())
        data["findings"].append({"code": "GK999", "severity": "info", "message": "from the cache", "location": {}})
        with open(entry, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
    second = codes(capsys, tmp_path)
    assert second == {k: v | {"GK999"} for k, v in first.items()}
    assert codes(capsys, tmp_path, "--no-cache") == first


def test_changed_file_or_rule_set_is_checked_again(capsys, tmp_path):
    shutil.copy(DEFECTS, tmp_path / "a.docx")
    assert "GK304" in codes(capsys, tmp_path)["a.docx"]
    shutil.copy(CLEAN, tmp_path / "a.docx")  # fixed: new content, new key
    assert codes(capsys, tmp_path)["a.docx"] == set()
    local = tmp_path / "local.toml"
    local.write_text('[ruleset]\nname = "local"\nextends = "gb2021"\n[rules.GK402]\nenabled = false\n',
                     encoding="utf-8")
    shutil.copy(DEFECTS, tmp_path / "a.docx")
    assert "GK402" not in codes(capsys, tmp_path / "a.docx", "--ruleset", local)["a.docx"]
    local.write_text('[ruleset]\nname = "local"\nextends = "gb2021"\n', encoding="utf-8")
    # a new process, as in real use (rule sets are parsed once per process)
    p = subprocess.run([sys.executable, "-m", "gklint", "check", str(tmp_path / "a.docx"), "--ruleset", str(local),
                        "--output-format", "concise"], capture_output=True, text=True, timeout=120)
    assert "GK402" in p.stdout


def test_an_unusable_cache_is_only_a_miss(capsys, tmp_path, monkeypatch):
    shutil.copy(DEFECTS, tmp_path / "a.docx")
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("GKLINT_CACHE_DIR", str(blocker))
    assert "GK304" in codes(capsys, tmp_path / "a.docx")["a.docx"]
    assert "GK304" in codes(capsys, tmp_path / "a.docx")["a.docx"]


def _rewrite_entries(change) -> None:
    for entry in entries():
        with open(entry, encoding="utf-8") as fh:
            data = json.load(fh)
        data = change(data)
        with open(entry, "w", encoding="utf-8") as fh:
            fh.write(data if isinstance(data, str) else json.dumps(data))


def _removed_install(data):
    data["ruleset_path"] = "/nonexistent/site-packages/gklint/builtin_rules/gb2021.toml"
    return data


def _bad_severity(data):
    data["findings"] = [{"code": "GK304", "severity": "fatal", "message": "x", "location": {}}]
    return data


def _bad_year(data):
    data["report_year"] = "2022"
    return data


def _bad_findings(data):
    data["findings"] = "GK304"
    return data


def _bad_span(data):
    data["findings"] = [{"code": "GK304", "severity": "error", "message": "x", "location": {}, "snippet": "ab",
                         "span": ["a", None]}]
    return data


@pytest.mark.parametrize("change", [_removed_install, _bad_severity, _bad_year, _bad_findings, _bad_span,
                                    lambda d: "{not json", lambda d: [1, 2], lambda d: {"template": 3}])
@pytest.mark.parametrize("fmt", [["--statistics"], ["--output-format", "sarif"], ["--output-format", "concise"]])
def test_a_stale_or_broken_entry_is_a_miss(tmp_path, capsys, change, fmt):
    """The reported crash: the cache held the rule set path of a removed install (README's first command,
    then the editable reinstall of the second); --statistics and SARIF loaded it and raised."""
    shutil.copy(DEFECTS, tmp_path / "a.docx")
    assert main(["check", str(tmp_path), "--output-format", "concise"]) == 1
    capsys.readouterr()
    _rewrite_entries(change)
    assert main(["check", str(tmp_path), *fmt]) == 1
    out = capsys.readouterr().out
    assert "GK304" in out and "fatal" not in out


def test_the_key_changes_when_the_rule_set_file_moves(tmp_path):
    from gklint.run import cache
    from gklint.ruleset.loader import load

    shutil.copy(DEFECTS, tmp_path / "a.docx")
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "local.toml").write_text('[ruleset]\nname = "l"\nextends = "gb2021"\n', encoding="utf-8")
    load.cache_clear()
    keys = {cache.key(str(tmp_path / "a.docx"), str(tmp_path / n / "local.toml"), "auto") for n in ("one", "two")}
    assert len(keys) == 2
