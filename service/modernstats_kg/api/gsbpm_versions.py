"""What changed from GSBPM 5.1 to 5.2 in JSON (`/api/v1/gsbpm/changes`), item by item."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from ..catalog.gsbpm_versions import VersionChange, version_changes
from .deps import CatalogDep
from .models import Lang, LangString, Link, MultilingualText, multilingual

router = APIRouter(tags=["GSBPM"])


class VersionChangeOut(BaseModel):
    """One change of one GSBPM item between two versions."""

    iri: str
    item: Link
    kind: str = Field(description="`renamed` or `redescribed`.", examples=["renamed"])
    from_version: str = Field(examples=["5.1"])
    to_version: str = Field(examples=["5.2"])
    previous_names: list[LangString] = Field(description="The item's names in the earlier version (renames only).")
    current_labels: MultilingualText = Field(description="The item's names now.")
    note: MultilingualText = Field(description="What the change means, in the project's words.")
    source: str | None = Field(description="The text announcing the change.")
    paragraph: int | None = Field(description="Its paragraph number.", examples=[4])

    @classmethod
    def of(cls, change: VersionChange, lang: str) -> VersionChangeOut:
        return cls(
            iri=change.iri,
            item=Link.of(change.item, lang),
            kind=change.kind,
            from_version=change.from_version,
            to_version=change.to_version,
            previous_names=[LangString.of(lit) for lit in change.previous_names],
            current_labels=multilingual(change.item.label),
            note=multilingual(change.note),
            source=change.source,
            paragraph=change.paragraph,
        )


@router.get(
    "/gsbpm/changes",
    summary="What changed from GSBPM 5.1 to 5.2",
    description="Every recorded change, item by item: renamed items with their 5.1 names in every language, "
    "reworked descriptions, and the paragraph of GSBPM 5.2 that announces each.",
    response_model=list[VersionChangeOut],
)
def list_changes(cat: CatalogDep, lang: Lang = "en") -> list[VersionChangeOut]:
    return [VersionChangeOut.of(change, lang) for change in version_changes(cat)]
