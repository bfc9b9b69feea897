"""A non-editable install in a fresh virtual environment works without the checkout beside it.

The Docker build context (what the Dockerfile copies) is copied out of the checkout and installed with
`pip install "<copy>[scoring]"` into a plain venv (no system site-packages, so nothing of the dev
install is visible): the project and its runtime dependencies with the scoring extra, but not the gnn
extra, so no torch and the GNN candidate is skipped. Then, from an empty folder outside the checkout,
that venv's `trustnet sample-data`, `init-schema`, `load data/sample` and `train` run against the
test server. The sample is written with 1,000 firms: the checked-in data/sample (300 firms) has too
few defaults in its last two years for `train`, which says so and exits 1. pip needs its index (PyPI,
or what PIP_INDEX_URL / PIP_FIND_LINKS name). About a minute here, most of it in pip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.packaging.build_context import copy_build_context, included_packages

pytestmark = pytest.mark.neo4j
SAMPLE_FIRMS = 1000  # enough defaults in each of the last two years to train and test on

_WHERE = """
import importlib, importlib.metadata, importlib.util, json, sys
from graph_service.services.browser_guide import STYLE_FILE
from graph_service.tooling.local_neo4j.server import POM
from graph_service.core.settings import Settings
from pathlib import Path
console = Path(importlib.util.find_spec("graph_service.api.console").origin).parent
dist = importlib.metadata.distribution("trustnet")
print(json.dumps({
    "modules": {name: importlib.import_module(name).__file__ for name in sys.argv[1:]},
    "data": [str(STYLE_FILE), str(POM), str(Settings.from_env().cypher_dir),
             str(console / "templates" / "console" / "score_card.html"), str(console / "static" / "console.css")],
    "direct_url": json.loads(dist.read_text("direct_url.json") or "{}"),
    "torch": importlib.util.find_spec("torch") is not None,
}))
"""


def _base_python() -> str:
    """The interpreter the dev venv was made from (a venv made from it sees none of the dev install)."""
    return getattr(sys, "_base_executable", None) or shutil.which("python3.11") or sys.executable


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


def _environment(venv: Path, settings) -> dict[str, str]:
    """This process's environment, less anything that would reach the checkout, plus the test server."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP", "TRUSTNET_STATE_DIR",
                        "TRUSTNET_MODELS_DIR")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.update(TRUSTNET_NEO4J_HOME=str(settings.neo4j_home), TRUSTNET_NEO4J_BOLT_PORT=str(settings.neo4j_bolt_port),
               TRUSTNET_NEO4J_HTTP_PORT=str(settings.neo4j_http_port),
               TRUSTNET_NEO4J_PASSWORD=settings.require_password())
    if settings.neo4j_uri_override:
        env["TRUSTNET_NEO4J_URI"] = settings.neo4j_uri_override
    return env


def test_a_fresh_non_editable_install_loads_and_trains(neo4j_store, settings, tmp_path):
    timings: dict[str, float] = {}
    started = time.perf_counter()
    venv, work = tmp_path / "venv", tmp_path / "work"
    context = copy_build_context(tmp_path / "context")
    work.mkdir()
    env = _environment(venv, settings)
    _run([_base_python(), "-m", "venv", str(venv)], tmp_path, env, 120)
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", f"{context}[scoring]"], tmp_path, env,
         600)
    timings["venv and pip install"] = time.perf_counter() - started

    where = json.loads(_run([str(venv / "bin" / "python"), "-c", _WHERE, *sorted(included_packages())], work,
                            env, 120).stdout)
    site_packages = next((venv / "lib").glob("python3.*/site-packages")).resolve()
    for path in [*where["modules"].values(), *where["data"]]:
        assert Path(path).resolve().is_relative_to(site_packages), path
        assert Path(path).exists(), path
    assert not where["direct_url"].get("dir_info", {}).get("editable", False)

    for args in (["sample-data", "--firms", str(SAMPLE_FIRMS), "--out", "data/sample"], ["init-schema"],
                 ["load", "data/sample"]):
        phase = time.perf_counter()
        _run([str(venv / "bin" / "trustnet"), *args], work, env, 300)
        timings[args[0]] = time.perf_counter() - phase
    phase = time.perf_counter()
    trained = _run([str(venv / "bin" / "trustnet"), "train"], work, env, 600)
    timings["train"] = time.perf_counter() - phase
    found = re.search(r"^Trained (.+): version (\S+)$", trained.stdout, re.MULTILINE)
    assert found, trained.stdout
    assert (work / "models" / "current").read_text().strip() == found.group(2)
    assert (work / "models" / found.group(2)).is_dir()
    if not where["torch"]:  # the gnn extra is not installed: the GNN is not among the candidates
        assert "GNN" not in found.group(1)
    timings["total"] = time.perf_counter() - started
    print(f"\ninstalled check (torch {'installed' if where['torch'] else 'absent'}, shipped {found.group(1)}): "
          + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))
