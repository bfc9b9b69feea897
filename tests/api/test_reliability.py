"""Defects a crash and abuse campaign found, each reproduced on the scored API world (real Neo4j):
an Idempotency-Key stuck pending, a tie-less firm answering 404, another bank's loan in a bank's
evidence, two banks both becoming a new loan's lender."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone


def test_a_retry_after_the_writer_died_is_answered_not_409_forever(api_world):
    """The first request claimed the key and died before writing (its claim is older than the lease):
    the same batch sent again is written and answered; while the claim is young, 409 says when to retry."""
    from datetime import timedelta

    from graph_service.services.api_ingest import batch_digest

    rows = [{"id": "F-ORPHANED", "name": "Orphaned Ltd"}]
    key_id = api_world.keys["admin"].split("_")[1]
    ttl = api_world.settings.ingest_claim_ttl_s
    claimed_at = datetime.now(timezone.utc) - timedelta(seconds=ttl // 2)
    api_world.store.claim_ingest_batch(f"{key_id}:orphaned", {"digest": batch_digest("node", "Firm", rows),
                                                               "status": "pending", "created_at": claimed_at})
    headers = api_world.headers("admin", **{"Idempotency-Key": "orphaned"})
    young = api_world.client().post("/v1/ingest/nodes/Firm", json={"rows": rows}, headers=headers)
    assert young.status_code == 409 and 0 < int(young.headers["Retry-After"]) <= ttl
    api_world.store.claim_ingest_batch(f"{key_id}:orphaned-old", {"digest": batch_digest("node", "Firm", rows),
                                                                   "status": "pending",
                                                                   "created_at": claimed_at - timedelta(seconds=ttl)})
    headers = api_world.headers("admin", **{"Idempotency-Key": "orphaned-old"})
    retry = api_world.client().post("/v1/ingest/nodes/Firm", json={"rows": rows}, headers=headers)
    assert retry.status_code == 200 and retry.json["written"] == 1 and not retry.json["replayed"]
    assert api_world.store.node_exists("Firm", "F-ORPHANED")
    again = api_world.client().post("/v1/ingest/nodes/Firm", json={"rows": rows}, headers=headers)
    assert again.status_code == 200 and again.json["replayed"]


def test_a_firm_with_no_ties_is_scored_and_does_not_fail_a_batch(api_world):
    client = api_world.client()
    posted = client.post("/v1/ingest/nodes/Firm", json={"rows": [{"id": "F-NO-TIES", "name": "No Ties Ltd"}]},
                         headers=api_world.headers("admin", **{"Idempotency-Key": "no-ties"}))
    assert posted.status_code == 200 and posted.json["written"] == 1
    single = client.get("/v1/firms/F-NO-TIES/score", headers=api_world.headers("bank"))
    assert single.status_code == 200 and single.json["served"] == "on-demand"
    assert single.json["neighbours"] == 0 and not single.json["has_credit_history"]
    batch = client.post("/v1/scores", json={"firm_ids": ["F-NO-TIES", api_world.ids["firm"]]},
                        headers=api_world.headers("bank"))
    assert batch.status_code == 200 and batch.json["missing"] == []
    assert [s["firm_id"] for s in batch.json["scores"]] == ["F-NO-TIES", api_world.ids["firm"]]


def test_a_banks_score_evidence_shows_no_loan_of_another_bank(api_world):
    """The evidence of a bank's score answer follows the firm view's rule: only loans the bank granted."""
    import json
    import uuid

    from graph_service.core.domain import ScoreRow

    client, firm = api_world.client(), api_world.ids["firm"]
    own_loan, other_loan = api_world.ids["own_loan"], api_world.ids["other_loan"]
    stored = api_world.store.latest_score(firm)
    # The firm's current score, its evidence naming a loan of each bank (as a guarantee reason would).
    evidence = [{"reason": "GUARANTEES.out", "relationship": "GUARANTEES", "direction": "out", "label": "Loan",
                 "id": loan, "weight": 1000.0, "known": "unknown"} for loan in (own_loan, other_loan)]
    properties = {**stored, "id": str(uuid.uuid4()), "evidence": json.dumps(evidence),
                  "scored_at": datetime.now(timezone.utc).isoformat(timespec="microseconds")}
    api_world.store.save_scores(stored["model_version"], [ScoreRow(firm, properties)])

    def evidence_loans(role: str) -> list[str]:
        answer = client.get(f"/v1/firms/{firm}/score", headers=api_world.headers(role)).json
        assert answer["served"] == "stored" and answer["score_id"] == properties["id"]
        return [e["id"] for e in answer["evidence"] if e["label"] == "Loan"]

    assert evidence_loans("investigator") == [own_loan, other_loan]
    assert evidence_loans("bank") == [own_loan]


def test_two_banks_posting_the_same_new_loan_at_once_never_both_become_its_lender(api_world):
    """20 races of two banks' feeds on one new loan id: each loan ends with exactly one lender, and the
    losing bank's answer rejects the row instead of writing it."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from graph_service.services.api_keys import create_key

    other_feed = create_key(api_world.store, "partner", "other bank's feed", ("Bank", api_world.ids["other_bank"]))[0]
    feeds = {api_world.ids["own_bank"]: api_world.keys["partner_bank"], api_world.ids["other_bank"]: other_feed}
    for attempt in range(20):
        loan_id, start = f"L-RACE-{attempt}", Barrier(2)

        def post(token: str) -> dict:
            client = api_world.client()
            start.wait()
            return client.post("/v1/ingest/nodes/Loan", json={"rows": [{"id": loan_id, "amount": 1000, "issued": "2026-01-05",
                                                                "status": "current"}]},
                               headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex}).json

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(post, feeds.values()))
        assert sorted(a["written"] for a in answers) == [0, 1], answers
        lenders = api_world.store.loan_lenders([loan_id])[loan_id]
        assert len(lenders) == 1
        winner = next(bank for bank, a in zip(feeds, answers) if a["written"])
        assert lenders == [winner]


