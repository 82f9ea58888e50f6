"""The lifecycles of requests, offers and deployments, as tables of moves."""

from __future__ import annotations

from accord.workflow import Move, Workflow

DUTY = frozenset({"duty_officer"})
LAPSE_DAYS = 90

# A request is open until its state closes or withdraws it; an open request past its expiry
# is shown as lapsed (computed on read) until it is renewed.
REQUEST = Workflow(
    "request",
    ("open", "closed", "withdrawn"),
    (
        Move("open", "closed", DUTY),
        Move("open", "withdrawn", DUTY),
        Move("closed", "open", DUTY),
    ),
)

# The offering state makes and withdraws an offer; the requesting state answers it.
OFFER = Workflow(
    "offer",
    ("offered", "provisional", "accepted", "declined", "withdrawn"),
    (
        Move("offered", "accepted", DUTY),
        Move("offered", "declined", DUTY),
        Move("offered", "provisional", DUTY),
        Move("provisional", "accepted", DUTY),
        Move("provisional", "declined", DUTY),
        Move("offered", "withdrawn", DUTY),
        Move("provisional", "withdrawn", DUTY),
    ),
)
# Offers still on the table count as offered towards a need.
STANDING_OFFERS = ("offered", "provisional", "accepted")

DEPLOYMENT = Workflow(
    "deployment",
    ("offered", "accepted", "mobilising", "en_route", "deployed", "demobilised"),
    (
        Move("offered", "accepted", DUTY),
        Move("accepted", "mobilising", DUTY),
        Move("accepted", "en_route", DUTY),
        Move("mobilising", "en_route", DUTY),
        Move("en_route", "deployed", DUTY),
        Move("accepted", "demobilised", DUTY),
        Move("mobilising", "demobilised", DUTY),
        Move("en_route", "demobilised", DUTY),
        Move("deployed", "demobilised", DUTY),
    ),
)
