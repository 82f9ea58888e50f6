"""Every ORM model, one table per module, imported here for Alembic and the mappers.

The tables of the earlier domains are named below; every other module of this package is
imported by the loop at the end, so a new table needs only its own file.
"""

import importlib
import pkgutil

from accord.models.api_token import ApiToken
from accord.models.attachment import Attachment
from accord.models.base import Base
from accord.models.blob import Blob
from accord.models.body import Body
from accord.models.cap_alert import CapAlert
from accord.models.cap_reference import CapReference
from accord.models.chair_term import ChairTerm
from accord.models.checkpoint import Checkpoint
from accord.models.event import Event
from accord.models.idempotency_record import IdempotencyRecord
from accord.models.incident import Incident
from accord.models.incident_update import IncidentUpdate
from accord.models.login_throttle import LoginThrottle
from accord.models.member_state import MemberState
from accord.models.organisation import Organisation
from accord.models.user import User
from accord.models.user_session import UserSession

__all__ = [
    "ApiToken",
    "Attachment",
    "Base",
    "Blob",
    "Body",
    "CapAlert",
    "CapReference",
    "ChairTerm",
    "Checkpoint",
    "Event",
    "IdempotencyRecord",
    "Incident",
    "IncidentUpdate",
    "LoginThrottle",
    "MemberState",
    "Organisation",
    "User",
    "UserSession",
]

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
