"""Releases: `/releases` lists them, `/releases/NAME` shows a changelog, `/releases/NAME/{file}` serves its dumps at
stable URLs, `/releases/compare?from=A&to=B` compares two releases. They live in the data folder (`--store DIR`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse

from ..errors import NotFound
from ..roundtrip.diff import compare
from ..roundtrip.releases import Release, content_dir, exists, list_releases, release_dir, release_file
from ..roundtrip.snapshot import from_folder
from ..state import ServiceState, service_state
from .templating import render

router = APIRouter()

_MEDIA = {".ttl": "text/turtle", ".nq": "application/n-quads", ".json": "application/json"}


def data_dir(state: ServiceState) -> Path | None:
    store = state.settings.store
    return None if store == "memory" or store.startswith(("http://", "https://")) else Path(store)


def _release(state: ServiceState, name: str) -> tuple[Path, Release]:
    folder = data_dir(state)
    if folder is None or not exists(folder, name):
        raise NotFound(f"no release named {name}")
    return folder, Release.read(release_dir(folder, name))


def _files(folder: Path, name: str) -> list[str]:
    base = release_dir(folder, name)
    return sorted(p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file())


@router.get("/releases", response_class=HTMLResponse, include_in_schema=False)
def releases_page(request: Request, state: Annotated[ServiceState, Depends(service_state)]) -> HTMLResponse:
    folder = data_dir(state)
    return render(request, "releases.html", {"releases": list_releases(folder), "durable": folder is not None})


@router.get("/releases/compare", response_class=HTMLResponse, include_in_schema=False)
def compare_page(
    request: Request,
    state: Annotated[ServiceState, Depends(service_state)],
    older: Annotated[str, Query(alias="from", max_length=64)],
    newer: Annotated[str, Query(alias="to", max_length=64)],
) -> HTMLResponse:
    folder, _ = _release(state, older)
    _release(state, newer)
    diff = compare(from_folder(content_dir(folder, older)), from_folder(content_dir(folder, newer)))
    context: dict[str, object] = {
        "title": f"{older} → {newer}",
        "release": None,
        "changes": diff.as_json(),
        "files": [],
    }
    return render(request, "release_changes.html", context)


@router.get("/releases/{name}", response_class=HTMLResponse, include_in_schema=False)
def release_page(request: Request, name: str, state: Annotated[ServiceState, Depends(service_state)]) -> HTMLResponse:
    folder, release = _release(state, name)
    context = {"title": name, "release": release, "changes": release.changes, "files": _files(folder, name)}
    return render(request, "release_changes.html", context)


@router.get("/releases/{name}/{path:path}", include_in_schema=False)
def release_download(name: str, path: str, state: Annotated[ServiceState, Depends(service_state)]) -> FileResponse:
    folder = data_dir(state)
    found = release_file(folder, name, path) if folder is not None else None
    if found is None:
        raise NotFound(f"release {name} has no file {path}")
    media = _MEDIA.get(found.suffix, "application/octet-stream")
    return FileResponse(
        found, media_type=media, filename=found.name, headers={"Cache-Control": "public, max-age=31536000, immutable"}
    )
