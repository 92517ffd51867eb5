"""Interface strings of the reviewer's pages (the full matrix, the information flow and its gaps, the A-Z index and
hierarchy trees), kept apart from `i18n` so that those pages carry their own words; every key has every language."""

from __future__ import annotations

from .string_tables import StringTable, in_lang, register

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
    "flow_gaps_intro": "Inputs that no earlier sub-process puts out and no overarching process feeds (the same "
    "information: the class, a class above or below it, and a compatible qualifier). Most are explained by their "
    "mapping: from outside the process, set at run time, or from an earlier cycle (which needs a sub-process at the "
    "same point or later putting the class out). The flagged ones are not explained: a loop means a later "
    "sub-process puts the information out, so it reaches this input only when the process iterates.",
    "gaps_flagged": "not explained",
    "gap_none": "no producer anywhere",
    "gap_loop": "loop: put out later by",
    "flow_rules": "How the flow is read",
    "flow_rules_text": "Sub-processes run in GSBPM order (1.1 to 8.3). An input comes from the nearest earlier "
    "sub-process that puts out the same information (the class or a class above or below it); with none, from an "
    "overarching process; with neither, from where its mapping declares (outside the process, set at run time, an "
    "earlier cycle), else from a later sub-process only when the process iterates (a loop, drawn dashed and back "
    "against the order). An output goes to the sub-processes that get it from this one by that rule.",
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
    "full_matrix_intro": "Chaque sous-processus et processus transversal du GSBPM (lignes) par chaque classe du GSIM "
    "(colonnes, regroupées par groupe GSIM). Une case montre le rôle de chaque correspondance de cette paire et son "
    "statut ; elle renvoie à ces correspondances. Le tableau défile dans les deux sens ; ses en-têtes restent "
    "visibles.",
    "group_summary": "Décomptes par groupe GSIM",
    "overarching": "Processus transversaux",
    "csv_grid": "CSV de cette vue (grille)",
    "csv_list": "CSV de cette vue (une ligne par correspondance)",
    "unused_count": "classes qu'aucune correspondance n'utilise",
    "unused_title": "Classes qu'aucune correspondance n'utilise",
    "shown": "correspondances affichées",
    "status_mark": "statut",
    "ungrouped": "Sans groupe",
    "scroll_cue": "Faites défiler latéralement et vers le bas : la première colonne et la ligne d'en-tête restent "
    "visibles.",
    "flow_gaps_intro": "Entrées qu'aucun sous-processus antérieur ne produit et qu'aucun processus transversal "
    "n'alimente (la même information : la classe, une classe plus générale ou plus spécifique, et un qualificatif "
    "compatible). La plupart sont expliquées par leur correspondance : hors du processus, fixées à l'exécution ou "
    "issues d'un cycle précédent (ce qui suppose qu'un sous-processus au même point ou plus tard produise la classe). "
    "Celles qui sont signalées ne sont pas expliquées : une boucle signifie qu'un sous-processus ultérieur produit "
    "l'information, qui n'atteint cette entrée que si le processus itère.",
    "gap_none": "aucun producteur nulle part",
    "gap_loop": "boucle : produit plus tard par",
    "flow_rules": "Comment lire le flux",
    "flow_rules_text": "Les sous-processus se suivent dans l'ordre du GSBPM (1.1 à 8.3). Une entrée provient du "
    "sous-processus antérieur le plus proche qui produit la même information (la classe ou une classe plus générale "
    "ou plus spécifique) ; à défaut, d'un processus transversal ; à défaut des deux, de ce que déclare sa "
    "correspondance (hors du processus, fixée à l'exécution, un cycle précédent), sinon d'un sous-processus "
    "ultérieur, seulement si le processus itère (une boucle, tracée en pointillés et à rebours). Une sortie va aux "
    "sous-processus qui la reçoivent de celui-ci selon cette règle.",
    "flow_intro_class": "Chaque activité qui utilise cette classe, de gauche à droite dans l'ordre du GSBPM. Une "
    "flèche va d'un producteur à chaque activité qui reçoit ensuite la classe de lui ; les flèches en pointillés qui "
    "reviennent en arrière sont des boucles ; la rangée du bas montre les processus transversaux.",
    "flow_intro_sp": "Pour chaque entrée, sa provenance (le producteur antérieur le plus proche, un processus "
    "transversal ou une boucle) ; pour chaque sortie, les activités qui la reçoivent ensuite de celle-ci.",
    "kind_upstream": "antérieur, dans l'ordre du GSBPM",
    "kind_alongside": "processus transversal, en parallèle",
    "kind_loop": "ultérieur : une boucle, seulement si le processus itère",
    "kind_outside": "hors du processus (déclaré)",
    "kind_none": "aucun producteur : une lacune",
    "no_taker": "aucune activité ultérieure ne l'utilise",
    "leaves": "quitte le processus (déclaré)",
    "hand_offs": "Transmissions",
    "producer": "De",
    "taker": "Vers",
    "kind": "Nature",
    "gaps_of_class": "Entrées de cette classe sans producteur en amont",
    "tree_by_group": "Le GSIM par groupe",
    "tree_by_generalisation": "Le GSIM par généralisation",
    "vocabularies": "Vocabulaires",
    "inputs_n": "entrées",
    "outputs_n": "sorties",
    "successor_mappings": "Correspondances de son successeur",
    "download_size": "taille",
    "author": "Auteur",
    "gaps_flagged": "non expliquées",
    "xlsx_list": "XLSX de cette vue (modifiable, à réimporter)",
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
    "full_matrix_intro": "Cada subproceso y proceso transversal del GSBPM (filas) por cada clase del GSIM "
    "(columnas, agrupadas por grupo GSIM). Una celda muestra el rol de cada correspondencia de ese par y su estado; "
    "enlaza con esas correspondencias. La tabla se desplaza en ambos sentidos; sus encabezados quedan a la vista.",
    "group_summary": "Recuentos por grupo GSIM",
    "overarching": "Procesos transversales",
    "csv_grid": "CSV de esta vista (cuadrícula)",
    "csv_list": "CSV de esta vista (una línea por correspondencia)",
    "unused_count": "clases que ninguna correspondencia usa",
    "unused_title": "Clases que ninguna correspondencia usa",
    "shown": "correspondencias mostradas",
    "status_mark": "estado",
    "ungrouped": "Sin grupo",
    "scroll_cue": "Desplácese hacia el lado y hacia abajo: la primera columna y la fila de encabezado quedan a la "
    "vista.",
    "flow_gaps_intro": "Entradas que ningún subproceso anterior produce y que ningún proceso transversal alimenta "
    "(la misma información: la clase, una clase más general o más específica, y un calificador compatible). La "
    "mayoría se explican por su correspondencia: desde fuera del proceso, fijadas en la ejecución o de un ciclo "
    "anterior (lo que exige que un subproceso en el mismo punto o posterior produzca la clase). Las señaladas no "
    "tienen explicación: un bucle significa que un subproceso posterior produce la información, que solo llega a "
    "esta entrada cuando el proceso itera.",
    "gap_none": "ningún productor en ninguna parte",
    "gap_loop": "bucle: producido después por",
    "flow_rules": "Cómo se lee el flujo",
    "flow_rules_text": "Los subprocesos siguen el orden del GSBPM (1.1 a 8.3). Una entrada viene del subproceso "
    "anterior más cercano que produce la misma información (la clase o una clase más general o más específica); si "
    "no hay ninguno, de un proceso transversal; si no hay ninguno de los dos, de lo que declara su correspondencia "
    "(desde fuera del proceso, fijada en la ejecución, un ciclo anterior) y, si no, de un subproceso posterior solo "
    "cuando el proceso itera (un bucle, dibujado con trazos y hacia atrás). Una salida va a los subprocesos que la "
    "reciben de este según esa regla.",
    "flow_intro_class": "Cada actividad que usa esta clase, de izquierda a derecha en el orden del GSBPM. Una flecha "
    "va de un productor a cada actividad que recibe después la clase de él; las flechas discontinuas que vuelven "
    "atrás son bucles; la fila inferior contiene los procesos transversales.",
    "flow_intro_sp": "Para cada entrada, de dónde viene (el productor anterior más cercano, un proceso transversal o "
    "un bucle); para cada salida, las actividades que la reciben después de esta.",
    "kind_upstream": "anterior, en el orden del GSBPM",
    "kind_alongside": "proceso transversal, en paralelo",
    "kind_loop": "posterior: un bucle, solo cuando el proceso itera",
    "kind_outside": "fuera del proceso (declarado)",
    "kind_none": "ningún productor: una laguna",
    "no_taker": "ninguna actividad posterior la usa",
    "leaves": "sale del proceso (declarado)",
    "hand_offs": "Traspasos",
    "producer": "De",
    "taker": "A",
    "kind": "Tipo",
    "gaps_of_class": "Entradas de esta clase sin productor previo",
    "tree_by_group": "El GSIM por grupo",
    "tree_by_generalisation": "El GSIM por generalización",
    "vocabularies": "Vocabularios",
    "inputs_n": "entradas",
    "outputs_n": "salidas",
    "successor_mappings": "Correspondencias de su sucesor",
    "download_size": "tamaño",
    "author": "Autor",
    "gaps_flagged": "sin explicación",
    "xlsx_list": "XLSX de esta vista (editable, para volver a importar)",
}

STRINGS: StringTable = register(__name__, {"en": _EN, "fr": _FR, "es": _ES})


def review_strings(lang: str) -> dict[str, str]:
    """The strings in `lang` (every key in every language)."""
    return in_lang(STRINGS, lang)
