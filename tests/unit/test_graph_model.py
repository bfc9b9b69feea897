import pytest

from graph_service.core.errors import GraphModelError
from graph_service.core.graph_model import REFERENCE_MODEL, NodeType, PropertySpec, RelationshipType

DESIGN_NODES = {"Firm", "Guarantor", "Chamber", "Market", "Bank", "Loan", "Person", "Score", "Model"}
DESIGN_RELATIONSHIPS = {"TRADES_WITH", "RECOMMENDS", "MEMBER_OF", "GRANTED", "BORROWED", "GUARANTEES", "HAS_SCORE"}


def test_reference_model_has_the_design_types():
    assert DESIGN_NODES <= set(REFERENCE_MODEL.nodes)
    assert DESIGN_RELATIONSHIPS <= set(REFERENCE_MODEL.relationships)
    assert REFERENCE_MODEL.relationship("GUARANTEES").sources == ("Guarantor", "Firm")
    assert not REFERENCE_MODEL.node("Score").loadable


@pytest.mark.parametrize("label", ["firm", "Firm-X", "Firm}) DETACH DELETE (n", ""])
def test_labels_outside_the_grammar_are_refused(label):
    with pytest.raises(GraphModelError, match="CamelCase"):
        NodeType(label)


def test_relationship_types_outside_the_grammar_are_refused():
    with pytest.raises(GraphModelError, match="UPPER_SNAKE_CASE"):
        RelationshipType("trades`]->(x) DELETE x//", ("Firm",), ("Firm",))


def test_extending_adds_types_without_changing_the_original():
    extended = REFERENCE_MODEL.extended(
        relationships=(RelationshipType("SHARES_DIRECTOR_WITH", ("Firm",), ("Firm",)),)
    )
    assert "SHARES_DIRECTOR_WITH" in extended.relationships
    assert "SHARES_DIRECTOR_WITH" not in REFERENCE_MODEL.relationships


def test_redefining_or_dangling_types_are_refused():
    with pytest.raises(GraphModelError, match="already defined"):
        REFERENCE_MODEL.extended(nodes=(NodeType("Firm"),))
    with pytest.raises(GraphModelError, match="unknown node label 'Ship'"):
        REFERENCE_MODEL.extended(relationships=(RelationshipType("OWNS", ("Firm",), ("Ship",)),))


def test_reserved_and_malformed_properties_are_refused():
    with pytest.raises(GraphModelError, match="reserved"):
        PropertySpec("source")
    with pytest.raises(GraphModelError, match="kind 'money'"):
        PropertySpec("amount", "money")
