"""Rate limits on what costs, on one host (in memory): polite 429, nothing else limited."""
import pytest

NEAR = "/grenoble/velo?lat=45.1885&lon=5.7245"


@pytest.fixture()
def limited(tmp_path):
    from webapp import create_app
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path),
                      "RATELIMIT_COSTLY": "3 per minute"})
    return app.test_client()


@pytest.mark.parametrize("url,headers", [
    (NEAR, {}), ("/grenoble/velo?q=gare", {}), ("/grenoble/velo", {"HX-Request": "true"}),
    ("/grenoble/pack.json", {}), ("/toulouse/jeter?objet=bouteille", {})])
def test_costly_requests_are_limited_with_a_polite_translated_429(limited, url, headers):
    assert [limited.get(url, headers=headers).status_code for _ in range(3)] == [200] * 3
    refused = limited.get(url, headers={**headers, "Accept-Language": "en"})
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert refused.headers["Cache-Control"] == "no-store"
    assert "Please wait a little while" in refused.get_data(as_text=True)


def test_pages_that_only_read_and_static_files_are_never_limited(limited):
    for _ in range(8):
        for url in ("/grenoble/velo", "/", "/donnees", "/sante", "/static/css/app.css",
                    "/sw.js", "/manifest.webmanifest"):
            with limited.get(url) as response:        # closes the static file it streams
                assert response.status_code == 200, url
