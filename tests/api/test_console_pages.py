"""The console's pages under the API's own policy: every page x every role x own / another's object,
sessions (cookie flags, CSRF, sign-out, expiry, a revoked key), and what each role's pages show."""

from __future__ import annotations

import csv
import io
import itertools
import time
from dataclasses import replace

import pytest

from graph_service.api import create_app
from graph_service.services.api_keys import create_key, revoke_key
from tests.api.console_client import csrf, signed_in
from tests.api.test_authorisation import ROLES

READERS = {"bank", "investigator", "admin"}
EXPOSURE = {"bank", "guarantor", "investigator", "admin"}
PAGES = {"home": set(ROLES), "find": READERS, "score_card": READERS, "batch_page": READERS, "batch": READERS,
         "exposure": EXPOSURE, "what_if": EXPOSURE}


def _open(world, client, token, page: str, whose: str, role: str = ""):
    ids = world.ids
    # As in the API's matrix: the other guarantor may back this bank's loans too; G-EMPTY backs none.
    guarantor = ids["own_guarantor"] if whose == "own" else ("G-EMPTY" if role == "bank" else ids["other_guarantor"])
    if page == "home":
        return client.get("/console/")
    if page == "find":
        return client.get(f"/console/firms?q={ids['firm']}")
    if page == "score_card":
        return client.get(f"/console/firms/{ids['firm']}")
    if page == "batch_page":
        return client.get("/console/batch")
    if page == "batch":
        upload = (io.BytesIO(f"firm_id\n{ids['firm']}\n".encode()), "mine.csv")
        return client.post("/console/batch", data={"csrf_token": token, "firms": upload},
                           content_type="multipart/form-data")
    if page == "exposure":
        return client.get(f"/console/exposure?guarantor={guarantor}")
    if page == "what_if":
        return client.post("/console/what-if", data={"csrf_token": token, "guarantor": guarantor,
                                                      "more": ids["firm"]})
    raise AssertionError(page)


@pytest.mark.parametrize("page,role,whose", list(itertools.product(PAGES, ROLES, ("own", "other"))))
def test_the_console_authorisation_matrix(api_world, page, role, whose):
    client, token = signed_in(api_world, role)
    answer = _open(api_world, client, token, page, whose, role)
    text = answer.get_data(as_text=True)
    if role not in PAGES[page]:
        assert answer.status_code == 403 and f"A {role} key cannot" in text
        return
    other = api_world.ids["other_guarantor"]
    if page in ("exposure", "what_if") and role == "guarantor":
        # A guarantor's pages are about itself whatever it asks for: another's never shows.
        assert answer.status_code == 200 and api_world.ids["own_guarantor"] in text and other not in text
    elif page in ("exposure", "what_if") and role == "bank" and whose == "other":
        # A guarantor that backs none of this bank's loans reads as missing, as in the API.
        assert answer.status_code == 404 and "no Guarantor with id 'G-EMPTY'" in text.replace("&#39;", "'")
    else:
        assert answer.status_code == 200, text[:2000]


@pytest.mark.parametrize("page", [p for p in PAGES if p not in ("home",)])
def test_a_signed_out_browser_is_sent_to_sign_in_on_every_page(api_world, page):
    client = api_world.app.test_client()
    token = csrf(client.get("/console/sign-in").get_data(as_text=True))
    answer = _open(api_world, client, token, page, "own")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/console/sign-in")


def test_the_session_cookie_is_httponly_samesite_and_names_the_key_not_its_secret(api_world):
    client = api_world.app.test_client()
    token = csrf(client.get("/console/sign-in").get_data(as_text=True))
    answer = client.post("/console/sign-in", data={"api_key": api_world.keys["bank"], "csrf_token": token})
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    secret = api_world.keys["bank"].split("_")[-1]
    assert secret not in cookie
    assert "default-src 'self'" in answer.headers["Content-Security-Policy"]


def test_every_form_needs_the_sessions_csrf_token(api_world):
    client, token = signed_in(api_world, "investigator")
    upload = (io.BytesIO(b"firm_id\nF1\n"), "x.csv")
    forged = client.post("/console/batch", data={"firms": upload}, content_type="multipart/form-data")
    assert forged.status_code == 400 and "did not come from this console" in forged.get_data(as_text=True)
    other = client.post("/console/what-if", data={"csrf_token": "guessed", "more": api_world.ids["firm"]})
    assert other.status_code == 400
    assert client.post("/console/sign-out", data={}).status_code == 400  # signing out needs it too
    assert client.get("/console/").status_code == 200  # still signed in
    assert client.post("/console/sign-out", data={"csrf_token": token}).status_code == 200
    assert client.get("/console/").headers["Location"] == "/console/sign-in"


