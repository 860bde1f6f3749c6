"""Test helpers for `gklint serve`: the real server in a subprocess on a free loopback port (--port 0, the
address read from its first line), and the CLI's JSON for the same files to compare with."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

SERVE_TIMEOUT = 30  # seconds for the server to start or stop


class Served:
    def __init__(self, cwd: Path, *args: str, env: dict | None = None):
        self.tmp = Path(cwd) / "server-tmp"  # the server's TMPDIR: where uploads could be left behind
        self.tmp.mkdir(exist_ok=True)
        environ = {**os.environ, "TMPDIR": str(self.tmp), **(env or {})}
        self.proc = subprocess.Popen([sys.executable, "-m", "gklint", "serve", "--port", "0", "--no-browser", *args],
                                     cwd=cwd, env=environ, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        ready, _, _ = select.select([self.proc.stdout], [], [], SERVE_TIMEOUT)
        line = self.proc.stdout.readline().decode() if ready else ""
        found = re.search(r"http://\S+/", line)
        if not found:
            self.stop()
            raise RuntimeError(f"gklint serve did not start: {line!r} {self.proc.stderr.read().decode()!r}")
        self.url = found[0].rstrip("/")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            return self.proc.wait(timeout=SERVE_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=SERVE_TIMEOUT)
            raise

    def leftovers(self) -> list[str]:
        """Files the server left in its TMPDIR (the fork server's socket directory aside)."""
        return sorted(str(p.relative_to(self.tmp)) for p in self.tmp.rglob("*")
                      if not p.name.startswith("pymp-") and not p.parent.name.startswith("pymp-"))


def cli_json(cwd: Path, names: list[str], *options: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "gklint", "check", "--output-format", "json", "--no-cache",
                          *options, *names], cwd=cwd, capture_output=True, timeout=300)
    assert out.returncode in (0, 1, 2, 3), out.stderr.decode()  # 3: some files could not be read
    return json.loads(out.stdout)


def without_time(answer: dict) -> dict:
    answer = json.loads(json.dumps(answer))
    answer["summary"].pop("seconds")
    return answer


def upload(paths: list[tuple[str, Path]]) -> list:
    """httpx `files=` for (uploaded name, file) pairs."""
    return [("file", (name, path.read_bytes())) for name, path in paths]


EXAMPLES = ROOT / "examples"
