"""Every route: 200, valid HTML with lang and title, strict security headers; fragments too."""
import html5lib
import pytest
from bs4 import BeautifulSoup

HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def page_urls(app):
    """One URL per GET route, with real territory ids filled in."""
    urls = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        if rule.arguments - {"territory", "code"}:
            continue  # routes with other arguments are covered by their own tests
        for territory in ("grenoble", "toulouse", "paris", "clermont"):
            values = {"territory": territory, "code": "en"}
            urls.add(rule.build({k: v for k, v in values.items() if k in rule.arguments})[1])
    return sorted(urls)


def check_headers(response):
    """The house security headers."""
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    for name, value in HEADERS.items():
        assert response.headers[name] == value
    assert "geolocation=(self)" in response.headers["Permissions-Policy"]


def check_html(body: bytes):
    """Parses as HTML5 without error; has lang and a title."""
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(body)
    soup = BeautifulSoup(body, "html.parser")
    assert soup.html["lang"] in ("fr", "en")
    assert soup.title and soup.title.string.strip()
    assert not soup.select("script:not([src])"), "inline script"
    assert not soup.select("style, [style]"), "inline style"
    return soup


def test_every_route_answers_valid_html(app, client):
    urls = page_urls(app)
    assert len(urls) >= 8
    for url in urls:
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        check_headers(response)
        if response.mimetype == "text/html":
            check_html(response.data)
        response.close()


@pytest.mark.parametrize("url, selector", [
    ("/grenoble/velo?lat=45.1885&lon=5.7245", "ol.places li.place"),    # nearest parkings
    ("/grenoble/velo?lieu=zones-arrets:0", "ol.places li.place"),       # a picked stop area
    ("/grenoble/velo?q=gare", "ul.choices li a[href*='lieu=']"),         # several places: choose
    ("/clermont/velo?q=jaude", ".missing"),                      # no bike data published
    ("/toulouse/velo?q=zzzzqqq", "[role=alert]"),                        # no such place
    ("/paris/frais?lat=48.8566&lon=2.3522", "ol.places li.place"),
    ("/toulouse/jeter?objet=bouteille+de+vin", "article.answer[data-stream=glass]"),
])
def test_task_results_pages_are_valid(client, url, selector):
    response = client.get(url, follow_redirects=True)     # an old ?q= link to one stop: 303
    assert response.status_code == 200
    check_headers(response)
    soup = check_html(response.data)
    assert soup.select(selector), f"{url}: nothing matches {selector}"


def test_errors_keep_protocol_headers_and_htmx_gets_a_fragment(app, client, monkeypatch):
    response = client.put("/grenoble/velo")           # the picker POSTs; nothing PUTs
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"] and "POST" in response.headers["Allow"]
    check_headers(response)

    # An unexpected error: a page for a page, the results fragment for htmx, both with Vary.
    def boom(territory):
        raise RuntimeError("boom")
    monkeypatch.setitem(app.view_functions, "bike.index", boom)
    page = client.get("/grenoble/velo")
    fragment = client.get("/grenoble/velo", headers={"HX-Request": "true"})
    assert page.status_code == fragment.status_code == 500
    assert b"<html" in page.data and b"<html" not in fragment.data
    assert BeautifulSoup(fragment.data, "html.parser").select_one("[role=alert]").get_text(strip=True)
    assert "HX-Request" in fragment.headers["Vary"]
    check_headers(fragment)


def test_static_and_errors_carry_headers(client):
    for url, status in (("/static/css/app.css", 200), ("/nowhere/velo", 404),
                        ("/static/nope.js", 404)):
        response = client.get(url)
        assert response.status_code == status
        check_headers(response)
        response.close()


def test_fragment_for_htmx_page_otherwise(client):
    url = "/grenoble/velo?lat=45.1885&lon=5.7245"
    page = client.get(url)
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert page.headers["Vary"] == fragment.headers["Vary"] == \
        "HX-Request, Accept-Language, Cookie, Accept-Encoding"
    assert b"<html" in page.data and b"<html" not in fragment.data
    soup = BeautifulSoup(fragment.data, "html.parser")
    assert soup.select("ol.places li.place") and not soup.select("form")
    for extra in ({"HX-Boosted": "true"}, {"HX-History-Restore-Request": "true"}):
        full = client.get(url, headers={"HX-Request": "true", **extra})
        assert b"<html" in full.data


