"""Sessions as an iCalendar feed (RFC 5545), for calendar programs."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, timedelta

from icalendar import Calendar, Event

from accord.access import Classification
from accord.models.council_session import CouncilSession

QUARTER_START = {1: 1, 2: 4, 3: 7, 4: 10}


def _span(record: CouncilSession) -> tuple[date, date]:
    """The session's day, or the whole quarter (or year) while only that is fixed."""
    if record.held_on is not None:
        return record.held_on, record.held_on + timedelta(days=1)
    if record.quarter:
        start = date(record.year, QUARTER_START[record.quarter], 1)
        end_month = QUARTER_START[record.quarter] + 3
        end = date(record.year + (end_month > 12), (end_month - 1) % 12 + 1, 1)
        return start, end
    return date(record.year, 1, 1), date(record.year + 1, 1, 1)


def sessions_calendar(rows: Iterable[CouncilSession], body_codes: dict[uuid.UUID, str]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Accord//council sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Accord sessions")
    for record in rows:
        start, end = _span(record)
        event = Event()
        event.add("uid", f"{record.id}@accord")
        event.add("summary", record.title)
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("dtstamp", record.created_at)
        event.add("location", ", ".join(part for part in (record.venue, record.city) if part))
        event.add("categories", [body_codes.get(record.body_id, "").upper(), record.kind])
        event.add(
            "class", "PUBLIC" if record.classification == Classification.PUBLIC else "CONFIDENTIAL"
        )
        if record.held_on is None:
            event.add("status", "TENTATIVE")
        else:
            event.add("status", "CONFIRMED")
        if record.notes:
            event.add("description", record.notes)
        calendar.add_component(event)
    return calendar.to_ical()
