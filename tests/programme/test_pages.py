"""The programme pages: progress per priority, other years, the handover report and its PDFs."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.contract import client_on
from tests.factories import add_user, login, user_with_session
from tests.press.helpers import as_secretariat, restricted_decision
from tests.programme.test_api import PROGRAMME

RUSSIAN = {
    "year": 2023,
    "state": "BLR",
    "motto": {"en": "Through solidarity", "ru": "Через солидарность"},
    "priorities": [
        {
            "titles": {"en": "Emergencies", "ru": "Чрезвычайные ситуации"},
            "activities": [
                {
                    "titles": {"en": "Joint rescue drill", "ru": "Совместные спасательные учения"},
                    "owner_body": "secretariat",
                    "status": "done",
                },
                {
                    "titles": {"en": "Common warning system", "ru": "Общая система оповещения"},
                    "owner_body": "secretariat",
                    "status": "long_term",
                },
            ],
        }
    ],
}


async def test_the_programme_page_shows_progress_per_priority_and_other_years(client):
    await as_secretariat(client, "POST", "/api/v1/programmes", json=PROGRAMME)
    await as_secretariat(client, "POST", "/api/v1/programmes", json=RUSSIAN)
    await user_with_session(client, state="ARM", roles=["analyst"])
    page = await client.get("/programme/2024")
    assert page.status_code == 200
    assert "Counter-terrorism" in page.text and "50 %" in page.text
    assert 'href="/programme/2023"' in page.text
    assert "Change</button>" not in page.text
    older = await client.get("/programme?year=2023")
    assert "Joint rescue drill" in older.text
    assert (await client.get("/programme/1999")).status_code == 404


async def test_the_secretariat_moves_an_activity_from_the_page(client):
    created = await as_secretariat(client, "POST", "/api/v1/programmes", json=PROGRAMME)
    _user, csrf = await user_with_session(
        client, state="ORG", roles=["secretariat"], clearance="SECRET"
    )
    activity = created["priorities"][0]["activities"][1]
    answer = await client.post(
        f"/programme/2024/activities/{activity['id']}/status",
        data={"csrf_token": csrf, "version": "1", "status": "in_progress"},
    )
    assert answer.status_code == 303
    page = await client.get(answer.headers["location"])
    assert "Status changed." in page.text
    stale = await client.post(
        f"/programme/2024/activities/{activity['id']}/status",
        data={"csrf_token": csrf, "version": "1", "status": "done"},
    )
    assert stale.status_code == 409


async def test_links_to_restricted_records_show_only_to_those_cleared(client):
    decision = await restricted_decision(client)
    programme = {
        **PROGRAMME,
        "priorities": [
            {
                "titles": {"en": "Forces"},
                "activities": [
                    {
                        "titles": {"en": "Deployment rules"},
                        "owner_body": "joint_staff",
                        "links": [{"kind": "decision", "id": decision["id"]}],
                    }
                ],
            }
        ],
    }
    await as_secretariat(client, "POST", "/api/v1/programmes", json=programme)
    app = client.app
    cleared = await add_user(app.state.db, state="KAZ", roles=["analyst"], clearance="RESTRICTED")
    uncleared = await add_user(app.state.db, state="KAZ", roles=["analyst"], clearance="PUBLIC")
    async with client_on(app) as reader:
        await login(reader, cleared.username)
        page = (await reader.get("/programme/2024")).text
        assert "On the deployment plan" in page
        assert 'data-classification="RESTRICTED"' in page
    async with client_on(app) as reader:
        await login(reader, uncleared.username)
        page = (await reader.get("/programme/2024")).text
        assert "Deployment rules" in page and "On the deployment plan" not in page


async def test_the_handover_report_as_a_page_and_a_pdf_in_english_and_russian(client):
    await as_secretariat(client, "POST", "/api/v1/programmes", json=RUSSIAN)
    await user_with_session(client, state="BLR", roles=["delegate"])
    page = await client.get("/programme/2023/report")
    assert page.status_code == 200
    assert "Completed (1)" in page.text and "Long-term (1)" in page.text

    english = await client.get("/programme/2023/report.pdf?lang=en")
    assert english.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(english.content)).pages)
    assert "Joint rescue drill" in text and "Completed" in text

    russian = await client.get("/programme/2023/report.pdf?lang=ru")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(russian.content)).pages)
    assert "Совместные спасательные учения" in text
    assert "Общая система оповещения" in text
    assert "Через солидарность" in text
    assert "Беларусь" in text
    assert "Выполнено" in text
    assert (await client.get("/programme/2023/report.pdf?lang=fr")).status_code == 404


async def test_programme_pages_need_a_login(client):
    answer = await client.get("/programme")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
