"""Pyflakes' checks (through ruff) over the code: an undefined name or a dead import fails here."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_pyflakes_error():
    # The rules are in pyproject.toml ([tool.ruff.lint]); ruff is installed with the test extras.
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format",
                          "concise", "webapp", "tests", "bench", "tools", "wsgi.py"],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
