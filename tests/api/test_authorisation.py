"""Every route x every role x own / another's object: what each key may do and see.

200: allowed; 403: the role may not do this at all; 404: another's object, answered exactly as a
missing one; 401: no key, a malformed key or a revoked key."""

from __future__ import annotations

import itertools
import uuid

import pytest

from graph_service.services.api_keys import create_key, revoke_key

ROLES = ("bank", "guarantor", "partner", "investigator", "admin")


def _request(world, role: str, operation: str, whose: str):
    ids = world.ids
    client = world.client()
    headers = world.headers(role) if role else {}
    idem = {"Idempotency-Key": uuid.uuid4().hex}
    chamber = ids["own_chamber"] if whose == "own" else ids["other_chamber"]
    if operation == "model":
        return client.get("/v1/model", headers=headers)
    if operation == "score":
        return client.get(f"/v1/firms/{ids['firm']}/score", headers=headers)
    if operation == "batch_scores":
        return client.post("/v1/scores", json={"firm_ids": [ids["firm"]]}, headers=headers)
    if operation == "firm":
        return client.get(f"/v1/firms/{ids['firm']}", headers=headers)
    if operation == "network":
        return client.get(f"/v1/firms/{ids['firm']}/network", headers=headers)
    if operation == "exposure":
        guarantor = ids["own_guarantor"] if whose == "own" else ("G-EMPTY" if role == "bank" else ids["other_guarantor"])
        return client.get(f"/v1/guarantors/{guarantor}/exposure", headers=headers)
    if operation == "ingest_node":
        rows = [{"id": chamber, "name": f"Chamber {chamber}", "region": "north"}]
        return client.post("/v1/ingest/nodes/Chamber", json={"rows": rows}, headers={**headers, **idem})
    if operation == "ingest_relationship":
        rows = [{"from_id": chamber, "to_id": ids["firm"], "from_label": "Chamber", "strength": 0.5}]
        return client.post("/v1/ingest/relationships/RECOMMENDS", json={"rows": rows}, headers={**headers, **idem})
    if operation == "stress_test":
        return client.post("/v1/stress-tests", json={"defaults": [ids["firm"]]}, headers=headers)
    if operation == "too_central":
        return client.get("/v1/stress-tests/too-central-to-fail?candidates=10", headers=headers)
    if operation == "patterns":
        return client.get("/v1/guarantee-patterns", headers=headers)
    if operation == "audit":
        return client.get("/v1/audit", headers=headers)
    raise AssertionError(operation)


OPERATIONS = ("model", "score", "batch_scores", "firm", "network", "exposure", "stress_test", "too_central",
              "patterns", "ingest_node", "ingest_relationship", "audit")
READERS = {"bank", "investigator", "admin"}
ALLOWED = {
    "model": set(ROLES), "score": READERS, "batch_scores": READERS, "firm": READERS, "network": READERS,
    "exposure": {"bank", "guarantor", "investigator", "admin"},
    "stress_test": {"bank", "guarantor", "investigator", "admin"},
    "too_central": {"investigator", "admin"}, "patterns": {"investigator", "admin"},
    "ingest_node": {"partner", "admin"},
    "ingest_relationship": {"partner", "admin"}, "audit": {"admin"},
}
# Objects that belong to someone: (operation, role) whose "other" object must look missing.
SCOPED = {("exposure", "guarantor"): 404, ("exposure", "bank"): 404}


def _expected(operation: str, role: str, whose: str) -> int:
    if role not in ALLOWED[operation]:
        return 403
    if whose == "other":
        return SCOPED.get((operation, role), 200)
    return 200


