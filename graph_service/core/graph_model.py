"""The trust graph's node and relationship types: one registry, used by schema, loaders and API.

A `GraphModel` is immutable; a mapping file that declares new types gets an extended copy
(`GraphModel.extended`), so one load never changes what another sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Mapping

from graph_service.core.errors import GraphModelError

# Labels and relationship types are interpolated into Cypher templates, so they must come from
# this closed grammar (checked here, once) and never from a request.
_LABEL = re.compile(r"^[A-Z][A-Za-z0-9]{0,63}$")
_REL_TYPE = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")
_PROPERTY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

PROPERTY_KINDS = ("string", "int", "float", "date", "bool", "enum")
# Properties that the loaders set themselves on every node and relationship.
LINEAGE_PROPERTIES = ("source", "first_loaded_at", "last_loaded_at", "changed_at")

# Display labels. Neo4j Browser's style colours nodes by label only, so a scored firm also carries
# its risk band's label (set with its latest score). They are never node types: snapshots, exports
# and the API ignore them, and a node's type stays its first label.
RISK_BANDS = {"RiskLow": ("1", "2", "3", "4"), "RiskMedium": ("5", "6", "7"), "RiskHigh": ("8", "9", "10", "D")}
DISPLAY_LABELS = tuple(RISK_BANDS)


def risk_band(grade: str | None) -> str | None:
    """The display label of a grade: PD under 1% low, under 8% medium, else high."""
    return next((band for band, grades in RISK_BANDS.items() if grade in grades), None)


@dataclass(frozen=True)
class PropertySpec:
    """One typed property: `min` bounds numbers (amounts may not be negative), `choices` enums."""

    name: str
    kind: str = "string"
    required: bool = False
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not _PROPERTY.match(self.name):
            raise GraphModelError(f"property name {self.name!r} must be snake_case")
        if self.name in LINEAGE_PROPERTIES or self.name == "id":
            raise GraphModelError(f"property name {self.name!r} is reserved")
        if self.kind not in PROPERTY_KINDS:
            raise GraphModelError(
                f"property {self.name!r}: kind {self.kind!r} is not one of {', '.join(PROPERTY_KINDS)}"
            )
        if self.kind == "enum" and not self.choices:
            raise GraphModelError(f"property {self.name!r}: an enum needs choices")


@dataclass(frozen=True)
class NodeType:
    """A node label keyed by a unique `id`; `loadable` is false for types only TrustNet writes."""

    label: str
    properties: tuple[PropertySpec, ...] = ()
    description: str = ""
    loadable: bool = True

    def __post_init__(self) -> None:
        if not _LABEL.match(self.label):
            raise GraphModelError(f"node label {self.label!r} must be CamelCase letters and digits")
        if self.label in DISPLAY_LABELS:
            raise GraphModelError(f"node label {self.label!r} is the risk band TrustNet puts on scored firms "
                                  "(for Neo4j Browser's colours); choose another name")


@dataclass(frozen=True)
class RelationshipType:
    """A relationship type with the labels allowed at each end; identity is (source, type, target)."""

    type: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    properties: tuple[PropertySpec, ...] = ()
    description: str = ""
    loadable: bool = True

    def __post_init__(self) -> None:
        if not _REL_TYPE.match(self.type):
            raise GraphModelError(f"relationship type {self.type!r} must be UPPER_SNAKE_CASE")
        if not self.sources or not self.targets:
            raise GraphModelError(f"relationship type {self.type!r} needs source and target labels")


@dataclass(frozen=True)
class GraphModel:
    """The closed set of node and relationship types one load or one process works with."""

    nodes: Mapping[str, NodeType] = field(default_factory=dict)
    relationships: Mapping[str, RelationshipType] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "nodes", MappingProxyType(dict(self.nodes)))
        object.__setattr__(self, "relationships", MappingProxyType(dict(self.relationships)))
        for rel in self.relationships.values():
            for label in (*rel.sources, *rel.targets):
                if label not in self.nodes:
                    raise GraphModelError(
                        f"relationship type {rel.type} refers to unknown node label {label!r}"
                    )

    def node(self, label: str) -> NodeType:
        try:
            return self.nodes[label]
        except KeyError:
            raise GraphModelError(f"unknown node label {label!r}") from None

    def relationship(self, rel_type: str) -> RelationshipType:
        try:
            return self.relationships[rel_type]
        except KeyError:
            raise GraphModelError(f"unknown relationship type {rel_type!r}") from None

    def extended(
        self,
        nodes: tuple[NodeType, ...] = (),
        relationships: tuple[RelationshipType, ...] = (),
    ) -> GraphModel:
        """A copy with more types; redefining an existing type is refused."""
        for node in nodes:
            if node.label in self.nodes:
                raise GraphModelError(f"node label {node.label} is already defined")
        for rel in relationships:
            if rel.type in self.relationships:
                raise GraphModelError(f"relationship type {rel.type} is already defined")
        return GraphModel(
            nodes={**self.nodes, **{n.label: n for n in nodes}},
            relationships={**self.relationships, **{r.type: r for r in relationships}},
        )

    def with_properties(self, label_or_type: str, properties: tuple[PropertySpec, ...]) -> GraphModel:
        """A copy where one type carries extra properties (a partner's extra columns)."""
        current = {p.name: p for p in (self.nodes[label_or_type] if label_or_type in self.nodes
                                       else self.relationship(label_or_type)).properties}
        clash = sorted(f"{p.name} ({current[p.name].kind}; declared {p.kind} here)" for p in properties
                       if p.name in current and p.kind != current[p.name].kind)
        if clash:
            raise GraphModelError(f"{label_or_type} already has propert{'y' if len(clash) == 1 else 'ies'} "
                                  f"{', '.join(clash)}: leave {'it' if len(clash) == 1 else 'them'} out of "
                                  "extra_properties or declare the same kind")
        # Restating a property the model has, with its kind, changes nothing (the model's spec stays).
        properties = tuple(p for p in properties if p.name not in current)
        if label_or_type in self.nodes:
            node = self.nodes[label_or_type]
            return replace(self, nodes={**self.nodes, node.label: replace(node, properties=node.properties + properties)})
        rel = self.relationship(label_or_type)
        return replace(
            self,
            relationships={**self.relationships, rel.type: replace(rel, properties=rel.properties + properties)},
        )


def _p(name: str, kind: str = "string", **kw) -> PropertySpec:
    return PropertySpec(name=name, kind=kind, **kw)


LOAN_STATUSES = ("current", "repaid", "overdue", "defaulted")
# Characters in a text property. Neo4j refuses an index entry over about 8 KB (a firm's sector and
# region are indexed together) and would throw away the row's whole batch: a longer text is that row's reject.
MAX_TEXT_LENGTH = 1000
LIVE_LOAN_STATUSES = ("current", "overdue")  # still outstanding: exposed to a default

REFERENCE_MODEL = GraphModel(
    nodes={
        n.label: n
        for n in (
            NodeType(
                "Firm",
                (
                    _p("name", required=True),
                    _p("sector"),
                    _p("region"),
                    _p("founded", "date"),
                    _p("employees", "int", min=0),
                    _p("registration_status", "enum", choices=("active", "suspended", "dissolved")),
                    _p("declared_revenue", "float", min=0),
                    _p("tax_revenue", "float", min=0),
                    _p("utility_usage", "float", min=0),
                    _p("customs_value", "float", min=0),
                    _p("telecom_tenure_months", "int", min=0),
                    # Firm-level outcomes, for a graph without loans (scoring/outcomes.py).
                    _p("defaulted", "bool"),
                    _p("outcome_date", "date"),
                ),
                "A small or medium firm; its attributes come from several independent sources.",
            ),
            NodeType("Guarantor", (_p("name", required=True), _p("capital", "float", min=0), _p("region")),
                     "A guarantee company."),
            NodeType("Chamber", (_p("name", required=True), _p("region")), "A chamber of commerce."),
            NodeType("Market", (_p("name", required=True), _p("sector"), _p("region")),
                     "A professional market or trade association."),
            NodeType("Bank", (_p("name", required=True), _p("capital", "float", min=0)), "A lender."),
            NodeType(
                "Loan",
                (
                    _p("amount", "float", required=True, min=0),
                    _p("outstanding", "float", min=0),
                    _p("issued", "date", required=True),
                    _p("due", "date"),
                    _p("status", "enum", required=True, choices=LOAN_STATUSES),
                    _p("status_date", "date"),
                ),
                "A loan; its status is the outcome the models learn from.",
            ),
            NodeType("Person", (_p("name", required=True),), "An owner or director (shared controllers carry risk)."),
            NodeType("Score", (), "A served network credit score.", loadable=False),
            NodeType("Model", (), "A trained scoring model.", loadable=False),
            NodeType("ApiKey", (), "An API key: its hash, role and the node it acts for.", loadable=False),
            NodeType("AuditEvent", (), "A score served through the API, with who asked.", loadable=False),
            NodeType("IngestBatch", (), "An ingestion batch taken under an idempotency key.", loadable=False),
            NodeType("DeclaredTypes", (), "The types mapping files declared (accepted by the ingestion API too).",
                     loadable=False),
        )
    },
    relationships={
        r.type: r
        for r in (
            RelationshipType(
                "TRADES_WITH", ("Firm",), ("Firm",),
                (
                    _p("volume", "float", min=0),
                    _p("count", "int", min=0),
                    _p("first_date", "date"),
                    _p("last_date", "date"),
                    _p("rating", "float", min=0, max=5),
                    _p("complaints", "int", min=0),
                ),
                "Supplier (source) to customer (target).",
            ),
            RelationshipType("RECOMMENDS", ("Chamber", "Market"), ("Firm",),
                             (_p("date", "date"), _p("strength", "float", min=0, max=1)), "A vouch."),
            RelationshipType("MEMBER_OF", ("Firm",), ("Chamber", "Market"), (_p("since", "date"),), "Membership."),
            RelationshipType("GRANTED", ("Bank",), ("Loan",), (), "The bank that lent."),
            RelationshipType("BORROWED", ("Firm",), ("Loan",), (), "The firm that borrowed."),
            RelationshipType("GUARANTEES", ("Guarantor", "Firm"), ("Loan",),
                             (_p("amount", "float", required=True, min=0), _p("since", "date")),
                             "A guarantee; firms guarantee each other too."),
            RelationshipType("CONTROLS", ("Person",), ("Firm",),
                             (_p("role"), _p("share", "float", min=0, max=1)), "Ownership or directorship."),
            RelationshipType("HAS_SCORE", ("Firm",), ("Score",), (), "A served score.", loadable=False),
            RelationshipType("SCORED_BY", ("Score",), ("Model",), (), "The model that computed a score.",
                             loadable=False),
        )
    },
)
