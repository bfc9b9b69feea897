"""The API over the real Neo4j test server, loaded with a small synthetic world, scored by a trained
model, with one key per role. Built once for the package (its tests only read, or write their own ids)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone

import pytest

from graph_service.api import create_app
from graph_service.core.domain import NodeRow
from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.services.api_keys import create_key
from graph_service.services.ingest import load
from graph_service.cli.model_candidates import installed_candidates
from graph_service.services.scoring import score_all, train_model
from graph_service.core.settings import Settings
from loaders.discovery import plan_load
from scoring.contract import ScoreScale
from synthetic.world import generate_world

FIRMS = 2000


@dataclass
class ApiWorld:
    settings: Settings
    store: object
    app: object
    keys: dict[str, str]  # role -> key; "other_*": keys acting for another object of the same kind
    ids: dict[str, str]   # own_bank, other_bank, own_guarantor, other_guarantor, own_chamber, other_chamber, firm

    def client(self):
        return self.app.test_client()

    def headers(self, role: str, **extra) -> dict:
        return {"Authorization": f"Bearer {self.keys[role]}", **extra}


def _pick_ids(store) -> dict[str, str]:
    guarantors = sorted({k for k, _ in store.export_nodes("Guarantor")})
    by_guarantor = {g: store.direct_guarantees("Guarantor", g, None)["guarantees"] for g in guarantors}
    own_guarantor = max(guarantors, key=lambda g: (sum(x["status"] == "current" for x in by_guarantor[g]), g))
    own_bank = sorted(x["bank_id"] for x in by_guarantor[own_guarantor] if x["bank_id"])[0]
    banks = sorted(k for k, _ in store.export_nodes("Bank"))
    chambers = sorted(k for k, _ in store.export_nodes("Chamber"))
    firm = sorted(x["borrower_id"] for x in by_guarantor[own_guarantor] if x["borrower_id"])[0]
    other_bank = next(b for b in banks if b != own_bank)
    granted = sorted((r[1], r[3]) for r in store.export_relationships("GRANTED"))
    return {"own_guarantor": own_guarantor, "other_guarantor": next(g for g in guarantors if g != own_guarantor),
            "own_bank": own_bank, "other_bank": other_bank,
            "own_loan": next(loan for bank, loan in granted if bank == own_bank),
            "other_loan": next(loan for bank, loan in granted if bank == other_bank),
            "own_chamber": chambers[0], "other_chamber": chambers[1], "firm": firm}


@pytest.fixture(scope="package")
def api_world(neo4j_session_store, settings, tmp_path_factory) -> ApiWorld:
    store = neo4j_session_store
    store.delete_everything()
    store.apply_schema(REFERENCE_MODEL)
    folder = tmp_path_factory.mktemp("api-world")
    world = generate_world(folder, firms=FIRMS, seed=4)
    load(store, plan_load(world.graph_dir, REFERENCE_MODEL, "synthetic"), folder / "rejects")
    api_settings = replace(settings, models_dir_override=str(folder / "models"), api_rate_limit=100_000,
                           api_failed_auth_rate=100_000)
    trained, _ = train_model(store, api_settings.models_dir, installed_candidates(), seed=5)
    score_all(store, trained, ScoreScale(), with_reasons=True)
    ids = _pick_ids(store)
    # A guarantor that guarantees nothing: a bank sees it as missing, an investigator as empty.
    store.merge_nodes("Guarantor", [NodeRow("G-EMPTY", {"name": "Empty Guarantee Co"})], "test",
                      datetime.now(timezone.utc))
    keys = {
        "bank": create_key(store, "bank", "own bank", ("Bank", ids["own_bank"]))[0],
        "guarantor": create_key(store, "guarantor", "own guarantor", ("Guarantor", ids["own_guarantor"]))[0],
        "partner": create_key(store, "partner", "own chamber", ("Chamber", ids["own_chamber"]))[0],
        "partner_bank": create_key(store, "partner", "own bank's data feed", ("Bank", ids["own_bank"]))[0],
        "partner_guarantor": create_key(store, "partner", "own guarantor's feed", ("Guarantor", ids["own_guarantor"]))[0],
        "partner_firm": create_key(store, "partner", "a firm's own data", ("Firm", ids["firm"]))[0],
        "investigator": create_key(store, "investigator", "risk team")[0],
        "admin": create_key(store, "admin", "operator")[0],
    }
    app = create_app(api_settings, store=store)
    return ApiWorld(api_settings, store, app, keys, ids)


def pytest_terminal_summary(terminalreporter):
    """How many generated requests schemathesis sent to each operation (for the record)."""
    from tests.api.test_openapi_conformance import CALLS

    if CALLS:
        terminalreporter.write_sep("-", f"schemathesis: {sum(CALLS.values())} requests to {len(CALLS)} operations")
        for label, count in sorted(CALLS.items()):
            terminalreporter.write_line(f"{count:5d}  {label}")
