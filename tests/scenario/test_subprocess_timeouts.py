"""Every subprocess a test starts has a timeout: a test suite started with SIGINT ignored (`nohup pytest &`,
some CI runners) or a gklint that hangs fails a test instead of hanging the suite forever."""

import ast

from conftest import TESTS

RUNS = {"run", "check_output", "call", "check_call"}  # subprocess functions that wait for the process
WAITS = {"communicate", "wait"}  # Popen methods that wait


def untimed(tree) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner, name = node.func.value, node.func.attr
        waits = (isinstance(owner, ast.Name) and owner.id == "subprocess" and name in RUNS) or (
            name in WAITS and not (isinstance(owner, ast.Name) and owner.id in ("os", "threading", "time")))
        keywords = {k.arg for k in node.keywords}
        if waits and "timeout" not in keywords and None not in keywords and not (name == "wait" and node.args):
            lines.append(node.lineno)
    return lines


def test_every_subprocess_a_test_waits_for_has_a_timeout():
    found = {p.name: untimed(ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(TESTS.rglob("*.py"))}
    assert {name: lines for name, lines in found.items() if lines} == {}


def test_the_scan_sees_a_call_without_a_timeout():
    code = "import subprocess\nsubprocess.run(['x'])\np = subprocess.Popen(['x'])\np.communicate()\np.wait(timeout=1)\n"
    assert untimed(ast.parse(code)) == [2, 4]
