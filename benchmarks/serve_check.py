"""How fast the editor answers after an edit (issue 20: within 50 ms on this machine): the POST …/check of
`docgen serve` for the example with one figure changed, through the whole app (CSRF, JSON, validation, check,
derived totals), median of 200 requests; beside it, the same report's bare check() as the baseline.

    .venv/bin/python benchmarks/serve_check.py
"""

from __future__ import annotations

import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from starlette.testclient import TestClient  # noqa: E402

from docgen.api import check  # noqa: E402
from docgen.load import load  # noqa: E402
from docgen.serve import create_app  # noqa: E402

EXAMPLE = ROOT / "examples" / "2021-baode.toml"


def main() -> int:
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        shutil.copy(EXAMPLE, folder / "report.toml")
        client = TestClient(create_app(folder), base_url="http://127.0.0.1:8000")
        page = client.get("/r/report.toml").text
        token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        answers = []
        for number in range(200):
            started = time.perf_counter()
            response = client.post(
                "/r/report.toml/check",
                json={"fields": {"table3.new[0]": str(number), "table2.licensing": str(number)}},
                headers={"X-CSRF-Token": token},
            )
            answers.append(time.perf_counter() - started)
            assert response.status_code == 200
        report = load(EXAMPLE)
        bare = []
        for _ in range(200):
            started = time.perf_counter()
            check(report)
            bare.append(time.perf_counter() - started)
    answer, baseline = statistics.median(answers), statistics.median(bare)
    print(
        f"check after an edit, whole request: {1000 * answer:6.1f} ms (median of 200; 95th percentile "
        f"{1000 * sorted(answers)[189]:.1f} ms)"
    )
    print(f"bare check() of the same report:    {1000 * baseline:6.1f} ms ({answer / baseline:.1f}× that)")
    met = answer <= 0.050
    print(f"  {'met   ' if met else 'MISSED'} within 50 ms")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
