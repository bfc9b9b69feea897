"""The Dockerfile builds what pyproject.toml packages (no Docker engine here: the files are parsed)."""

from __future__ import annotations

import shlex

from tests.packaging.build_context import (REPO, dockerfile_copies, dockerfile_instructions, dockerignored,
                                           included_packages, pyproject)


def test_the_image_copies_exactly_the_packaged_top_level_packages():
    copied_dirs = {source for source, _ in dockerfile_copies() if (REPO / source).is_dir()}
    assert copied_dirs == included_packages(), (f"not copied: {included_packages() - copied_dirs}, "
                                                f"copied but not packaged: {copied_dirs - included_packages()}")
    for package in included_packages():
        assert (REPO / package / "__init__.py").is_file(), f"{package}/ is not a package"


def test_each_package_lands_under_its_own_name_beside_pyproject():
    copies = dict(dockerfile_copies())
    project = pyproject()["project"]
    assert copies["pyproject.toml"] in ("./", ".")
    assert copies[project["readme"]] in ("./", ".")  # setuptools reads the readme while building
    for package in included_packages():
        assert copies[package].rstrip("/") in (package, f"./{package}")


def test_nothing_copied_is_left_out_of_the_build_context():
    for source, _ in dockerfile_copies():
        assert not dockerignored(source), f".dockerignore drops {source}, which the Dockerfile copies"
    for data in ("cypher/ingest/merge_nodes.cypher", "graph_service/browser/trustnet.grass",
                 "graph_service/tooling/local_neo4j/pom.xml"):
        assert not dockerignored(data)
    assert dockerignored("graph_service/__pycache__/x.pyc") and dockerignored(".venv/bin/python")


def test_the_image_installs_the_project_non_editable_with_the_extras_it_names():
    runs = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "RUN"]
    installs = [command.split() for run in runs for command in run.split("&&") if "pip install" in command]
    project_installs = [words for words in installs if any(w.strip("\"'").startswith(".") for w in words)]
    assert len(project_installs) == 1, installs
    (words,) = project_installs
    assert "-e" not in words and "--editable" not in words
    (target,) = [shlex.split(w)[0] for w in words if w.strip("\"'").startswith(".")]
    extras = target.removeprefix(".").strip("[]").split(",")
    assert set(extras) <= set(pyproject()["project"]["optional-dependencies"]), target
