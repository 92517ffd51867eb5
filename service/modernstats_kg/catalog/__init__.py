"""The read model: small builders that run the named queries of `queries/*.rq` with bound values and return plain
dataclasses. Pages (`web/`) and the JSON API render these; nothing here knows about HTML or HTTP.

Entry points (each takes a `Catalog` first; results are frozen dataclasses shared for the content version, so
never mutate them):
- `gsbpm.gsbpm_model`, `gsbpm.activity_detail` (a sub-process, overarching process or phase): GSBPM;
- `gsim.gsim_model`, `gsim.gsim_class_detail`, `gsim.group_diagram`: GSIM;
- `mapping.mappings`, `mapping.matrix`, `mapping.filtered`: the GSIM-GSBPM mappings;
- `flow.information_flow` (of a sub-process), `flow.class_flow` (of a GSIM class);
- `gamso.gamso_model`, `gamso.gamso_item`; `cspa.cspa_model`, `cspa.service_detail`;
- `coos.ontology_model`, `coos.class_detail` (COOS, or any vocabulary under /def/);
- `resource.describe` (any IRI: outgoing and incoming statements), `resource.description_triples` (its RDF);
- `search.search`, `search.suggest`, `search.similar` (labels in every language, codes, synonyms, old names);
- `downloads.graph_files`, `downloads.mapping_rows`, `downloads.void_triples`.
Builders decorated with `core.per_version` compute once per arguments and content version (bounded LRU).
"""

from __future__ import annotations

from .core import Catalog, Lit, Ref, Text, Value

__all__ = ["Catalog", "Lit", "Ref", "Text", "Value"]
