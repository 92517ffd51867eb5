"""A plain-text table of SPARQL results for terminals."""

from __future__ import annotations

import pyoxigraph as ox


def term_text(term: object) -> str:
    """A readable cell: IRIs bare, literals as their lexical form (language tag appended)."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return f"{term.value}@{term.language}" if term.language else term.value
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"
    return str(term)


def render_table(result: ox.QuerySolutions | ox.QueryBoolean) -> str:
    if isinstance(result, ox.QueryBoolean):
        return "true" if bool(result) else "false"
    names = [v.value for v in result.variables]
    rows = [[term_text(solution[name]) for name in names] for solution in result]
    widths = [max([len(name), *(len(row[i]) for row in rows)]) for i, name in enumerate(names)]
    lines = [
        "  ".join(name.ljust(w) for name, w in zip(names, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
