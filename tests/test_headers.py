"""Headers graded: every route, fragment, static file and error page carries exactly the house
security headers, and scores A+ by the Mozilla HTTP Observatory's rules.

The rules and points are those of mozilla/http-observatory `httpobs/docs/scoring.md` (2024-02-27):
start at 100, bonuses count only when the score without them is 90 or more, 100+ is A+."""
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
TERRITORIES = ("grenoble", "toulouse", "paris", "clermont", "perigueux")
TASKS = ("velo", "jeter", "frais")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; "
       "img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self'; "
       "manifest-src 'self'; worker-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")
EXPECTED = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "geolocation=(self), camera=(), microphone=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
HSTS = "max-age=31536000"
# Every header that says something about security: exactly EXPECTED (+ HSTS over HTTPS).
SECURITY_NAMES = {*EXPECTED, "Strict-Transport-Security", "Content-Security-Policy-Report-Only",
                  "X-XSS-Protection", "Access-Control-Allow-Origin", "Cross-Origin-Embedder-Policy",
                  "Public-Key-Pins", "X-Powered-By", "Server", "Access-Control-Allow-Credentials"}
# And nothing else than these beside them.
OTHER_NAMES = {"Content-Type", "Content-Length", "Vary", "Cache-Control", "ETag", "Last-Modified",
               "Set-Cookie", "Location", "Allow", "Service-Worker-Allowed", "Content-Encoding",
               "Expires", "Accept-Ranges", "Date", "HX-Push-Url", "Retry-After"}
PRIVATE_REFERRERS = {"no-referrer", "same-origin", "strict-origin",
                     "strict-origin-when-cross-origin"}


def csp_directives(policy: str) -> dict[str, list[str]]:
    """{directive: sources} of a CSP header."""
    parsed = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, *sources = part.split()
        parsed.setdefault(name.lower(), sources)
    return parsed


def observatory(headers, https: bool) -> tuple[int, list[str]]:
    """(score, failures) of one response by the Observatory's header tests."""
    score, bonus, failures = 100, 0, []
    csp = csp_directives(headers.get("Content-Security-Policy", ""))
    script = csp.get("script-src", csp.get("default-src", []))
    if not csp:
        score -= 25
        failures.append("csp-not-implemented")
    elif "'unsafe-inline'" in script or "'unsafe-eval'" in script or "*" in script or any(
            s.startswith("http:") for v in csp.values() for s in v):
        score -= 20
        failures.append("csp-unsafe")
    else:
        bonus += 10 if csp.get("default-src") == ["'none'"] else 5
    hsts = headers.get("Strict-Transport-Security", "")
    max_age = int(hsts.split("max-age=")[1].split(";")[0]) if "max-age=" in hsts else 0
    if https and max_age < 15768000:
        score -= 20 if not hsts else 10
        failures.append("hsts-missing-or-short")
    cookies = headers.getlist("Set-Cookie")
    if cookies and https:             # over plain HTTP (local runs) no cookie can be Secure
        flags = [{f.strip().split("=")[0].lower() for f in c.split(";")[1:]} for c in cookies]
        if not all("secure" in f for f in flags):
            score -= 20
            failures.append("cookies-without-secure-flag")
        elif all({"httponly", "samesite"} <= f for f in flags):
            bonus += 5
    if headers.get("Access-Control-Allow-Origin") == "*":
        score -= 50
        failures.append("cors-universal-access")
    if headers.get("X-Content-Type-Options", "").lower() != "nosniff":
        score -= 5
        failures.append("x-content-type-options")
    if csp.get("frame-ancestors") == ["'none'"]:
        bonus += 5
    elif headers.get("X-Frame-Options", "").upper() not in ("DENY", "SAMEORIGIN"):
        score -= 20
        failures.append("x-frame-options")
    if headers.get("Referrer-Policy", "").split(",")[-1].strip() in PRIVATE_REFERRERS:
        bonus += 5
    elif headers.get("Referrer-Policy"):
        score -= 5
        failures.append("referrer-policy-unsafe")
    if headers.get("Cross-Origin-Resource-Policy") not in ("same-origin", "same-site"):
        failures.append("corp")           # scored 0 by the Observatory; required by us
    return score + (bonus if score >= 90 else 0), failures