def test_a_frozen_neo4j_is_a_prompt_503_with_a_generic_message(api_world):
    """Neo4j stopped dead (SIGSTOP) mid-service: the first request gives up after the server's 2 s
    silence limit, every later one answers at once (the circuit is open), all with a 503 problem+json
    that says nothing of the driver's internals; the API recovers once the server runs again. The
    app opens its own driver, as `trustnet serve` does."""
    import os
    import signal
    import threading
    import time

    from graph_service.api import create_app
    from graph_service.tooling.local_neo4j import server

    client = create_app(api_world.settings).test_client()
    firm, bank = api_world.ids["firm"], api_world.headers("bank")
    paths = ("/health", f"/v1/firms/{firm}/score", f"/v1/firms/{firm}")
    assert [client.get(path, headers=bank).status_code for path in paths] == [200, 200, 200]
    pid = server.status(api_world.settings).pid
    answers = []
    # Whatever happens here, the server runs again after 15 s (a hanging request then returns, and fails).
    thaw = threading.Timer(15, os.kill, (pid, signal.SIGCONT))
    os.kill(pid, signal.SIGSTOP)
    thaw.start()
    try:
        for path in paths * 2:
            started = time.monotonic()
            answer = client.get(path, headers=bank)
            answers.append((path, time.monotonic() - started, answer))
    finally:
        os.kill(pid, signal.SIGCONT)
        thaw.cancel()
    for n, (path, seconds, answer) in enumerate(answers):
        assert answer.status_code == 503 and answer.mimetype == "application/problem+json", (path, answer.json)
        assert seconds < (2.5 if n == 0 else 0.2), (path, seconds)
        assert answer.json["detail"] == "the graph database is not answering; retry shortly", answer.json
        assert answer.headers["Retry-After"] == "2"
    deadline = time.monotonic() + 10
    while client.get("/health").status_code != 200:
        assert time.monotonic() < deadline, "the API did not recover after Neo4j ran again"
        time.sleep(0.2)
    assert client.get(paths[1], headers=bank).status_code == 200


def test_a_batch_touching_many_firms_costs_a_request_at_most_its_on_demand_budget(api_world):
    """A partner's batch made eight scored firms stale: with a budget of three, each request rescores
    three and serves the others their stored score marked stale, until all are current again."""
    from dataclasses import replace

    from graph_service.api import create_app

    client = create_app(replace(api_world.settings, on_demand_per_request=3), store=api_world.store).test_client()
    firms = sorted(k for k, _ in api_world.store.export_nodes("Firm") if k != api_world.ids["firm"])[-8:]
    before = {f: api_world.store.latest_score(f)["id"] for f in firms}
    api_world.store.mark_firms_changed(firms, [], datetime.now(timezone.utc))
    rounds = []
    while True:
        answer = client.post("/v1/scores", json={"firm_ids": firms}, headers=api_world.headers("bank"))
        assert answer.status_code == 200
        served = {s["firm_id"]: s for s in answer.json["scores"]}
        rounds.append(sorted(s["served"] for s in served.values()))
        for firm, score in served.items():
            if score["served"] == "stale":
                assert score["score_id"] == before[firm]
        if "stale" not in rounds[-1]:
            break
        assert len(rounds) < 5
    assert [r.count("on-demand") for r in rounds] == [3, 3, 2]
    assert [r.count("stale") for r in rounds] == [5, 2, 0]
