"""What API clients notice: scores served fresh or computed, audited; networks bounded and paged;
exposure totals; idempotent ingestion; limits, rate limits and request ids."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from graph_service.api import create_app
from graph_service.services.api_keys import create_key


def _once(world, role: str) -> dict:
    """The role's key and a fresh Idempotency-Key."""
    return world.headers(role, **{"Idempotency-Key": uuid.uuid4().hex})


def test_a_current_score_is_served_as_stored_and_audited(api_world):
    client, firm = api_world.client(), api_world.ids["firm"]
    client.get(f"/v1/firms/{firm}/score", headers=api_world.headers("bank"))  # current now, whatever earlier tests did
    request_id = f"bank-req-{uuid.uuid4().hex[:8]}"
    response = client.get(f"/v1/firms/{firm}/score", headers=api_world.headers("bank", **{"X-Request-ID": request_id}))
    assert response.status_code == 200 and response.headers["X-Request-ID"] == request_id
    score = response.json
    assert score["served"] == "stored" and score["firm_id"] == firm and 0 < score["pd"] < 1
    assert score["reasons"] and {"code", "text", "contribution", "group"} <= set(score["reasons"][0])
    events = client.get(f"/v1/audit?firm_id={firm}", headers=api_world.headers("admin")).json["events"]
    mine = [e for e in events if e["request_id"] == request_id]
    assert len(mine) == 1
    assert mine[0]["score_id"] == score["score_id"] and mine[0]["role"] == "bank"
    assert mine[0]["model_version"] == score["model_version"]


def test_every_response_has_a_request_id(api_world):
    response = api_world.client().get("/health")
    assert len(response.headers["X-Request-ID"]) == 32
    refused = api_world.client().get("/v1/model", headers={"X-Request-ID": "bad id with spaces"})
    assert refused.status_code == 401 and " " not in refused.headers["X-Request-ID"]


def test_a_firm_posted_through_ingestion_is_scorable_in_the_next_request(api_world):
    client, ids = api_world.client(), api_world.ids
    firm = f"F-API-{uuid.uuid4().hex[:6]}"
    admin = _once(api_world, "admin")
    nodes = client.post("/v1/ingest/nodes/Firm", headers=admin, json={"rows": [
        {"id": firm, "name": "Posted Ltd", "sector": "retail", "region": "north", "declared_revenue": 400000}]})
    assert nodes.status_code == 200 and nodes.json["written"] == 1, nodes.json
    ties = client.post("/v1/ingest/relationships/TRADES_WITH",
                       headers=_once(api_world, "admin"),
                       json={"rows": [{"from_id": firm, "to_id": ids["firm"], "volume": 25000, "rating": 4.0}]})
    assert ties.json["written"] == 1, ties.json

    score = client.get(f"/v1/firms/{firm}/score", headers=api_world.headers("bank")).json
    assert score["served"] == "on-demand" and score["neighbours"] == 1 and score["reasons"]
    again = client.get(f"/v1/firms/{firm}/score", headers=api_world.headers("bank")).json
    assert again["served"] == "stored" and again["score_id"] == score["score_id"]


def test_a_firm_loaded_again_after_scoring_is_scored_again(api_world):
    client, firm = api_world.client(), api_world.ids["firm"]
    before = client.get(f"/v1/firms/{firm}/score", headers=api_world.headers("bank")).json
    update = client.post("/v1/ingest/nodes/Firm", headers=_once(api_world, "admin"),
                         json={"rows": [{"id": firm, "name": "Renamed Ltd"}]})
    assert update.json["written"] == 1
    after = client.get(f"/v1/firms/{firm}/score", headers=api_world.headers("bank")).json
    assert after["served"] == "on-demand" and after["score_id"] != before["score_id"]


def test_batch_scores_list_unknown_ids_and_are_bounded(api_world):
    client, firm = api_world.client(), api_world.ids["firm"]
    body = client.post("/v1/scores", json={"firm_ids": [firm, "F-NOPE", firm]}, headers=api_world.headers("bank")).json
    assert [s["firm_id"] for s in body["scores"]] == [firm] and body["missing"] == ["F-NOPE"]
    too_many = client.post("/v1/scores", json={"firm_ids": [f"F{i}" for i in range(101)]},
                           headers=api_world.headers("bank"))
    assert too_many.status_code == 400 and too_many.json["errors"][0]["field"] == "firm_ids"


