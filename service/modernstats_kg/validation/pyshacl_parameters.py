"""pyshacl's constraint parameters as a list with set membership: the same evaluation, less time per edit.

For every shape it validates, pyshacl asks of each predicate of the shape `p in search_parameters`, a list of about
forty IRIs: about 140 000 rdflib `Term.__eq__` calls per edit, the largest single cost of a scoped validation
(`bench/results/edit-profile.md`). It looks the list up in its `shape` module's `CONSTRAINT_PARAMS` (filled on first
use, then copied and extended for `advanced=True`); filling it here with `ParameterList`, whose `in` is a hash
lookup (rdflib terms hash and compare by type and text, so the answers are the same), removes that cost. Imported
for its effect by `shacl.py`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyshacl.shape as pyshacl_shape
from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
from rdflib import URIRef

__all__ = ["ParameterList"]


class ParameterList(list[URIRef]):
    """A list (pyshacl copies and appends to it) that answers `in` from a set kept alongside."""

    def __init__(self, items: Iterable[URIRef] = ()):
        super().__init__(items)
        self._members = set(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members

    def copy(self) -> ParameterList:
        return ParameterList(self)

    def append(self, item: URIRef) -> None:
        super().append(item)
        self._members.add(item)


pyshacl_shape.CONSTRAINT_PARAMS = (ParameterList(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)  # type: ignore[attr-defined]
