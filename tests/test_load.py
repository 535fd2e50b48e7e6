"""A short load test (the CI form of `python -m bench.load`): 20 users ask questions over plain HTTP
against `casegraph serve` on loopback while a separate `casegraph ingest` edits, adds and removes
reports in the same store. No errors, every answer well-formed, p95 reported, every answer's
sources from one corpus state (old or new, never a mix), the new report answerable afterwards.
"""

from __future__ import annotations

import os

import pytest

from bench.load import scenario

USERS = 20
SECONDS = float(os.environ.get("CASEGRAPH_LOAD_SECONDS", "15"))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    res = scenario(tmp_path_factory.mktemp("load"), users=USERS, seconds=SECONDS, ingest_after=1.0,
                   log=lambda _: None)
    print(f"\nload: {res['requests']} requests, {res['errors']} errors, p50 {res['p50_ms']} ms, "
          f"p95 {res['p95_ms']} ms, {res['answers_during_ingest']} answers during the ingest")
    return res


def test_twenty_users_during_an_ingest_get_well_formed_consistent_answers(run):
    assert run["ingest_rc"] == 0
    assert run["requests"] >= USERS and run["answers"] > 0 and run["answers_during_ingest"] > 0
    assert run["errors"] == 0, run["error_samples"]
    assert run["malformed"] == 0, run["malformed_samples"]
    assert run["outside_both"] == 0 and run["mixed"] == 0, run
    assert run["p95_ms"] > 0


def test_the_new_report_is_answerable_after_the_ingest(run):
    assert run["new_report_served"]