def check(response, https: bool = False, where: str = "") -> None:
    """Exactly the house headers, nothing else that speaks of security, and an A+."""
    names = set(response.headers.keys())
    present = {n: response.headers[n] for n in SECURITY_NAMES if n in response.headers}
    expected = {**EXPECTED, **({"Strict-Transport-Security": HSTS} if https else {})}
    assert present == expected, where
    assert len(response.headers.getlist("Content-Security-Policy")) == 1, where
    assert names <= SECURITY_NAMES | OTHER_NAMES, (where, names - SECURITY_NAMES - OTHER_NAMES)
    score, failures = observatory(response.headers, https)
    assert not failures and score >= 100, (where, score, failures)


def route_urls(app) -> list[str]:
    """One URL per GET rule of the URL map and per territory (static files apart)."""
    values = {"code": "en", "version": "0123456789abcdef", "token": "not-a-signed-token"}
    urls = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        unknown = rule.arguments - {"territory", "code", "version", "token"}
        assert not unknown, f"{rule.rule}: give test_headers.py a value for {unknown}"
        for territory in TERRITORIES if "territory" in rule.arguments else ("",):
            args = {**values, "territory": territory}
            urls.add(rule.build({k: v for k, v in args.items() if k in rule.arguments})[1])
    return sorted(urls)


def static_urls(app) -> list[str]:
    """The URL of every file under static/, as pages link it."""
    from flask import url_for
    files = [p.relative_to(ROOT / "static").as_posix() for p in (ROOT / "static").rglob("*")
             if p.is_file()]
    with app.test_request_context():
        return [url_for("static", filename=name) for name in sorted(files)]


@pytest.mark.parametrize("https", [False, True])
def test_every_route_and_fragment_is_graded_a_plus(app, client, https):
    base = "https://localhost" if https else "http://localhost"
    urls = route_urls(app)
    assert len(urls) >= 20
    for url in urls:
        response = client.get(url, base_url=base, buffered=True)
        # A made-up pack version or kiosk token is refused (404/403): graded all the same.
        made_up = "0123456789abcdef" in url or "not-a-signed-token" in url
        assert response.status_code in ((200, 302, 403, 404) if made_up else (200, 302)), url
        check(response, https, url)
        for method in ("HEAD", "OPTIONS"):
            other = client.open(url, method=method, base_url=base, buffered=True)
            assert other.status_code in ((200, 302, 403, 404) if made_up else (200, 302)), \
                (method, url)
            check(other, https, f"{method} {url}")
    for territory in TERRITORIES:
        for task in TASKS:
            for headers in ({}, {"HX-Request": "true"}):
                url = f"/{territory}/{task}?q=gare"
                response = client.get(url, base_url=base, headers=headers, buffered=True)
                # one public "gare" (Toulouse): an old ?q= link is a 303 to its ?lieu= address
                assert response.status_code in (200, 303), url
                check(response, https, f"{url} {headers}")


def test_every_static_file_is_graded_a_plus(app, client):
    urls = static_urls(app)
    assert len(urls) >= 15
    for url in urls:
        for encoding in ("identity", "gzip, deflate, br"):
            response = client.get(url, headers={"Accept-Encoding": encoding}, buffered=True)
            assert response.status_code == 200, url
            check(response, where=url)
            response.close()


def test_error_pages_are_graded_a_plus(app, client, monkeypatch):
    answers = [client.get("/nowhere/velo", buffered=True), client.get("/static/nope.js", buffered=True),
               client.get("/grenoble/velo", headers={"HX-Request": "true"}, base_url="http://x/", buffered=True),
               client.put("/grenoble/velo")]             # the picker POSTs; nothing PUTs
    assert [r.status_code for r in answers] == [404, 404, 200, 405]

    from flask import request

    def reads_form(territory):
        return str(len(request.form))                 # the body is read here: too large

    def boom(territory):
        raise RuntimeError("boom")
    monkeypatch.setitem(app.view_functions, "bike.index", reads_form)
    too_large = client.get("/grenoble/velo", data={"x": "y" * 20_000}, buffered=True)
    monkeypatch.setitem(app.view_functions, "bike.index", boom)
    broken = client.get("/grenoble/velo", buffered=True)
    assert (too_large.status_code, broken.status_code) == (413, 500)
    for response in [*answers, too_large, broken]:
        check(response, where=str(response.status_code))
        if response.status_code >= 400 and response.mimetype == "text/html":
            assert BeautifulSoup(response.data, "html.parser").select_one("[role=alert], main")


