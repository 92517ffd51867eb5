"""Interface strings of the navigation: the vocabulary pages (A-Z index, hierarchy trees), the navigation tab that
leads to them, and the labels of download links. Missing translations fall back to English like every other
string."""

from __future__ import annotations

from .i18n import DEFAULT
from .string_tables import StringTable, register

_EN = {
    "vocabularies": "Vocabularies",
    "vocabularies_intro": "Every model and concept scheme of the graph, each with an alphabetical index of its "
    "classes or concepts and their hierarchy.",
    "vocabulary": "Vocabulary",
    "kind_ontology": "classes (OWL)",
    "kind_scheme": "concepts (SKOS)",
    "entries": "entries",
    "az_index": "A-Z index",
    "az_intro": "Every class or concept of the vocabulary, by name in the content language, with its code where it "
    "has one. Deprecated ones are marked with what replaces them.",
    "letters": "Letters",
    "tree": "Hierarchy",
    "tree_hierarchy_scheme": "Concepts under their broader concept (skos:broader), top concepts first, in code order.",
    "tree_hierarchy_ontology": "Classes under the class they specialise (rdfs:subClassOf); deprecated classes left "
    "out.",
    "tree_by_group": "By group",
    "tree_by_group_note": "The GSIM 2.0 classes under the group they belong to.",
    "tree_by_generalisation": "By generalisation",
    "tree_by_generalisation_note": "The GSIM 2.0 classes under the class they specialise (rdfs:subClassOf).",
    "narrower_items": "below",
    "fallback_note": "A name missing in the content language is shown in another language, marked with that language.",
    "deprecated": "deprecated",
    "replaced_by": "replaced by",
    "browse": "Browse",
    "download_size": "size",
    "bytes": "bytes",
    "kb": "kB",
    "mb": "MB",
    "fmt_ttl": "Turtle (RDF as readable text)",
    "fmt_jsonld": "JSON-LD (RDF as JSON)",
    "fmt_nt": "N-Triples (RDF, one statement per line)",
    "fmt_rdf": "RDF/XML (RDF as XML)",
    "fmt_nq": "N-Quads (RDF with each statement's graph, one per line)",
    "fmt_trig": "TriG (RDF grouped by graph)",
    "holds_all": "every graph in one file",
    "holds_graph": "this graph",
    "holds_quads": "every graph, each statement with the name of its graph",
    "mapping_csv_holds": "CSV, one row per GSIM-GSBPM mapping (codes, labels, role, status)",
    "sssom_holds": "SSSOM TSV: one row per mapping of the set, in the Simple Standard for Sharing Ontological Mappings",
    "void_holds": "Turtle: what the dataset holds, its graphs and where to get them",
    "releases_holds": "the published releases and what changed between them",
    "sparql_holds": "query the graph",
    "other_downloads": "Other downloads",
    "format": "Format",
    "releases": "Releases",
    "specialises": "specialises",
    "group_list_note": "Each class under the class of this group it specialises; the classes of other groups "
    "they specialise in brackets. The diagram below draws the same classes with their associations.",
}

_FR = {
    "vocabularies": "Vocabulaires",
    "vocabularies_intro": "Chaque modèle et chaque schéma de concepts du graphe, avec l'index alphabétique de ses "
    "classes ou concepts et leur hiérarchie.",
    "vocabulary": "Vocabulaire",
    "kind_ontology": "classes (OWL)",
    "kind_scheme": "concepts (SKOS)",
    "entries": "entrées",
    "az_index": "Index A-Z",
    "az_intro": "Toutes les classes ou tous les concepts du vocabulaire, par nom dans la langue du contenu, avec leur "
    "code s'ils en ont un. Les termes obsolètes sont signalés avec ce qui les remplace.",
    "letters": "Lettres",
    "tree": "Hiérarchie",
    "tree_hierarchy_scheme": "Les concepts sous leur concept générique (skos:broader), concepts de tête d'abord, dans "
    "l'ordre des codes.",
    "tree_hierarchy_ontology": "Les classes sous la classe qu'elles spécialisent (rdfs:subClassOf), sans les classes "
    "obsolètes.",
    "tree_by_group": "Par groupe",
    "tree_by_group_note": "Les classes de GSIM 2.0 sous leur groupe.",
    "tree_by_generalisation": "Par généralisation",
    "tree_by_generalisation_note": "Les classes de GSIM 2.0 sous la classe qu'elles spécialisent (rdfs:subClassOf).",
    "narrower_items": "en dessous",
    "fallback_note": "Un nom absent dans la langue du contenu est montré dans une autre langue, signalée.",
    "deprecated": "obsolète",
    "replaced_by": "remplacé par",
    "browse": "Parcourir",
    "download_size": "taille",
    "bytes": "octets",
    "kb": "ko",
    "mb": "Mo",
    "fmt_ttl": "Turtle (RDF en texte lisible)",
    "fmt_jsonld": "JSON-LD (RDF en JSON)",
    "fmt_nt": "N-Triples (RDF, un énoncé par ligne)",
    "fmt_rdf": "RDF/XML (RDF en XML)",
    "fmt_nq": "N-Quads (RDF avec le graphe de chaque énoncé, un par ligne)",
    "fmt_trig": "TriG (RDF regroupé par graphe)",
    "holds_all": "tous les graphes en un fichier",
    "holds_graph": "ce graphe",
    "holds_quads": "tous les graphes, chaque énoncé avec le nom de son graphe",
    "mapping_csv_holds": "CSV, une ligne par correspondance GSIM-GSBPM (codes, libellés, rôle, statut)",
    "sssom_holds": "SSSOM TSV : une ligne par correspondance de l'ensemble, au format SSSOM",
    "void_holds": "Turtle : ce que contient le jeu de données, ses graphes et où les obtenir",
    "releases_holds": "les versions publiées et ce qui a changé entre elles",
    "sparql_holds": "interroger le graphe",
    "other_downloads": "Autres téléchargements",
    "format": "Format",
    "releases": "Versions publiées",
    "specialises": "spécialise",
    "group_list_note": "Chaque classe sous la classe de ce groupe qu'elle spécialise ; entre parenthèses, les "
    "classes d'autres groupes qu'elle spécialise. Le diagramme ci-dessous montre les mêmes classes et leurs "
    "associations.",
}

