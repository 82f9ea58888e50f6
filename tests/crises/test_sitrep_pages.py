"""The situation report pages: drafting, the editor, issuing, the cadence and overdue panels."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from accord import clock
from accord.access import Classification
from tests.crises.test_sitrep_api import caller, close
from tests.crises.test_sitreps import T0, marked, scenario


@pytest.fixture(autouse=True)
def released_clock():
    yield
    clock.freeze(None)


def banner(html: str) -> list[str]:
    return re.findall(r'data-classification="([A-Z]+)"', html)


async def test_draft_edit_and_issue_on_the_pages(client):
    crisis_id = await scenario(client.app.state.db)
    tjk = await caller(client, state="TJK", roles=["analyst"], clearance="CONFIDENTIAL")
    csrf = tjk.headers.pop("X-CSRF-Token")
    try:
        made = await tjk.post(
            "/sitreps/new", data={"csrf_token": csrf, "crisis_id": str(crisis_id), "language": "ru"}
        )
        assert made.status_code == 303, made.text
        page_url = made.headers["location"].split("?")[0]
        page = await tjk.get(made.headers["location"])
        assert page.status_code == 200
        assert banner(page.text) == ["RESTRICTED", "RESTRICTED"]
        assert 'data-testid="sitrep-editor"' in page.text
        assert "Затронутые государства: Таджикистан" in page.text
        assert f"/api/v1/sitreps/{page_url.rsplit('/', 1)[1]}.pdf?lang=ru" in page.text
        version = int(re.search(r'name="version" value="(\d+)"', page.text).group(1))
        form = {
            "csrf_token": csrf,
            "version": str(version),
            "title": "Report one",
            "conditions": "Calm.",
            "actions": "Teams on their way.",
            "needs": "One rescue team.",
        }
        saved = await tjk.post(f"{page_url}/edit", data=form)
        assert saved.status_code == 303
        stale = await tjk.post(f"{page_url}/edit", data={**form, "title": "Other"})
        assert stale.status_code == 409 and "version" in stale.text
        assert "Other" in stale.text  # what the person typed is not lost
        issued = await tjk.post(
            f"{page_url}/issue", data={"csrf_token": csrf, "version": str(version + 1)}
        )
        assert issued.status_code == 303
        view = await tjk.get(page_url)
        assert (
            'data-status="issued"' in view.text and 'data-testid="sitrep-editor"' not in view.text
        )
        assert "Report one" in view.text and "Teams on their way." in view.text
        again = await tjk.post(f"{page_url}/edit", data={**form, "version": str(version + 2)})
        assert again.status_code == 409
    finally:
        await close(tjk)


async def test_pages_show_nothing_a_viewer_may_not_see(client):
    kaz = marked("KAZ", Classification.CONFIDENTIAL, ["TJK", "ORG"])
    crisis_id = await scenario(client.app.state.db, kaz_marking=kaz)
    org = await caller(client, state="ORG", roles=["analyst"], clearance="SECRET")
    arm = await caller(client, state="ARM", roles=["analyst"], clearance="SECRET")
    duty = await caller(client, state="TJK", roles=["duty_officer"], clearance="CONFIDENTIAL")
    try:
        made = (await org.post("/api/v1/sitreps", json={"crisis_id": str(crisis_id)})).json()
        page = await org.get(f"/sitreps/{made['id']}")
        assert banner(page.text) == ["CONFIDENTIAL", "CONFIDENTIAL"]
        assert (await arm.get(f"/sitreps/{made['id']}")).status_code == 404
        listing = await arm.get("/sitreps")
        assert listing.status_code == 200 and made["id"] not in listing.text
        assert made["title"] in (await org.get("/sitreps")).text
        # A duty officer reads the report but may not draft, edit or issue.
        read = await duty.get(f"/sitreps/{made['id']}")
        assert read.status_code == 200 and 'data-testid="sitrep-editor"' not in read.text
        csrf = duty.headers["X-CSRF-Token"]
        refused = await duty.post(
            "/sitreps/new", data={"csrf_token": csrf, "crisis_id": str(crisis_id)}
        )
        assert refused.status_code == 403
        anonymous = await client.get("/sitreps", follow_redirects=False)
        assert (
            anonymous.status_code in (302, 303, 307) and "/login" in anonymous.headers["location"]
        )
    finally:
        await close(org, arm, duty)


async def test_the_cadence_page_and_the_overdue_panel_on_the_situation_page(client):
    clock.freeze(T0)
    crisis_id = await scenario(client.app.state.db)
    secretariat = await caller(client, state="ORG", roles=["secretariat"], clearance="SECRET")
    analyst = await caller(client, state="ORG", roles=["analyst"], clearance="SECRET")
    try:
        csrf = secretariat.headers["X-CSRF-Token"]
        page = await secretariat.get("/sitreps/cadence")
        assert page.status_code == 200 and 'name="declared"' in page.text
        bad = await secretariat.post("/sitreps/cadence", data={"csrf_token": csrf, "declared": "x"})
        assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
        saved = await secretariat.post(
            "/sitreps/cadence", data={"csrf_token": csrf, "monitoring": "6", "declared": "24"}
        )
        assert saved.status_code == 303
        shown = await analyst.get("/sitreps/cadence")
        assert 'value="6"' in shown.text and "disabled" in shown.text
        refused = await analyst.post(
            "/sitreps/cadence",
            data={"csrf_token": analyst.headers["X-CSRF-Token"], "monitoring": "1"},
        )
        assert refused.status_code == 403
    finally:
        await close(secretariat, analyst)
    clock.freeze(T0 + timedelta(hours=7))
    tjk = await caller(client, state="TJK", roles=["analyst"], clearance="CONFIDENTIAL")
    low = await caller(client, state="ARM", roles=["analyst"], clearance="PUBLIC")
    try:
        situation = await tjk.get("/situation")
        assert 'data-testid="sitreps-overdue" data-count="1"' in situation.text
        assert f"/crises/{crisis_id}" in situation.text
        hidden = await low.get("/situation")
        assert 'data-count="0"' in hidden.text and str(crisis_id) not in hidden.text
    finally:
        await close(tjk, low)
