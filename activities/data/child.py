"""The data-processing work, in a process of its own so that max_memory_mb can bound it.

Reads a job (JSON) on stdin, writes the report file, prints the result (JSON) on stdout.
Exit codes: 0 done, 2 the data cannot give what was asked, 3 out of memory.
"""

from __future__ import annotations

import csv
import json
import resource
import sys
from pathlib import Path

from models.errors import DataProcessingError

EXIT_DATA, EXIT_MEMORY = 2, 3


def _delimiter(path: Path) -> str:
    with open(path, newline="", encoding="utf-8", errors="replace") as handle:
        sample = handle.read(64 * 1024)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def main() -> int:
    job = json.loads(sys.stdin.read())
    try:
        import pandas as pd

        from activities.data.metrics import compute
        from activities.data.report_writer import render
        from models.data_processing import DataInputs

        inputs = DataInputs.model_validate(job["inputs"])
        frames = []
        for period, path in job["files"]:
            try:
                frame = pd.read_csv(path, sep=_delimiter(Path(path)), encoding="utf-8-sig", encoding_errors="replace")
            except pd.errors.EmptyDataError:
                raise DataProcessingError(f"{Path(path).name} is empty") from None
            except pd.errors.ParserError as err:
                raise DataProcessingError(f"{Path(path).name} is not a readable CSV file: {err}") from None
            frames.append((period, frame))
        result = compute(frames, inputs)
        del frames
        result.peak_memory_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        Path(job["out"]).write_bytes(render(result, job["title"], list(inputs.metrics)))
        print(result.model_dump_json())
        return 0
    except MemoryError:
        return EXIT_MEMORY
    except DataProcessingError as err:
        print(json.dumps({"error": str(err)}))
        return EXIT_DATA


if __name__ == "__main__":
    sys.exit(main())
