"""A mapping cannot pass a display label off as a node type, nor reach files outside the load folder."""

import pytest

from graph_service.core.errors import MappingError
from graph_service.core.graph_model import DISPLAY_LABELS, REFERENCE_MODEL
from loaders.mapping import read_mapping


def _mapping(tmp_path, text: str):
    path = tmp_path / "mapping.yaml"
    path.write_text("source: partner\n" + text)
    return read_mapping(path, REFERENCE_MODEL, tmp_path)


@pytest.mark.parametrize("label", DISPLAY_LABELS)
def test_a_display_label_cannot_be_declared_as_a_node_type(tmp_path, label):
    (tmp_path / "risk.csv").write_text("id,name\nF00001,x\n")
    with pytest.raises(MappingError, match=f"{label}.*risk band"):
        _mapping(tmp_path, f"types:\n  nodes:\n    - label: {label}\nfiles:\n  - path: risk.csv\n    node: {label}\n")


@pytest.mark.parametrize("path", ["/etc/os-release", "../outside.csv"])
def test_a_file_outside_the_load_folder_is_refused(tmp_path, path):
    folder = tmp_path / "load"
    folder.mkdir()
    (tmp_path / "outside.csv").write_text("id,name\nP1,x\n")
    with pytest.raises(MappingError, match="outside the folder being loaded"):
        _mapping(folder, f"files:\n  - path: {path}\n    node: Person\n")


def test_a_file_in_a_subfolder_is_still_fine(tmp_path):
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "Person.csv").write_text("id,name\nP1,x\n")
    mapping = _mapping(tmp_path, "files:\n  - path: people/Person.csv\n    node: Person\n")
    assert [spec.type_name for spec in mapping.files] == ["Person"]
