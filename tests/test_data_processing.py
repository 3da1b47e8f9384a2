"""The data-processing kind: the seeds' sales example, formats, clear errors, max_memory_mb."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from client import Task, TaskConfig
from models.errors import DataProcessingError, MemoryLimitExceeded, TaskValidationError

# (customer, amount as a sales export writes it)
Q1 = [("acme", "$1,200.50"), ("globex", "300"), ("acme", "99.50"), ("initech", "400.00")]
Q2 = [("acme", "$2,000.00"), ("umbrella", "500"), ("globex", "(100.00)"), ("hooli", "n/a")]


def write_sales(folder: Path, name: str, rows, date: str = "2024-01-15") -> Path:
    path = folder / name
    lines = ["Order ID,Order Date,Customer ID,Amount"] + [f'{i},{date},{c},"{a}"' for i, (c, a) in enumerate(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


def sales_task(files, **inputs) -> Task:
    config = inputs.pop("config", {})
    return Task(name="process_sales_data", description="Extract and analyze sales data from CSV files",
                config=TaskConfig(**config), inputs={"data_files": [str(f) for f in files], **inputs})


async def test_seeds_sales_example_computes_metrics_and_saves_an_excel_report_with_a_chart(aesop, tmp_path):
    q1, q2 = write_sales(tmp_path, "sales_q1.csv", Q1), write_sales(tmp_path, "sales_q2.csv", Q2)
    task = sales_task([q1, q2], metrics=["revenue", "growth", "customers"], output_format="excel",
                      config={"max_memory_mb": 2048, "max_duration_seconds": 600})
    result = await aesop.execute_task(task)

    revenue_q1, revenue_q2 = 1200.50 + 300 + 99.50 + 400, 2000 - 100 + 500  # "n/a" is skipped, "(100)" is -100
    assert [p["period"] for p in result.periods] == ["sales_q1", "sales_q2"]
    assert [p["revenue"] for p in result.periods] == [revenue_q1, revenue_q2]
    assert result.periods[1]["growth_percent"] == round((revenue_q2 - revenue_q1) / revenue_q1 * 100, 2)
    assert [p["customers"] for p in result.periods] == [3, 3]
    assert result.totals["customers"] == 4  # acme and globex once; hooli's row ("n/a") is skipped
    assert result.skipped_rows == 1 and result.columns == {"revenue": "Amount", "customer": "Customer ID"}
    assert "revenue 4,400.00 over 2 periods" in result.summary

    saved = result.save_report(tmp_path / "sales_analysis.xlsx")
    sheet = openpyxl.load_workbook(saved)["Summary"]
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if any(row)]
    assert rows[0] == ("Period", "Revenue", "Growth %", "Customers")
    assert rows[1][:2] == ("sales_q1", revenue_q1) and rows[2][:2] == ("sales_q2", revenue_q2)
    assert rows[3][0] == "total" and rows[3][1] == revenue_q1 + revenue_q2
    assert len(sheet._charts) == 1
    with pytest.raises(ValueError, match="ending in .xlsx"):
        result.save_report(tmp_path / "sales.csv")


async def test_monthly_periods_from_quantity_and_price_in_csv_json_and_markdown(aesop, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("date;client;qty;unit price\n2024-01-03;a;2;10\n2024-01-20;b;1;5\n2024-02-02;a;3;10\n")
    inputs = {"metrics": ["revenue", "growth", "orders", "average_order_value"], "period": "month"}
    by_format = {}
    for fmt in ("csv", "json", "markdown"):
        result = await aesop.execute_task(sales_task([path], output_format=fmt, **inputs))
        by_format[fmt] = result.save_report(tmp_path / f"report.{ {'markdown': 'md'}.get(fmt, fmt)}").read_text()
    assert [(p["period"], p["revenue"], p["orders"]) for p in result.periods] == [("2024-01", 25.0, 2), ("2024-02", 30.0, 1)]
    assert result.periods[1]["growth_percent"] == 20.0 and result.totals["average_order_value"] == round(55 / 3, 2)
    assert result.columns["revenue"] == "qty × unit price"
    assert by_format["csv"].splitlines()[1] == "2024-01,25.0,,2,12.5"
    assert json.loads(by_format["json"])["periods"][1]["revenue"] == 30.0
    assert "| 2024-02 | 30.0 | 20.0 | 1 | 30.0 |" in by_format["markdown"]
    assert "**growth**: revenue change" in by_format["markdown"]


async def test_missing_column_and_missing_file_fail_clearly_without_retries(aesop, tmp_path):
    path = tmp_path / "visits.csv"
    path.write_text("page,views\n/,10\n")
    with pytest.raises(DataProcessingError, match=r"no revenue column .*\['page', 'views'\].*inputs.columns.revenue"):
        await aesop.execute_task(sales_task([path], config={"max_retries": 3, "retry_delay_seconds": 5}))
    with pytest.raises(DataProcessingError, match="nowhere.csv' was not found on the worker"):
        await aesop.execute_task(sales_task([tmp_path / "nowhere.csv"], config={"max_retries": 3, "retry_delay_seconds": 5}))
    one = write_sales(tmp_path, "only.csv", Q1)
    with pytest.raises(DataProcessingError, match="growth compares periods and the data has 1"):
        await aesop.execute_task(sales_task([one], metrics=["growth"]))


async def test_bad_inputs_are_refused_before_anything_starts(aesop, tmp_path):
    with pytest.raises(TaskValidationError, match="metrics"):
        await aesop.execute_task_async(sales_task(["a.csv"], metrics=["profit"]))
    with pytest.raises(TaskValidationError, match="output_format"):
        await aesop.execute_task_async(sales_task(["a.csv"], output_format="pdf"))
    with pytest.raises(TaskValidationError, match="below the 256 MB"):
        await aesop.execute_task_async(sales_task(["a.csv"], config={"max_memory_mb": 64}))


async def test_max_memory_mb_stops_the_work_with_a_clear_non_retryable_error(aesop, tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w") as handle:
        handle.write("order_id,date,customer_id,amount\n")
        handle.writelines(f"{i},2024-01-{i % 28 + 1:02d},cust-{i % 500_000},{i % 997}.50\n" for i in range(2_000_000))
    task = sales_task([path], config={"max_memory_mb": 300, "max_retries": 2, "retry_delay_seconds": 5})
    with pytest.raises(MemoryLimitExceeded, match="more than max_memory_mb=300 MB"):
        await aesop.execute_task(task)
