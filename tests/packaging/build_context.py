"""The project's packaging, read from pyproject.toml and the Dockerfile, and the Docker build context
copied out of the checkout: a wheel built from that copy holds exactly what the image installs."""

from __future__ import annotations

import fnmatch
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def included_packages() -> set[str]:
    """The top-level packages named by [tool.setuptools.packages.find] include ("gnn*" -> "gnn")."""
    include = pyproject()["tool"]["setuptools"]["packages"]["find"]["include"]
    return {pattern.split(".")[0].rstrip("*") for pattern in include}


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per Dockerfile instruction, continuation lines joined, comments dropped."""
    instructions, pending = [], ""
    for line in (REPO / "Dockerfile").read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        text = pending + stripped
        pending = ""
        keyword, _, arguments = text.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def dockerfile_copies() -> list[tuple[str, str]]:
    """(source, destination) for each source of each COPY from the build context (not --from a stage)."""
    copies = []
    for keyword, arguments in dockerfile_instructions():
        if keyword not in ("COPY", "ADD"):
            continue
        words = shlex.split(arguments)
        if any(w.startswith("--from") for w in words):
            continue
        *sources, destination = [w for w in words if not w.startswith("--")]
        copies.extend((source.removeprefix("./").rstrip("/"), destination) for source in sources)
    return copies


def dockerignored(path: str) -> bool:
    """Whether .dockerignore keeps a path (relative to the repository) out of the build context."""
    patterns = [line.strip() for line in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
    parts = Path(path).parts
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    for pattern in patterns:
        bare = pattern.removeprefix("**/")
        if any(fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes):
            return True
        if pattern.startswith("**/") and any(fnmatch.fnmatchcase(part, bare) for part in parts):
            return True
    return False


def copy_build_context(dest: Path) -> Path:
    """Copy what the Dockerfile copies (less what .dockerignore leaves out) to dest; returns dest."""
    dest.mkdir(parents=True, exist_ok=True)
    for source, _ in dockerfile_copies():
        origin = REPO / source
        if origin.is_dir():
            shutil.copytree(origin, dest / source,
                            ignore=lambda folder, names: [n for n in names if dockerignored(
                                str((Path(folder) / n).relative_to(REPO)))])
        else:
            shutil.copy2(origin, dest / source)
    return dest


def build_wheel(context: Path, out_dir: Path) -> Path:
    """A wheel of the copied context, built by the setuptools of the running (dev) environment, offline."""
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                            "--wheel-dir", str(out_dir), str(context)], capture_output=True, text=True)
    if built.returncode != 0:
        raise AssertionError(f"pip wheel failed:\n{built.stdout}\n{built.stderr}")
    (wheel,) = out_dir.glob("trustnet-*.whl")
    return wheel
