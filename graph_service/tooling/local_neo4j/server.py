"""Run a real Neo4j Community server from Maven Central jars, without Docker.

Layout (all git-ignored, under the state folder):
  .neo4j/dist/<version>/lib/   jars copied by Maven, shared by every instance of that version
  .neo4j/<instance>/           conf/, data/, logs/, run/neo4j.pid of one instance (demo, test, bench)

Each step is idempotent: `start` fetches only what is missing, rewrites the config, sets the initial
password only before the first start, and returns at once if this instance already runs.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import string
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from graph_service.core.errors import LocalNeo4jError
from graph_service.core.settings import Settings
from graph_service.tooling.local_neo4j.config import write_config
from graph_service.tooling.local_neo4j.permissions import SERVER_UMASK, owner_only

POM = Path(__file__).with_name("pom.xml")
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_COMMAND = "org.neo4j.server.startup.Neo4jAdminCommand"
SUPPORTED_JAVA = (17, 21)
NO_LOCAL_SERVER_HINT = (
    "Install Java 17 and Maven to run Neo4j locally, or run it with Docker instead: "
    "`docker compose up -d neo4j` (see README)."
)
# The flags the official 5.26 launcher adds (server.jvm.additional is read only by the bootloader).
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
)


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    home: Path
    bolt_uri: str
    browser_url: str


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise LocalNeo4jError(f"`{name}` is not on PATH. {NO_LOCAL_SERVER_HINT}")
    return path


def _java() -> str:
    java = _tool("java")
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)', out)
    major = int(match.group(1)) if match else 0
    if major not in SUPPORTED_JAVA:
        raise LocalNeo4jError(
            f"Neo4j 5.26 needs Java 17 or 21, but `{java}` is Java {major or 'unknown'}. "
            f"Put a Java 17 first on PATH. {NO_LOCAL_SERVER_HINT}"
        )
    return java


def ensure_password(settings: Settings) -> Settings:
    """Settings with a password: the configured one, else one generated into the git-ignored .env."""
    if settings.neo4j_password:
        return settings
    alphabet = string.ascii_letters + string.digits
    password = "".join(secrets.choice(alphabet) for _ in range(24))
    descriptor = os.open(settings.env_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as env_file:
        env_file.write(f"TRUSTNET_NEO4J_PASSWORD={password}\n")
    return Settings.from_env()


def fetch(settings: Settings) -> Path:
    """Resolve Neo4j Community and Browser jars with Maven into the shared lib folder (once)."""
    lib = settings.neo4j_dist_dir / "lib"
    marker = settings.neo4j_dist_dir / "complete"
    if marker.is_file():
        return lib
    mvn = _tool("mvn")
    _java()
    staging = settings.neo4j_dist_dir / "lib.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    cmd = [
        mvn, "-B", "-q", "-f", str(POM), f"{DEPENDENCY_PLUGIN}:copy-dependencies",
        f"-Dneo4j.version={settings.neo4j_version}",
        f"-Dneo4j.browser.version={settings.neo4j_browser_version}",
        "-DincludeScope=runtime", "-DexcludeTypes=pom", f"-DoutputDirectory={staging}",
    ]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise LocalNeo4jError(
            f"Maven could not resolve Neo4j {settings.neo4j_version}:\n{(result.stdout + result.stderr)[-3000:]}"
        )
    if not any(staging.glob(f"neo4j-{settings.neo4j_version}.jar")):
        raise LocalNeo4jError(f"Maven ran but neo4j-{settings.neo4j_version}.jar is not in {staging}")
    shutil.rmtree(lib, ignore_errors=True)  # never mix two versions' jars
    staging.rename(lib)
    marker.write_text(settings.neo4j_version + "\n")
    return lib


def _child_env(settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("JAVA_OPTS", "HEAP_SIZE")}
    env.update(NEO4J_HOME=str(settings.neo4j_home), NEO4J_CONF=str(settings.neo4j_home / "conf"))
    return env


def set_initial_password(settings: Settings, lib: Path) -> None:
    """Set the neo4j user's password; it only takes effect before the first start."""
    if (settings.neo4j_home / "data" / "databases" / "system").exists():
        return
    password = settings.require_password()
    result = subprocess.run(
        [_java(), "-Xmx256m", "-cp", f"{lib}/*", ADMIN_COMMAND, "dbms", "set-initial-password", "--", password],
        capture_output=True, text=True, env=_child_env(settings),
    )
    if result.returncode != 0:
        raise LocalNeo4jError(f"setting the initial password failed:\n{result.stdout}{result.stderr}")


