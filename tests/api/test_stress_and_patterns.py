"""Stress tests and guarantee patterns through the API: who sees what, the same figures as the
services compute, clear errors, and a 503 with Retry-After while the network is first read."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import replace

import pytest

from graph_service.api import create_app
from graph_service.network_risk.guarantee_patterns import find_patterns, firm_guarantee_edges
from graph_service.runtime.network_view import NetworkViewCache, read_exposure_snapshot
from graph_service.network_risk.stress_test import debtrank, exposure_network
from graph_service.core.snapshot import read_snapshot


@pytest.fixture(scope="module")
def app(api_world):
    """An app of its own: its network view is read now, not shared with tests that post data."""
    return create_app(api_world.settings, store=api_world.store)


@pytest.fixture(scope="module")
def scenario(api_world):
    """Every live borrower the world's busiest guarantor backs defaults at once."""
    exposure = api_world.client().get(f"/v1/guarantors/{api_world.ids['own_guarantor']}/exposure",
                                      headers=api_world.headers("admin")).json
    defaults = sorted({g["borrower_id"] for g in exposure["guarantees"] if g["live"]})
    assert len(defaults) >= 3
    return {"defaults": defaults, "top": 1000}


@pytest.fixture
def _stress(app):
    def post(world, role, body):
        return app.test_client().post("/v1/stress-tests", json=body, headers=world.headers(role))

    return post


def test_an_investigator_sees_every_affected_node_as_debtrank_computes_it(api_world, scenario, _stress):
    answer = _stress(api_world, "investigator", scenario).json
    network = exposure_network(read_snapshot(api_world.store), api_world.settings.loss_given_default)
    expected = debtrank(network, [("Firm", f) for f in scenario["defaults"]])
    assert answer["scope"] == "network" and answer["defaults"] == scenario["defaults"]
    assert answer["debtrank"] == pytest.approx(expected.debtrank, abs=1e-6) and answer["debtrank"] > 0
    assert answer["affected_count"] == len(expected.affected())
    by_label = {label: [(r["id"], r["loss_fraction"]) for r in expected.affected((label,))]
                for label in ("Guarantor", "Bank", "Firm")}
    assert [(r["id"], r["loss_fraction"]) for r in answer["guarantors"]] == by_label["Guarantor"]
    assert [(r["id"], r["loss_fraction"]) for r in answer["banks"]] == by_label["Bank"]
    assert [(r["id"], r["loss_fraction"]) for r in answer["firms"]] == by_label["Firm"][:1000]
    assert answer["guarantors"][0]["loss_fraction"] >= answer["guarantors"][-1]["loss_fraction"]
    assert answer["rounds"] >= 1 and answer["lgd"] == api_world.settings.loss_given_default


def test_the_network_read_for_stress_tests_is_the_whole_graphs_exposure_network(api_world):
    """Reading only firms, loans, guarantors, banks and their loan ties changes no figure."""
    lgd = api_world.settings.loss_given_default
    whole = exposure_network(read_snapshot(api_world.store), lgd)
    part = exposure_network(read_exposure_snapshot(api_world.store), lgd)
    assert part.ids.tolist() == whole.ids.tolist()
    assert (part.impact != whole.impact).nnz == 0 and part.capital.tolist() == whole.capital.tolist()


def test_a_guarantor_sees_only_its_own_loss(api_world, scenario, _stress):
    everything = _stress(api_world, "investigator", scenario).json
    mine = _stress(api_world, "guarantor", scenario).json
    own = api_world.ids["own_guarantor"]
    assert mine["scope"] == "own" and mine["debtrank"] is None and mine["affected_count"] is None
    assert mine["banks"] == [] and mine["firms"] == []
    assert mine["guarantors"] == [r for r in everything["guarantors"] if r["id"] == own]
    assert mine["guarantors"][0]["loss_fraction"] > 0
    assert len(everything["guarantors"]) > 1  # others were hit too, and the guarantor did not see them


def test_a_bank_sees_only_its_own_loss(api_world, scenario, _stress):
    """Not its borrowers' distress: with a firm's capital (from its declared revenue) that would tell
    what the firm guarantees on other banks' loans."""
    everything = _stress(api_world, "investigator", scenario).json
    mine = _stress(api_world, "bank", scenario).json
    bank = api_world.ids["own_bank"]
    hit = [r for r in everything["banks"] if r["id"] == bank]
    assert hit, "the scenario should reach the bank for this test to mean something"
    assert mine["banks"] == hit and mine["guarantors"] == [] and mine["firms"] == []
    assert (mine["scope"], mine["debtrank"], mine["affected_count"], mine["rounds"]) == ("own", None, None, None)


