"""Turtle files that attack `mskg validate`: a blank-node "billion laughs" and a mass of failing mappings.

Used by `tests/test_hostile_cli.py` and `bench/bench_hostile_validate.py`.

    write_blank_node_laughs(path)      # ~25 KB: 32 levels of blank nodes, each naming the next through 40 properties
    write_failing_mappings(path, n)    # n mappings that state nothing but their type (50,000: 1.8 MB)
"""

from __future__ import annotations

from pathlib import Path

HEADER = (
    "@prefix map: <http://id.unece.org/def/mapping#> .\n"
    "@prefix ex: <http://example.org/hostile/> .\n"
    "<http://example.org/hostile> a <http://www.w3.org/2002/07/owl#Ontology> .\n"
)


def write_blank_node_laughs(path: Path, *, depth: int = 32, fanout: int = 40) -> Path:
    """A mapping that is a blank node, refers to level 0; each level names the next through `fanout` properties.

    Written out in full, level 0 is `fanout ** depth` copies of the last level."""
    lines = [HEADER, "[] a map:InformationMapping ; ex:about _:level0 ."]
    for level in range(depth):
        links = " ; ".join(f"ex:p{j} _:level{level + 1}" for j in range(fanout))
        lines.append(f"_:level{level} {links} .")
    lines.append(f'_:level{depth} ex:end "laugh" .')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_failing_mappings(path: Path, count: int) -> Path:
    """`count` information mappings with nothing but their type: each breaks every rule that asks for a value."""
    body = "".join(f"ex:m{i} a map:InformationMapping .\n" for i in range(count))
    path.write_text(HEADER + body, encoding="utf-8")
    return path
