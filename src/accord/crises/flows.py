"""The escalation of a crisis: its levels and who may move it from one to the next.

The roles are in the table; whether the actor's state may act (an affected state's duty officer,
the secretariat's own staff) is checked by the service, which knows the crisis.
"""

from __future__ import annotations

from accord.workflow import Move, Workflow

LEVELS = ("monitoring", "consultations", "declared", "collective_response", "recovery", "closed")
OPENING_LEVELS = ("monitoring", "consultations")
OPEN_LEVELS = LEVELS[:-1]

DUTY = frozenset({"duty_officer"})
SECRETARIAT = frozenset({"secretariat"})
EITHER = DUTY | SECRETARIAT

# The level a council decision must back: collective response is the organisation acting.
NEEDS_DECISION = frozenset({"collective_response"})

ESCALATION = Workflow(
    "crisis",
    LEVELS,
    [
        Move("monitoring", "consultations", DUTY),
        Move("consultations", "monitoring", EITHER),
        Move("monitoring", "declared", SECRETARIAT),
        Move("consultations", "declared", SECRETARIAT),
        Move("declared", "collective_response", SECRETARIAT),
        Move("declared", "recovery", SECRETARIAT),
        Move("collective_response", "recovery", SECRETARIAT),
        Move("monitoring", "closed", SECRETARIAT),
        Move("consultations", "closed", SECRETARIAT),
        Move("recovery", "closed", SECRETARIAT),
    ],
)
