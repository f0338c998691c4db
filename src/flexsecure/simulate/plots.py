"""Plots of simulation results, saved as PNG (needs the ``plot`` extra: matplotlib).

* :func:`plot_coverage` — coverage (covered ÷ active worker-months) month by month, one line
  per policy;
* :func:`plot_frontier` — what a policy costs others than the worker (platforms and
  government, per active worker-month) against the coverage it reaches, one point per policy
  with its 95 % interval over seeds.

Labels are English, or Chinese with ``language="zh"``: Chinese needs a CJK font (Debian's
``fonts-noto-cjk`` gives "Noto Sans CJK SC"). Without one the plot falls back to English
labels and says so in a :class:`UserWarning`, rather than drawing empty boxes.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from flexsecure.simulate.compare import confidence_table
from flexsecure.simulate.simulation import SimulationResult
from flexsecure.values.errors import InvalidInput

__all__ = ["CJK_FONTS", "cjk_font", "plot_coverage", "plot_frontier"]

CENT = Decimal("0.01")

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC",
             "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei")  # fmt: skip
"""Font families tried, in order, for Chinese labels."""

TEXTS = {
    "en": {"coverage_title": "Pension coverage of active platform workers",
           "month": "month", "coverage": "coverage (covered / active worker-months)",
           "frontier_title": "Cost to platforms and government vs coverage",
           "cost": "paid by platforms and government per active worker-month (yuan)"},
    "zh": {"coverage_title": "活跃平台劳动者的养老保险覆盖率",
           "month": "月份", "coverage": "覆盖率（缴费人月 / 活跃人月）",
           "frontier_title": "平台与政府成本与覆盖率",
           "cost": "平台与政府缴费（元 / 活跃人月）"},
}  # fmt: skip


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - exercised without the extra
        raise ImportError(
            "flexsecure.simulate.plots needs the 'plot' extra: pip install 'flexsecure[plot]'"
        ) from error
    return plt


def cjk_font() -> str | None:
    """The first installed font family of :data:`CJK_FONTS`, or None."""
    _pyplot()
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _texts(language: str) -> tuple[dict[str, str], dict[str, Any]]:
    if language not in TEXTS:
        raise InvalidInput(f"language must be one of {', '.join(TEXTS)}, got {language!r}")
    if language == "en":
        return TEXTS["en"], {}
    font = cjk_font()
    if font is None:
        warnings.warn(
            "no CJK font found (tried " + ", ".join(CJK_FONTS) + "); labels fall back to "
            "English — on Debian: apt-get install fonts-noto-cjk",
            UserWarning,
            stacklevel=3,
        )
        return TEXTS["en"], {}
    return TEXTS[language], {"fontfamily": font}


def plot_coverage(
    results: Sequence[SimulationResult], path: str | Path, *, language: str = "en"
) -> Path:
    """Coverage over time of each run in ``results`` (all regions together) as a PNG."""
    if not results:
        raise InvalidInput("plot_coverage needs at least one result")
    plt = _pyplot()
    texts, font = _texts(language)
    figure, axes = plt.subplots(figsize=(8, 4.5), dpi=110)
    for result in results:
        table = result.monthly.group_by("month").aggregate([("active", "sum"), ("covered", "sum")])
        table = table.sort_by("month")
        months = table["month"].to_pylist()
        active = table["active_sum"].to_pylist()
        covered = table["covered_sum"].to_pylist()
        rates = [c / a if a else float("nan") for c, a in zip(covered, active, strict=True)]
        axes.plot(range(len(months)), rates, label=f"{result.policy.name} (seed {result.seed})")
        ticks = list(range(0, len(months), 12))
        axes.set_xticks(ticks, [months[t] for t in ticks], rotation=45)
    axes.set_ylim(0, 1)
    axes.set_title(texts["coverage_title"], **font)
    axes.set_xlabel(texts["month"], **font)
    axes.set_ylabel(texts["coverage"], **font)
    axes.grid(alpha=0.3)
    axes.legend(prop={"family": font["fontfamily"]} if font else None)
    return _save(plt, figure, path)


def plot_frontier(
    results: Sequence[SimulationResult], path: str | Path, *, language: str = "en"
) -> Path:
    """Cost to platforms and government against coverage, per policy (mean and 95 % interval
    over the seeds of ``results``), as a PNG."""
    if not results:
        raise InvalidInput("plot_frontier needs at least one result")
    plt = _pyplot()
    texts, font = _texts(language)
    rows = []
    for result in results:
        summary = result.summary()
        others = summary["paid_platform"] + summary["paid_government"]
        months = summary["active_worker_months"]
        summary["others_pay"] = (others / months).quantize(CENT) if months else None
        rows.append({k: summary[k] for k in ("policy", "seed", "coverage_rate", "others_pay")})
    table = confidence_table(rows).to_pylist()
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=110)
    for number, policy in enumerate(dict.fromkeys(r["policy"] for r in table)):
        cost = next(r for r in table if r["policy"] == policy and r["measure"] == "others_pay")
        cover = next(r for r in table if r["policy"] == policy and r["measure"] == "coverage_rate")
        x, y = float(cost["mean"]), float(cover["mean"])
        xerr = _error(x, cost["ci_low"], cost["ci_high"])
        yerr = _error(y, cover["ci_low"], cover["ci_high"])
        axes.errorbar([x], [y], xerr=xerr, yerr=yerr, fmt="o", capsize=4, label=policy)
        # labels alternate above and below their point, so policies that cost and cover
        # alike (opt-in with and without a per-order contribution) stay readable
        offset = (6, 6) if number % 2 == 0 else (6, -14)
        axes.annotate(policy, (x, y), textcoords="offset points", xytext=offset, **font)
    axes.set_ylim(0, 1)
    axes.margins(x=0.3)
    axes.set_title(texts["frontier_title"], **font)
    axes.set_xlabel(texts["cost"], **font)
    axes.set_ylabel(texts["coverage"], **font)
    axes.grid(alpha=0.3)
    return _save(plt, figure, path)


def _error(mean: float, low: Any, high: Any) -> list[list[float]] | None:
    """Error bar lengths below and above ``mean`` (None without an interval; never negative:
    the mean and the bounds are rounded apart)."""
    if low is None or high is None:
        return None
    return [[max(0.0, mean - float(low))], [max(0.0, float(high) - mean)]]


def _save(plt: Any, figure: Any, path: str | Path) -> Path:
    target = Path(path)
    figure.tight_layout()
    figure.savefig(target, format="png")
    plt.close(figure)
    return target
