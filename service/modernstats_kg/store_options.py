"""The bridge from the service's settings to the store's own options: the store never reads the settings."""

from __future__ import annotations

from .settings import Settings
from .store import RemoteOptions


def remote_options(settings: Settings) -> RemoteOptions:
    """The remote store's options held by the `remote_*` fields of `settings` (and its query time limit)."""
    return RemoteOptions(
        update_url=settings.remote_update_url,
        graph_store_url=settings.remote_graph_store_url,
        user=settings.remote_user,
        password=settings.remote_password.get_secret_value() if settings.remote_password else None,
        auth=settings.remote_auth,
        timeout_s=settings.query_timeout_s,
        system_graph=settings.remote_system_graph,
    )
