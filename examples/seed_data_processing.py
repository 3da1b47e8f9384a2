"""Seed 001, "Data Processing Task": the sales files are bundled in examples/data (the worker
reads them from AESOP_DATA_DIR); the report is saved in the current directory.

Changed: the import line only.
"""

from examples.seed_support import Task, TaskConfig, aesop

process_task = Task(
    name="process_sales_data",
    description="Extract and analyze sales data from CSV files",
    config=TaskConfig(
        max_memory_mb=2048,
        max_duration_seconds=600
    ),
    inputs={
        "data_files": ["sales_q1.csv", "sales_q2.csv"],
        "metrics": ["revenue", "growth", "customers"],
        "output_format": "excel"
    }
)

result = aesop.execute_task(process_task)
result.save_report("sales_analysis.xlsx")
print(result.summary)
