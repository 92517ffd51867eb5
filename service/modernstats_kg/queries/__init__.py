"""Static SPARQL queries, one `.rq` file per query, loaded by name.

Request values are never pasted into these texts: callers bind them with `substitutions` (each bound variable is
projected or the query is `SELECT *`).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["load_query", "query_names"]


@cache
def load_query(name: str) -> str:
    """The text of `queries/{name}.rq`; raises `FileNotFoundError` for an unknown name."""
    path = resources.files(__package__).joinpath(f"{name}.rq")
    if not path.is_file():
        raise FileNotFoundError(f"no query named {name!r}")
    return path.read_text(encoding="utf-8")


def query_names() -> list[str]:
    """Every query shipped with the package, by name."""
    return sorted(p.name[:-3] for p in resources.files(__package__).iterdir() if p.name.endswith(".rq"))
