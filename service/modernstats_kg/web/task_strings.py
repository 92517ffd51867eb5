"""Interface strings of the contributed-task pages (the proposal form, the contributed tasks of a sub-process), per
language; kept beside those pages rather than in the shared `i18n` table."""

from __future__ import annotations

from . import i18n
from .string_tables import StringTable, register

STRINGS: StringTable = register(
    __name__,
    {
        "en": {
            "contributed": "Tasks contributed by organizations",
            "contributed_intro": "Submitted through the editing service, reviewed like mappings.",
            "status": "status",
            "propose_link": "Propose a task for this sub-process",
            "propose_title": "Propose a task",
            "propose_intro": "The task is attributed to your organization and stays proposed until reviewed.",
            "organization": "Organization",
            "subprocess": "Sub-process",
            "code": "Task code",
            "code_hint": "The sub-process code and a number, such as 5.3.2.",
            "name": "Name",
            "description": "Description",
            "language": "Language of name and description",
            "inputs": "GSIM classes it takes in",
            "outputs": "GSIM classes it puts out",
            "comment": "Why (recorded in the history)",
            "submit": "Submit the task",
            "refused": "The task was not saved:",
            "login_needed": "Log in to propose a task.",
            "no_organization": "Your account acts for no organization: ask an admin to set one.",
            "english_name": "A task needs an English name; add French or Spanish afterwards.",
        },
        "fr": {
            "contributed": "Tâches proposées par des organisations",
            "contributed_intro": "Soumises par le service d'édition, revues comme les correspondances.",
            "status": "statut",
            "propose_link": "Proposer une tâche pour ce sous-processus",
            "propose_title": "Proposer une tâche",
            "propose_intro": "La tâche est attribuée à votre organisation et reste proposée jusqu'à sa revue.",
            "organization": "Organisation",
            "subprocess": "Sous-processus",
            "code": "Code de la tâche",
            "code_hint": "Le code du sous-processus et un numéro, par exemple 5.3.2.",
            "name": "Nom",
            "description": "Description",
            "language": "Langue du nom et de la description",
            "inputs": "Classes GSIM en entrée",
            "outputs": "Classes GSIM en sortie",
            "comment": "Pourquoi (consigné dans l'historique)",
            "submit": "Soumettre la tâche",
            "refused": "La tâche n'a pas été enregistrée :",
            "login_needed": "Connectez-vous pour proposer une tâche.",
            "no_organization": "Votre compte n'agit pour aucune organisation : demandez-en une à un administrateur.",
            "english_name": "Une tâche a besoin d'un nom en anglais ; ajoutez le français ou l'espagnol ensuite.",
        },
        "es": {
            "contributed": "Tareas aportadas por organizaciones",
            "contributed_intro": "Enviadas por el servicio de edición, revisadas como las correspondencias.",
            "status": "estado",
            "propose_link": "Proponer una tarea para este subproceso",
            "propose_title": "Proponer una tarea",
            "propose_intro": "La tarea se atribuye a su organización y queda propuesta hasta que un revisor la "
            "apruebe.",
            "organization": "Organización",
            "subprocess": "Subproceso",
            "code": "Código de la tarea",
            "code_hint": "El código del subproceso y un número, por ejemplo 5.3.2.",
            "name": "Nombre",
            "description": "Descripción",
            "language": "Idioma del nombre y la descripción",
            "inputs": "Clases GSIM de entrada",
            "outputs": "Clases GSIM de salida",
            "comment": "Por qué (queda en el historial)",
            "submit": "Enviar la tarea",
            "refused": "La tarea no se guardó:",
            "login_needed": "Inicie sesión para proponer una tarea.",
            "no_organization": "Su cuenta no actúa por ninguna organización: pida una a un administrador.",
            "english_name": "Una tarea necesita un nombre en inglés; añada el francés o el español después.",
        },
    },
)


def task_strings(lang: str) -> dict[str, str]:
    """The strings in `lang`, English where a key is missing."""
    return {**STRINGS[i18n.DEFAULT], **STRINGS.get(lang, {})}
