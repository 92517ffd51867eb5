"""Interface strings of the spreadsheet import page (`/import`) and the matrix's XLSX export link, in English,
French and Spanish; missing translations fall back to English like every other string."""

from __future__ import annotations

from .i18n import DEFAULT
from .string_tables import StringTable, register

_EN = {
    "title": "Import a spreadsheet",
    "intro": "Upload a CSV or XLSX sheet of mappings, as the matrix exports it. Every row is checked; if any row has "
    "a problem nothing is written. Otherwise the sheet goes in as one change attributed to you. A row with an id "
    "changes that mapping, a row without one adds a mapping, status deprecated withdraws one.",
    "login_first": "Log in with an editor account to import a sheet.",
    "login": "Log in",
    "no_role": "Importing needs the editor role or above.",
    "file": "Spreadsheet (CSV or XLSX)",
    "comment": "Why (recorded with the change)",
    "dry_run": "Dry run: check and show the changes, write nothing",
    "submit": "Check and import",
    "refused": "Nothing was written: the sheet has problems.",
    "checked": "Dry run: the sheet is valid; these changes would be made. Nothing was written.",
    "imported": "Imported: the changes below were made as one change.",
    "problems": "Problems",
    "row": "Row",
    "column": "Column",
    "message": "Problem",
    "changes": "Changes",
    "unchanged": "rows unchanged",
    "mapping": "Mapping",
    "field": "Field",
    "before": "Before",
    "after": "After",
    "export_heading": "Export",
    "export_csv": "All mappings as CSV",
    "export_xlsx": "All mappings as XLSX",
}

_FR = {
    "title": "Importer un tableur",
    "intro": "Déposez un fichier CSV ou XLSX de correspondances, tel que la matrice l'exporte. Chaque ligne est "
    "vérifiée ; si une ligne pose problème, rien n'est écrit. Sinon le fichier entre en une seule modification "
    "à votre nom. Une ligne avec un identifiant modifie cette correspondance, une ligne sans identifiant en ajoute "
    "une, le statut deprecated en retire une.",
    "login_first": "Connectez-vous avec un compte d'éditeur pour importer un fichier.",
    "login": "Se connecter",
    "no_role": "L'import demande le rôle d'éditeur ou plus.",
    "file": "Tableur (CSV ou XLSX)",
    "comment": "Pourquoi (enregistré avec la modification)",
    "dry_run": "Essai : vérifier et montrer les modifications, sans rien écrire",
    "submit": "Vérifier et importer",
    "refused": "Rien n'a été écrit : le fichier pose des problèmes.",
    "checked": "Essai : le fichier est valide ; voici les modifications prévues. Rien n'a été écrit.",
    "imported": "Importé : les modifications ci-dessous ont été faites en une seule fois.",
    "problems": "Problèmes",
    "row": "Ligne",
    "column": "Colonne",
    "message": "Problème",
    "changes": "Modifications",
    "unchanged": "lignes inchangées",
    "mapping": "Correspondance",
    "field": "Champ",
    "before": "Avant",
    "after": "Après",
    "export_heading": "Exporter",
    "export_csv": "Toutes les correspondances en CSV",
    "export_xlsx": "Toutes les correspondances en XLSX",
}

_ES = {
    "title": "Importar una hoja de cálculo",
    "intro": "Suba una hoja CSV o XLSX de correspondencias, tal como la matriz la exporta. Se comprueba cada fila; "
    "si alguna tiene un problema no se escribe nada. Si no, la hoja entra como un solo cambio a su nombre. Una fila "
    "con id cambia esa correspondencia, una fila sin id añade una, el estado deprecated retira una.",
    "login_first": "Inicie sesión con una cuenta de editor para importar una hoja.",
    "login": "Iniciar sesión",
    "no_role": "Importar requiere el rol de editor o superior.",
    "file": "Hoja de cálculo (CSV o XLSX)",
    "comment": "Por qué (se guarda con el cambio)",
    "dry_run": "Prueba: comprobar y mostrar los cambios, sin escribir nada",
    "submit": "Comprobar e importar",
    "refused": "No se escribió nada: la hoja tiene problemas.",
    "checked": "Prueba: la hoja es válida; se harían estos cambios. No se escribió nada.",
    "imported": "Importado: los cambios siguientes se hicieron como un solo cambio.",
    "problems": "Problemas",
    "row": "Fila",
    "column": "Columna",
    "message": "Problema",
    "changes": "Cambios",
    "unchanged": "filas sin cambios",
    "mapping": "Correspondencia",
    "field": "Campo",
    "before": "Antes",
    "after": "Después",
    "export_heading": "Exportar",
    "export_csv": "Todas las correspondencias en CSV",
    "export_xlsx": "Todas las correspondencias en XLSX",
}

_BY_LANG: StringTable = register(__name__, {"en": _EN, "fr": _FR, "es": _ES})


def import_strings(lang: str) -> dict[str, str]:
    """The strings in `lang`, every key present (English where no translation exists)."""
    if lang == DEFAULT:
        return _EN
    return {**_EN, **_BY_LANG.get(lang, {})}
