"""The cloud latency reason quotes the slowest site group's own uplink with its upload time."""

from pathlib import Path

import edgecalc
from tests.portfolio_fixture import CITY_AND_FARM

FIXTURE = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"


def test_the_upload_sentence_names_the_slowest_groups_uplink():
    # 100 kB request: over city's 100 Mbit/s it takes 0.8 Mbit / 100 Mbit/s = 8 ms; over farm's
    # 4 Mbit/s, 0.8 / 4 = 200 ms, the largest part of the cloud's p99 and over the 50 ms budget
    r = edgecalc.evaluate(FIXTURE, {"sites": CITY_AND_FARM})
    text = " ".join(r.decision.reasons)
    assert "200 ms of it is uploading the request" in text
    assert "(100 kB over the 4 Mbit/s uplink of farm, the slowest site group)" in text
    assert "100 Mbit/s uplink" not in text


def test_one_site_group_is_not_named():
    r = edgecalc.evaluate(FIXTURE, {"sites.uplink_mbps": 4})
    text = " ".join(r.decision.reasons)
    assert "(100 kB over the 4 Mbit/s uplink)" in text
