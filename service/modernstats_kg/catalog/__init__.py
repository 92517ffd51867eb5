"""The read model: small builders that run the named queries of `queries/*.rq` with bound values and return plain
dataclasses. Pages (`web/`) and the JSON API render these; nothing here knows about HTML or HTTP.

Entry points (each takes a `Catalog` first):
- `gsbpm_model`, `activity_detail` (sub-process, overarching process or phase): GSBPM;
- `gsim_model`, `gsim_class_detail`, `group_diagram`: GSIM;
- `mappings`, `matrix`, `filtered`: the GSIM-GSBPM mappings; `information_flow`, `class_flow`: flows;
- `gamso_model`, `gamso_item`: GAMSO; `cspa_model`, `service_detail`: CSPA; `coos_model`, `coos_class_detail`: COOS;
- `describe` (any IRI: outgoing and incoming statements), `search`, `suggest`: search over labels and codes.
"""

from __future__ import annotations

from .core import Catalog, Lit, Ref, Text, Value

__all__ = ["Catalog", "Lit", "Ref", "Text", "Value"]