@pytest.mark.parametrize("operation,role,whose", list(itertools.product(OPERATIONS, ROLES, ("own", "other"))))
def test_the_authorisation_matrix(api_world, operation, role, whose):
    response = _request(api_world, role, operation, whose)
    assert response.status_code == _expected(operation, role, whose), (response.status_code, response.json)
    if response.status_code >= 400:
        assert response.content_type == "application/problem+json"
    if operation == "stress_test" and response.status_code == 200:
        # What a stress test shows depends on the role: a guarantor or a bank sees only its own row.
        body = response.json
        assert body["scope"] == ("network" if role in ("investigator", "admin") else "own")
        if role == "guarantor":
            assert [r["id"] for r in body["guarantors"]] == [api_world.ids["own_guarantor"]]
            assert body["banks"] == body["firms"] == []
        if role == "bank":
            assert [r["id"] for r in body["banks"]] == [api_world.ids["own_bank"]]
            assert body["guarantors"] == body["firms"] == []
    if operation.startswith("ingest") and response.status_code == 200:
        # A partner's row about another chamber is refused in the row report; an admin's is written.
        mine = whose == "own" or role == "admin"
        assert (response.json["written"], response.json["rejected"]) == ((1, 0) if mine else (0, 1)), response.json


@pytest.mark.parametrize("operation", OPERATIONS)
def test_no_key_is_401_on_every_route(api_world, operation):
    response = _request(api_world, None, operation, "own")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_another_guarantors_exposure_reads_exactly_as_a_missing_one(api_world):
    client, headers = api_world.client(), api_world.headers("guarantor")
    other = client.get(f"/v1/guarantors/{api_world.ids['other_guarantor']}/exposure", headers=headers).json
    missing = client.get("/v1/guarantors/G-NOBODY/exposure", headers=headers).json
    for body in (other, missing):
        body.pop("instance")
    assert other["detail"].replace(api_world.ids["other_guarantor"], "X") == missing["detail"].replace("G-NOBODY", "X")
    assert {k: v for k, v in other.items() if k != "detail"} == {k: v for k, v in missing.items() if k != "detail"}


def test_a_partner_submits_facts_only_as_itself(api_world):
    client, ids = api_world.client(), api_world.ids
    headers = api_world.headers("partner", **{"Idempotency-Key": uuid.uuid4().hex})
    rows = [{"from_id": ids["other_chamber"], "to_id": ids["firm"], "from_label": "Chamber", "strength": 0.9}]
    report = client.post("/v1/ingest/relationships/RECOMMENDS", json={"rows": rows}, headers=headers).json
    assert report["written"] == 0 and report["rejected"] == 1
    assert report["errors"] == [{"row": 0, "field": "from_id",
                                 "message": f"must be the Chamber {ids['own_chamber']!r} this key acts for"}]
    # A chamber can recommend, not lend.
    lend = client.post("/v1/ingest/relationships/GRANTED", json={"rows": [{"from_id": "B1", "to_id": "L1"}]},
                       headers=api_world.headers("partner", **{"Idempotency-Key": uuid.uuid4().hex}))
    assert lend.status_code == 403 and "not GRANTED" in lend.json["detail"]


