"""The result cache: keyed by content, rule set and version; --no-cache; never a reason to fail."""

import json
import os
import shutil
import subprocess
import sys

from conftest import ROOT

from gklint.cli import main

DEFECTS = ROOT / "examples" / "report-2022-defects.docx"
CLEAN = ROOT / "examples" / "report-2022.docx"


def codes(capsys, *argv) -> dict[str, set[str]]:
    main(["check", "--output-format", "json", *map(str, argv)])
    data = json.loads(capsys.readouterr().out)
    return {os.path.basename(f["path"]): {x["code"] for x in f["findings"]} for f in data["files"]}


def entries() -> list[str]:
    root = os.environ["GKLINT_CACHE_DIR"]
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
                        "--output-format", "concise"], capture_output=True, text=True)
    assert "GK402" in p.stdout


def test_an_unusable_cache_is_only_a_miss(capsys, tmp_path, monkeypatch):
    shutil.copy(DEFECTS, tmp_path / "a.docx")
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("GKLINT_CACHE_DIR", str(blocker))
    assert "GK304" in codes(capsys, tmp_path / "a.docx")["a.docx"]
    assert "GK304" in codes(capsys, tmp_path / "a.docx")["a.docx"]
