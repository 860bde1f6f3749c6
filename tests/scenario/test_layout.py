"""The house's plan holds: each folder is a layer, no import runs up a layer, and a .docx is opened once per
`check` and once per `annotate` (the Package the reader read serves comments, directives and annotate)."""

import ast
import sys
from pathlib import Path

from conftest import ROOT

from gklint.cli.main import main

# lowest first; a module may import its own layer and those below
LAYERS = [
    {"gklint", "gklint.document", "gklint.findings", "gklint.numbers"},
    {"gklint.ruleset"},
    {"gklint.readers"},
    {"gklint.report"},
    {"gklint.checks"},
    {"gklint.output"},
    {"gklint.policy"},
    {"gklint.run"},
    {"gklint.serve"},
    {"gklint.cli", "gklint.__main__"},
]


def _layer(module: str) -> int:
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        name = ".".join(parts[:n])
        for i, layer in enumerate(LAYERS):
            if name in layer:
                return i
    raise AssertionError(f"{module} is in no layer")


def _imports(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("gklint"):
            out += [node.module] if node.module != "gklint" else [f"gklint.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            out += [a.name for a in node.names if a.name.startswith("gklint")]
    return out


def test_no_import_runs_up_a_layer():
    up = []
    for path in sorted((ROOT / "gklint").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        own = _layer(module)
        up += [f"{module} -> {target}" for target in _imports(path)
               if target != "gklint.__version__" and _layer(target) > own]
    assert not up, up


def _opens(path: Path, argv: list[str]) -> int:
    """How many times the process opens `path` while gklint runs `argv` in it."""
    target, seen = str(path.resolve()), []

    def hook(event, args):
        if event == "open" and args and isinstance(args[0], (str, bytes, Path)):
            name = args[0].decode() if isinstance(args[0], bytes) else str(args[0])
            if str(Path(name).resolve()) == target:
                seen.append(name)

    sys.addaudithook(hook)  # an audit hook cannot be removed: later runs never open this temporary file
    main(argv)
    return len(seen)


def test_a_docx_is_opened_once_per_check_and_once_per_annotate(tmp_path, capsys):
    import docx

    # the example with four defects and a Word comment `gklint: ignore`: directives, findings on cells and text
    d = docx.Document(str(ROOT / "examples" / "report-2022-defects.docx"))
    p = next(p for p in d.paragraphs if "主动公开政府信息" in p.text)
    d.add_comment(p.runs, text="gklint: ignore GK503 数据待统计", author="张三")
    report = tmp_path / "report.docx"
    d.save(str(report))
    assert _opens(report, ["check", "--no-cache", str(report)]) == 1
    assert _opens(report, ["annotate", "-o", str(tmp_path / "out.docx"), str(report)]) == 1
    assert (tmp_path / "out.docx").is_file()
    capsys.readouterr()
