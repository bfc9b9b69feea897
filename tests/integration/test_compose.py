"""docker-compose.yml validates with a compose implementation that runs here (no engine needed)."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]


def _config(env_password: str | None):
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.fail("docker-compose is not installed; `make test` installs it (Debian package docker-compose)")
    env = {"PATH": "/usr/bin:/bin"}
    if env_password:
        env["TRUSTNET_NEO4J_PASSWORD"] = env_password
    return subprocess.run([compose, "--project-directory", str(REPO), "--env-file", str(REPO / "pyproject.toml"),
                           "-f", str(REPO / "docker-compose.yml"), "config"],
                          capture_output=True, text=True, env=env)


def test_the_compose_file_validates():
    result = _config("s3cret-pass")
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    neo4j, api = config["services"]["neo4j"], config["services"]["api"]
    assert neo4j["image"].startswith("neo4j:5.26.")
    assert neo4j["environment"]["NEO4J_AUTH"] == "neo4j/s3cret-pass"
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert all(p["host_ip"] == "127.0.0.1" for p in neo4j["ports"] + api["ports"]) if isinstance(
        neo4j["ports"][0], dict) else all(str(p).startswith("127.0.0.1:") for p in neo4j["ports"] + api["ports"])


def test_the_compose_neo4j_bounds_silence_as_the_local_one_does(tmp_path):
    """The Bolt liveness settings that make a frozen server a prompt 503 are the same in both."""
    from pathlib import Path

    from graph_service.core.settings import Settings
    from graph_service.tooling.local_neo4j.config import write_config

    settings = Settings(state_dir=tmp_path, neo4j_password="unused-pass", neo4j_home_override=str(tmp_path / "n"))
    lines = write_config(settings, Path("/unused/lib")).read_text().splitlines()
    local = dict(line.split("=", 1) for line in lines if line.startswith("server.bolt.connection_keep_alive"))
    assert len(local) == 4
    environment = yaml.safe_load(_config("s3cret-pass").stdout)["services"]["neo4j"]["environment"]
    compose = {"server." + key[len("NEO4J_server_"):].replace("__", "\0").replace("_", ".").replace("\0", "_"): value
               for key, value in environment.items() if key.startswith("NEO4J_server_bolt")}
    assert compose == local


def test_the_compose_file_demands_a_password():
    result = _config(None)
    assert result.returncode != 0
    assert "TRUSTNET_NEO4J_PASSWORD" in result.stderr
