"""Schema-driven fuzzing: hypothesis walks the URL map and sends every route every parameter it
reads (and some it does not), with hostile values, methods and headers. 10,000 requests, in
process; not one answer may be a 500 (rule 4: bad input gets a clear answer, never a crash)."""
from collections import Counter
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REQUESTS = 10_000
TERRITORIES = ["grenoble", "toulouse", "paris", "clermont", "perigueux"]
STREAMS = ["glass", "packaging", "organic", "textiles", "batteries", "bulky", "reuse"]
COOL_TYPES = ["cool_room", "shade", "misting", "swim", "park", "fountain", "toilets"]

# The query parameters each endpoint reads (webapp/tasks/origin.py, sorting/answer.py,
# tasks/cool_rows.py, pages.py), by kind of value. An endpoint missing here (a new route) is
# sent the union of them all, so a route added later is fuzzed anyway.
ORIGIN = {"lat": "coord", "lon": "coord", "q": "text", "lieu": "place"}
SCHEMA = {
    "bike.index": ORIGIN,
    "recycle.index": {**ORIGIN, "objet": "text", "choix": "text", "flux": "stream"},
    "cool.index": {**ORIGIN, "type": "cool_type", "ouvert": "flag", "gratuit": "flag",
                   "pmr": "flag", "gourde": "flag", "lent": "flag"},
    "pages.language": {"suite": "path"},
}
NO_QUERY = {"static", "offline.service_worker", "offline.manifest", "offline.page", "offline.pack",
            "pages.home", "pages.territory", "pages.sources", "pages.health"}
EVERY = {name: kind for params in SCHEMA.values() for name, kind in params.items()}

HOSTILE = ["", " ", "nan", "NaN", "inf", "-inf", "1e309", "-0", "1_0", "٤٥", "４５", "0x2D",
           "45,1885", "45.1885.1", "9" * 5000, "\x00", "\r\nSet-Cookie: x=1", "%00", "../..",
           "<script>alert(1)</script>", "' OR 1=1 --", "{{7*7}}", "%(city)s", "\ud7ff", "🚲",
           "a" * 20_000]
text = st.one_of(st.text(max_size=300), st.sampled_from(HOSTILE))
VALUES = {
    "coord": st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                       st.decimals(-200, 200, places=6).map(str), text),
    "text": st.one_of(st.sampled_from(["gare", "bouteille de vin", "piles", "canapé", "jaude"]),
                      text),
    "place": st.one_of(st.sampled_from(["zones-arrets:0", "zones-arrets:999999", "x:0"]), text),
    "stream": st.one_of(st.sampled_from(STREAMS), text),
    "cool_type": st.one_of(st.sampled_from(COOL_TYPES), text),
    "flag": st.one_of(st.sampled_from(["1", "on", "0", "off"]), text),
    "path": st.one_of(st.sampled_from(["/", "/grenoble/velo", "//evil.example", "/\\evil",
                                       "https://evil.example/", "/%0d%0aX:1"]), text),
}
PATH_ARGS = {
    "territory": st.one_of(st.sampled_from(TERRITORIES), st.text(min_size=1, max_size=60)),
    "code": st.one_of(st.sampled_from(["fr", "en", "ar", "FR"]), st.text(min_size=1, max_size=20)),
    "filename": st.one_of(st.sampled_from(["css/app.css", "js/app.js", "../webapp/__init__.py",
                                           "nope.js", "vendor/leaflet/leaflet.css"]),
                          st.text(min_size=1, max_size=80)),
}
METHODS = st.sampled_from(["GET"] * 12 + ["HEAD", "HEAD", "POST", "OPTIONS", "PUT", "DELETE"])
HEADERS = st.fixed_dictionaries({}, optional={
    "HX-Request": st.sampled_from(["true", "false", ""]),
    "HX-Boosted": st.just("true"), "HX-History-Restore-Request": st.just("true"),
    # Header values as HTTP carries them: latin-1, no line breaks (no client can send one).
    "HX-Current-URL": text.map(lambda t: t.encode("latin-1", "replace").decode("latin-1")
                               .replace("\r", " ").replace("\n", " ")),
    "Accept-Language": st.one_of(st.sampled_from(["en", "fr-FR,fr;q=0.9", "ar", "*", "q=;;"]),
                                 st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60)),
    "Accept-Encoding": st.sampled_from(["gzip", "br", "br;q=0, gzip;q=0", "identity", "*", "x"]),
    "Cookie": st.sampled_from(["lang=en", "lang=xx", "lang=", "lang=" + "e" * 5000]),
})


def query(endpoint: str, draw) -> str:
    """Known parameters of the endpoint (some repeated), sometimes one it does not know."""
    params = SCHEMA.get(endpoint, {} if endpoint in NO_QUERY else EVERY)
    pairs = []
    for name, kind in params.items():
        for _ in range(draw(st.sampled_from([0, 0, 1, 1, 1, 2]))):
            pairs.append((name, draw(VALUES[kind])))
    if draw(st.booleans()):
        pairs.append((draw(st.sampled_from([*EVERY, "x", "", "lat[]"])), draw(text)))
    return urlencode([(k, v.encode("utf-8", "surrogatepass")) for k, v in pairs])


def test_every_route_and_parameter_fuzzed_without_a_500(app):
    rules = [r for r in app.url_map.iter_rules()]
    sent, statuses = Counter(), Counter()

    @settings(max_examples=REQUESTS, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def one_request(data):
        rule = data.draw(st.sampled_from(rules))
        values = {arg: data.draw(PATH_ARGS.get(arg, text)) for arg in rule.arguments}
        path = rule.build(values, append_unknown=False)[1]          # quoted by the converters
        if path.startswith("//"):
            # A value starting with "/" builds "//…": the test client would read that as a host
            # (and fail on it before our app is called); a real client sends it as a path.
            path = "/%2F" + path[2:]
        method = data.draw(METHODS)
        body = {"data": data.draw(text)} if method in ("POST", "PUT") else {}
        if method == "POST" and data.draw(st.booleans()):
            # The place picker posts its fields as a form (tasks/origin.py): fuzz them there too.
            body = {"data": query(rule.endpoint, data.draw),
                    "content_type": "application/x-www-form-urlencoded"}
        client = app.test_client()
        response = client.open(path, query_string=query(rule.endpoint, data.draw),
                               method=method, headers=data.draw(HEADERS), buffered=True, **body)
        sent[rule.endpoint] += 1
        statuses[response.status_code] += 1
        assert response.status_code < 500, (method, path, response.status_code)

    one_request()
    assert sum(sent.values()) >= REQUESTS
    assert set(sent) == {r.endpoint for r in rules}            # every route was reached
    assert not any(code >= 500 for code in statuses)
    assert statuses[200] > REQUESTS / 10 and statuses[404] > 0   # real pages, not only refusals
