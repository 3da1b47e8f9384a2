"""The data-processing report in the format the task asks for: excel (with a chart), csv, json, markdown."""

from __future__ import annotations

import io
import json

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from models.data_processing import METRICS_HELP, DataResult

HEADERS = {
    "period": "Period", "revenue": "Revenue", "growth_percent": "Growth %", "customers": "Customers",
    "orders": "Orders", "average_order_value": "Average order value",
}


def table(result: DataResult) -> pd.DataFrame:
    rows = [p.model_dump() for p in [*result.periods, result.totals]]
    frame = pd.DataFrame(rows)
    frame = frame[[col for col in HEADERS if col == "period" or frame[col].notna().any()]]
    return frame.rename(columns=HEADERS)


def render(result: DataResult, title: str, metrics: list[str]) -> bytes:
    frame = table(result)
    if result.output_format == "csv":
        return frame.to_csv(index=False).encode()
    if result.output_format == "json":
        return json.dumps(result.model_dump(mode="json", exclude={"report"}), indent=2).encode()
    if result.output_format == "markdown":
        return _markdown(frame, result, title, metrics).encode()
    return _excel(frame, result, title, metrics)


def _markdown(frame: pd.DataFrame, result: DataResult, title: str, metrics: list[str]) -> str:
    header = "| " + " | ".join(frame.columns) + " |\n|" + "---|" * len(frame.columns) + "\n"
    body = "".join("| " + " | ".join("" if pd.isna(v) else f"{v:,}" if isinstance(v, (int, float)) else str(v)
                                     for v in row) + " |\n" for row in frame.itertuples(index=False))
    notes = "".join(f"- **{m}**: {METRICS_HELP[m]}\n" for m in metrics)
    columns = "".join(f"- {role}: `{name}`\n" for role, name in result.columns.items())
    return (f"# {title}\n\n{header}{body}\n## Metrics\n{notes}\n## Columns read\n{columns}\n"
            f"{result.rows:,} rows read, {result.skipped_rows:,} skipped (unreadable values).\n")


def _excel(frame: pd.DataFrame, result: DataResult, title: str, metrics: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Summary"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(frame.columns))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False):
        sheet.append([None if pd.isna(v) else v for v in row])
    last = sheet.max_row
    for cell in sheet[last]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 18
    if "Revenue" in frame.columns and len(result.periods):
        chart = BarChart()
        chart.title, chart.y_axis.title = "Revenue by period", "Revenue"
        col = list(frame.columns).index("Revenue") + 1
        chart.add_data(Reference(sheet, min_col=col, min_row=2, max_row=last - 1), titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=3, max_row=last - 1))
        sheet.add_chart(chart, f"A{last + 3}")
    notes = book.create_sheet("Notes")
    notes.append(["Metric", "Meaning"])
    for metric in metrics:
        notes.append([metric, METRICS_HELP[metric]])
    notes.append([])
    notes.append(["Role", "Column read"])
    for role, name in result.columns.items():
        notes.append([role, name])
    notes.append(["rows read", result.rows])
    notes.append(["rows skipped", result.skipped_rows])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
