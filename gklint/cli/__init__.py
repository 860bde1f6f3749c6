"""Command line: one module per command; main wires them to the parser."""

from gklint.cli.main import main

__all__ = ["main"]
