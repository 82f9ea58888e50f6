"""The words the crisis pages show for codes, in the reader's language."""

from __future__ import annotations

from accord.i18n import _


def level_names() -> dict[str, str]:
    return {
        "monitoring": _("Monitoring"),
        "consultations": _("Consultations"),
        "declared": _("Crisis declared"),
        "collective_response": _("Collective response"),
        "recovery": _("Recovery"),
        "closed": _("Closed"),
    }


def move_names() -> dict[str, str]:
    """What the button that moves a crisis to each level says."""
    return {
        "monitoring": _("Back to monitoring"),
        "consultations": _("Ask for consultations"),
        "declared": _("Declare the crisis"),
        "collective_response": _("Start the collective response"),
        "recovery": _("Move to recovery"),
        "closed": _("Close the crisis"),
    }


def mode_names() -> dict[str, str]:
    return {"actual": _("Actual"), "exercise": _("EXERCISE"), "test": _("TEST")}


def entry_names() -> dict[str, str]:
    return {
        "opened": _("opened the crisis"),
        "escalated": _("moved the crisis"),
        "updated": _("changed the crisis"),
        "incident_linked": _("added an incident"),
        "incident_unlinked": _("removed an incident"),
        "task_added": _("gave a task"),
        "task_updated": _("changed a task"),
        "task_done": _("finished a task"),
    }


def role_names() -> dict[str, str]:
    return {"coordinator": _("Coordinator"), "liaison": _("Liaison"), "scribe": _("Scribe")}


def all_labels() -> dict[str, dict[str, str]]:
    return {
        "levels": level_names(),
        "moves": move_names(),
        "modes": mode_names(),
        "entries": entry_names(),
        "roles": role_names(),
    }
