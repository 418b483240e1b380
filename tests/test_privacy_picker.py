"""The place picker POSTs (rule 5): a typed street or address, or a position, never reaches an
address bar, a link, a history entry, a cache or the access log; a public place becomes ?lieu=."""
import re
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup

# Cities with an address file, a street and a numbered address there, and a public place.
CITIES = {
    "paris": ("rue de rivoli", "41 rue de rivoli", "Musée du Luxembourg"),
    "perigueux": ("rue abadie", "26 rue abadie", "Gare SNCF"),
}
# Each task page with the kept choices its picker carries (a stream for « Où jeter ? »).
TASKS = {"velo": {}, "frais": {"type": "park"}, "jeter": {"flux": "glass"}}
URL_ATTRS = ("href", "hx-get", "hx-post", "action", "src")
HTMX = {"HX-Request": "true"}


def links(html: str) -> list[str]:
    """Every same-site address the answer offers (links, forms, htmx requests)."""
    soup = BeautifulSoup(html, "html.parser")
    return [tag[attr] for attr in URL_ATTRS for tag in soup.select(f"[{attr}]")
            if not tag[attr].startswith(("geo:", "http"))]


def assert_private(response, typed: str) -> None:
    """Answered here and now: no-store, no address of its own, nothing typed in any link."""
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    for header in ("Location", "HX-Push-Url", "HX-Replace-Url"):
        assert header not in response.headers, header
    words = [w for w in typed.lower().split() if len(w) > 3]
    title = BeautifulSoup(response.data, "html.parser").title
    assert title is not None and not any(w in title.get_text().lower() for w in words)
    for url in links(response.get_data(as_text=True)):
        assert "adresses-" not in url and "q=" not in url and "lat=" not in url, url
        assert not any(w in url.lower() for w in words), url


@pytest.mark.parametrize("city", CITIES)
@pytest.mark.parametrize("task", TASKS)
def test_a_street_or_an_address_is_answered_to_the_post(client, city, task):
    street, address, _ = CITIES[city]
    for typed in (street, address):
        for headers in ({}, HTMX, {**HTMX, "X-Live-Search": "1"}):
            response = client.post(f"/{city}/{task}", data={**TASKS[task], "q": typed},
                                   headers=headers)
            assert_private(response, typed)


@pytest.mark.parametrize("city", CITIES)
def test_the_answer_says_there_is_no_link_to_share(client, city):
    _, address, _ = CITIES[city]
    page = client.post(f"/{city}/velo", data={"q": address}).get_data(as_text=True)
    note = BeautifulSoup(page, "html.parser").select_one("#results p.private-note")
    assert note.get_text(strip=True) == "Réponse depuis une adresse : pas de lien à partager."
    # The title (kept with the history entry) does not name the address either.
    assert "près d'une adresse" in BeautifulSoup(page, "html.parser").title.get_text()
    english = client.post(f"/{city}/velo", data={"q": address}, headers={"Accept-Language": "en"})
    assert "Answer from an address: no link to share." in english.get_data(as_text=True)


@pytest.mark.parametrize("city", CITIES)
@pytest.mark.parametrize("task", TASKS)
def test_a_public_place_becomes_its_shareable_address(client, city, task):
    _, _, public = CITIES[city]
    kept = TASKS[task]
    moved = client.post(f"/{city}/{task}", data={**kept, "q": public})
    assert moved.status_code == 303
    location = moved.headers["Location"]
    assert location.startswith(f"/{city}/{task}?") and "lieu=" in location
    assert all(f"{k}={v}" in location for k, v in kept.items())
    assert "q=" not in location and public.split()[0] not in location
    assert client.get(location).status_code == 200
    # htmx: the answer itself, and the same address pushed (replaced while typing).
    fragment = client.post(f"/{city}/{task}", data={**kept, "q": public}, headers=HTMX)
    assert fragment.status_code == 200 and fragment.headers["HX-Push-Url"] == location
    live = client.post(f"/{city}/{task}", data={**kept, "q": public},
                       headers={**HTMX, "X-Live-Search": "1"})
    assert live.headers["HX-Replace-Url"] == location and "HX-Push-Url" not in live.headers
    # An old bookmark by name goes to the same address.
    old = client.get(f"/{city}/{task}?{urlencode({**kept, 'q': public})}")
    assert old.status_code == 303 and old.headers["Location"] == location


@pytest.mark.parametrize("city", CITIES)
def test_old_links_to_a_street_answer_without_writing_it_anywhere(client, city):
    street, address, _ = CITIES[city]
    for typed in (street, address):
        assert_private(client.get(f"/{city}/velo?{urlencode({'q': typed})}"), typed)