_ES = {
    "vocabularies": "Vocabularios",
    "vocabularies_intro": "Cada modelo y cada esquema de conceptos del grafo, con el índice alfabético de sus clases "
    "o conceptos y su jerarquía.",
    "vocabulary": "Vocabulario",
    "kind_ontology": "clases (OWL)",
    "kind_scheme": "conceptos (SKOS)",
    "entries": "entradas",
    "az_index": "Índice A-Z",
    "az_intro": "Todas las clases o conceptos del vocabulario, por nombre en el idioma del contenido, con su código "
    "cuando lo tienen. Los obsoletos se marcan con lo que los reemplaza.",
    "letters": "Letras",
    "tree": "Jerarquía",
    "tree_hierarchy_scheme": "Los conceptos bajo su concepto genérico (skos:broader), primero los conceptos "
    "superiores, en orden de código.",
    "tree_hierarchy_ontology": "Las clases bajo la clase que especializan (rdfs:subClassOf), sin las clases obsoletas.",
    "tree_by_group": "Por grupo",
    "tree_by_group_note": "Las clases de GSIM 2.0 bajo su grupo.",
    "tree_by_generalisation": "Por generalización",
    "tree_by_generalisation_note": "Las clases de GSIM 2.0 bajo la clase que especializan (rdfs:subClassOf).",
    "narrower_items": "debajo",
    "fallback_note": "Un nombre que falta en el idioma del contenido se muestra en otro idioma, indicado.",
    "deprecated": "obsoleto",
    "replaced_by": "reemplazado por",
    "browse": "Explorar",
    "download_size": "tamaño",
    "bytes": "bytes",
    "kb": "kB",
    "mb": "MB",
    "fmt_ttl": "Turtle (RDF como texto legible)",
    "fmt_jsonld": "JSON-LD (RDF como JSON)",
    "fmt_nt": "N-Triples (RDF, una declaración por línea)",
    "fmt_rdf": "RDF/XML (RDF como XML)",
    "fmt_nq": "N-Quads (RDF con el grafo de cada declaración, una por línea)",
    "fmt_trig": "TriG (RDF agrupado por grafo)",
    "holds_all": "todos los grafos en un archivo",
    "holds_graph": "este grafo",
    "holds_quads": "todos los grafos, cada declaración con el nombre de su grafo",
    "mapping_csv_holds": "CSV, una fila por correspondencia GSIM-GSBPM (códigos, etiquetas, rol, estado)",
    "sssom_holds": "SSSOM TSV: una fila por correspondencia del conjunto, en formato SSSOM",
    "void_holds": "Turtle: lo que contiene el conjunto de datos, sus grafos y dónde obtenerlos",
    "releases_holds": "las versiones publicadas y lo que cambió entre ellas",
    "sparql_holds": "consultar el grafo",
    "other_downloads": "Otras descargas",
    "format": "Formato",
    "releases": "Versiones publicadas",
    "specialises": "especializa",
    "group_list_note": "Cada clase bajo la clase de este grupo que especializa; entre paréntesis, las clases de "
    "otros grupos que especializa. El diagrama de abajo muestra las mismas clases con sus asociaciones.",
}

_BY_LANG: StringTable = register(__name__, {"en": _EN, "fr": _FR, "es": _ES})


def nav_strings(lang: str) -> dict[str, str]:
    """The strings in `lang`, every key present (English where no translation exists)."""
    if lang == DEFAULT:
        return _EN
    return {**_EN, **_BY_LANG.get(lang, {})}


def human_size(size: int, lang: str) -> str:
    """`532 bytes`, `12.4 kB`, `1.2 MB` (decimal units; a comma as the decimal sign in French and Spanish)."""
    words = nav_strings(lang)
    if size < 1000:
        return f"{size} {words['bytes']}"
    value, unit = (size / 1000, words["kb"]) if size < 1_000_000 else (size / 1_000_000, words["mb"])
    shown = f"{value:.1f}"
    return f"{shown.replace('.', ',') if lang in ('fr', 'es') else shown} {unit}"
