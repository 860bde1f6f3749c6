"""Fix availability in rule sets: `fix = "safe" | "unsafe"` (absent: none), `remedy` the text for people;
an older rule set that wrote that text under `fix` still loads, with no automatic fix."""

from gklint.checks import catalog
from gklint.cli import main
from gklint.ruleset.loader import load

HEAD = '[ruleset]\nname = "p"\nextends = "gb2021"\n\n'


def test_builtin_availability():
    rules = catalog([load("gb2021")])
    assert {c for c, r in rules.items() if r.fix == "safe"} == {"GK205", "GK301", "GK302", "GK303", "GK304", "GK403"}
    assert {c for c, r in rules.items() if r.fix == "unsafe"} == {"GK405", "GK501"}
    assert rules["GK303"].remedy == "核对该行各列和总计。"


def test_old_fix_text_is_the_remedy(tmp_path, capsys):
    p = tmp_path / "old.toml"
    p.write_text(HEAD + '[rules.ZJ901]\nkind = "patterns"\npatterns = ["XX"]\nfix = "删掉 XX。"\n'
                 '[rules.ZJ902]\nkind = "patterns"\npatterns = ["YY"]\nremedy = "删掉 YY。"\nfix = "unsafe"\n',
                 encoding="utf-8")
    rules = catalog([load(str(p))])
    assert (rules["ZJ901"].remedy, rules["ZJ901"].fix) == ("删掉 XX。", "")
    assert (rules["ZJ902"].remedy, rules["ZJ902"].fix) == ("删掉 YY。", "unsafe")
    assert main(["ruleset", "check", str(p)]) == 0
    capsys.readouterr()
    assert main(["rule", "ZJ901", "--ruleset", str(p)]) == 0
    out = capsys.readouterr().out
    assert "修改：删掉 XX。" in out and "自动修改：无" in out


def test_rule_shows_availability(capsys):
    assert main(["rule", "GK501"]) == 0
    out = capsys.readouterr().out
    assert "自动修改：gklint fix --unsafe-fixes" in out and "修改：核对正文和表格" in out