def test_a_private_id_received_by_get_is_answered_but_never_shared(client):
    """An address id in a URL (a link made before the picker posted): answered, no-store, no
    address pushed, the 'no link to share' line; the app itself never writes one."""
    for headers in ({}, HTMX):
        response = client.get("/paris/velo?lieu=adresses-ban:75101_8249%2341", headers=headers)
        assert_private(response, "41 rue de rivoli")
        assert b"private-note" in response.data


def test_streets_offered_as_choices_are_post_buttons(client):
    response = client.post("/paris/frais", data={"q": "bastille"})
    assert_private(response, "bastille")
    soup = BeautifulSoup(response.data, "html.parser")
    buttons = soup.select("ul.choices form.choice[method=post] button[name=lieu]")
    assert buttons and all(b["value"].startswith("adresses-ban:") for b in buttons)
    assert not soup.select("ul.choices a[href*='adresses']")
    picked = client.post("/paris/frais", data={"lieu": buttons[0]["value"]})
    assert_private(picked, "bastille")
    # A public place offered as a choice stays a link to its address.
    soup = BeautifulSoup(client.post("/grenoble/velo", data={"q": "gare"}).data, "html.parser")
    assert soup.select("ul.choices a[href*='lieu=']") and not soup.select("ul.choices form")


def test_kept_choices_ride_along_the_street_choices(client):
    soup = BeautifulSoup(client.post("/perigueux/jeter", data={"flux": "glass", "q": "abadie"})
                         .data, "html.parser")
    for form in soup.select("ul.choices form.choice"):
        assert form.select_one("input[name=flux]")["value"] == "glass"


def test_cool_filters_from_an_address_post_its_id(client):
    soup = BeautifulSoup(client.post("/paris/frais", data={"q": "41 rue de rivoli"}).data,
                         "html.parser")
    form = soup.select_one("form.cool-filters")
    assert form["method"] == "post" and form["hx-post"] == "/paris/frais"
    assert form.select_one("input[name=lieu]")["value"] == "adresses-ban:75101_8249#41"
    filtered = client.post("/paris/frais", data={"lieu": "adresses-ban:75101_8249#41",
                                                 "type": "park"})
    assert_private(filtered, "41 rue de rivoli")


def test_a_position_is_answered_to_the_post(client):
    for headers in ({}, HTMX):
        response = client.post("/grenoble/velo", data={"lat": "45.1909", "lon": "5.7269"},
                               headers=headers)
        assert_private(response, "45.1909 5.7269")
        assert "Réponse depuis votre position" in response.get_data(as_text=True)


def test_both_forms_post_to_the_page(client):
    for url in ("/paris/velo", "/paris/frais", "/toulouse/jeter?flux=glass"):
        soup = BeautifulSoup(client.get(url).data, "html.parser")
        action = url.split("?")[0]
        for form in soup.select("form.pick, form.locate"):
            assert (form["method"], form["action"], form["hx-post"]) == ("post", action, action)


def test_the_limiter_counts_posts(tmp_path):
    from webapp import create_app
    limited = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path),
                          "RATELIMIT_COSTLY": "3 per minute"}).test_client()
    statuses = [limited.post("/grenoble/velo", data={"q": "gare"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_service_worker_leaves_posts_alone(client):
    worker = client.get("/sw.js").get_data(as_text=True)
    assert 'request.method !== "GET"' in worker


def test_the_access_log_holds_no_typed_text_nor_position(server):
    """Real gunicorn with gunicorn.conf.py: posted streets, addresses and positions, old GET
    links too; the log keeps the paths only."""
    start = len(Path(server.log).read_text().splitlines())       # the server serves others too
    posts = [("/paris/frais", {"q": "41 rue de rivoli"}), ("/perigueux/velo", {"q": "rue abadie"}),
             ("/grenoble/velo", {"lat": "45.1909", "lon": "5.7269"}),
             ("/paris/jeter", {"flux": "glass", "q": "12 rue de rivoli"})]
    for path, form in posts:
        request = urllib.request.Request(server.url + path, data=urlencode(form).encode())
        with urllib.request.urlopen(request) as answer:
            assert answer.status == 200
    for path in ("/paris/velo?q=rue+de+rivoli", "/grenoble/velo?lat=45.1909&lon=5.7269"):
        with urllib.request.urlopen(server.url + path) as answer:
            assert answer.status == 200
    # Gunicorn writes a line after its answer: wait for the lines of every request above.
    wanted = len(posts) + 2
    for _ in range(200):
        log = "\n".join(Path(server.log).read_text().splitlines()[start:])
        if len(re.findall(r'"(?:POST|GET) /(?:paris|perigueux|grenoble)/\w+" 200', log)) >= wanted:
            break
        time.sleep(0.05)
    assert re.search(r'"POST /paris/frais" 200', log)
    for secret in ("rivoli", "abadie", "45.19", "5.72", "lat=", "q="):
        assert secret not in log.lower(), secret