def test_a_wrong_key_is_refused_and_a_revoked_key_ends_its_session(api_world):
    app = create_app(replace(api_world.settings, api_key_cache_s=0), store=api_world.store)
    client = app.test_client()
    token = csrf(client.get("/console/sign-in").get_data(as_text=True))
    wrong = client.post("/console/sign-in", data={"api_key": "tn_nobody_secret", "csrf_token": token})
    assert wrong.status_code == 401 and "not valid" in wrong.get_data(as_text=True)
    key, record = create_key(api_world.store, "investigator", "leaver")
    world = replace(api_world, keys={**api_world.keys, "leaver": key})
    client, _ = signed_in(world, "leaver", app)
    assert client.get("/console/firms?q=F").status_code == 200
    revoke_key(api_world.store, record["id"])
    answer = client.get("/console/firms?q=F")
    assert answer.status_code == 302
    assert "no longer valid" in client.get(answer.headers["Location"]).get_data(as_text=True)


def test_an_idle_session_expires(api_world):
    app = create_app(replace(api_world.settings, console_idle_minutes=1), store=api_world.store)
    client, _ = signed_in(api_world, "bank", app)
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 61
    answer = client.get("/console/batch")
    assert answer.status_code == 302
    assert "expired" in client.get(answer.headers["Location"]).get_data(as_text=True)


def test_sign_in_returns_only_to_a_console_page(api_world):
    client = api_world.app.test_client()
    token = csrf(client.get("/console/sign-in").get_data(as_text=True))
    for target, lands in (("/console/batch", "/console/batch"), ("https://evil.example/", "/console/"),
                          ("//evil.example/console/", "/console/")):
        answer = client.post("/console/sign-in", data={"api_key": api_world.keys["bank"], "csrf_token": token,
                                                       "next": target})
        assert answer.headers["Location"] == lands
        token = csrf(client.get("/console/batch").get_data(as_text=True))


def test_a_banks_score_card_never_shows_another_banks_loans(api_world):
    ids = api_world.ids
    other_loans = {loan for bank, loan in ((r[1], r[3]) for r in api_world.store.export_relationships("GRANTED"))
                   if bank != ids["own_bank"]}
    firm = next(r[1] for r in api_world.store.export_relationships("BORROWED") if r[3] == ids["other_loan"])
    investigator, _ = signed_in(api_world, "investigator")
    seen = investigator.get(f"/console/firms/{firm}").get_data(as_text=True)
    assert ids["other_loan"] in seen  # the platform sees the loan ...
    bank, _ = signed_in(api_world, "bank")
    page = bank.get(f"/console/firms/{firm}").get_data(as_text=True)
    assert not [loan for loan in other_loans if f'data-id="{loan}"' in page or f"Loan {loan}<" in page]


def test_the_batch_download_gives_each_rows_score_or_why_not(api_world):
    client, token = signed_in(api_world, "bank")
    firm = api_world.ids["firm"]
    upload = (io.BytesIO(f"firm_id\n{firm}\nNO-SUCH-FIRM\n\n{firm}\n=HYPERLINK(1)\n".encode()), "applicants.csv")
    answer = client.post("/console/batch", data={"csrf_token": token, "firms": upload},
                         content_type="multipart/form-data")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert 'filename="applicants-scores.csv"' in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert [(r["line"], r["firm_id"], r["error"]) for r in rows] == [
        ("2", firm, ""), ("3", "NO-SUCH-FIRM", "no firm with this id"), ("4", "", "no firm id in the first column"),
        ("5", firm, ""), ("6", "'=HYPERLINK(1)", "no firm with this id")]  # no formula runs in a spreadsheet
    assert 0 < float(rows[0]["pd"]) < 1 and rows[0]["grade"] and rows[0]["model_version"]


def test_a_guarantors_exposure_page_draws_its_totals_concentration_and_chains(api_world):
    client, token = signed_in(api_world, "guarantor")
    page = client.get("/console/exposure").get_data(as_text=True)
    exposure = api_world.client().get(f"/v1/guarantors/{api_world.ids['own_guarantor']}/exposure?depth=4",
                                      headers=api_world.headers("guarantor")).json
    assert f"{exposure['totals']['exposure_at_default']:,.0f}" in page
    assert f"{exposure['totals']['expected_loss']:,.0f}" in page
    assert 'id="by-sector"><svg' in page and 'id="by-region"><svg' in page
    assert ('class="flow"' in page) == bool(exposure["chains"])
    what_if = client.post("/console/what-if", data={"csrf_token": token, "defaults": [
        g["borrower_id"] for g in exposure["guarantees"] if g["live"]][:1]}).get_data(as_text=True)
    assert 'id="direct-loss"' in what_if and 'id="own-loss"' in what_if
