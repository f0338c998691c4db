"""The examples run and say what they claim: run each with runpy, check its output."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_moving_rider_prints_each_transfer_and_who_pays(capsys: pytest.CaptureFixture[str]) -> None:
    """Sichuan → Shanghai → Guangdong → Sichuan: three transfers under 国办发〔2009〕66号, then
    the benefit region (Art. 6: back in the hukou region, rule 1) and the projection."""
    runpy.run_path(str(EXAMPLES / "moving_rider.py"), run_name="__main__")
    out = capsys.readouterr().out
    for move in ("CN-SC -> CN-SH", "CN-SH -> CN-GD", "CN-GD -> CN-SC"):
        assert f"== Transfer {move}" in out
    assert out.count("12% × bases") == 3
    assert "Art. 4 (2)" in out
    assert "pension paid by CN-SC on 2026-01-01 (rule 1 of Art. 6)" in out
    assert "contributed months: 120" in out
    # the projection runs on illustrative Sichuan/Guangdong wages, marked as the caller's
    assert "projected monthly pension paid by CN-SC from " in out
    assert "[unverified]" in out
    assert "Reform illustrative_wages" in out


def test_default_enrolment_runs_small_and_writes_its_plots(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The million-worker example, run tiny: calibration, the four policies, intervals over
    seeds, the sources of every behavioural parameter, and four PNGs."""
    argv = ["default_enrolment.py", "--workers", "600", "--years", "1", "--ci-workers", "300",
            "--ci-seeds", "2", "--calibration-workers", "600", "--sample", "20",
            "--out", str(tmp_path)]  # fmt: skip
    monkeypatch.setattr("sys.argv", argv)
    runpy.run_path(str(EXAMPLES / "default_enrolment.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "== Calibration: opt-in rate" in out
    for policy in (
        "opt-in",
        "default enrolment",
        "default + platform co-funding",
        "opt-in + per-order micro-contribution",
    ):
        assert policy in out
    assert "behaviour.reenrolment_rate = 0 [unverified]" in out
    assert "behaviour.opt_out_rate = 0.09: DWP (2019)" in out
    assert "Madrian & Shea (2001)" in out
    for name in ("coverage_en", "coverage_zh", "frontier_en", "frontier_zh"):
        assert (tmp_path / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
