"""Languages of the pages: which one a request wants, and the interface strings in each.

The language comes from `?lang=` (which also sets a cookie), else the `lang` cookie, else `Accept-Language`, else
English. Content labels fall back to English when a resource has none in the chosen language.
"""

from __future__ import annotations

from fastapi import Request

from .i18n_tools import TOOL_STRINGS

LANGS = ("en", "fr", "es")
DEFAULT = "en"
COOKIE = "lang"
LANG_NAMES = {"en": "English", "fr": "Français", "es": "Español"}


def parse_accept_language(header: str) -> list[str]:
    """Primary language subtags of an `Accept-Language` header, best first (q=0 dropped).

    >>> parse_accept_language("fr-CH, fr;q=0.9, en;q=0.8, *;q=0.5")
    ['fr', 'fr', 'en', '*']
    """
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        if not tag:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            weighted.append((-q, index, tag.split("-")[0]))
    return [tag for _, _, tag in sorted(weighted)]


def requested_lang(request: Request) -> str:
    """The language of this request's page."""
    explicit = request.query_params.get("lang", "").lower()
    if explicit in LANGS:
        return explicit
    cookie = request.cookies.get(COOKIE, "").lower()
    if cookie in LANGS:
        return cookie
    for tag in parse_accept_language(request.headers.get("accept-language", "")):
        if tag in LANGS:
            return tag
    return DEFAULT


def strings(lang: str) -> dict[str, str]:
    """The interface strings in `lang` (every key present: missing translations fall back to English)."""
    base = {**_STRINGS[DEFAULT], **TOOL_STRINGS[DEFAULT]}
    if lang == DEFAULT or lang not in _STRINGS:
        return base
    return {**base, **_STRINGS[lang], **TOOL_STRINGS[lang]}


_STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "site": "ModernStats KG",
        "tagline": "The UNECE ModernStats models as a linked knowledge graph",
        "skip": "Skip to content",
        "nav_main": "Main",
        "nav_lang": "Language",
        "breadcrumb": "Breadcrumb",
        "home": "Home",
        "gsbpm": "GSBPM",
        "gsim": "GSIM",
        "gamso": "GAMSO",
        "cspa": "CSPA",
        "coos": "COOS",
        "matrix": "Mapping matrix",
        "downloads": "Downloads",
        "sparql": "SPARQL",
        "search": "Search",
        "search_label": "Search labels, codes and synonyms",
        "search_placeholder": "e.g. 5.3, instance variable, valider",
        "results_for": "Results for",
        "no_results": "Nothing matches this search.",
        "suggestions": "Did you mean",
        "phase": "Phase",
        "phases": "Phases",
        "subprocess": "Sub-process",
        "subprocesses": "Sub-processes",
        "overarching": "Overarching activities",
        "definition": "Definition",
        "names": "Names",
        "language": "Language",
        "name": "Name",
        "alt_labels": "Other names",
        "previous": "Previous",
        "next": "Next",
        "inputs": "GSIM inputs",
        "outputs": "GSIM outputs",
        "role": "Role",
        "class": "GSIM class",
        "group": "Group",
        "groups": "Groups",
        "justification": "Justification",
        "role_convention": (
            "Roles follow GSIM 2.0: a Core Input, Process Support Input or Core Output names the class of "
            "the object that plays the role; a Parameter Input, Process Metric or Process Execution Log is "
            "information in its own right, named by the role class with a qualifier saying which one. A "
            "qualifier in brackets says which object of a class is meant."
        ),
        "status": "Status",
        "no_mappings": "No GSIM objects are mapped here yet.",
        "services": "CSPA services",
        "no_services": "No CSPA service in the catalogue supports this.",
        "gamso_context": "GAMSO context",
        "flow": "Information flow",
        "flow_from": "Where the inputs come from",
        "flow_to": "Where the outputs go",
        "upstream": "Put out earlier by",
        "downstream": "Taken in later by",
        "producers": "Put out by",
        "consumers": "Taken in by",
        "nothing": "None.",
        "formats": "This description as data",
        "older_iris": "Older identifiers",
        "synonyms": "Synonyms",
        "generalisation": "Generalisation chain",
        "specialisations": "Sub-classes",
        "super_classes": "Super-classes",
        "attributes": "Attributes",
        "attribute": "Attribute",
        "multiplicity": "Multiplicity",
        "value_type": "Value type",
        "inherited": "Inherited attributes",
        "from_class": "from",
        "associations_out": "Associations out",
        "associations_in": "Associations in",
        "association": "Association",
        "target": "Target",
        "source": "Source",
        "kind": "Kind",
        "taken_in_by": "Taken in by",
        "put_out_by": "Put out by",
        "deprecated": "Deprecated",
        "deprecated_note": "This is a GSIM 1.2 name that GSIM 2.0 no longer uses.",
        "successor": "Use instead",
        "old_names": "Earlier GSIM names",
        "diagram": "Class diagram",
        "classes": "Classes",
        "other_groups": "From other groups",
        "activity_areas": "Activity areas",
        "activities": "Activities",
        "statements": "Statements",
        "outgoing": "About this resource",
        "incoming": "Pointing here",
        "property": "Property",
        "value": "Value",
        "subject": "Subject",
        "not_found": "Not found",
        "not_found_text": "The graph holds nothing under this identifier.",
        "count_inputs": "in",
        "count_outputs": "out",
        "total": "Total",
        "all": "All",
        "mappings_list": "Mappings",
        "activity": "Activity",
        "direction": "Direction",
        "input": "input",
        "output": "output",
        "model": "Model",
        "graph": "Graph",
        "triples": "Triples",
        "whole_dataset": "Whole dataset",
        "mapping_csv": "GSIM-GSBPM mapping as CSV",
        "void": "VoID description",
        "explore": "Explore",
        "ontology": "Ontology",
        "service_catalogue": "Service catalogue",
        "supports": "Supports",
        "takes_in": "Takes in",
        "puts_out": "Puts out",
        "hierarchy": "Class hierarchy",
        "properties": "Properties",
        "domain": "Domain",
        "range": "Range",
        "content_version": "Content version",
        "licence": "Content under CC BY 4.0, from the UNECE ModernStats standards.",
        "flow_intro_class": "Sub-processes that put this class out, and the later ones that take it in.",
        "flow_intro_sp": "For each input, the earlier sub-processes that put it out; for each output, the later "
        "sub-processes that take it in.",
        "matrix_intro": "GSBPM activities by GSIM group: each cell counts the mappings (in / out) and links to them.",
        "see_flow": "See the information flow",
        "overarching_note": "Overarching activities",
        "hash_note": "A term such as gsim:InstanceVariable (http://id.unece.org/def/gsim#InstanceVariable) has its "
        "page at /def/gsim/InstanceVariable: the part after # never reaches a server. The ontology itself is at "
        "/def/gsim. Every page also answers in Turtle, JSON-LD, N-Triples and RDF/XML.",
        "source_to_target": "source → target",
    },
    "fr": {
        "tagline": "Les modèles ModernStats de la CEE-ONU en graphe de connaissances",
        "skip": "Aller au contenu",
        "nav_main": "Navigation principale",
        "nav_lang": "Langue",
        "breadcrumb": "Fil d'Ariane",
        "home": "Accueil",
        "matrix": "Matrice des correspondances",
        "downloads": "Téléchargements",
        "search": "Rechercher",
        "search_label": "Rechercher libellés, codes et synonymes",
        "search_placeholder": "p. ex. 5.3, variable, valider",
        "results_for": "Résultats pour",
        "no_results": "Aucun résultat pour cette recherche.",
        "suggestions": "Vouliez-vous dire",
        "phase": "Phase",
        "phases": "Phases",
        "subprocess": "Sous-processus",
        "subprocesses": "Sous-processus",
        "overarching": "Activités transversales",
        "definition": "Définition",
        "names": "Noms",
        "language": "Langue",
        "name": "Nom",
        "alt_labels": "Autres noms",
        "previous": "Précédent",
        "next": "Suivant",
        "inputs": "Entrées GSIM",
        "outputs": "Sorties GSIM",
        "role": "Rôle",
        "class": "Classe GSIM",
        "group": "Groupe",
        "groups": "Groupes",
        "justification": "Justification",
        "role_convention": (
            "Les rôles suivent GSIM 2.0 : une Core Input, Process Support Input ou Core Output nomme la "
            "classe de l'objet qui joue le rôle ; une Parameter Input, Process Metric ou Process Execution "
            "Log est une information en soi, nommée par la classe du rôle avec un qualificatif qui précise "
            "laquelle. Un qualificatif entre parenthèses précise de quel objet de la classe il s'agit."
        ),
        "status": "Statut",
        "no_mappings": "Aucun objet GSIM n'est encore rattaché ici.",
        "services": "Services CSPA",
        "no_services": "Aucun service CSPA du catalogue ne le prend en charge.",
        "gamso_context": "Contexte GAMSO",
        "flow": "Flux d'information",
        "flow_from": "D'où viennent les entrées",
        "flow_to": "Où vont les sorties",
        "upstream": "Produit plus tôt par",
        "downstream": "Utilisé plus tard par",
        "producers": "Produit par",
        "consumers": "Utilisé par",
        "nothing": "Aucun.",
        "formats": "Cette description en données",
        "older_iris": "Identifiants antérieurs",
        "synonyms": "Synonymes",
        "generalisation": "Chaîne de généralisation",
        "specialisations": "Sous-classes",
        "super_classes": "Super-classes",
        "attributes": "Attributs",
        "attribute": "Attribut",
        "multiplicity": "Multiplicité",
        "value_type": "Type de valeur",
        "inherited": "Attributs hérités",
        "from_class": "de",
        "associations_out": "Associations sortantes",
        "associations_in": "Associations entrantes",
        "association": "Association",
        "target": "Cible",
        "source": "Source",
        "kind": "Nature",
        "taken_in_by": "Utilisé par",
        "put_out_by": "Produit par",
        "deprecated": "Obsolète",
        "deprecated_note": "Ce nom du GSIM 1.2 n'est plus utilisé dans le GSIM 2.0.",
        "successor": "Utiliser plutôt",
        "old_names": "Anciens noms GSIM",
        "diagram": "Diagramme de classes",
        "classes": "Classes",
        "other_groups": "D'autres groupes",
        "activity_areas": "Domaines d'activité",
        "activities": "Activités",
        "statements": "Énoncés",
        "outgoing": "À propos de cette ressource",
        "incoming": "Qui pointent ici",
        "property": "Propriété",
        "value": "Valeur",
        "subject": "Sujet",
        "not_found": "Introuvable",
        "not_found_text": "Le graphe ne contient rien sous cet identifiant.",
        "count_inputs": "entrées",
        "count_outputs": "sorties",
        "total": "Total",
        "all": "Tout",
        "mappings_list": "Correspondances",
        "activity": "Activité",
        "direction": "Sens",
        "input": "entrée",
        "output": "sortie",
        "model": "Modèle",
        "graph": "Graphe",
        "triples": "Triplets",
        "whole_dataset": "Jeu de données complet",
        "mapping_csv": "Correspondance GSIM-GSBPM en CSV",
        "void": "Description VoID",
        "explore": "Explorer",
        "ontology": "Ontologie",
        "service_catalogue": "Catalogue de services",
        "supports": "Prend en charge",
        "takes_in": "Entrées",
        "puts_out": "Sorties",
        "hierarchy": "Hiérarchie des classes",
        "properties": "Propriétés",
        "domain": "Domaine",
        "range": "Co-domaine",
        "content_version": "Version du contenu",
        "licence": "Contenu sous licence CC BY 4.0, d'après les normes ModernStats de la CEE-ONU.",
        "flow_intro_class": "Les sous-processus qui produisent cette classe, et ceux, plus tard, qui l'utilisent.",
        "flow_intro_sp": "Pour chaque entrée, les sous-processus antérieurs qui la produisent ; pour chaque sortie, "
        "les sous-processus ultérieurs qui l'utilisent.",
        "matrix_intro": "Activités du GSBPM par groupe GSIM : chaque case compte les correspondances "
        "(entrées / sorties) et y renvoie.",
        "see_flow": "Voir le flux d'information",
        "overarching_note": "Activités transversales",
        "hash_note": "Un terme comme gsim:InstanceVariable (http://id.unece.org/def/gsim#InstanceVariable) a sa "
        "page à /def/gsim/InstanceVariable : la partie après # n'est jamais transmise au serveur. L'ontologie "
        "elle-même est à /def/gsim. Chaque page répond aussi en Turtle, JSON-LD, N-Triples et RDF/XML.",
        "source_to_target": "source → cible",
    },
    "es": {
        "tagline": "Los modelos ModernStats de la CEPE como grafo de conocimiento",
        "skip": "Ir al contenido",
        "nav_main": "Navegación principal",
        "nav_lang": "Idioma",
        "breadcrumb": "Ruta de navegación",
        "home": "Inicio",
        "matrix": "Matriz de correspondencias",
        "downloads": "Descargas",
        "search": "Buscar",
        "search_label": "Buscar etiquetas, códigos y sinónimos",
        "search_placeholder": "p. ej. 5.3, variable, validar",
        "results_for": "Resultados para",
        "no_results": "Ningún resultado para esta búsqueda.",
        "suggestions": "Quizás quiso decir",
        "phase": "Fase",
        "phases": "Fases",
        "subprocess": "Subproceso",
        "subprocesses": "Subprocesos",
        "overarching": "Actividades transversales",
        "definition": "Definición",
        "names": "Nombres",
        "language": "Idioma",
        "name": "Nombre",
        "alt_labels": "Otros nombres",
        "previous": "Anterior",
        "next": "Siguiente",
        "inputs": "Entradas GSIM",
        "outputs": "Salidas GSIM",
        "role": "Rol",
        "class": "Clase GSIM",
        "group": "Grupo",
        "groups": "Grupos",
        "justification": "Justificación",
        "role_convention": (
            "Los roles siguen GSIM 2.0: una Core Input, Process Support Input o Core Output nombra la clase "
            "del objeto que desempeña el rol; una Parameter Input, Process Metric o Process Execution Log es "
            "información propia, nombrada por la clase del rol con un calificador que dice cuál. Un "
            "calificador entre paréntesis indica qué objeto de la clase se trata."
        ),
        "status": "Estado",
        "no_mappings": "Aún no hay objetos GSIM asociados aquí.",
        "services": "Servicios CSPA",
        "no_services": "Ningún servicio CSPA del catálogo lo soporta.",
        "gamso_context": "Contexto GAMSO",
        "flow": "Flujo de información",
        "flow_from": "De dónde vienen las entradas",
        "flow_to": "A dónde van las salidas",
        "upstream": "Producido antes por",
        "downstream": "Usado después por",
        "producers": "Producido por",
        "consumers": "Usado por",
        "nothing": "Ninguno.",
        "formats": "Esta descripción como datos",
        "older_iris": "Identificadores anteriores",
        "synonyms": "Sinónimos",
        "generalisation": "Cadena de generalización",
        "specialisations": "Subclases",
        "super_classes": "Superclases",
        "attributes": "Atributos",
        "attribute": "Atributo",
        "multiplicity": "Multiplicidad",
        "value_type": "Tipo de valor",
        "inherited": "Atributos heredados",
        "from_class": "de",
        "associations_out": "Asociaciones salientes",
        "associations_in": "Asociaciones entrantes",
        "association": "Asociación",
        "target": "Destino",
        "source": "Origen",
        "kind": "Tipo",
        "taken_in_by": "Usado por",
        "put_out_by": "Producido por",
        "deprecated": "Obsoleto",
        "deprecated_note": "Este nombre de GSIM 1.2 ya no se usa en GSIM 2.0.",
        "successor": "Usar en su lugar",
        "old_names": "Nombres GSIM anteriores",
        "diagram": "Diagrama de clases",
        "classes": "Clases",
        "other_groups": "De otros grupos",
        "activity_areas": "Áreas de actividad",
        "activities": "Actividades",
        "statements": "Enunciados",
        "outgoing": "Sobre este recurso",
        "incoming": "Que apuntan aquí",
        "property": "Propiedad",
        "value": "Valor",
        "subject": "Sujeto",
        "not_found": "No encontrado",
        "not_found_text": "El grafo no contiene nada bajo este identificador.",
        "count_inputs": "entradas",
        "count_outputs": "salidas",
        "total": "Total",
        "all": "Todo",
        "mappings_list": "Correspondencias",
        "activity": "Actividad",
        "direction": "Sentido",
        "input": "entrada",
        "output": "salida",
        "model": "Modelo",
        "graph": "Grafo",
        "triples": "Tripletas",
        "whole_dataset": "Conjunto de datos completo",
        "mapping_csv": "Correspondencia GSIM-GSBPM en CSV",
        "void": "Descripción VoID",
        "explore": "Explorar",
        "ontology": "Ontología",
        "service_catalogue": "Catálogo de servicios",
        "supports": "Soporta",
        "takes_in": "Entradas",
        "puts_out": "Salidas",
        "hierarchy": "Jerarquía de clases",
        "properties": "Propiedades",
        "domain": "Dominio",
        "range": "Rango",
        "content_version": "Versión del contenido",
        "licence": "Contenido bajo licencia CC BY 4.0, a partir de los estándares ModernStats de la CEPE.",
        "flow_intro_class": "Los subprocesos que producen esta clase y los posteriores que la usan.",
        "flow_intro_sp": "Para cada entrada, los subprocesos anteriores que la producen; para cada salida, los "
        "subprocesos posteriores que la usan.",
        "matrix_intro": "Actividades del GSBPM por grupo GSIM: cada celda cuenta las correspondencias "
        "(entradas / salidas) y enlaza con ellas.",
        "see_flow": "Ver el flujo de información",
        "overarching_note": "Actividades transversales",
        "hash_note": "Un término como gsim:InstanceVariable (http://id.unece.org/def/gsim#InstanceVariable) tiene "
        "su página en /def/gsim/InstanceVariable: la parte tras # nunca llega al servidor. La ontología está en "
        "/def/gsim. Cada página responde también en Turtle, JSON-LD, N-Triples y RDF/XML.",
        "source_to_target": "origen → destino",
    },
}
