"""The master scale is configurable, so grades can spread on the portfolio at hand."""

import pytest

from graph_service.core.errors import TrustNetError
from graph_service.core.settings import Settings
from graph_service.services.scoring import score_scale


def test_the_default_scale_and_a_configured_one_grade_the_same_pd_differently(tmp_path):
    default = score_scale(Settings.from_env({"TRUSTNET_STATE_DIR": str(tmp_path)}))
    assert [default.grade(pd) for pd in (0.0005, 0.001, 0.29, 0.5)] == ["1", "2", "9", "10"]
    # A portfolio with a 50-65% bad rate: the default scale puts nearly every firm in grade 10.
    wide = "0.05,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8"
    scale = score_scale(Settings.from_env({"TRUSTNET_STATE_DIR": str(tmp_path), "TRUSTNET_MASTER_SCALE": wide}))
    assert [scale.grade(pd) for pd in (0.04, 0.45, 0.55, 0.65, 0.9)] == ["1", "6", "7", "8", "10"]


@pytest.mark.parametrize("value", ["0.1,0.2", "0.3,0.2,0.4,0.5,0.6,0.7,0.8,0.9,0.95", "a,b,c,d,e,f,g,h,i",
                                   "0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8"])
def test_a_bad_master_scale_is_refused_with_what_it_must_be(tmp_path, value):
    with pytest.raises(TrustNetError, match="TRUSTNET_MASTER_SCALE must be 9 increasing PDs between 0 and 1"):
        Settings.from_env({"TRUSTNET_STATE_DIR": str(tmp_path), "TRUSTNET_MASTER_SCALE": value})
