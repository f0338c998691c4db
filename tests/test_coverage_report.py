"""docs/coverage-cn.md is generated from the bundled pack and must be kept up to date."""

from __future__ import annotations

import runpy
from pathlib import Path

import flexsecure as fs

SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "coverage_report.py"


def test_the_committed_coverage_report_is_up_to_date() -> None:
    """Regenerating the report gives the committed file (run docs/coverage_report.py)."""
    script = runpy.run_path(str(SCRIPT))
    text = script["render"](fs.load_jurisdiction("CN"))
    committed = SCRIPT.with_name("coverage-cn.md").read_text(encoding="utf-8")
    assert text == committed


def test_the_report_says_what_is_missing() -> None:
    """Shanghai has every figure; Hubei has none of its own (its band is Wuhan's, CN-HB-WH)."""
    text = runpy.run_path(str(SCRIPT))["render"](fs.load_jurisdiction("CN"))
    assert "| CN-SH Shanghai / 上海市 | medical 2024-03-01" in text
    hubei = next(line for line in text.splitlines() if line.startswith("| CN-HB Hubei"))
    assert "no contribution band, no average wage" in hubei
    assert "CN-GD-SZ Shenzhen / 深圳市, in CN-GD" in text
