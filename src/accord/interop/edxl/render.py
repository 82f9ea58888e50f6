"""Pure EDXL-RM 1.0 rendering: plain values in, XML bytes out, no database.

Top-level message elements and the elements the message schema declares locally are in the
message namespace; the children of the shared types are in the common namespace (``rm:``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

MSG = "urn:oasis:names:tc:emergency:EDXL:RM:1.0:msg"
RM = "urn:oasis:names:tc:emergency:EDXL:RM:1.0"
NSMAP = {None: MSG, "rm": RM}
SCHEMA_DIR = Path(__file__).parent / "schema"
CAPABILITY_LIST = "urn:accord:capability"
DEPLOYMENT_LIST = "urn:accord:deployment-status"
RESPONSE_TYPES = {"Accept", "Decline", "Provisional"}


@dataclass
class Place:
    description: str
    longitude: float | None = None
    latitude: float | None = None


@dataclass
class Schedule:
    kind: str  # RequestedArrival, EstimatedArrival, Current, …
    at: datetime | None = None
    place: Place | None = None


@dataclass
class ResourceItem:
    """One ResourceInformation block."""

    element_id: str
    capability: str
    name: str
    quantity: int
    schedules: list[Schedule] = field(default_factory=list)
    resource_id: str | None = None
    response_to: str | None = None
    response_type: str | None = None
    response_reason: str = ""
    instructions: str = ""
    deployment_status: str | None = None


@dataclass
class Message:
    """One EDXL-RM message: its kind and header, and its resource blocks."""

    kind: str
    message_id: str
    sent: datetime
    description: str
    contact: str
    contact_role: str
    items: list[ResourceItem]
    originating_id: str | None = None
    preceding_id: str | None = None
    incident_id: str | None = None
    incident_description: str = ""


def _time(value: datetime) -> str:
    # XML Schema dateTime with an explicit offset and no fraction, like CAP.
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def _add(parent: etree._Element, namespace: str, name: str, text: str | None = None):
    child = etree.SubElement(parent, f"{{{namespace}}}{name}")
    if text is not None:
        child.text = text
    return child


def _value_list(parent: etree._Element, name: str, urn: str, value: str) -> None:
    holder = _add(parent, MSG, name)
    _add(holder, RM, "ValueListURN", urn)
    _add(holder, RM, "Value", value)


def _location(parent: etree._Element, place: Place) -> None:
    location = _add(parent, MSG, "Location")
    text = place.description
    if place.longitude is not None and place.latitude is not None:
        text = f"{text} ({place.latitude:.6f}, {place.longitude:.6f})".strip()
    _add(location, RM, "LocationDescription", text or "-")


def _resource(parent: etree._Element, item: ResourceItem) -> None:
    block = _add(parent, MSG, "ResourceInformation")
    _add(block, MSG, "ResourceInfoElementID", item.element_id)
    if item.response_type is not None:
        if item.response_type not in RESPONSE_TYPES:
            raise ValueError(f"unknown EDXL-RM response type {item.response_type!r}")
        response = _add(block, MSG, "ResponseInformation")
        _add(response, RM, "PrecedingResourceInfoElementID", item.response_to or "")
        _add(response, RM, "ResponseType", item.response_type)
        if item.response_reason:
            _add(response, RM, "ResponseReason", item.response_reason)
    resource = _add(block, MSG, "Resource")
    if item.resource_id:
        _add(resource, MSG, "ResourceID", item.resource_id)
    _add(resource, MSG, "Name", item.name)
    _value_list(resource, "TypeStructure", CAPABILITY_LIST, item.capability)
    if item.deployment_status is not None:
        status = _add(resource, MSG, "ResourceStatus")
        _value_list(status, "DeploymentStatus", DEPLOYMENT_LIST, item.deployment_status)
    assignment = _add(block, MSG, "AssignmentInformation")
    quantity = _add(assignment, MSG, "Quantity")
    measured = _add(quantity, RM, "MeasuredQuantity")
    _add(measured, RM, "Amount", str(item.quantity))
    if item.instructions:
        _add(assignment, MSG, "AssignmentInstructions", item.instructions)
    for schedule in item.schedules:
        element = _add(block, MSG, "ScheduleInformation")
        _add(element, MSG, "ScheduleType", schedule.kind)
        if schedule.at is not None:
            _add(element, MSG, "DateTime", _time(schedule.at))
        if schedule.place is not None:
            _location(element, schedule.place)


def render(message: Message) -> bytes:
    """The message as an XML document (UTF-8, with declaration)."""
    root = etree.Element(f"{{{MSG}}}{message.kind}", nsmap=NSMAP)
    _add(root, MSG, "MessageID", message.message_id)
    _add(root, MSG, "SentDateTime", _time(message.sent))
    _add(root, MSG, "MessageContentType", message.kind)
    if message.description:
        _add(root, MSG, "MessageDescription", message.description)
    if message.originating_id:
        _add(root, MSG, "OriginatingMessageID", message.originating_id)
    if message.preceding_id:
        _add(root, MSG, "PrecedingMessageID", message.preceding_id)
    if message.incident_id:
        incident = _add(root, MSG, "IncidentInformation")
        _add(incident, RM, "IncidentID", message.incident_id)
        if message.incident_description:
            _add(incident, RM, "IncidentDescription", message.incident_description)
    contact = _add(root, MSG, "ContactInformation")
    _add(contact, RM, "ContactDescription", message.contact or "-")
    _add(contact, RM, "ContactRole", message.contact_role)
    for item in message.items:
        _resource(root, item)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def schema() -> etree.XMLSchema:
    """The XML Schema of the subset rendered here (message and common namespaces)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    document = etree.parse(str(SCHEMA_DIR / "edxl-rm-msg-subset.xsd"), parser)
    return etree.XMLSchema(document)
