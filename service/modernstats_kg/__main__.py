"""`python -m modernstats_kg` is the `mskg` command."""

from modernstats_kg.cli import run

run()
