"""The wheel built from the Docker build context ships every module and the data files the code reads."""

from __future__ import annotations

import zipfile

import pytest

from tests.packaging.build_context import REPO, build_wheel, copy_build_context, included_packages


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    root = tmp_path_factory.mktemp("wheel")
    with zipfile.ZipFile(build_wheel(copy_build_context(root / "context"), root / "dist")) as archive:
        yield archive


@pytest.fixture(scope="module")
def wheel_names(wheel) -> set[str]:
    return set(wheel.namelist())


def _checkout_files(suffix: str) -> set[str]:
    return {path.relative_to(REPO).as_posix() for package in included_packages()
            for path in (REPO / package).rglob(f"*{suffix}") if "__pycache__" not in path.parts}


def test_every_module_and_statement_ships(wheel_names):
    assert _checkout_files(".py") <= wheel_names
    cypher = _checkout_files(".cypher")
    assert len(cypher) > 10 and cypher <= wheel_names


def test_the_data_files_beside_the_code_ship(wheel_names):
    assert {"graph_service/browser/trustnet.grass", "graph_service/tooling/local_neo4j/pom.xml"} <= wheel_names


def test_only_the_packaged_top_level_names_and_the_entry_point(wheel, wheel_names):
    top_level = {name.split("/")[0] for name in wheel_names}
    (dist_info,) = {name for name in top_level if name.endswith(".dist-info")}
    assert top_level - {dist_info} == included_packages()
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in wheel_names)
    assert "graph_service/cli/__init__.py" in wheel_names and "graph_service/cli.py" not in wheel_names
    entry_points = wheel.read(f"{dist_info}/entry_points.txt").decode()
    assert "trustnet = graph_service.cli:main" in entry_points
