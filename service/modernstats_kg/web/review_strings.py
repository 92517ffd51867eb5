"""Interface strings of the reviewer's pages (the full matrix, the information flow and its gaps, the A-Z index and
hierarchy trees), kept apart from `i18n` so that those pages carry their own words; missing translations fall back
to English like every other string."""

from __future__ import annotations

from .i18n import DEFAULT

_EN = {
    "full_matrix": "Full mapping matrix",
    "full_matrix_intro": "Every GSBPM sub-process and overarching process (rows) by every GSIM class (columns, "
    "grouped by GSIM group). A cell shows the role of each mapping of that pair and its status; it links to those "
    "mappings. The table scrolls both ways; its headers stay in view.",
    "group_summary": "Counts per GSIM group",
    "filters": "Filters",
    "phase": "Phase",
    "overarching": "Overarching processes",
    "any": "(any)",
    "apply": "Apply filters",
    "clear": "Clear filters",
    "csv_grid": "CSV of this view (grid)",
    "csv_list": "CSV of this view (one line per mapping)",
    "xlsx_list": "XLSX of this view (editable, to import again)",
    "legend": "Legend",
    "unused": "no mapping uses it",
    "unused_count": "classes no mapping uses",
    "unused_title": "Classes no mapping uses",
    "shown": "mappings shown",
    "status_mark": "status",
    "ungrouped": "No group",
    "scroll_cue": "Scroll sideways and down: the first column and the header row stay in view.",
    "flow_gaps": "Inputs without an upstream producer",
    "flow_gaps_intro": "Inputs that no earlier sub-process puts out and no overarching process feeds, and whose "
    "mapping declares no source outside the process. A loop means a later sub-process puts the information out, "
    "so it reaches this input only when the process iterates.",
    "gap_none": "no producer anywhere",
    "gap_loop": "loop: put out later by",
    "flow_rules": "How the flow is read",
    "flow_rules_text": "Sub-processes run in GSBPM order (1.1 to 8.3). An input comes from the nearest earlier "
    "sub-process that puts out the same information; with none, from an overarching process; with neither, from a "
    "later sub-process only when the process iterates (a loop, drawn dashed and back against the order). An output "
    "goes to the sub-processes that get it from this one by that rule.",
    "flow_intro_class": "Every activity that uses this class, left to right in GSBPM order. An arrow runs from a "
    "producer to each activity that gets the class from it next; dashed arrows going back are loops; the bottom row "
    "holds the overarching processes.",
    "flow_intro_sp": "For each input, where it comes from (the nearest earlier producer, an overarching process, or "
    "a loop); for each output, the activities that get it from this one next.",
    "comes_from": "Comes from",
    "goes_to": "Goes to",
    "kind_upstream": "earlier, in GSBPM order",
    "kind_alongside": "overarching process, alongside",
    "kind_loop": "later: a loop, only when the process iterates",
    "kind_outside": "outside the process (declared)",
    "kind_none": "no producer: a gap",
    "no_taker": "no later activity takes it in",
    "leaves": "leaves the process (declared)",
    "hand_offs": "Hand-offs",
    "producer": "From",
    "taker": "To",
    "kind": "Kind",
    "gaps_of_class": "Inputs of this class without an upstream producer",
    "az_index": "A-Z index",
    "tree": "Hierarchy",
    "tree_by_group": "GSIM by group",
    "tree_by_generalisation": "GSIM by generalisation",
    "vocabularies": "Vocabularies",
    "at_a_glance": "At a glance",
    "inputs_n": "inputs",
    "outputs_n": "outputs",
    "successor_mappings": "Mappings of its successor",
    "download_size": "size",
    "author": "Author",
}

_FR = {
    "full_matrix": "Matrice complète des correspondances",
    "filters": "Filtres",
    "phase": "Phase",
    "any": "(toutes)",
    "apply": "Appliquer",
    "clear": "Effacer les filtres",
    "legend": "Légende",
    "unused": "aucune correspondance ne l'utilise",
    "flow_gaps": "Entrées sans producteur en amont",
    "comes_from": "Provient de",
    "goes_to": "Va vers",
    "az_index": "Index A-Z",
    "tree": "Hiérarchie",
    "at_a_glance": "En bref",
}

_ES = {
    "full_matrix": "Matriz completa de correspondencias",
    "filters": "Filtros",
    "phase": "Fase",
    "any": "(todas)",
    "apply": "Aplicar",
    "clear": "Borrar filtros",
    "legend": "Leyenda",
    "unused": "ninguna correspondencia la usa",
    "flow_gaps": "Entradas sin productor previo",
    "comes_from": "Viene de",
    "goes_to": "Va a",
    "az_index": "Índice A-Z",
    "tree": "Jerarquía",
    "at_a_glance": "En resumen",
}

_FR["xlsx_list"] = "XLSX de cette vue (modifiable, à réimporter)"
_ES["xlsx_list"] = "XLSX de esta vista (editable, para volver a importar)"

_BY_LANG = {"en": _EN, "fr": _FR, "es": _ES}


def review_strings(lang: str) -> dict[str, str]:
    """The strings in `lang`, every key present (English where no translation exists)."""
    if lang == DEFAULT:
        return _EN
    return {**_EN, **_BY_LANG.get(lang, {})}
