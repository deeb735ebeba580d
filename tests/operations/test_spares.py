"""A depot of cold spares: its shipping lead time enters the availability model."""

from pathlib import Path

import pytest

import edgecalc
from edgecalc.operations.spares import repair_lead_days

HAND = Path(__file__).parents[1] / "fixtures" / "hand-worked.yaml"


def test_the_later_of_technician_and_depot_shipment():
    assert float(repair_lead_days(2, 0.05, 3)) == 3.0  # the spare arrives after the technician
    assert float(repair_lead_days(4, 0.05, 3)) == 4.0  # the technician arrives last
    assert float(repair_lead_days(2, 0.0, 30)) == 2.0  # no depot: the technician brings one


def test_depot_lead_time_lengthens_site_downtime_without_hot_spares():
    base = {"edge.redundancy": 0, "edge.depot_spare_fraction": 0.05}
    quick = edgecalc.evaluate(HAND, overrides={**base, "edge.depot_lead_days": 1})
    slow = edgecalc.evaluate(HAND, overrides={**base, "edge.depot_lead_days": 10})
    down = [r.operations["edge"]["availability"]["site_down_share"] for r in (quick, slow)]
    # AFR 0.12 a year on 2 devices a site without a spare: down share ~ 2 x lambda x MTTR.
    # The repair lead goes from max(2, 1) = 2 days to 10 days, MTTR from ~50 h to ~242 h
    # (+ notice and 2 h on site), so the down share grows by about 4.8x
    assert down[1] / down[0] == pytest.approx(4.8, rel=0.1)
