"""Small CAP 1.2 alerts written for the tests, and the real corpus beside the repository."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cap"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/data/cap")
REAL = CORPUS / "real"
OLD_VERSIONS = CORPUS / "old-versions"
INVALID_REAL = {"fiji_sambro-demo-water-shortage-en-hi-invalid.xml"}
VALID_REAL = sorted(path for path in REAL.glob("*.xml") if path.name not in INVALID_REAL)


def cap_time(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def hours_ago(hours: float) -> str:
    return cap_time(datetime.now(UTC) - timedelta(hours=hours))


def parameters(values: dict[str, str]) -> str:
    return "".join(
        f"<parameter><valueName>{name}</valueName><value>{value}</value></parameter>"
        for name, value in values.items()
    )


def info_block(
    *,
    language: str = "en-GB",
    category: str = "Met",
    event: str = "Flood",
    headline: str = "River flood in the valley",
    description: str = "The river has burst its banks.",
    urgency: str = "Immediate",
    severity: str = "Severe",
    certainty: str = "Observed",
    onset: str | None = None,
    params: dict[str, str] | None = None,
    area: str = "",
) -> str:
    return (
        f"<info><language>{language}</language><category>{category}</category>"
        f"<event>{event}</event><urgency>{urgency}</urgency><severity>{severity}</severity>"
        f"<certainty>{certainty}</certainty>"
        + (f"<onset>{onset}</onset>" if onset else "")
        + f"<headline>{headline}</headline><description>{description}</description>"
        + parameters(params or {})
        + area
        + "</info>"
    )


def alert(
    *,
    identifier: str = "TEST-1",
    sender: str = "warnings@example.org",
    sent: str | None = None,
    status: str = "Actual",
    msg_type: str = "Alert",
    references: str | None = None,
    infos: list[str] | None = None,
    namespace: str = "urn:oasis:names:tc:emergency:cap:1.2",
) -> bytes:
    """A CAP alert; ``infos`` are ready-made info blocks (default: one flood info)."""
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="{namespace}">'
        f"<identifier>{identifier}</identifier><sender>{sender}</sender>"
        f"<sent>{sent or hours_ago(1)}</sent><status>{status}</status>"
        f"<msgType>{msg_type}</msgType><scope>Public</scope>"
        + (f"<references>{references}</references>" if references else "")
        + "".join(infos if infos is not None else [info_block()])
        + "</alert>"
    )
    return body.encode()


def area_block(
    desc: str = "The valley",
    *,
    polygon: str = "",
    circle: str = "",
    geocodes: dict[str, str] | None = None,
) -> str:
    return (
        f"<area><areaDesc>{desc}</areaDesc>"
        + (f"<polygon>{polygon}</polygon>" if polygon else "")
        + (f"<circle>{circle}</circle>" if circle else "")
        + "".join(
            f"<geocode><valueName>{name}</valueName><value>{value}</value></geocode>"
            for name, value in (geocodes or {}).items()
        )
        + "</area>"
    )


BLR_CONFIDENTIAL = {"classification": "CONFIDENTIAL", "releasable_to": "BLR,KAZ"}

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE alert [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&secret;</identifier></alert>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE alert [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol9;</identifier></alert>"""
