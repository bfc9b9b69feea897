import filecmp

from synthetic.sample_network import generate
from tests.conftest import SAMPLE_DIR


def test_the_committed_sample_is_what_the_script_produces(tmp_path):
    counts = generate(tmp_path)
    assert counts["Firm"] == 300
    names = sorted(p.name for p in SAMPLE_DIR.glob("*.csv"))
    assert names == sorted(f"{name}.csv" for name in counts)
    match, mismatch, errors = filecmp.cmpfiles(SAMPLE_DIR, tmp_path, names, shallow=False)
    assert mismatch == [] and errors == []


def test_about_half_the_firms_have_no_loan_history(tmp_path):
    generate(tmp_path)
    borrowers = {line.split(",")[0] for line in (tmp_path / "BORROWED.csv").read_text().splitlines()[1:]}
    assert 0.4 <= len(borrowers) / 300 <= 0.6
    statuses = (tmp_path / "Loan.csv").read_text()
    assert "defaulted" in statuses and "repaid" in statuses
