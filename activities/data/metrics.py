"""Metrics over sales tables with pandas: which columns hold what, and what each metric means.

Column roles are found by name (case, spaces and punctuation ignored), from the first
match in the lists below, unless the task names the column itself.
"""

from __future__ import annotations

import re
from typing import Optional

import pandas as pd

from models.data_processing import ColumnNames, DataInputs, DataResult, PeriodMetrics
from models.errors import DataProcessingError as DataError

CANDIDATES: dict[str, tuple[str, ...]] = {
    "revenue": ("revenue", "sales", "sales_amount", "total_sales", "net_sales", "amount", "total", "total_amount",
                "total_price", "order_total", "value"),
    "quantity": ("quantity", "qty", "units", "units_sold", "count"),
    "price": ("unit_price", "price", "price_per_unit", "unit_cost"),
    "customer": ("customer_id", "customer", "customer_name", "customer_email", "client_id", "client", "email",
                 "buyer", "account"),
    "date": ("date", "order_date", "sale_date", "invoice_date", "transaction_date", "created_at", "timestamp", "day"),
}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def find_column(frame: pd.DataFrame, role: str, override: Optional[str]) -> Optional[str]:
    by_norm = {_norm(col): col for col in frame.columns}
    if override is not None:
        if _norm(override) not in by_norm:
            raise DataError(f"column {override!r} (given for {role}) is not in the data; columns: {list(frame.columns)}")
        return by_norm[_norm(override)]
    return next((by_norm[name] for name in CANDIDATES[role] if name in by_norm), None)


def to_number(column: pd.Series) -> pd.Series:
    """Numbers as people write them in CSV exports: "$1,200.50", "€ 30", "(12.00)" for -12."""
    text = column.astype(str).str.strip()
    negative = text.str.match(r"^\(.*\)$")
    text = text.str.replace(r"[^0-9.eE+-]", "", regex=True)
    numbers = pd.to_numeric(text, errors="coerce")
    return numbers.where(~negative, -numbers)


def needed_roles(inputs: DataInputs) -> set[str]:
    roles = set()
    if set(inputs.metrics) & {"revenue", "growth", "average_order_value"}:
        roles.add("revenue")
    if "customers" in inputs.metrics:
        roles.add("customer")
    if inputs.period != "file":
        roles.add("date")
    return roles


def normalise(frame: pd.DataFrame, source: str, inputs: DataInputs) -> tuple[pd.DataFrame, dict[str, str], int]:
    """One file's rows as columns ``revenue``/``customer``/``date``; rows that cannot be read are counted."""
    roles, names, out = needed_roles(inputs), {}, pd.DataFrame(index=frame.index)
    overrides: ColumnNames = inputs.columns
    if "revenue" in roles:
        revenue = find_column(frame, "revenue", overrides.revenue)
        if revenue is not None:
            out["revenue"], names["revenue"] = to_number(frame[revenue]), revenue
        else:
            quantity = find_column(frame, "quantity", overrides.quantity)
            price = find_column(frame, "price", overrides.price)
            if quantity is None or price is None:
                raise DataError(
                    f"{source} has no revenue column (looked for {', '.join(CANDIDATES['revenue'])}, or quantity "
                    f"and unit price); its columns are {list(frame.columns)}: name one with inputs.columns.revenue"
                )
            out["revenue"] = to_number(frame[quantity]) * to_number(frame[price])
            names["revenue"] = f"{quantity} × {price}"
    if "customer" in roles:
        customer = find_column(frame, "customer", overrides.customer)
        if customer is None:
            raise DataError(
                f"{source} has no customer column (looked for {', '.join(CANDIDATES['customer'])}); its columns "
                f"are {list(frame.columns)}: name one with inputs.columns.customer"
            )
        out["customer"], names["customer"] = frame[customer].astype(str).str.strip(), customer
    if "date" in roles:
        date = find_column(frame, "date", overrides.date)
        if date is None:
            raise DataError(f"period={inputs.period!r} needs a date column and {source} has none; columns: {list(frame.columns)}")
        out["date"], names["date"] = pd.to_datetime(frame[date], errors="coerce"), date
    bad = out.isna().any(axis=1) if len(out.columns) else pd.Series(False, index=frame.index)
    return out[~bad], names, int(bad.sum())


def compute(frames: list[tuple[str, pd.DataFrame]], inputs: DataInputs) -> DataResult:
    """``frames``: (period name, rows) per file, in the order the task gave them."""
    parts, columns, skipped = [], {}, 0
    for name, frame in frames:
        rows, names, bad = normalise(frame, name, inputs)
        skipped += bad
        for role, column in names.items():  # files may name a role differently: list each name once
            columns.setdefault(role, {})[column] = None
        parts.append(rows.assign(period=name))
    data = pd.concat(parts, ignore_index=True)
    if inputs.period == "file":
        order = [name for name, _ in frames]
    else:
        data["period"] = data["date"].dt.to_period("M" if inputs.period == "month" else "Q").astype(str)
        order = sorted(data["period"].unique())
    if "growth" in inputs.metrics and len(order) < 2:
        raise DataError(
            f"growth compares periods and the data has {len(order)}: give two files or more, or period='month'"
        )
    periods = [_metrics(label, data[data["period"] == label], inputs) for label in order]
    totals = _metrics("total", data, inputs)
    if "growth" in inputs.metrics:  # each period against the one before; the total, last against first
        for previous, current in zip(periods, periods[1:]):
            current.growth_percent = _growth(previous, current)
        totals.growth_percent = _growth(periods[0], periods[-1])
    return DataResult(
        periods=periods, totals=totals, columns={role: ", ".join(names) for role, names in columns.items()},
        rows=len(data), skipped_rows=skipped, output_format=inputs.output_format,
    )


def _growth(before: PeriodMetrics, after: PeriodMetrics) -> Optional[float]:
    if not before.revenue:  # no revenue to grow from: undefined
        return None
    return round((after.revenue - before.revenue) / abs(before.revenue) * 100, 2)


def _metrics(label: str, rows: pd.DataFrame, inputs: DataInputs) -> PeriodMetrics:
    wanted = set(inputs.metrics)
    result = PeriodMetrics(period=label)
    revenue = round(float(rows["revenue"].sum()), 2) if "revenue" in rows else None
    if wanted & {"revenue", "growth"}:
        result.revenue = revenue
    if "customers" in wanted:
        result.customers = int(rows["customer"].nunique())
    if "orders" in wanted:
        result.orders = len(rows)
    if "average_order_value" in wanted:
        result.average_order_value = round(revenue / len(rows), 2) if len(rows) else None
    return result
