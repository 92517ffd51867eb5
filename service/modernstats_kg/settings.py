"""One typed Settings object, read from `MSKG_*` environment variables (pydantic-settings) or built directly by tests
and the CLI. The README's configuration table is checked against these fields (`tests/test_docs.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

__all__ = ["MEMORY", "Settings"]

MEMORY = "memory"

_List = Annotated[tuple[str, ...], NoDecode]  # comma-separated in the environment, not JSON


class Settings(BaseSettings):
    """Configuration of one service instance.

    `store` is `memory` (the default: content loaded into RAM at start), a directory path (an on-disk store that
    survives restarts), or the `http(s)://` URL of a SPARQL endpoint for the remote backend, which the `remote_*`
    fields configure (see `store/remote.py`).
    """

    model_config = SettingsConfigDict(env_prefix="MSKG_", frozen=True, extra="forbid", validate_default=False)

    store: str = MEMORY
    content_dir: Path | None = None  # None: the content shipped with the package (or the checkout, when editable)
    base_url: str = "http://id.unece.org"
    # the SPARQL endpoint
    query_timeout_s: float = Field(default=10.0, gt=0)
    query_workers: int | None = Field(default=None, ge=1, le=64)  # None: one more than the cores, 2 to 8
    max_result_rows: int = Field(default=100_000, ge=1)
    max_request_bytes: int = Field(default=1_000_000, ge=1)
    import_max_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)  # an /import upload past it is refused (413)
    max_query_chars: int = Field(default=100_000, ge=1)  # longer queries are refused (413) before any screening
    max_answer_bytes: int = Field(default=64 * 1024 * 1024, ge=1)  # a larger answer is refused (413)
    query_worker_memory_bytes: int | None = Field(default=None, ge=64 * 1024 * 1024)  # None: fit the machine
    query_page_rows: int = Field(default=1000, ge=1)  # rows the query page shows (downloads carry all of them)
    query_cache_bytes: int = Field(default=64 * 1024 * 1024, ge=0)  # /sparql answers kept per version; 0: off
    cors_origins: _List = ("*",)
    service_allow_list: _List = ()
    # pages and the JSON API
    page_cache_bytes: int = Field(default=64 * 1024 * 1024, ge=0)  # pages and read-model results kept per version
    api_page_size: int = Field(default=50, ge=1)  # default `limit` of JSON lists
    api_max_page_size: int = Field(default=500, ge=1)  # largest `limit` a JSON list accepts
    # the HTTP server (`mskg serve`); a public deployment sits behind a reverse proxy too (README)
    max_header_bytes: int = Field(default=64 * 1024, ge=4096)  # request line and headers: 414 / 431 past it
    header_timeout_s: float = Field(default=10.0, gt=0)  # to receive a request's line and headers
    keep_alive_s: float = Field(default=5.0, gt=0)  # an idle connection is closed after this
    max_connections: int = Field(default=256, ge=1)  # more at once get 503
    # the remote backend (store = a SPARQL endpoint URL); None: unset
    remote_update_url: str | None = None  # SPARQL Update endpoint; None: the query URL
    remote_graph_store_url: str | None = None  # Graph Store Protocol endpoint; None: write with SPARQL Update
    remote_user: str | None = None  # credentials for writes
    remote_password: SecretStr | None = None
    remote_auth: str = "digest"  # or "basic"
    remote_system_graph: str = "urn:x-mskg:system"  # records the content version and the list of content graphs

    @field_validator("cors_origins", "service_allow_list", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(item.strip() for item in value.split(",") if item.strip())
        return value

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from `MSKG_<FIELD>` variables (of `environ`, else the process environment), then explicit
        overrides (which win; None leaves the variable's value)."""
        given = {k: v for k, v in overrides.items() if v is not None}
        if environ is None:
            return cls(**given)
        values: dict[str, Any] = {}
        for name in cls.model_fields:
            raw = environ.get(f"MSKG_{name.upper()}")
            if raw is not None:
                values[name] = raw
        return cls.model_validate({**values, **given})

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings)  # no .env file or secrets folder is read behind the operator's back

    def with_changes(self, **changes: Any) -> Settings:
        return type(self).model_validate({**self.model_dump(), **changes})

    def to_env(self) -> dict[str, str]:
        """The environment that reproduces these settings in another process (uvicorn workers)."""
        env: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            elif isinstance(value, tuple):
                value = ",".join(value)
            env[f"MSKG_{name.upper()}"] = str(value)
        return env
