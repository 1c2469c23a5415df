"""Charts for HTML (SVG) and PDF (PNG) output, drawn with matplotlib's Agg backend (no GUI, no Qt)."""

from __future__ import annotations

import io

from kiosk.domain.reports.base import Chart


def render(chart: Chart, fmt: str = "svg", width: float = 7.0, height: float = 3.2) -> bytes:
    """The chart as SVG or PNG bytes."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110)
    ax = fig.add_subplot()
    labels = chart.labels
    positions = list(range(len(labels)))
    n = max(1, len(chart.series))
    for i, (name, values) in enumerate(chart.series.items()):
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
        ax.set_xlabel(chart.y_label)
    else:
        ax.set_xticks(positions, labels, fontsize=7, rotation=30 if len(labels) > 6 else 0, ha="right"
                      if len(labels) > 6 else "center")
        ax.set_ylabel(chart.y_label)
    ax.set_title(chart.title, fontsize=10)
    if len(chart.series) > 1:
        ax.legend(fontsize=7)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return buf.getvalue()
