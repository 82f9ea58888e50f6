"""Names of the council's codes in the reader's language."""

from __future__ import annotations

from accord.i18n import _


def all_labels() -> dict[str, dict[str, str]]:
    return {
        "positions": {
            "support": _("support"),
            "no_objection": _("no objection"),
            "abstain": _("abstain"),
            "declared_abstention": _("declared abstention"),
            "non_participation": _("non-participation"),
            "object": _("object"),
            "amend": _("amend"),
            "statement": _("statement"),
            "absent": _("absent"),
        },
        "attendance": {
            "present": _("present"),
            "represented": _("represented"),
            "absent": _("absent"),
            "declined": _("declined"),
        },
        "statuses": {
            "draft": _("draft"),
            "open": _("open for positions"),
            "silence": _("silence procedure"),
            "adopted": _("adopted"),
            "not_adopted": _("not adopted"),
            "withdrawn": _("withdrawn"),
        },
        "kinds": {"regular": _("regular"), "extraordinary": _("extraordinary")},
        "formats": {"narrow": _("narrow format"), "extended": _("extended format")},
        "procedures": {"session": _("at a session"), "written": _("written procedure")},
        "rules": {
            "consensus": _("consensus"),
            "consensus_minus_concerned": _("consensus minus the state concerned"),
            "unanimity_constructive_abstention": _("unanimity with constructive abstention"),
            "simple_majority": _("simple majority"),
            "qualified_majority": _("qualified majority"),
        },
    }