def test_a_network_is_bounded_and_paged(api_world):
    client, firm, headers = api_world.client(), api_world.ids["firm"], api_world.headers("investigator")
    first = client.get(f"/v1/firms/{firm}/network?hops=2&fanout=5&page_size=10", headers=headers).json
    assert first["total_ties"] > 10 and len(first["ties"]) == 10 and first["next_page"] == 2
    assert {t["hop"] for t in first["ties"]} <= {1, 2}
    ends = {(t["from_label"], t["from_id"]) for t in first["ties"]} | {(t["to_label"], t["to_id"]) for t in first["ties"]}
    assert ends <= {(n["label"], n["id"]) for n in first["nodes"]}
    pages, page = [first], first
    while page["next_page"]:
        page = client.get(f"/v1/firms/{firm}/network?hops=2&fanout=5&page_size=10&page={page['next_page']}",
                          headers=headers).json
        pages.append(page)
    seen = [(t["type"], t["from_id"], t["to_id"]) for p in pages for t in p["ties"]]
    assert len(seen) == len(set(seen)) == first["total_ties"]
    one_hop = client.get(f"/v1/firms/{firm}/network?hops=1&fanout=3", headers=headers).json
    assert one_hop["total_ties"] <= 3
    deep = client.get(f"/v1/firms/{firm}/network?hops=4", headers=headers)
    assert deep.status_code == 400 and deep.json["errors"][0]["field"] == "hops"
    huge = client.get(f"/v1/firms/{firm}/network?page_size=501", headers=headers)
    assert huge.status_code == 400 and huge.json["errors"][0]["field"] == "page_size"


def test_a_guarantors_exposure_adds_up(api_world):
    exposure = api_world.client().get(f"/v1/guarantors/{api_world.ids['own_guarantor']}/exposure",
                                      headers=api_world.headers("guarantor")).json
    live = [g for g in exposure["guarantees"] if g["live"]]
    assert live and exposure["totals"]["loans"] == len(live)
    assert exposure["totals"]["guaranteed"] == pytest.approx(sum(g["guaranteed"] for g in live))
    for g in live:
        outstanding = g["amount"] if g["outstanding"] is None else g["outstanding"]  # not reported: all of it
        assert g["exposure_at_default"] == pytest.approx(min(g["guaranteed"], outstanding))
        assert g["expected_loss"] == pytest.approx(g["borrower_pd"] * 0.45 * g["exposure_at_default"], abs=0.01)
    assert exposure["totals"]["expected_loss"] == pytest.approx(sum(g["expected_loss"] for g in live), abs=0.05)
    # The bank sees only the loans it granted.
    bank_view = api_world.client().get(f"/v1/guarantors/{api_world.ids['own_guarantor']}/exposure",
                                       headers=api_world.headers("bank")).json
    assert bank_view["guarantees"] and {g["bank_id"] for g in bank_view["guarantees"]} == {api_world.ids["own_bank"]}


def test_a_repeated_batch_changes_nothing_and_gets_the_first_answer(api_world):
    client = api_world.client()
    key = uuid.uuid4().hex
    firm = f"F-IDEM-{key[:6]}"
    rows = {"rows": [{"id": firm, "name": "Once Ltd"}, {"id": firm + "-bad", "employees": -3}]}
    first = client.post("/v1/ingest/nodes/Firm", json=rows, headers=api_world.headers("admin", **{"Idempotency-Key": key}))
    assert first.status_code == 200 and first.json["written"] == 1 and first.json["rejected"] == 1
    fields = {e["field"] for e in first.json["errors"]}
    assert {"name", "employees"} <= fields and all(e["row"] == 1 for e in first.json["errors"])
    loaded_at = api_world.store.firm_with_ties(firm, 0).properties["last_loaded_at"]
    again = client.post("/v1/ingest/nodes/Firm", json=rows, headers=api_world.headers("admin", **{"Idempotency-Key": key}))
    assert again.json == {**first.json, "replayed": True}
    assert api_world.store.firm_with_ties(firm, 0).properties["last_loaded_at"] == loaded_at
    different = client.post("/v1/ingest/nodes/Firm", json={"rows": [{"id": firm, "name": "Twice Ltd"}]},
                            headers=api_world.headers("admin", **{"Idempotency-Key": key}))
    assert different.status_code == 422 and "different batch" in different.json["detail"]
    missing_key = client.post("/v1/ingest/nodes/Firm", json=rows, headers=api_world.headers("admin"))
    assert missing_key.status_code == 400 and missing_key.json["errors"][0]["field"] == "Idempotency-Key"