@pytest.mark.parametrize("query", [
    "lat=nan&lon=5.72", "lat=45.18&lon=inf", "lat=1_0&lon=5", "lat=٤٥&lon=5", "lat=45.18",
    "lat=48.85&lon=2.35", "lat=" + "9" * 5000 + "&lon=5", "lat=91&lon=5",
])
def test_bad_coordinates_are_400_with_a_message(client, query):
    for headers in ({}, {"HX-Request": "true"}):
        for response in (client.get(f"/grenoble/velo?{query}", headers=headers),
                         client.post("/grenoble/velo", data=query, headers={
                             **headers, "Content-Type": "application/x-www-form-urlencoded"})):
            assert response.status_code == 400
            soup = BeautifulSoup(response.data, "html.parser")
            assert soup.select_one("[role=alert]").get_text(strip=True)


def test_unknown_place_and_huge_query(client):
    assert client.get("/grenoble/velo?lieu=nope:1").status_code == 404
    assert client.get("/grenoble/velo?q=" + "a" * 5000).status_code == 400
    response = client.get("/grenoble/velo?q=zzzzqqq")
    assert response.status_code == 200 and b'role="alert"' in response.data
    assert client.post("/grenoble/velo", data={"lieu": "nope:1"}).status_code == 404
    assert client.post("/grenoble/velo", data={"q": "a" * 5000}).status_code == 400
    response = client.post("/grenoble/velo", data={"q": "zzzzqqq"})
    assert response.status_code == 200 and b'role="alert"' in response.data


def test_english_translation_renders(client):
    response = client.get("/grenoble/velo", headers={"Accept-Language": "en-GB,en;q=0.9"})
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.html["lang"] == "en"
    assert soup.h1.get_text(strip=True).endswith("Park my bike")
    french = client.get("/grenoble/velo", headers={"Accept-Language": "de"})
    assert BeautifulSoup(french.data, "html.parser").h1.get_text(strip=True).endswith("Garer mon vélo")


def test_language_switch_cookie_and_safe_redirect(client):
    response = client.get("/langue/en?suite=/grenoble/velo")
    assert response.status_code == 302 and response.headers["Location"] == "/grenoble/velo"
    assert "lang=en" in response.headers["Set-Cookie"]
    assert client.get("/langue/en?suite=https://evil.example/").headers["Location"] == "/"
    assert client.get("/langue/en?suite=//evil.example/").headers["Location"] == "/"
    for sneaky in ("/%5Cevil.example/", "/%0D%0ASet-Cookie:x=1", "/a%00b", "/" + "a" * 3000):
        response = client.get(f"/langue/en?suite={sneaky}")
        assert response.status_code == 302 and response.headers["Location"] == "/", sneaky
    assert client.get("/langue/xx").status_code == 404


def test_missing_bike_data_is_said_plainly(client):
    soup = BeautifulSoup(client.get("/clermont/velo").data, "html.parser")
    notice = soup.select_one("#results .missing")
    assert "Près d'ici n'a pas encore ces données pour Clermont-Ferrand" in notice.get_text()
    assert notice.select_one('a[href="/donnees#t-clermont"]')     # the advocacy lives there


def test_position_answers_are_not_cacheable(client):
    response = client.get("/grenoble/velo?lat=45.1885&lon=5.7245")
    assert response.headers["Cache-Control"] == "no-store"


def test_sources_page_lists_every_dataset(app, client):
    soup = BeautifulSoup(client.get("/donnees").data, "html.parser")
    from webapp.catalog import catalog
    with app.app_context():
        expected = {f"{t.territory.id}-{d}" for t in catalog().all() for d in t.states}
    assert {li["id"] for li in soup.select("li.dataset")} == expected | {"national-sorting-guide"}
    assert "2\u202f191 objets" in soup.select_one("#national-sorting-guide").get_text(" ", strip=True)
    assert "1\u202f142 lieux" in soup.select_one("#grenoble-arceaux-velo").get_text(" ", strip=True)
