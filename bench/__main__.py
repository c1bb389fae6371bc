"""Run every benchmark (or those named on the command line) and write bench/results/*.json.

Each benchmark module has ``NAME`` and ``run() -> dict``; results are written to
``bench/results/<NAME>.json`` with the machine and versions.
"""

from __future__ import annotations

import importlib
import json
import platform
import sys
import time
from pathlib import Path

BENCHMARKS = (
    "bench_calendar",
    "bench_storage",
    "bench_receipt",
    "bench_dossier",
    "bench_chat_parse",
    "bench_service",
    "bench_inbox",
    "bench_zalo",
    "bench_zalo_burst",
    "bench_zalo_ack",
    "bench_filing",
)

RESULTS = Path(__file__).parent / "results"


def main(argv: list[str]) -> int:
    """Run the selected benchmarks."""
    names = argv or list(BENCHMARKS)
    RESULTS.mkdir(exist_ok=True)
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        started = time.time()
        result = module.run()
        result["_meta"] = {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "processor": platform.processor(),
            "seconds": round(time.time() - started, 2),
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        path = RESULTS / f"{module.NAME}.json"
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{name}: wrote {path}")
        print(json.dumps({k: v for k, v in result.items() if k != "_meta"}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
