"""The data-processing kind (the seeds' ``process_sales_data``): CSV files in, metrics and a report out."""

from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator

from models.artifacts import ArtifactRef

PROCESS_DATA = "process_data"
MIN_MEMORY_MB = 256  # a Python process with pandas and openpyxl loaded reaches ~170 MB before any data

Metric = Literal["revenue", "growth", "customers", "orders", "average_order_value"]
OutputFormat = Literal["excel", "csv", "json", "markdown"]
SUFFIXES: dict[str, str] = {"excel": ".xlsx", "csv": ".csv", "json": ".json", "markdown": ".md"}
CONTENT_TYPES: dict[str, str] = {
    "excel": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "json": "application/json",
    "markdown": "text/markdown",
}

METRICS_HELP: dict[str, str] = {
    "revenue": "sum of the revenue column per period (or quantity × unit price when there is no revenue column)",
    "growth": "revenue change from the previous period, in percent (needs two periods or more)",
    "customers": "distinct values of the customer column per period; the total counts each customer once",
    "orders": "number of rows per period",
    "average_order_value": "revenue ÷ orders per period",
}


class ColumnNames(BaseModel):
    """Column names to use instead of the ones aesop looks for (case and spacing ignored)."""

    model_config = ConfigDict(extra="forbid")

    revenue: Optional[str] = None
    quantity: Optional[str] = None
    price: Optional[str] = None
    customer: Optional[str] = None
    date: Optional[str] = None


class DataInputs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data_files: list[Union[ArtifactRef, str]] = Field(
        min_length=1, max_length=100,
        description="CSV files: paths on the worker (relative to AESOP_DATA_DIR, else its working directory) "
        "or artifact references from another task",
    )
    metrics: list[Metric] = Field(default_factory=lambda: ["revenue", "customers"], min_length=1)
    output_format: OutputFormat = "excel"
    period: Literal["file", "month", "quarter"] = Field(
        "file", description="file: each file is one period, in the order given; month/quarter: by the date column"
    )
    columns: ColumnNames = Field(default_factory=ColumnNames)

    @field_validator("data_files")
    @classmethod
    def _csv_paths(cls, files: list[Union[ArtifactRef, str]]) -> list[Union[ArtifactRef, str]]:
        for item in files:
            if isinstance(item, str) and not item.strip():
                raise ValueError("a data file path is empty")
        return files

    @field_validator("metrics")
    @classmethod
    def _distinct(cls, metrics: list[str]) -> list[str]:
        return list(dict.fromkeys(metrics))


class DataJob(BaseModel):
    """What the activity gets: the inputs, where to store the report, and the memory limit."""

    task_id: str
    name: str
    inputs: DataInputs
    max_memory_mb: Optional[int] = None


class PeriodMetrics(BaseModel):
    period: str
    revenue: Optional[float] = None
    growth_percent: Optional[float] = None
    customers: Optional[int] = None
    orders: Optional[int] = None
    average_order_value: Optional[float] = None


class DataResult(BaseModel):
    periods: list[PeriodMetrics]
    totals: PeriodMetrics
    columns: dict[str, str] = Field(description="Which column each role was read from")
    rows: int
    skipped_rows: int = Field(0, description="Rows whose revenue (or date) could not be read; not counted")
    report: Optional[ArtifactRef] = None
    output_format: OutputFormat = "excel"
    peak_memory_mb: float = 0.0
