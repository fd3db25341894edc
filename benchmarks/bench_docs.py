"""(e) Documentation build time against the number of rows.

Builds the MkDocs site (``mkdocs build`` with the repository's ``mkdocs.yml``) from the
bundled package — the baseline — and from generated packages of ``--sizes`` metric rows
(the docs hook reads the package from ``JICENG_PACKAGE_ROOT``). Each build writes to a
temporary directory, never to ``site/``. Reports the median build time, its ratio to the
bundled build, seconds per 1,000 metric rows and per generated page.

Skips, saying why, when ``mkdocs.yml`` or the docs extra (``pip install -e '.[docs]'``)
is missing.

    python benchmarks/bench_docs.py [--sizes 1e3,1e4] [--repeat 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    REPO,
    compare,
    console_script,
    human_rows,
    parse_sizes,
    print_table,
    ratio,
    warn_if_busy,
    write_results,
)

DOCS_MODULES = {"mkdocs": "mkdocs", "mkdocs-material": "material", "mkdocstrings": "mkdocstrings",
                "mkdocstrings-python": "mkdocstrings_handlers.python", "jieba": "jieba"}


def missing() -> str | None:
    """Why the docs cannot be built here, or None."""
    if not (REPO / "mkdocs.yml").is_file():
        return f"no mkdocs.yml in {REPO}: the documentation site is not set up in this checkout"
    absent = []
    for package, module in DOCS_MODULES.items():
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            absent.append(package)
    if absent:
        return (f"the docs extra is not installed (missing: {', '.join(absent)}); "
                "install it with: pip install -e '.[docs]'")
    return None


def build(root: Path, label: str, metric_rows: int, repeat: int, budget: float, timeout: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="jiceng-docs-") as site:
        command = [*console_script("mkdocs"), "build", "-q", "-f", str(REPO / "mkdocs.yml"), "-d", site]
        env = {"JICENG_PACKAGE_ROOT": str(root), "NO_MKDOCS_2_WARNING": "1"}
        print(f"\n== docs of {label}: {metric_rows:,} metric rows", file=sys.stderr, flush=True)
        series = compare({"mkdocs build": command}, repeat=repeat, warmup=0, env=env, budget_s=budget,
                         timeout=timeout)["mkdocs build"]
        pages = list(Path(site).rglob("*.html"))
        size = sum(path.stat().st_size for path in Path(site).rglob("*") if path.is_file())
    return {**series.summary(), "label": label, "package": str(root), "metric_rows": metric_rows,
            "cpu_median_s": series.cpu_median, "pages": len(pages), "site_mb": size / 1e6}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1e3,1e4", help="metric rows of generated packages (default 1e3,1e4)")
    parser.add_argument("--repeat", type=int, default=3, help="builds per size (default 3)")
    parser.add_argument("--budget", type=float, default=300, help="stop repeating a size after this many seconds")
    parser.add_argument("--timeout", type=float, default=3600, help="kill a build after this many seconds")
    arguments = parser.parse_args(argv)
    reason = missing()
    if reason:
        print(f"(e) docs build benchmark SKIPPED: {reason}")
        write_results("docs", {"skipped": reason})
        return 0
    warn_if_busy()
    from jiceng.bundle import package_root
    from jiceng.loading import descriptor  # noqa: F401 - fails early if jiceng is broken

    from synthetic import Template, cached_package

    bundled_metrics = Template.read(package_root()).metrics_per_copy
    results = [build(package_root(), "bundled package", bundled_metrics, arguments.repeat, arguments.budget,
                     arguments.timeout)]
    for size in parse_sizes(arguments.sizes):
        root, generated = cached_package(size)
        results.append(build(root, human_rows(size), generated["row_counts"]["metrics"], arguments.repeat,
                             arguments.budget, arguments.timeout))
    base = results[0]["median_s"]
    for result in results:
        result["ratio_to_bundled"] = ratio(result["median_s"], base)
        result["per_1000_metric_rows_s"] = (result["median_s"] / (result["metric_rows"] / 1000)
                                            if result["median_s"] else None)
        result["per_page_s"] = result["median_s"] / result["pages"] if result["median_s"] and result["pages"] else None
    print()
    print_table(["package", "metric rows", "n", "build s", "cpu s", "÷ bundled", "s/1k metric rows", "pages",
                 "s/page", "site MB"],
                [[r["label"], f"{r['metric_rows']:,}", r["n"], r["median_s"], r["cpu_median_s"], r["ratio_to_bundled"],
                  r["per_1000_metric_rows_s"], r["pages"], r["per_page_s"], r["site_mb"]] for r in results],
                title="(e) mkdocs build against the number of rows")
    for result in results:
        if result["failed"]:
            print(f"build of {result['label']} failed: {result['failed']}")
    write_results("docs", {"results": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())
