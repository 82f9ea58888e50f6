from tests.factories import add_user, login


async def test_health_answers_when_the_database_is_up(client):
    answer = await client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json()["database"] == "up"


async def test_me_shows_the_logged_in_user(client):
    user = await add_user(client.app.state.db, username="kaz.analyst", state="KAZ")
    await login(client, user.username)
    answer = await client.get("/api/v1/me")
    assert answer.json()["state"] == "KAZ"


async def test_database_fixture_runs_on_each_backend(db):
    user = await add_user(db, username="someone")
    assert user.id is not None
