"""Charts for HTML (SVG) and PDF (PNG) output, drawn with matplotlib's Agg backend (no GUI, no Qt).

Kinds: ``bar``, ``barh`` and ``line`` draw each series against the labels; ``scatter`` draws one point per label
with the first series across and the second up (e.g. a technician's SLA met % and average rating), names the
points when there are few, and marks the median of each axis with a dotted line so each point reads against the
others.
"""

from __future__ import annotations

import io
import statistics
from typing import Any

from kiosk.domain.reports.base import Chart

SCATTER_NAMES = 25  # name the points up to this many; beyond, names would cover each other


def render(chart: Chart, fmt: str = "svg", width: float = 7.0, height: float = 3.2) -> bytes:
    """The chart as SVG or PNG bytes."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110)
    ax = fig.add_subplot()
    if chart.kind == "scatter":
        _scatter(ax, chart)
        return _save(fig, fmt)
    labels = chart.labels
    positions = list(range(len(labels)))
    n = max(1, len(chart.series))
    for i, (key, values) in enumerate(chart.series.items()):
        name = readable(key)
        ys = [float("nan") if v is None else float(v) for v in values]
        if chart.kind == "line":
            ax.plot(positions, ys, marker="o", label=name)
        elif chart.kind == "barh":
            ax.barh([p + i * 0.8 / n for p in positions], ys, height=0.8 / n, label=name)
        else:
            ax.bar([p + i * 0.8 / n for p in positions], ys, width=0.8 / n, label=name)
    for name, value in chart.targets.items():
        ax.axhline(value, linestyle="--", linewidth=1, color="grey")
        ax.annotate(name, (0, value), fontsize=7, color="grey")
    if chart.kind == "barh":
        ax.set_yticks(positions, labels, fontsize=7)
        ax.set_xlabel(readable(chart.y_label))
    else:
        ax.set_xticks(positions, labels, fontsize=7, rotation=30 if len(labels) > 6 else 0, ha="right"
                      if len(labels) > 6 else "center")
        ax.set_ylabel(readable(chart.y_label))
    ax.set_title(chart.title, fontsize=10)
    if len(chart.series) > 1:
        ax.legend(fontsize=7)
    return _save(fig, fmt)


def readable(name: str) -> str:
    """A series or axis name as people read it: a report key (``sla_met_pct``) becomes its label."""
    import re

    from kiosk.domain.reports.base import label

    return label(name) if re.fullmatch(r"[a-z0-9_]+", name) else name


def _save(fig: Any, fmt: str) -> bytes:
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return buf.getvalue()


def _scatter(ax: Any, chart: Chart) -> None:
    """One point per label: the first series across, the second up; dotted lines at each axis's median."""
    (x_name, xs), (y_name, ys) = list(chart.series.items())[:2]
    points = [(label, float(x), float(y)) for label, x, y in zip(chart.labels, xs, ys, strict=True)
              if x is not None and y is not None]
    # fixed ranges for shares and 1-5 ratings, so 50 % looks like half and 3.8 does not look like the bottom
    if x_name.endswith("%"):
        ax.set_xlim(-5, 105)
    if (chart.y_label or y_name).endswith("(1-5)"):
        ax.set_ylim(0.7, 5.3)
    if points:
        ax.scatter([p[1] for p in points], [p[2] for p in points], s=28, zorder=3)
        if len(points) <= SCATTER_NAMES:
            for name, x, y in points:
                ax.annotate(name, (x, y), xytext=(4, 3), textcoords="offset points", fontsize=7)
        mid_x = statistics.median(p[1] for p in points)
        mid_y = statistics.median(p[2] for p in points)
        ax.axvline(mid_x, linestyle=":", linewidth=1, color="grey", label="median")
        ax.axhline(mid_y, linestyle=":", linewidth=1, color="grey")
        ax.legend(fontsize=7, loc="best")
    for name, value in chart.targets.items():
        ax.axhline(value, linestyle="--", linewidth=1, color="grey")
        ax.annotate(name, (0, value), fontsize=7, color="grey")
    ax.tick_params(labelsize=7)
    ax.set_xlabel(x_name, fontsize=8)
    ax.set_ylabel(chart.y_label or y_name, fontsize=8)
    ax.set_title(chart.title, fontsize=10)
