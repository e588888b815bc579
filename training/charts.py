"""Server-rendered SVG geometry for the evaluation page (no JS, no inline style)."""

BAR_HEIGHT = 14
ROW_HEIGHT = 44
LABEL_WIDTH = 0
CHART_WIDTH = 320


def change_chart(items):
    """One row per item: entry and exit bars on a 0-5 scale."""
    rows = []
    for index, item in enumerate(items):
        y = index * ROW_HEIGHT + 18
        rows.append(
            {
                "text": item["text"],
                "label_y": y - 4,
                "entry_y": y,
                "exit_y": y + BAR_HEIGHT + 2,
                "entry_w": round(CHART_WIDTH * (item["entry"] or 0) / 5, 1),
                "exit_w": round(CHART_WIDTH * (item["exit"] or 0) / 5, 1),
                "entry": item["entry"],
                "exit": item["exit"],
            }
        )
    return {"rows": rows, "width": CHART_WIDTH + 60, "height": max(len(rows), 1) * ROW_HEIGHT + 8}


def trend_chart(trend, *, width=360, height=140):
    """A polyline of the mean satisfaction (1-5) per session."""
    if not trend:
        return None
    step = width / max(len(trend) - 1, 1)
    points = []
    for index, row in enumerate(trend):
        x = round(10 + index * (width - 20) / max(len(trend) - 1, 1), 1)
        y = round(height - 10 - (height - 20) * (float(row["mean"]) - 1) / 4, 1)
        points.append({"x": x, "y": y, "mean": row["mean"], "date": row["date"]})
    del step
    return {
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "width": width,
        "height": height,
    }