def test_an_unaffected_guarantor_reads_a_loss_of_zero(api_world, _stress):
    """A firm that never borrowed passes no distress on: its default touches no one."""
    borrowers = {row[1] for row in api_world.store.export_relationships("BORROWED")}
    quiet = next(f for f, _ in sorted(api_world.store.export_nodes("Firm")) if f not in borrowers)
    answer = _stress(api_world, "guarantor", {"defaults": [quiet]}).json
    assert [(r["id"], r["loss_fraction"]) for r in answer["guarantors"]] == [(api_world.ids["own_guarantor"], 0.0)]
    assert _stress(api_world, "investigator", {"defaults": [quiet]}).json["affected_count"] == 0


def test_unknown_firms_are_named_in_a_400(api_world, _stress):
    firm = api_world.ids["firm"]
    response = _stress(api_world, "admin", {"defaults": [firm, "F-NOBODY", "F-GHOST"]})
    assert response.status_code == 400 and response.content_type == "application/problem+json"
    assert response.json["errors"] == [
        {"location": "json", "field": "defaults", "message": "no firm with id 'F-NOBODY'"},
        {"location": "json", "field": "defaults", "message": "no firm with id 'F-GHOST'"}]
    for body in ({"defaults": []}, {"defaults": ["F1"] * 1001}, {"defaults": [firm], "top": 0}):
        assert _stress(api_world, "admin", body).status_code == 400


def test_too_central_to_fail_ranks_firms_by_the_distress_they_alone_spread(api_world, app):
    answer = app.test_client().get("/v1/stress-tests/too-central-to-fail?top=5&candidates=50",
                                    headers=api_world.headers("investigator")).json
    assert answer["candidates"] == 50 and 1 <= len(answer["firms"]) <= 5
    ranks = [r["debtrank"] for r in answer["firms"]]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > 0
    network = exposure_network(read_snapshot(api_world.store), api_world.settings.loss_given_default)
    first = answer["firms"][0]
    assert debtrank(network, [("Firm", first["id"])]).debtrank == pytest.approx(first["debtrank"], abs=1e-6)


def test_patterns_are_listed_for_investigators_as_detected(api_world, app):
    client, headers = app.test_client(), api_world.headers("investigator")
    expected = find_patterns(firm_guarantee_edges(api_world.store))
    circles = client.get("/v1/guarantee-patterns?kind=circles&page_size=500", headers=headers).json
    assert circles["counts"]["circles"] == len(expected.circles) > 0
    assert circles["counts"]["mutual_pairs"] == len(expected.mutual_pairs)
    assert [c["firm_ids"] for c in circles["items"]] == expected.circles[:500]
    assert all(c["size"] == len(c["firm_ids"]) for c in circles["items"])
    member = expected.circles[-1][0]
    mine = client.get(f"/v1/guarantee-patterns?kind=circles&firm_id={member}", headers=headers).json
    assert mine["total"] >= 1 and all(member in c["firm_ids"] for c in mine["items"])
    stars = client.get("/v1/guarantee-patterns?kind=stars&page_size=2&page=1", headers=headers).json
    assert stars["total"] == len(expected.stars)
    if stars["total"]:
        biggest = max(expected.stars.values())
        assert stars["items"][0]["size"] == biggest and len(stars["items"]) <= 2
    chains = client.get("/v1/guarantee-patterns?kind=chains", headers=headers).json
    assert {c["firm_ids"][0]: c["size"] for c in chains["items"]} == dict(list(
        sorted(expected.chain_depth.items(), key=lambda x: (-x[1], x[0])))[:100])


def test_a_network_not_read_yet_answers_503_with_retry_after(api_world):
    app = create_app(replace(api_world.settings, network_wait_s=0), store=api_world.store)
    release = threading.Event()

    def slow_build():
        release.wait(10)
        raise RuntimeError("never mind")

    app.extensions["trustnet"]["network_view"] = NetworkViewCache(slow_build, refresh_s=300, wait_s=0.05)
    try:
        response = app.test_client().post("/v1/stress-tests", json={"defaults": [api_world.ids["firm"]]},
                                          headers=api_world.headers("admin"))
        assert response.status_code == 503 and int(response.headers["Retry-After"]) >= 5
        assert "still being read" in response.json["detail"]
    finally:
        release.set()


def test_loans_posted_through_the_api_make_the_worker_read_the_network_again(api_world):
    app = create_app(api_world.settings, store=api_world.store)
    client = app.test_client()

    def as_of():
        return client.get("/v1/guarantee-patterns?page_size=1",
                          headers=api_world.headers("investigator")).json["network_as_of"]

    first = as_of()
    assert as_of() == first  # cached
    loan = f"L-STRESS-{uuid.uuid4().hex[:6]}"
    posted = client.post("/v1/ingest/nodes/Loan", json={"rows": [
        {"id": loan, "amount": 1000, "issued": "2026-10-01", "status": "current"}]},
        headers=api_world.headers("admin", **{"Idempotency-Key": uuid.uuid4().hex}))
    assert posted.json["written"] == 1
    deadline = time.monotonic() + 30
    while as_of() == first:  # the old view is served while the new one is read
        assert time.monotonic() < deadline, "the network view was not read again"
        time.sleep(0.2)
