"""Every saved investigation query runs on the demo graph and returns rows, with the parameters the
Browser guide sets."""

from __future__ import annotations

import pytest

from graph_service.services.browser_guide import EXAMPLE, investigations
from graph_service.core.settings import Settings
from cypher.library import load_library

QUERIES = investigations(Settings.from_env().cypher_dir)


def test_there_is_a_saved_query_for_each_daily_question():
    titles = [q.title.split(":")[0] for q in QUERIES]
    assert titles == ["Riskiest thin-file firms", "A firm's neighbourhood with scores",
                      "Guarantee circles and long chains", "Recommenders with a poor track record",
                      "Why a firm scored as it did", "Firms whose sources disagree",
                      "What changed since the last scoring run"]


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_every_saved_query_returns_rows_on_the_demo_graph(demo_graph, query):
    example = load_library(Settings.from_env().cypher_dir).text(EXAMPLE)
    parameters = demo_graph.driver.execute_query(example, database_=demo_graph.database)[0][0].data()
    assert parameters["firm_id"]
    records, _, _ = demo_graph.driver.execute_query(query.text, {k: parameters[k] for k in query.parameters},
                                                    database_=demo_graph.database)
    assert records, f"{query.name} returned no rows"


def test_poor_recommenders_are_flagged_in_the_graph(demo_graph):
    records, _, _ = demo_graph.driver.execute_query(
        "MATCH (r) WHERE r:Chamber OR r:Market RETURN r.id AS id, r.track_poor AS poor, r.track_known AS known",
        database_=demo_graph.database)
    assert records and all(r["known"] is not None for r in records)
    # The generator plants one worthless chamber and one worthless market (recommending at random).
    assert {r["id"] for r in records if r["poor"] == 1} & {"C00000", "M00000"}
