"""Docs in sync: the README's commands, the territory reference, the data files and their attribution."""
import re
from pathlib import Path

import pytest

from webapp.sources.formats import PARSERS
from webapp.sources.transforms import TRANSFORMS
from webapp.territories import load_territories

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TERRITORY_DOC = (ROOT / "docs/territories.md").read_text(encoding="utf-8")
TERRITORIES = load_territories(ROOT / "territories")


def test_readme_two_commands_exist_and_ci_runs_the_test_one():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run", "test"):
        assert f"make {target}" in README
        assert re.search(rf"^{target}:", makefile, re.M)
    assert "make test" in (ROOT / ".ci/run").read_text()


def test_every_connector_and_transform_is_documented():
    """Each name as code in the reference (a bare substring would match "str" in any word)."""
    code = set(re.findall(r"`([^`\n]+)`", TERRITORY_DOC)) | set(re.findall(
        r"^connector = .*$|^\s+#.*$", TERRITORY_DOC, re.M))
    words = {w for span in code for w in re.findall(r"[a-z0-9_.]+", span)}
    for name in list(PARSERS) + list(TRANSFORMS):
        assert name in words, name


@pytest.mark.parametrize("territory", sorted(TERRITORIES))
def test_every_embedded_file_exists_with_provenance(territory):
    provenance = (ROOT / "data/PROVENANCE.md").read_text(encoding="utf-8")
    for ds in TERRITORIES[territory].datasets:
        assert ds.licence and ds.attribution and ds.page.startswith("https://")
        if ds.embedded:
            assert (ROOT / "data" / ds.embedded).is_file(), ds.embedded
            assert ds.embedded in provenance, f"{ds.embedded} missing from data/PROVENANCE.md"
            assert ds.embedded_date, ds.id


def test_portals_and_tasks_named_in_readme(app):
    """Every city and every task page (with its URL) is named in the README."""
    from webapp import labels
    from webapp.tasks import TASK_PAGES
    for territory in TERRITORIES.values():
        assert territory.portals, territory.id
        assert territory.name.split("-")[0] in README, territory.name
    with app.test_request_context():
        for task, endpoint, _picto in TASK_PAGES:
            assert str(labels.TASKS[task]) in README, task
            path = app.url_for(endpoint, territory="x").replace("/x/", "/<city>/")
            assert f"`{path}`" in README, path
    assert "/donnees" in README


def test_every_place_is_inside_its_territory_box(app):
    """Otherwise a visitor standing next to a published place would be refused as 'outside'."""
    from webapp.catalog import catalog
    with app.app_context():
        for data in catalog().all():
            west, south, east, north = data.territory.bbox
            for state in data.states.values():
                outside = [p.id for p in state.places
                           if not (south - 0.05 <= p.lat <= north + 0.05
                                   and west - 0.05 <= p.lon <= east + 0.05)]
                assert not outside, (data.territory.id, state.dataset.id, outside[:3])


def readme_commands(prefix: str) -> list[str]:
    """The README's shell lines starting with prefix, continuation lines joined, comments cut."""
    lines = README.replace("\\\n", " ").splitlines()
    return [line.split("  #")[0].strip() for line in lines if line.startswith(prefix)]


def test_readme_heat_commands_work(tmp_path):
    """Every `flask heat` line of the README, run as written against a scratch heat file."""
    import shlex
    from webapp import create_app
    app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path),
                      "HEAT_FILE": str(tmp_path / "heat.toml")})
    commands = readme_commands(".venv/bin/flask --app wsgi heat")
    assert len(commands) >= 4
    for command in commands:
        args = shlex.split(command)[3:]
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, (command, result.output)
    assert "clermont" in (tmp_path / "heat.toml").read_text(encoding="utf-8")
