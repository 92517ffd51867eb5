"""One typed Settings object, read from `MSKG_*` environment variables or built directly by tests and the CLI."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

MEMORY = "memory"


def _env_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


@dataclass(frozen=True)
class Settings:
    """Configuration of one service instance.

    `store` is `memory` (the default: content loaded into RAM at start), a directory path (an on-disk store that
    survives restarts), or the `http(s)://` URL of a SPARQL endpoint for the remote backend, which the `remote_*`
    fields configure (see `store/remote.py`).
    """

    store: str = MEMORY
    content_dir: Path | None = None  # None: the content shipped with the package (or the checkout, when editable)
    base_url: str = "http://id.unece.org"
    query_timeout_s: float = 10.0
    max_result_rows: int = 100_000
    max_request_bytes: int = 1_000_000
    cors_origins: tuple[str, ...] = ("*",)
    service_allow_list: tuple[str, ...] = ()
    query_cache_bytes: int = 64 * 1024 * 1024  # answers of /sparql kept per content version (result_cache); 0: off
    # the remote backend (store = a SPARQL endpoint URL); None: unset
    remote_update_url: str | None = None  # SPARQL Update endpoint; None: the query URL
    remote_graph_store_url: str | None = None  # Graph Store Protocol endpoint; None: write with SPARQL Update
    remote_user: str | None = None  # credentials for writes
    remote_password: str | None = field(default=None, repr=False)
    remote_auth: str = "digest"  # or "basic"
    remote_system_graph: str = "urn:x-mskg:system"  # records the content version and the list of content graphs

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from `MSKG_<FIELD>` variables, then apply explicit overrides (which win)."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"MSKG_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = _convert(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def to_env(self) -> dict[str, str]:
        """The environment that reproduces these settings in another process (uvicorn workers)."""
        env: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, tuple):
                value = ",".join(value)
            env[f"MSKG_{f.name.upper()}"] = str(value)
        return env


def _convert(name: str, raw: str) -> Any:
    default = Settings.__dataclass_fields__[name].default
    if name == "content_dir":
        return Path(raw)
    if isinstance(default, bool):
        return _env_bool(raw)
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, tuple):
        return _env_list(raw)
    return raw