def test_hsts_only_over_https_and_a_proxy_is_believed_only_when_trusted(app, tmp_path):
    from webapp import create_app
    client = app.test_client()
    forwarded = {"X-Forwarded-Proto": "https"}
    assert "Strict-Transport-Security" not in client.get("/sante", buffered=True).headers
    assert "Strict-Transport-Security" not in client.get("/sante", headers=forwarded, buffered=True).headers
    assert client.get("/sante", base_url="https://localhost", buffered=True).headers[
        "Strict-Transport-Security"] == HSTS

    config = {"TESTING": True, "INSTANCE_PATH": str(tmp_path)}
    behind = create_app({**config, "TRUST_PROXY": 1}).test_client()
    assert behind.get("/sante", headers=forwarded).headers["Strict-Transport-Security"] == HSTS
    assert "Strict-Transport-Security" not in behind.get("/sante").headers
    cookie = behind.get("/langue/en", headers=forwarded)
    check(cookie, https=True, where="/langue/en behind a proxy")
    flags = cookie.headers["Set-Cookie"].lower()
    assert "secure" in flags and "httponly" in flags and "samesite=lax" in flags

    preload = "max-age=63072000; includeSubDomains; preload"
    custom = create_app({**config, "HSTS": preload}).test_client()
    assert custom.get("/", base_url="https://x").headers["Strict-Transport-Security"] == preload
    off = create_app({**config, "HSTS": 0}).test_client()
    assert "Strict-Transport-Security" not in off.get("/", base_url="https://x").headers


def test_the_grader_fails_weak_headers():
    """The grader itself: what it must refuse (a grader that passes everything proves nothing)."""
    from werkzeug.datastructures import Headers
    good = Headers(EXPECTED)
    assert observatory(good, https=False) == (120, [])
    weak = Headers({**EXPECTED, "Content-Security-Policy": "default-src 'self' 'unsafe-inline'"})
    assert "csp-unsafe" in observatory(weak, https=False)[1]
    assert "hsts-missing-or-short" in observatory(good, https=True)[1]
    cors = Headers({**EXPECTED, "Access-Control-Allow-Origin": "*"})
    assert observatory(cors, https=False)[0] < 90
    cookie = Headers({**EXPECTED, "Set-Cookie": "lang=en; Path=/",
                      "Strict-Transport-Security": HSTS})
    assert "cookies-without-secure-flag" in observatory(cookie, https=True)[1]


def test_every_page_has_its_own_translated_description(app):
    seen = {}
    for url in route_urls(app):
        response = app.test_client().get(url, buffered=True)
        if response.mimetype != "text/html" or response.status_code != 200:
            continue
        for lang in ("fr", "en"):
            page = app.test_client().get(url, headers={"Accept-Language": lang}, buffered=True)
            meta = BeautifulSoup(page.data, "html.parser").select_one("meta[name=description]")
            assert meta and 50 <= len(meta["content"]) <= 160, (url, lang)
            seen[(url, lang)] = meta["content"]
    assert len(seen) >= 20
    for (url, lang), text in seen.items():
        if lang == "fr":
            assert seen[(url, "en")] != text, url              # translated
    cities = {text for (url, lang), text in seen.items() if url.endswith("/velo")}
    assert len(cities) == 2 * len(TERRITORIES)                   # names its city
    assert "Grenoble" in seen[("/grenoble/velo", "en")]
    assert seen[("/grenoble/deplacements", "en")].startswith("Getting around Grenoble")
