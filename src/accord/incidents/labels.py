"""The words a person reads for the incident codes, in the current language."""

from __future__ import annotations

from accord.i18n import _


def area_names() -> dict[str, str]:
    return {
        "terrorism": _("Terrorism and extremism"),
        "drugs": _("Drug trafficking"),
        "arms_crime": _("Arms trafficking and organised crime"),
        "migration": _("Illegal migration"),
        "emergency": _("Emergencies"),
        "cyber": _("IT crime"),
        "military": _("Military and border security"),
    }


def severity_names() -> dict[str, str]:
    return {
        "Extreme": _("Extreme"),
        "Severe": _("Severe"),
        "Moderate": _("Moderate"),
        "Minor": _("Minor"),
        "Unknown": _("Unknown"),
    }


def urgency_names() -> dict[str, str]:
    return {
        "Immediate": _("Immediate"),
        "Expected": _("Expected"),
        "Future": _("Future"),
        "Past": _("Past"),
        "Unknown": _("Unknown"),
    }


def certainty_names() -> dict[str, str]:
    return {
        "Observed": _("Observed"),
        "Likely": _("Likely"),
        "Possible": _("Possible"),
        "Unlikely": _("Unlikely"),
        "Unknown": _("Unknown"),
    }


def status_names() -> dict[str, str]:
    return {
        "reported": _("reported"),
        "verified": _("verified"),
        "closed": _("closed"),
        "false_alarm": _("false alarm"),
    }


def status_actions() -> dict[str, str]:
    """What the button that moves an incident to a status says."""
    return {
        "reported": _("Reopen as reported"),
        "verified": _("Mark verified"),
        "closed": _("Close"),
        "false_alarm": _("False alarm"),
    }


def mode_names() -> dict[str, str]:
    return {"actual": _("actual"), "exercise": _("EXERCISE"), "test": _("TEST")}


def timeline_names() -> dict[str, str]:
    return {
        "reported": _("reported"),
        "updated": _("updated"),
        "status_changed": _("changed the status"),
        "commented": _("commented"),
        "duplicate_linked": _("marked as a duplicate"),
        "duplicate_found": _("found a duplicate of this report"),
    }


def field_names() -> dict[str, str]:
    return {
        "area": _("Area"),
        "title": _("Title"),
        "description": _("Description"),
        "occurred_at": _("Occurred (UTC)"),
        "severity": _("Severity"),
        "urgency": _("Urgency"),
        "certainty": _("Certainty"),
        "location": _("Location"),
        "country": _("Country"),
        "status": _("Status"),
        "mode": _("Mode"),
        "source": _("Source"),
        "classification": _("Classification"),
        "releasable_to": _("Releasable to"),
        "duplicate_of": _("Duplicate of"),
    }


def age(seconds: float) -> str:
    """How long something has waited, in the largest units that still say it precisely."""
    minutes = max(int(seconds // 60), 0)
    if minutes < 1:
        return _("under a minute")
    if minutes < 60:
        return _("{minutes} min").format(minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    days, hours = divmod(hours, 24)
    return _("{days} d {hours} h").format(days=days, hours=hours)


def all_labels() -> dict[str, dict[str, str]]:
    return {
        "areas": area_names(),
        "severities": severity_names(),
        "urgencies": urgency_names(),
        "certainties": certainty_names(),
        "statuses": status_names(),
        "status_actions": status_actions(),
        "modes": mode_names(),
        "timeline": timeline_names(),
        "fields": field_names(),
    }