def test_a_revoked_or_forged_key_is_refused(api_world):
    from dataclasses import replace

    from graph_service.api import create_app

    store = api_world.store
    client = create_app(replace(api_world.settings, api_key_cache_s=0), store=store).test_client()
    token, record = create_key(store, "investigator", "leaver")
    assert client.get("/v1/model", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    revoke_key(store, record["id"])
    assert client.get("/v1/model", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    forged = api_world.keys["admin"][:-4] + ("AAAA" if not api_world.keys["admin"].endswith("AAAA") else "BBBB")
    assert client.get("/v1/model", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    assert client.get("/v1/model", headers={"X-API-Key": api_world.keys["admin"]}).status_code == 200


def _ingest(world, key_role, kind, type_name, rows):
    headers = world.headers(key_role, **{"Idempotency-Key": uuid.uuid4().hex})
    return world.client().post(f"/v1/ingest/{kind}/{type_name}", json={"rows": rows}, headers=headers)


def test_a_bank_records_its_own_loans_and_no_one_elses(api_world):
    ids, store = api_world.ids, api_world.store
    new_loan = f"L-NEW-{uuid.uuid4().hex[:6]}"
    loans = _ingest(api_world, "partner_bank", "nodes", "Loan", [
        {"id": new_loan, "amount": 50000, "issued": "2026-10-01", "status": "current"},
        {"id": ids["other_loan"], "amount": 1, "issued": "2026-10-01", "status": "defaulted"},
        {"id": ids["own_loan"], "amount": 1000, "issued": "2026-10-01", "status": "current"}]).json
    assert loans["written"] == 2 and loans["errors"] == [
        {"row": 1, "field": "id", "message": f"must be a new loan or one the Bank {ids['own_bank']!r} granted"}]
    assert store.loan_lenders([new_loan]) == {new_loan: [ids["own_bank"]]}  # a new loan is the poster's
    mine = f"must be a loan the Bank {ids['own_bank']!r} granted"
    ties = _ingest(api_world, "partner_bank", "relationships", "BORROWED", [
        {"from_id": ids["firm"], "to_id": new_loan}, {"from_id": ids["firm"], "to_id": ids["other_loan"]},
        {"from_id": ids["firm"], "to_id": "L-NOBODY"}]).json
    assert ties["written"] == 1
    # Another bank's loan and a loan that does not exist are refused in the same words.
    assert ties["errors"] == [{"row": 1, "field": "to_id", "message": mine}, {"row": 2, "field": "to_id", "message": mine}]
    guarantee = _ingest(api_world, "partner_bank", "relationships", "GUARANTEES", [
        {"from_id": ids["own_guarantor"], "from_label": "Guarantor", "to_id": new_loan, "amount": 100},
        {"from_id": ids["own_guarantor"], "from_label": "Guarantor", "to_id": ids["other_loan"], "amount": 100}]).json
    assert guarantee["written"] == 1 and [e["row"] for e in guarantee["errors"]] == [1]
    claim = _ingest(api_world, "partner_bank", "relationships", "GRANTED",
                    [{"from_id": ids["own_bank"], "to_id": ids["other_loan"]}]).json
    assert claim["written"] == 0 and claim["errors"][0]["field"] == "to_id"


def test_guarantors_and_firms_speak_only_for_themselves(api_world):
    ids = api_world.ids
    # A guarantor cannot attach itself to loans: the lending bank records guarantees.
    assert _ingest(api_world, "partner_guarantor", "relationships", "GUARANTEES", [
        {"from_id": ids["own_guarantor"], "from_label": "Guarantor", "to_id": ids["other_loan"], "amount": 1}
    ]).status_code == 403
    trades = _ingest(api_world, "partner_firm", "relationships", "TRADES_WITH", [
        {"from_id": ids["firm"], "to_id": "F00010", "volume": 1000},
        {"from_id": "F00010", "to_id": ids["firm"], "volume": 1000}]).json
    assert trades["written"] == 1 and trades["errors"] == [
        {"row": 1, "field": "from_id", "message": f"must be the Firm {ids['firm']!r} this key acts for"}]


def test_a_bank_does_not_see_other_banks_loans_around_a_firm(api_world):
    client, ids = api_world.client(), api_world.ids
    lenders = api_world.store.loan_lenders

    def loans_in(role, path):
        body = client.get(path, headers=api_world.headers(role)).json
        if "nodes" in body:
            return {n["id"] for n in body["nodes"] if n["label"] == "Loan"}, body["total_nodes"]
        return {t["id"] for t in body["ties"] if t["label"] == "Loan"}, body["tie_count"]

    for path in (f"/v1/firms/{ids['firm']}/network?hops=2&fanout=20&page_size=500",
                 f"/v1/firms/{ids['firm']}?ties_limit=1000"):
        everything, total = loans_in("investigator", path)
        seen, bank_total = loans_in("bank", path)
        others = {loan for loan, banks in lenders(everything).items() if ids["own_bank"] not in banks}
        assert others, "the firm should have loans from other banks for this test to mean something"
        assert seen == everything - others and bank_total < total
