"""Guarantee patterns: exact on a hand-built network, the planted circles found in a synthetic world,
and the flags put on firms the same way on both stores."""

import csv
from datetime import date, datetime, timezone

from graph_service.core.domain import NodeRow, RelationshipRow
from graph_service.network_risk.guarantee_patterns import detect_and_flag, find_patterns
from synthetic.world import generate_world

T = datetime(2026, 1, 1, tzinfo=timezone.utc)
EDGES = {("A", "B"), ("B", "A"),                      # a mutual pair
         ("C", "D"), ("D", "E"), ("E", "C"),          # a circle of three
         ("F", "G"), ("G", "H"), ("H", "I"),          # a chain of three guarantees
         *{("S", t) for t in "VWXYZ"},                 # a star
         ("A", "C")}                                   # ties the pair to the circle: still two circles


def test_pairs_circles_chains_and_stars_on_a_hand_built_network():
    patterns = find_patterns(EDGES)
    assert patterns.circles == [["A", "B"], ["C", "D", "E"]]
    assert patterns.mutual_pairs == [["A", "B"]]
    assert patterns.chain_depth == {"F": 3}  # G->H->I is two; A's run enters the circle, which counts once
    assert patterns.stars == {"S": 5}
    flags = {row["id"]: row["properties"] for row in patterns.flags()}
    assert flags["A"] == {"guarantee_circle_size": 2, "guarantee_mutual_pair": 1, "guarantee_chain_depth": 0,
                          "guarantee_star": 0}
    assert flags["E"]["guarantee_circle_size"] == 3 and flags["F"]["guarantee_chain_depth"] == 3


def _rows(path):
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_circles_the_generator_planted_are_found(tmp_path):
    world = generate_world(tmp_path, firms=8000, seed=5)
    borrower = {r["to_id"]: r["from_id"] for r in _rows(world.graph_dir / "BORROWED.csv")}
    edges = {(r["from_id"], borrower[r["to_id"]]) for r in _rows(world.graph_dir / "GUARANTEES.csv")
             if r["from_label"] == "Firm" and borrower[r["to_id"]] != r["from_id"]}
    planted: dict[str, set] = {}
    for row in _rows(world.ground_truth):
        if row["circle"] != "-1":
            planted.setdefault(row["circle"], set()).add(row["id"])
    found = {frozenset(c) for c in find_patterns(edges).circles}
    planted_sets = {frozenset(c) for c in planted.values()}
    recall = len(planted_sets & found) / len(planted_sets)
    assert len(planted_sets) >= 20 and recall >= 0.95, recall
    assert len(found - planted_sets) <= 0.1 * len(found)  # few circles that were not planted


def load_edges(store) -> list[str]:
    """EDGES as firms, their loans, and guarantees of those loans; returns the firms (and Q, in none)."""
    firms = sorted({f for edge in EDGES for f in edge} | {"Q"})
    store.merge_nodes("Firm", [NodeRow(f, {"name": f}, 1) for f in firms], "t", T)
    loans = [(a, b, f"L{a}{b}") for a, b in sorted(EDGES)]
    store.merge_nodes("Loan", [NodeRow(loan, {"amount": 1.0, "status": "current", "issued": date(2025, 1, 1)}, 1)
                                   for _, _, loan in loans], "t", T)
    store.merge_relationships("BORROWED", "Firm", "Loan",
                                  [RelationshipRow(b, loan, {}, 1) for _, b, loan in loans],
                                  "t", T)
    store.merge_relationships("GUARANTEES", "Firm", "Loan", [
        RelationshipRow(a, loan, {"amount": 1.0}, 1) for a, _, loan in loans], "t", T)
    return firms


def test_flags_land_on_the_firms_and_replace_earlier_ones(any_store):
    firms = load_edges(any_store)
    any_store.flag_firms([{"id": "Q", "properties": {"guarantee_star": 1}}], ("guarantee_star",))  # stale
    patterns = detect_and_flag(any_store)
    assert patterns.circles == [["A", "B"], ["C", "D", "E"]]
    properties = {f: any_store.firm_with_ties(f, 0).properties for f in firms}
    assert properties["A"]["guarantee_mutual_pair"] == 1 and properties["S"]["guarantee_star"] == 1
    assert properties["F"]["guarantee_chain_depth"] == 3
    assert "guarantee_star" not in properties["Q"]
