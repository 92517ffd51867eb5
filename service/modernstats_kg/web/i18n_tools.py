"""Interface strings of the tool pages (the SPARQL editor, the API viewers, search), in every interface language.

Kept apart from `i18n.py` (the browsing pages) so each table stays readable; `i18n.strings` merges both.
"""

from __future__ import annotations

TOOL_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "api_docs_swagger": "API (Swagger UI)",
        "api_docs_redoc": "API (ReDoc)",
        "api_docs_intro": "The JSON API under /api/v1, described in OpenAPI and read here without leaving the site.",
        "api_docs_noscript": "This viewer needs JavaScript; the OpenAPI description itself is plain JSON.",
        "api_links": "For programs",
    },
    "fr": {
        "api_docs_swagger": "API (Swagger UI)",
        "api_docs_redoc": "API (ReDoc)",
        "api_docs_intro": "L'API JSON sous /api/v1, décrite en OpenAPI et consultable ici sans quitter le site.",
        "api_docs_noscript": "Cette visionneuse demande JavaScript ; la description OpenAPI elle-même est du JSON.",
        "api_links": "Pour les programmes",
    },
    "es": {
        "api_docs_swagger": "API (Swagger UI)",
        "api_docs_redoc": "API (ReDoc)",
        "api_docs_intro": "La API JSON bajo /api/v1, descrita en OpenAPI y consultable aquí sin salir del sitio.",
        "api_docs_noscript": "Este visor necesita JavaScript; la descripción OpenAPI en sí es JSON.",
        "api_links": "Para programas",
    },
}
