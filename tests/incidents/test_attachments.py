import hashlib
import io
import uuid
import zipfile

import httpx
import pytest
from sqlalchemy import func, select

from accord.access import Classification
from accord.app import create_app
from accord.auth.service import viewer_of
from accord.config import Settings
from accord.incidents import attachment_service
from accord.models import Attachment, Blob, Event, Incident, IncidentUpdate, User
from accord.web.rendering import environment
from tests.factories import add_user, login
from tests.incidents.test_api import report
from tests.incidents.test_exports import add_people, as_user, reported

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


async def count(db, model, *conditions):
    async with db.transaction() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*conditions))


async def blr_incident(client):
    await add_people(client.app.state.db)
    return (await reported(client, "blr.duty"))["id"]


async def upload(client, incident_id, name, content, media_type="application/octet-stream"):
    csrf = await login(client, "blr.duty")
    return await client.post(
        f"/api/v1/incidents/{incident_id}/attachments",
        files={"file": (name, content, media_type)},
        headers={"X-CSRF-Token": csrf},
    )


async def test_the_owning_duty_officer_attaches_a_file_stored_by_its_hash(client):
    incident_id = await blr_incident(client)
    answer = await upload(client, incident_id, "scene.png", PNG, "image/png")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["filename"] == "scene.png"
    assert body["media_type"] == "image/png"
    assert body["size"] == len(PNG)
    assert body["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert body["created_by"] == "blr.duty"
    assert body["url"] == f"/api/v1/incidents/{incident_id}/attachments/{body['id']}"
    db = client.app.state.db
    assert await count(db, Blob, Blob.sha256 == body["sha256"]) == 1


async def test_a_file_is_downloaded_as_stored_and_never_rendered_by_the_browser(client):
    incident_id = await blr_incident(client)
    created = (await upload(client, incident_id, "Протокол осмотра.pdf", PDF)).json()
    await as_user(client, "kaz.analyst")
    answer = await client.get(created["url"])
    assert answer.status_code == 200
    assert answer.content == PDF
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("attachment;")
    assert (
        "%D0%9F%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB" in answer.headers["content-disposition"]
    )
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-classification"] == "CONFIDENTIAL"


async def test_the_same_content_is_stored_once_for_two_attachments(client):
    incident_id = await blr_incident(client)
    other_id = (await reported(client, "blr.duty", title="Second seizure"))["id"]
    first = (await upload(client, incident_id, "a.png", PNG)).json()
    second = (await upload(client, other_id, "b.png", PNG)).json()
    assert first["sha256"] == second["sha256"]
    db = client.app.state.db
    assert await count(db, Blob) == 1
    assert await count(db, Attachment) == 2


async def test_attaching_records_an_event_with_the_incident_markings_and_a_timeline_entry(client):
    incident_id = await blr_incident(client)
    created = (await upload(client, incident_id, "notes.txt", b"Seen at 08:00\n")).json()
    async with client.app.state.db.transaction() as session:
        event = await session.scalar(select(Event).where(Event.kind == "incident.attachment_added"))
        entry = await session.scalar(
            select(IncidentUpdate).where(IncidentUpdate.kind == "attachment_added")
        )
    assert event.subject == incident_id
    assert event.actor == "blr.duty"
    assert (event.state, event.classification) == ("BLR", Classification.CONFIDENTIAL)
    assert sorted(event.releasable_to) == ["BLR", "KAZ"]
    assert event.payload["id"] == created["id"] and event.payload["filename"] == "notes.txt"
    assert str(entry.incident_id) == incident_id and entry.actor == "blr.duty"


async def test_attachments_are_listed_and_served_only_to_those_who_see_the_incident(client):
    incident_id = await blr_incident(client)
    created = (await upload(client, incident_id, "scene.png", PNG)).json()
    listing = f"/api/v1/incidents/{incident_id}/attachments"
    for username, sees in (("kaz.analyst", True), ("arm.analyst", False), ("kaz.low", False)):
        await as_user(client, username)
        listed = await client.get(listing)
        fetched = await client.get(created["url"])
        if sees:
            assert [item["id"] for item in listed.json()["items"]] == [created["id"]]
            assert fetched.content == PNG
        else:
            assert listed.status_code == 404, username
            assert fetched.status_code == 404, username
            assert "scene.png" not in listed.text + fetched.text
    client.cookies.clear()
    assert (await client.get(listing)).status_code == 401
    assert (await client.get(created["url"])).status_code == 401
    anonymous = await client.post(listing, files={"file": ("x.png", PNG, "image/png")})
    assert anonymous.status_code == 401


async def test_an_attachment_of_another_incident_is_not_found_under_this_one(client):
    incident_id = await blr_incident(client)
    other_id = (await reported(client, "blr.duty", title="Another"))["id"]
    created = (await upload(client, incident_id, "scene.png", PNG)).json()
    answer = await client.get(f"/api/v1/incidents/{other_id}/attachments/{created['id']}")
    assert answer.status_code == 404


async def test_the_attachment_list_pages_with_a_cursor(client):
    incident_id = await blr_incident(client)
    for index in range(3):
        await upload(client, incident_id, f"note-{index}.txt", f"note {index}\n".encode())
    path = f"/api/v1/incidents/{incident_id}/attachments"
    first = (await client.get(path, params={"limit": 2})).json()
    second = (await client.get(path, params={"limit": 2, "cursor": first["next_cursor"]})).json()
    names = [item["filename"] for item in first["items"] + second["items"]]
    assert names == ["note-0.txt", "note-1.txt", "note-2.txt"]
    assert second["next_cursor"] is None


async def test_only_the_owning_states_duty_officers_and_analysts_attach(client):
    incident_id = await blr_incident(client)
    db = client.app.state.db
    await add_user(db, username="blr.delegate", state="BLR", roles=["delegate"])
    for username in ("kaz.analyst", "blr.delegate"):
        client.cookies.clear()
        csrf = await login(client, username)
        answer = await client.post(
            f"/api/v1/incidents/{incident_id}/attachments",
            files={"file": ("scene.png", PNG, "image/png")},
            headers={"X-CSRF-Token": csrf},
        )
        assert answer.status_code == 403, username
    client.cookies.clear()
    csrf = await login(client, "arm.analyst")
    hidden = await client.post(
        f"/api/v1/incidents/{incident_id}/attachments",
        files={"file": ("scene.png", PNG, "image/png")},
        headers={"X-CSRF-Token": csrf},
    )
    assert hidden.status_code == 404
    assert await count(db, Attachment) == 0
    assert await count(db, Blob) == 0


async def test_a_cookie_upload_without_the_csrf_token_is_refused(client):
    incident_id = await blr_incident(client)
    await login(client, "blr.duty")
    answer = await client.post(
        f"/api/v1/incidents/{incident_id}/attachments",
        files={"file": ("scene.png", PNG, "image/png")},
    )
    assert answer.status_code == 403
    assert await count(client.app.state.db, Attachment) == 0


@pytest.mark.parametrize(
    ("name", "content", "media_type", "status"),
    [
        ("scene.png", b"just some words, not a picture\n", "image/png", 422),
        ("report.pdf", PNG, "application/pdf", 422),
        ("report.pdf", PDF, "image/png", 422),
        ("notes.txt", PNG, "text/plain", 422),
        ("data.json", b"{not json", "application/json", 422),
        ("letter.docx", office_file("xl/workbook.xml"), "application/octet-stream", 422),
        ("empty.txt", b"", "text/plain", 422),
        ("tool.exe", b"MZ\x90\x00\x03", "application/octet-stream", 415),
        ("page.html", b"<html><script>alert(1)</script></html>", "text/html", 415),
        ("picture.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml", 415),
    ],
)
async def test_a_file_whose_type_or_content_is_wrong_is_refused_naming_the_field(
    client, name, content, media_type, status
):
    incident_id = await blr_incident(client)
    answer = await upload(client, incident_id, name, content, media_type)
    assert answer.status_code == status, answer.text
    assert answer.json()["error"]["field"] == "file"
    db = client.app.state.db
    assert await count(db, Attachment) == 0
    assert await count(db, Blob) == 0
    assert await count(db, Event, Event.kind == "incident.attachment_added") == 0


@pytest.mark.parametrize(
    ("name", "content", "media_type"),
    [
        ("letter.docx", office_file("word/document.xml"), "application/octet-stream"),
        ("table.xlsx", office_file("xl/workbook.xml"), attachment_service.XLSX),
        ("bundle.zip", office_file("anything.txt"), "application/zip"),
        ("list.csv", "name;city\nИванов;Минск\n".encode("cp1251"), "text/csv"),
        ("alert.xml", b"<?xml version='1.0'?><alert/>", "text/xml"),
        ("data.json", b'{"a": [1, 2]}', "application/json"),
        ("photo.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image/jpeg"),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00", "image/gif"),
        ("image.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
    ],
)
async def test_accepted_types_are_stored_with_their_media_type(client, name, content, media_type):
    incident_id = await blr_incident(client)
    answer = await upload(client, incident_id, name, content, media_type)
    assert answer.status_code == 201, answer.text
    expected = attachment_service.ACCEPTED["." + name.rsplit(".", 1)[1].lower()].media_type
    assert answer.json()["media_type"] == expected


async def test_a_folder_in_the_file_name_is_dropped(client):
    incident_id = await blr_incident(client)
    answer = await upload(client, incident_id, "C:\\Users\\duty\\..\\scene.png", PNG)
    assert answer.json()["filename"] == "scene.png"


async def test_a_request_without_a_file_is_refused_naming_the_field(client):
    incident_id = await blr_incident(client)
    csrf = await login(client, "blr.duty")
    path = f"/api/v1/incidents/{incident_id}/attachments"
    no_file = await client.post(
        path, data={"note": "x"}, files={"other": ("a.txt", b"a")}, headers={"X-CSRF-Token": csrf}
    )
    assert no_file.status_code == 422
    assert no_file.json()["error"]["field"] == "file"
    not_multipart = await client.post(
        path, content=PNG, headers={"X-CSRF-Token": csrf, "Content-Type": "image/png"}
    )
    assert not_multipart.status_code == 415
    assert not_multipart.json()["error"]["field"] == "file"


class CountingBody:
    """An upload body that counts how much of it the server asked for."""

    def __init__(self, size: int, chunk: int = 64 * 1024) -> None:
        self.size, self.chunk, self.sent = size, chunk, 0
        self.boundary = "accordtestboundary"

    def head(self) -> bytes:
        return (
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n'
        ).encode()

    async def __aiter__(self):
        yield self.head()
        while self.sent < self.size:
            self.sent += self.chunk
            yield b"0" * self.chunk
        yield f"\r\n--{self.boundary}--\r\n".encode()


async def test_a_50_mb_upload_is_refused_with_413_before_it_is_read(client):
    incident_id = await blr_incident(client)
    csrf = await login(client, "blr.duty")
    body = CountingBody(50 * 1024 * 1024)
    answer = await client.post(
        f"/api/v1/incidents/{incident_id}/attachments",
        content=body,
        headers={
            "X-CSRF-Token": csrf,
            "Content-Type": f"multipart/form-data; boundary={body.boundary}",
            "Content-Length": str(50 * 1024 * 1024 + 300),
        },
    )
    assert answer.status_code == 413
    assert answer.json()["error"]["field"] == "file"
    assert body.sent == 0
    assert await count(client.app.state.db, Attachment) == 0


@pytest.fixture
async def small_limit_client(sqlite_url, data_dir):
    settings = Settings(database_url=sqlite_url, data_dir=data_dir, max_upload_bytes=200_000)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            client.app = app
            yield client


async def test_an_upload_without_a_length_is_cut_off_once_it_passes_the_limit(small_limit_client):
    client = small_limit_client
    incident_id = await blr_incident(client)
    csrf = await login(client, "blr.duty")
    body = CountingBody(50 * 1024 * 1024)
    answer = await client.post(
        f"/api/v1/incidents/{incident_id}/attachments",
        content=body,
        headers={
            "X-CSRF-Token": csrf,
            "Content-Type": f"multipart/form-data; boundary={body.boundary}",
        },
    )
    assert answer.status_code == 413
    assert "0.2 MB" in answer.json()["error"]["message"]
    assert body.sent < 200_000 + 2 * body.chunk
    assert await count(client.app.state.db, Blob) == 0


async def test_a_file_at_the_limit_is_accepted(small_limit_client):
    client = small_limit_client
    incident_id = await blr_incident(client)
    content = PDF + b"0" * (200_000 - len(PDF))
    answer = await upload(client, incident_id, "exactly.pdf", content)
    assert answer.status_code == 201, answer.text
    over = await upload(client, incident_id, "over.pdf", content + b"0")
    assert over.status_code == 413


async def test_the_form_on_the_incident_page_uploads_and_returns_to_the_incident(client):
    incident_id = await blr_incident(client)
    csrf = await login(client, "blr.duty")
    answer = await client.post(
        f"/incidents/{incident_id}/attachments",
        data={"csrf_token": csrf},
        files={"file": ("scene.png", PNG, "image/png")},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/incidents/{incident_id}#attachments"
    assert await count(client.app.state.db, Attachment) == 1


async def test_the_page_form_shows_refusals_and_stores_nothing(client):
    incident_id = await blr_incident(client)
    csrf = await login(client, "blr.duty")
    path = f"/incidents/{incident_id}/attachments"
    wrong = await client.post(
        path, data={"csrf_token": csrf}, files={"file": ("scene.png", b"words", "image/png")}
    )
    assert wrong.status_code == 422
    assert "not PNG" in wrong.text
    forged = await client.post(
        path, data={"csrf_token": "forged"}, files={"file": ("scene.png", PNG, "image/png")}
    )
    assert forged.status_code == 403
    client.cookies.clear()
    anonymous = await client.post(path, files={"file": ("scene.png", PNG, "image/png")})
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login")
    assert await count(client.app.state.db, Attachment) == 0


async def render_attachments(db, username, incident_id):
    async with db.transaction() as session:
        user = await session.scalar(select(User).where(User.username == username))
        incident = await session.get(Incident, incident_id)
        context = await attachment_service.attachments_context(
            session, viewer_of(user), incident, max_upload_bytes=20 * 1024 * 1024
        )
        template = environment.get_template("incident_attachments.html")
        return template.render({**context, "csrf_token": "token-1"})


async def test_the_incident_page_section_lists_files_and_offers_the_form_to_the_owner(client):
    incident_id = await blr_incident(client)
    await upload(client, incident_id, "scene.png", PNG)
    db = client.app.state.db
    owner = await render_attachments(db, "blr.duty", uuid.UUID(incident_id))
    assert "scene.png" in owner
    assert f'action="/incidents/{incident_id}/attachments"' in owner
    assert 'enctype="multipart/form-data"' in owner and 'value="token-1"' in owner
    assert "20.0 MB" in owner
    reader = await render_attachments(db, "kaz.analyst", uuid.UUID(incident_id))
    assert "scene.png" in reader
    assert "<form" not in reader


async def test_attachments_are_stored_once_and_served_through_access_on_postgresql(pg_client):
    incident_id = await blr_incident(pg_client)
    first = (await upload(pg_client, incident_id, "a.png", PNG)).json()
    second = await upload(pg_client, incident_id, "b.png", PNG)
    assert second.status_code == 201
    assert await count(pg_client.app.state.db, Blob) == 1
    await as_user(pg_client, "kaz.analyst")
    assert (await pg_client.get(first["url"])).content == PNG
    await as_user(pg_client, "kaz.low")
    assert (await pg_client.get(first["url"])).status_code == 404


async def test_the_incident_page_lists_its_attachments_and_offers_the_upload_form(client):
    db = client.app.state.db
    await add_user(db, username="blr.duty", state="BLR", roles=["duty_officer"])
    csrf = await login(client, "blr.duty")
    headers = {"X-CSRF-Token": csrf}
    created = await client.post("/api/v1/incidents", json=report(), headers=headers)
    incident_id = created.json()["id"]
    upload = await client.post(
        f"/api/v1/incidents/{incident_id}/attachments",
        files={"file": ("notes.txt", b"seized at 03:10", "text/plain")},
        headers=headers,
    )
    assert upload.status_code == 201, upload.text
    page = await client.get(f"/incidents/{incident_id}")
    assert page.status_code == 200
    assert "notes.txt" in page.text
    assert 'name="file"' in page.text
