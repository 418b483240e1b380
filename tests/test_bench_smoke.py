"""The benchmarks still run (tiny sizes): a benchmark that rots silently measures nothing.

No timing is asserted here; figures come from running bench/ by hand (bench/README.md)."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("args", [
    ["bench/nearest.py", "--queries", "20"],
    ["bench/search.py", "--repeat", "9"],
    ["bench/cool.py", "--runs", "3"],
    ["bench/render.py", "--runs", "10"],
    ["bench/limiter.py", "--rounds", "1", "--requests", "20", "--gap-ms", "1"],
    ["bench/mobility.py", "--runs", "2"],
    ["bench/pack.py", "--no-browser"],
    ["bench/addresses.py", "--queries", "10"],
    ["bench/http_load.py", "--seconds", "1", "--connections", "2"],
    ["bench/soak.py", "--minutes", "0.1", "--sample-seconds", "2", "--rate", "20"],
    ["bench/faults.py", "--only", "HTTP 500"],
    ["bench/compress.py", "--runs", "3"],
    ["bench/national.py", "--bikes", "300", "--drop-off", "1000", "--queries", "20",
     "--no-server"],
])
def test_benchmark_runs(args):
    result = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "p50" in result.stdout or "gzip" in result.stdout or "data kept" in result.stdout \
        or "br q" in result.stdout or "ms/request" in result.stdout


@pytest.mark.browser
def test_lighthouse_runs():
    # The most fragile path of bench/lighthouse.py: the plan reached by a POST (a user flow).
    result = subprocess.run([sys.executable, "bench/lighthouse.py", "--runs", "1", "--only",
                             "mobility answer"], cwd=ROOT, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "| mobility answer |" in result.stdout, result.stdout
