from html.parser import HTMLParser

from tests.factories import user_with_session


class PageReader(HTMLParser):
    """Collects what the home page tests look at: table rows, bodies, banners, the language."""

    def __init__(self) -> None:
        super().__init__()
        self.language: str | None = None
        self.rows: dict[str, list[list[str]]] = {}
        self.body_items: list[str] = []
        self.banners: list[str] = []
        self._table: str | None = None
        self._in_tbody = False
        self._text: list[str] | None = None
        self._in_bodies = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "html":
            self.language = values.get("lang")
        if "data-classification" in values:
            self.banners.append(values["data-classification"])
        if tag == "table":
            self._table = values.get("id", "")
        elif tag == "tbody":
            self._in_tbody = True
        elif tag == "tr" and self._in_tbody:
            self.rows.setdefault(self._table or "", []).append([])
        elif (tag == "td" and self._in_tbody) or (tag == "li" and self._in_bodies):
            self._text = []
        elif tag == "ul" and values.get("class") == "bodies":
            self._in_bodies = True

    def handle_endtag(self, tag):
        if tag == "tbody":
            self._in_tbody = False
        elif tag == "ul":
            self._in_bodies = False
        elif tag == "td" and self._text is not None:
            self.rows[self._table or ""][-1].append("".join(self._text).strip())
            self._text = None
        elif tag == "li" and self._text is not None:
            self.body_items.append(" ".join("".join(self._text).split()))
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def read_page(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    return reader


async def home(client, language: str | None = None) -> PageReader:
    if language:
        client.cookies.set("accord_lang", language)
    answer = await client.get("/")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    return read_page(answer.text)


async def test_anonymous_visitors_see_the_six_member_states_with_codes_and_status(client):
    page = await home(client)
    assert page.rows["member-states"] == [
        ["Armenia", "ARM", "member", "Yerevan"],
        ["Belarus", "BLR", "member", "Minsk"],
        ["Kazakhstan", "KAZ", "member", "Astana"],
        ["Kyrgyzstan", "KGZ", "member", "Bishkek"],
        ["Russia", "RUS", "member", "Moscow"],
        ["Tajikistan", "TJK", "member", "Dushanbe"],
    ]


async def test_anonymous_visitors_see_who_chaired_each_year(client):
    chairs = {row[0]: row[1:] for row in (await home(client)).rows["chairmanship"]}
    assert chairs["2022"] == ["Armenia", "held"]
    assert chairs["2023"] == ["Belarus", "held"]
    assert chairs["2024"][0] == "Kazakhstan"
    assert chairs["2025"][0] == "Kyrgyzstan"


async def test_anonymous_visitors_see_the_bodies_and_how_they_decide(client):
    items = (await home(client)).body_items
    assert len(items) == 7
    assert items[0].startswith("Collective Security Council")
    assert "consensus" in items[0]
    assert any(item.startswith("Joint Staff") for item in items)


async def test_the_language_cookie_shows_russian_names_and_marks_the_page_russian(client):
    page = await home(client, "ru")
    assert page.language == "ru"
    assert [row[0] for row in page.rows["member-states"]] == [
        "Армения",
        "Беларусь",
        "Казахстан",
        "Киргизия",
        "Россия",
        "Таджикистан",
    ]
    chairs = {row[0]: row[1] for row in page.rows["chairmanship"]}
    assert (chairs["2022"], chairs["2023"], chairs["2024"]) == ("Армения", "Беларусь", "Казахстан")
    assert page.body_items[0].startswith("Совет коллективной безопасности")


async def test_an_english_page_is_marked_english_and_shows_no_russian_names(client):
    client.cookies.set("accord_lang", "en")
    answer = await client.get("/")
    assert read_page(answer.text).language == "en"
    assert "Армения" not in answer.text


async def test_the_browser_language_is_used_when_no_cookie_was_set(client):
    answer = await client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    page = read_page(answer.text)
    assert page.language == "ru"
    assert page.rows["member-states"][0][0] == "Армения"


async def test_the_page_carries_a_classification_banner_at_top_and_bottom(client):
    html = (await client.get("/")).text
    assert read_page(html).banners == ["PUBLIC", "PUBLIC"]
    first, last = html.index("data-classification="), html.rindex("data-classification=")
    assert first < html.index("<header") < html.index("<main") < html.index("</main>") < last


async def test_a_logged_in_user_sees_the_same_organisation_and_who_they_are(client):
    await user_with_session(client, username="kaz.reader", state="KAZ")
    answer = await client.get("/")
    assert "kaz.reader" in answer.text
    assert len(read_page(answer.text).rows["member-states"]) == 6