def test_relationship_rows_with_unknown_ends_are_reported_by_row(api_world):
    report = api_world.client().post(
        "/v1/ingest/relationships/TRADES_WITH", headers=_once(api_world, "admin"),
        json={"rows": [{"from_id": api_world.ids["firm"], "to_id": "F-GHOST", "volume": 1}]}).json
    assert report["written"] == 0
    assert report["errors"] == [{"row": 0, "field": "to_id", "message": "refers to an unknown Firm 'F-GHOST'"}]


def test_limits_on_body_size_and_unknown_types(api_world):
    client = create_app(replace(api_world.settings, api_max_body_bytes=2048), store=api_world.store).test_client()
    big = {"rows": [{"id": f"F-BIG-{i}", "name": "x" * 50} for i in range(100)]}
    response = client.post("/v1/ingest/nodes/Firm", json=big,
                           headers=_once(api_world, "admin"))
    assert response.status_code == 413 and response.content_type == "application/problem+json"
    unknown = client.post("/v1/ingest/nodes/Planet", json={"rows": [{"id": "P1"}]},
                          headers=_once(api_world, "admin"))
    assert unknown.status_code == 400 and "Planet" in unknown.json["detail"]


def test_a_key_over_its_rate_limit_gets_429_with_headers(api_world):
    token, _ = create_key(api_world.store, "investigator", "busy", rate_limit=3)
    # One worker process here; with n workers each refills at rate / n.
    client = create_app(replace(api_world.settings, api_workers=1), store=api_world.store).test_client()
    answers = [client.get("/v1/model", headers={"Authorization": f"Bearer {token}"}) for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    assert answers[0].headers["RateLimit-Limit"] == "3"
    limited = answers[3]
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert limited.headers["RateLimit-Remaining"] == "0"


def test_a_small_rate_over_many_workers_still_lets_requests_through(api_world):
    token, _ = create_key(api_world.store, "investigator", "slow", rate_limit=2)
    client = create_app(replace(api_world.settings, api_workers=4), store=api_world.store).test_client()
    first, second = (client.get("/v1/model", headers={"Authorization": f"Bearer {token}"}) for _ in range(2))
    assert first.status_code == 200
    assert second.status_code == 429 and second.headers["RateLimit-Remaining"] == "0"
    assert int(second.headers["Retry-After"]) >= 1 and int(second.headers["RateLimit-Reset"]) >= 1


def test_new_ties_and_loan_news_make_a_stored_score_stale(api_world):
    client, ids = api_world.client(), api_world.ids
    firm = ids["firm"]
    client.get(f"/v1/firms/{firm}/score", headers=api_world.headers("bank"))  # a current score is stored now
    assert client.get(f"/v1/firms/{firm}/score", headers=api_world.headers("bank")).json["served"] == "stored"
    tie = client.post("/v1/ingest/relationships/TRADES_WITH", headers=_once(api_world, "admin"),
                      json={"rows": [{"from_id": "F00011", "to_id": firm, "volume": 5000}]})
    assert tie.json["written"] == 1
    assert client.get(f"/v1/firms/{firm}/score", headers=api_world.headers("bank")).json["served"] == "on-demand"
    assert client.get(f"/v1/firms/{firm}/score", headers=api_world.headers("bank")).json["served"] == "stored"
    loan = client.post("/v1/ingest/nodes/Loan", headers=_once(api_world, "partner_bank"),
                       json={"rows": [{"id": ids["own_loan"], "amount": 1000, "issued": "2025-01-01",
                                       "status": "defaulted"}]})
    assert loan.json["written"] == 1
    borrower = api_world.store.direct_guarantees("Guarantor", ids["own_guarantor"], None)
    borrowers = {g["borrower_id"] for g in borrower["guarantees"] if g["loan_id"] == ids["own_loan"]}
    for firm_id in borrowers:
        assert client.get(f"/v1/firms/{firm_id}/score", headers=api_world.headers("bank")).json["served"] == "on-demand"


def test_a_batch_still_being_written_under_the_same_key_answers_409(api_world):
    from graph_service.services.api_ingest import batch_digest

    rows = [{"id": "F-PENDING", "name": "Pending Ltd"}]
    key_id = api_world.keys["admin"].split("_")[1]
    api_world.store.claim_ingest_batch(f"{key_id}:in-flight", {"digest": batch_digest("node", "Firm", rows),
                                                                "status": "pending"})
    response = api_world.client().post("/v1/ingest/nodes/Firm", json={"rows": rows},
                                       headers=api_world.headers("admin", **{"Idempotency-Key": "in-flight"}))
    assert response.status_code == 409 and "still being written" in response.json["detail"]
    assert not api_world.store.node_exists("Firm", "F-PENDING")


def test_model_and_readiness(api_world):
    model = api_world.client().get("/v1/model", headers=api_world.headers("partner")).json
    assert model["version"] and model["metrics"]["shipped"] == model["name"]
    ready = api_world.client().get("/ready")
    assert ready.status_code == 200 and ready.json["model_version"] == model["version"]
    empty = create_app(replace(api_world.settings, models_dir_override="/nonexistent"), store=api_world.store)
    not_ready = empty.test_client().get("/ready")
    assert not_ready.status_code == 503 and "trustnet train" in not_ready.json["detail"]


def test_exposure_follows_chains_as_deep_as_asked(api_world):
    client, guarantor = api_world.client(), api_world.ids["own_guarantor"]
    headers = api_world.headers("guarantor")
    deep = client.get(f"/v1/guarantors/{guarantor}/exposure?depth=3", headers=headers).json
    assert deep["depth"] == 3 and deep["chains"], "the world plants firm-to-firm guarantees behind loans"
    direct = {g["loan_id"] for g in deep["guarantees"] if g["live"]}
    for chain in deep["chains"]:
        assert chain["path"][0] == guarantor and len(chain["loans"]) == chain["depth"] <= 3
        assert chain["loans"][0] in direct and len(set(chain["path"])) == len(chain["path"])
    assert client.get(f"/v1/guarantors/{guarantor}/exposure?depth=7", headers=headers).status_code == 400


def test_a_type_declared_in_a_mapping_file_is_accepted_by_the_ingestion_api(api_world, tmp_path):
    from graph_service.core.graph_model import REFERENCE_MODEL
    from graph_service.services.ingest import load
    from loaders.discovery import plan_load

    client = api_world.client()
    firms = [node_id for node_id, _ in api_world.store.export_nodes("Firm")][:3]
    row = {"from_id": firms[0], "to_id": firms[1], "board_seats": 2}
    before = client.post("/v1/ingest/relationships/SHARES_DIRECTOR", json={"rows": [row]},
                         headers=_once(api_world, "admin"))
    assert before.status_code == 400 and "SHARES_DIRECTOR" in before.json["detail"]
    (tmp_path / "directors.csv").write_text(f"a,b,seats\n{firms[1]},{firms[2]},1\n")
    (tmp_path / "mapping.yaml").write_text(
        "source: registry\ntypes:\n  relationships:\n    - {type: SHARES_DIRECTOR, from: [Firm], to: [Firm], "
        "properties: {board_seats: int}}\nfiles:\n  - {path: directors.csv, relationship: SHARES_DIRECTOR, "
        "columns: {from_id: a, to_id: b, board_seats: seats}}\n")
    report = load(api_world.store, plan_load(tmp_path, REFERENCE_MODEL, None, tmp_path / "mapping.yaml"), tmp_path)
    assert report.loaded == 1
    after = client.post("/v1/ingest/relationships/SHARES_DIRECTOR", json={"rows": [row]},
                        headers=_once(api_world, "admin"))
    assert after.status_code == 200 and after.json["written"] == 1, after.json
    bad = client.post("/v1/ingest/relationships/SHARES_DIRECTOR", json={"rows": [{**row, "board_seats": "many"}]},
                      headers=_once(api_world, "admin"))
    assert bad.status_code == 200 and bad.json["rejected"] == 1  # its declared properties are checked too