def _pid_file(settings: Settings) -> Path:
    return settings.neo4j_home / "run" / "neo4j.pid"


def _our_pid(settings: Settings) -> int | None:
    """The pid in run/neo4j.pid if that process is our server (pids get reused)."""
    try:
        pid = int(_pid_file(settings).read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return None
    home_arg = f"--home-dir={settings.neo4j_home}".encode()
    return pid if home_arg in cmdline else None


def status(settings: Settings) -> ServerStatus:
    pid = _our_pid(settings)
    return ServerStatus(
        running=pid is not None,
        pid=pid,
        home=settings.neo4j_home,
        bolt_uri=settings.neo4j_uri,
        browser_url=f"http://{settings.neo4j_host}:{settings.neo4j_http_port}/browser/",
    )


def start(settings: Settings, fresh: bool = False) -> ServerStatus:
    """Fetch, configure and start this instance, and wait until a Bolt login succeeds."""
    from graph_service.adapters.neo4j_connection import wait_until_ready

    if fresh:
        stop(settings)
        shutil.rmtree(settings.neo4j_home / "data", ignore_errors=True)
    current = status(settings)
    if current.running:
        wait_until_ready(settings, timeout_s=settings.neo4j_start_timeout_s)
        return current
    lib = fetch(settings)
    write_config(settings, lib)
    set_initial_password(settings, lib)
    home = settings.neo4j_home
    owner_only(home)
    log_path = home / "logs" / "console.log"
    cmd = [
        _java(), *JVM_FLAGS, f"-Xms{settings.neo4j_heap}", f"-Xmx{settings.neo4j_heap}",
        "-cp", f"{home / 'plugins'}/*:{home / 'conf'}/*:{lib}/*",
        ENTRY_POINT, f"--home-dir={home}", f"--config-dir={home / 'conf'}", "--console-mode",
    ]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=_child_env(settings), start_new_session=True, cwd=home, umask=SERVER_UMASK,
        )
    deadline = time.monotonic() + settings.neo4j_start_timeout_s
    while _our_pid(settings) is None:
        if process.poll() is not None:
            raise LocalNeo4jError(
                f"Neo4j exited with code {process.returncode} while starting; "
                f"last lines of {log_path}:\n{_tail(log_path)}"
            )
        if time.monotonic() > deadline:
            raise LocalNeo4jError(f"Neo4j did not write its pid file in time; see {log_path}")
        time.sleep(0.2)
    wait_until_ready(settings, timeout_s=max(1.0, deadline - time.monotonic()), process=process)
    return status(settings)


def stop(settings: Settings, timeout_s: float = 120.0) -> bool:
    """Stop this instance with SIGTERM (SIGKILL only after timeout_s); False if it was not running."""
    pid = _our_pid(settings)
    if pid is None:
        return False
    _signal(pid, signal.SIGTERM)
    if not _wait_gone(pid, timeout_s):
        _signal(pid, signal.SIGKILL)  # the next start runs recovery
        _wait_gone(pid, 30.0)
    _pid_file(settings).unlink(missing_ok=True)
    return True


def _signal(pid: int, sig: signal.Signals) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass  # it ended on its own meanwhile


def _wait_gone(pid: int, timeout_s: float) -> bool:
    """Wait until the process has ended (a zombie child of ours counts as ended)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        if state == "Z":
            return True
        time.sleep(0.2)
    return False


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
