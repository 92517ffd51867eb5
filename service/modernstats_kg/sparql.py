"""The SPARQL 1.1 Protocol endpoint (`/sparql`)."""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Query, Response

from .state import ServiceState, service_state
from .store import QuerySyntaxError

router = APIRouter()

SPARQL_JSON = "application/sparql-results+json"


@router.get("/sparql", summary="SPARQL 1.1 query (GET)")
def sparql_get(
    state: Annotated[ServiceState, Depends(service_state)],
    query: Annotated[str, Query(description="the SPARQL query")],
) -> Response:
    try:
        result = state.store.query(query)
    except QuerySyntaxError as exc:
        raise HTTPException(status_code=400, detail=f"SPARQL syntax error: {exc}") from exc
    if isinstance(result, ox.QueryTriples):
        body = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
        return Response(body, media_type="application/n-triples")
    return Response(result.serialize(format=ox.QueryResultsFormat.JSON), media_type=SPARQL_JSON)
