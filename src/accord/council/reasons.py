"""The reason of an outcome as a sentence in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping

from accord.council.outcome import Reason
from accord.i18n import _


def _names(codes: tuple[str, ...], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(code, code) for code in codes)


def _details(reason: Reason, names: Mapping[str, str]) -> list[str]:
    parts = []
    if reason.written:
        parts.append(
            _("{states} did not attend, agreed in writing").format(
                states=_names(reason.written, names)
            )
        )
    if reason.absent and not reason.absent_blocking:
        parts.append(_("absent: {states}").format(states=_names(reason.absent, names)))
    if reason.declared_abstention:
        parts.append(
            _("declared abstention: {states}").format(
                states=_names(reason.declared_abstention, names)
            )
        )
    if reason.non_participation:
        parts.append(
            _("not participating: {states}").format(states=_names(reason.non_participation, names))
        )
    if reason.statements:
        parts.append(_("statements by {states}").format(states=_names(reason.statements, names)))
    if reason.concerned:
        parts.append(
            _("the state concerned left out: {states}").format(
                states=_names(reason.concerned, names)
            )
        )
    if reason.fallback:
        parts.append(_("a substantive question, decided by consensus"))
    return parts


def _head(reason: Reason, names: Mapping[str, str]) -> str:
    eligible = len(reason.eligible)
    if reason.code == "no_objection":
        return _("adopted: no objection among {count} eligible members").format(count=eligible)
    if reason.code == "objection":
        heads = []
        if reason.blocking:
            heads.append(
                _("not adopted: objection by {states}").format(
                    states=_names(reason.blocking, names)
                )
            )
        if reason.absent_blocking:
            heads.append(
                _("not adopted: absent, which blocks under this rule: {states}").format(
                    states=_names(reason.absent_blocking, names)
                )
            )
        return "; ".join(heads)
    if reason.code == "silence_broken":
        return _("not adopted: the silence was broken by {states}").format(
            states=_names(reason.blocking, names)
        )
    if reason.code == "abstention_threshold":
        return _(
            "not adopted: declared abstentions by {states} reach a third of the members "
            "and of their population"
        ).format(states=_names(reason.declared_abstention, names))
    if reason.code == "majority":
        return _("adopted: {yes} in favour and {no} against among {count} eligible members").format(
            yes=reason.in_favour, no=reason.against, count=eligible
        )
    if reason.code == "no_majority":
        return _(
            "not adopted: {yes} in favour and {no} against among {count} eligible members, "
            "short of the majority required ({required})"
        ).format(yes=reason.in_favour, no=reason.against, count=eligible, required=reason.required)
    return _("not adopted: no eligible member")


def describe(reason: Reason, names: Mapping[str, str]) -> str:
    """E.g. 'adopted: no objection among 6 eligible members; Armenia did not attend, …'."""
    return "; ".join([_head(reason, names), *_details(reason, names)])
