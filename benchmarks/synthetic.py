"""Generate a valid jiceng data package of about N metric rows, for the scale benchmarks.

The bundled package is the template: every copy of it is a new set of documents with
new 16-hex document IDs, whose texts are the template's verbatim documents behind a
one-line marker (so every document has its own bytes and sha256, and every offset moves).
Each copy carries all of the template's rows — sources, initiatives, metrics,
annotations, non-metric numbers, consistency checks — with

* new source IDs and row IDs (``<document>-<n>-m001``), and every reference between rows
  (initiative_id, related_source_id, related_id, metric_ids, annotation_id,
  annotation_ids, goals_source_id, and the "superseded by ID" of withdrawn rows' notes)
  rewritten to the copy's IDs;
* quote, span, related and goals offsets shifted to where the text now sits, and
  ``sha256`` / ``document_length`` recomputed;
* new district codes (GB/T 2260-shaped: province, prefecture and county nest) for the
  template's districts, up to ``--districts`` (default 2,850, about the number of
  county-level divisions in China), after which codes are reused, so large packages
  have many sources per district as a national corpus would.

The glossary and the vocabularies are copied unchanged; ``datapackage.json`` and
``schemas/`` too (they describe tables, not row counts). The number of copies is
``ceil(N / metrics per copy)``, so the package holds at least N metric rows (85 per copy
in release 0.2.0); scripts report the actual row counts.

``--pages-per-document K`` prints K copies one after another in the same document file
(one document ID, sources numbered on), which makes single documents large: that shape
exercises the per-document work of the provenance and audit layers.

Usage::

    python benchmarks/synthetic.py 1000 /tmp/jiceng-1k            # about 1,000 metric rows
    python benchmarks/synthetic.py 1000 /tmp/jiceng-1k --check    # ... then validate and audit it

Packages are deterministic for a given template, size, K and seed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import console_script  # noqa: E402

csv.field_size_limit(2**31 - 1)

TABLES = ("sources", "districts", "initiatives", "metrics", "annotations", "non_metric_numbers",
          "consistency_checks", "glossary")
ROW_ID = re.compile(r"^([0-9a-f]{16}-[1-9][0-9]*)(-[a-z][0-9]+)$")
DEFAULT_DISTRICTS = 2850
GENERATOR_VERSION = "3"
SUPERSEDED_BY = re.compile(r"(superseded by[:\s]+)([0-9a-f]{16}-[1-9][0-9]*-[a-z][0-9]{3,})", re.IGNORECASE)  # bump when the output for the same inputs changes (invalidates caches)


def template_root() -> Path:
    from jiceng.bundle import package_root

    return package_root()


@dataclass
class Template:
    root: Path
    headers: dict[str, list[str]]
    rows: dict[str, list[dict[str, str]]]
    documents: dict[str, str]  # template document_id -> verbatim text
    document_of_source: dict[str, str]  # template source_id -> template document_id
    sources_per_document: dict[str, int]  # highest source number of each document

    @classmethod
    def read(cls, root: Path) -> Template:
        headers, rows = {}, {}
        for name in TABLES:
            with (root / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
                reader = csv.DictReader(handle)
                headers[name] = list(reader.fieldnames or [])
                rows[name] = list(reader)
        documents, document_of_source, per_document = {}, {}, {}
        for source in rows["sources"]:
            document = source["document_id"]
            if document not in documents:
                documents[document] = (root / source["path"]).read_bytes().decode("utf-8")
            document_of_source[source["source_id"]] = document
            number = int(source["source_id"].rsplit("-", 1)[1])
            per_document[document] = max(per_document.get(document, 0), number)
        return cls(root, headers, rows, documents, document_of_source, per_document)

    @property
    def metrics_per_copy(self) -> int:
        return len(self.rows["metrics"])

    def digest(self) -> str:
        """Fingerprint of the template's files, so a cached package is rebuilt when they change."""
        h = hashlib.sha256()
        for path in sorted((self.root / "data").rglob("*")) + [self.root / "datapackage.json"]:
            if path.is_file():
                h.update(str(path.relative_to(self.root)).encode())
                h.update(path.read_bytes())
        for path in sorted((self.root / "schemas").rglob("*.json")):
            h.update(path.read_bytes())
        return h.hexdigest()[:16]


def letters(number: int) -> str:
    """0 -> 'a', 25 -> 'z', 26 -> 'ba': a copy number with no digit or Chinese numeral in it,
    so the marker line adds no number token for the audit to account for."""
    word = ""
    while True:
        number, digit = divmod(number, 26)
        word = chr(ord("a") + digit) + word
        if number == 0:
            return word


def district_code(index: int) -> tuple[str, str, str]:
    """The index-th synthetic (county, prefecture, province) code, nested like GB/T 2260."""
    province, rest = divmod(index, 99 * 99)
    prefecture, county = divmod(rest, 99)
    p = 11 + province
    if p > 89:
        raise ValueError("too many synthetic districts for six-digit codes")
    return f"{p:02d}{prefecture + 1:02d}{county + 1:02d}", f"{p:02d}{prefecture + 1:02d}00", f"{p:02d}0000"


@dataclass
class Placement:
    """Where one copy of the template sits: its IDs and the offset of each document."""

    copy: int
    source_ids: dict[str, str]  # template source_id -> new source_id
    offsets: dict[str, int]  # template document_id -> offset of its text in the new document
    document_ids: dict[str, str]  # template document_id -> new document_id
    districts: dict[str, str]  # template district_id -> new district_id

    def row_id(self, old: str) -> str:
        if not old:
            return old
        match = ROW_ID.match(old)
        if match is None or match.group(1) not in self.source_ids:
            raise ValueError(f"cannot rewrite ID {old!r}")
        return self.source_ids[match.group(1)] + match.group(2)

    def source_id(self, old: str) -> str:
        return self.source_ids[old] if old else old


class Generator:
    def __init__(self, template: Template, metrics: int, out: Path, *, pages_per_document: int = 1,
                 districts: int = DEFAULT_DISTRICTS, seed: str = "jiceng") -> None:
        self.t = template
        self.out = out
        self.k = max(1, pages_per_document)
        self.copies = max(1, math.ceil(metrics / max(1, template.metrics_per_copy)))
        self.max_districts = districts
        self.seed = seed
        self.used_ids: set[str] = set()
        self.district_rows: dict[str, dict[str, str]] = {}
        self.district_index = 0
        self.counts = {name: 0 for name in TABLES}
        self.text_bytes = 0
        self.documents = 0

    def document_id(self, template_document: str, group: int) -> str:
        counter = 0
        while True:
            digest = hashlib.sha256(f"{self.seed}:{template_document}:{group}:{counter}".encode()).hexdigest()[:16]
            if digest not in self.used_ids and digest not in self.t.documents:
                self.used_ids.add(digest)
                return digest
            counter += 1

    def districts_for_copy(self) -> dict[str, str]:
        mapping = {}
        for row in self.t.rows["districts"]:
            index = self.district_index % self.max_districts
            self.district_index += 1
            mapping[row["district_id"]] = district_code(index)[0]
        return mapping

    def run(self) -> dict[str, Any]:
        if self.out.exists():
            shutil.rmtree(self.out)
        (self.out / "data" / "sources").mkdir(parents=True)
        shutil.copytree(self.t.root / "data" / "vocabularies", self.out / "data" / "vocabularies")
        shutil.copytree(self.t.root / "schemas", self.out / "schemas")
        shutil.copy2(self.t.root / "datapackage.json", self.out / "datapackage.json")
        handles = {name: (self.out / "data" / f"{name}.csv").open("w", encoding="utf-8", newline="")
                   for name in TABLES if name != "districts"}
        writers = {name: csv.writer(handle, lineterminator="\n") for name, handle in handles.items()}
        for name, writer in writers.items():
            writer.writerow(self.t.headers[name])
        try:
            for group_start in range(0, self.copies, self.k):
                group = range(group_start, min(self.copies, group_start + self.k))
                for placement, sha, lengths, paths in self.place_group(group_start // self.k, group):
                    self.write_copy(placement, sha, lengths, paths, writers)
            for row in self.t.rows["glossary"]:
                writers["glossary"].writerow([row[c] for c in self.t.headers["glossary"]])
                self.counts["glossary"] += 1
        finally:
            for handle in handles.values():
                handle.close()
        with (self.out / "data" / "districts.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(self.t.headers["districts"])
            for row in self.district_rows.values():
                writer.writerow([row[c] for c in self.t.headers["districts"]])
        self.counts["districts"] = len(self.district_rows)
        return {"copies": self.copies, "pages_per_document": self.k, "documents": self.documents,
                "source_text_bytes": self.text_bytes, "row_counts": self.counts,
                "rows": sum(self.counts.values())}

    def place_group(self, group: int, copies: range) -> Iterator[tuple[Placement, dict[str, str], dict[str, int], dict[str, str]]]:
        """Write the documents of one group of copies; yield each copy's placement."""
        placements = [Placement(c, {}, {}, {}, self.districts_for_copy()) for c in copies]
        sha, lengths, paths = {}, {}, {}
        for template_document, text in sorted(self.t.documents.items()):
            new_document = self.document_id(template_document, group)
            parts: list[str] = []
            cursor = 0
            for slot, placement in enumerate(placements):
                marker = f"jiceng synthetic page {letters(placement.copy)}\n"
                if slot:
                    parts.append("\n")
                    cursor += 1
                parts.append(marker)
                cursor += len(marker)
                placement.offsets[template_document] = cursor
                placement.document_ids[template_document] = new_document
                parts.append(text)
                cursor += len(text)
                step = self.t.sources_per_document[template_document]
                for old, document in self.t.document_of_source.items():
                    if document == template_document:
                        number = int(old.rsplit("-", 1)[1])
                        placement.source_ids[old] = f"{new_document}-{slot * step + number}"
            body = "".join(parts)
            data = body.encode("utf-8")
            relative = f"data/sources/synthetic/{new_document[:2]}/{group:06d}_{new_document}.txt"
            path = self.out / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            sha[template_document] = hashlib.sha256(data).hexdigest()
            lengths[template_document] = len(body)
            paths[template_document] = relative
            self.text_bytes += len(data)
            self.documents += 1
        for placement in placements:
            yield placement, sha, lengths, paths

    def shift(self, placement: Placement, template_source: str, value: str) -> str:
        if value == "":
            return value
        return str(int(value) + placement.offsets[self.t.document_of_source[template_source]])

    def write_copy(self, p: Placement, sha: dict[str, str], lengths: dict[str, int], paths: dict[str, str],
                   writers: dict[str, Any]) -> None:
        for template_district, row in ((r["district_id"], r) for r in self.t.rows["districts"]):
            code = p.districts[template_district]
            if code in self.district_rows:
                continue
            district, prefecture, province = district_code(self._index_of(code))
            new = dict(row, district_id=district, prefecture_id=prefecture, province_id=province)
            if row["goals_source_id"]:
                new["goals_source_id"] = p.source_id(row["goals_source_id"])
                new["goals_quote_start"] = self.shift(p, row["goals_source_id"], row["goals_quote_start"])
                new["goals_quote_end"] = self.shift(p, row["goals_source_id"], row["goals_quote_end"])
            self.district_rows[code] = new

        def emit(name: str, row: dict[str, str]) -> None:
            # a withdrawn row's "superseded by ID" (in any text cell) names the copy's row
            cells = [SUPERSEDED_BY.sub(lambda m: m[1] + p.row_id(m[2]), row[c]) if "uperseded" in row[c] else row[c]
                     for c in self.t.headers[name]]
            writers[name].writerow(cells)
            self.counts[name] += 1

        def quoted(row: dict[str, str], **changes: str) -> dict[str, str]:
            new = dict(row, **changes)
            new["source_id"] = p.source_id(row["source_id"])
            new["quote_start"] = self.shift(p, row["source_id"], row["quote_start"])
            new["quote_end"] = self.shift(p, row["source_id"], row["quote_end"])
            if "district_id" in row and row["district_id"]:
                new["district_id"] = p.districts[row["district_id"]]
            return new

        for row in self.t.rows["sources"]:
            document = self.t.document_of_source[row["source_id"]]
            emit("sources", dict(
                row, source_id=p.source_id(row["source_id"]), document_id=p.document_ids[document],
                district_id=p.districts[row["district_id"]], path=paths[document], sha256=sha[document],
                document_length=str(lengths[document]),
                span_start=self.shift(p, row["source_id"], row["span_start"]),
                span_end=self.shift(p, row["source_id"], row["span_end"])))
        def linked(row: dict[str, str]) -> str:
            return " ".join(p.row_id(annotation) for annotation in row["annotation_ids"].split())

        for row in self.t.rows["initiatives"]:
            emit("initiatives", quoted(row, initiative_id=p.row_id(row["initiative_id"]), annotation_ids=linked(row)))
        for row in self.t.rows["metrics"]:
            emit("metrics", quoted(row, metric_id=p.row_id(row["metric_id"]),
                                   initiative_id=p.row_id(row["initiative_id"]), annotation_ids=linked(row)))
        for row in self.t.rows["annotations"]:
            related = row["related_source_id"]
            emit("annotations", quoted(
                row, annotation_id=p.row_id(row["annotation_id"]), related_source_id=p.source_id(related),
                related_start=self.shift(p, related, row["related_start"]) if related else row["related_start"],
                related_end=self.shift(p, related, row["related_end"]) if related else row["related_end"]))
        for row in self.t.rows["non_metric_numbers"]:
            emit("non_metric_numbers", quoted(row, number_id=p.row_id(row["number_id"]),
                                              related_id=p.row_id(row["related_id"])))
        for row in self.t.rows["consistency_checks"]:
            emit("consistency_checks", dict(
                row, check_id=p.row_id(row["check_id"]), source_id=p.source_id(row["source_id"]),
                metric_ids=" ".join(p.row_id(m) for m in row["metric_ids"].split()),
                annotation_id=p.row_id(row["annotation_id"])))

    def _index_of(self, code: str) -> int:
        province, prefecture, county = int(code[:2]) - 11, int(code[2:4]) - 1, int(code[4:]) - 1
        return (province * 99 + prefecture) * 99 + county


def generate(metrics: int, out: Path, *, pages_per_document: int = 1, districts: int = DEFAULT_DISTRICTS,
             template: Path | None = None, seed: str = "jiceng") -> dict[str, Any]:
    """Write a package of at least ``metrics`` metric rows to ``out``; return what was written."""
    started = time.perf_counter()
    t = Template.read(template or template_root())
    summary = Generator(t, metrics, out, pages_per_document=pages_per_document, districts=districts,
                        seed=seed).run()
    summary.update(target_metrics=metrics, seconds=round(time.perf_counter() - started, 2),
                   path=str(out), bytes=sum(f.stat().st_size for f in out.rglob("*") if f.is_file()))
    return summary


def cache_dir() -> Path:
    return Path(tempfile.gettempdir()) / "jiceng-bench"


def cached_package(metrics: int, *, pages_per_document: int = 1, districts: int = DEFAULT_DISTRICTS,
                   workdir: Path | None = None, quiet: bool = False) -> tuple[Path, dict[str, Any]]:
    """A generated package, reused while the template and the generator are unchanged."""
    t = Template.read(template_root())
    key = f"m{metrics}-k{pages_per_document}-d{districts}-{t.digest()}-g{GENERATOR_VERSION}"
    root = (workdir or cache_dir()) / key
    stamp = root / "synthetic.json"
    if stamp.is_file():
        return root, json.loads(stamp.read_text(encoding="utf-8"))
    if not quiet:
        print(f"  generating {metrics:,} metric rows (K={pages_per_document}) in {root} ...",
              file=sys.stderr, flush=True)
    summary = generate(metrics, root, pages_per_document=pages_per_document, districts=districts)
    stamp.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    if not quiet:
        print(f"  generated {summary['rows']:,} rows, {summary['bytes'] / 1e6:,.1f} MB in {summary['seconds']} s",
              file=sys.stderr, flush=True)
    return root, summary


def check(root: Path) -> bool:
    """Run ``jiceng validate`` and ``jiceng audit`` on a generated package; True if both pass."""
    ok = True
    for command in ("validate", "audit"):
        result = subprocess.run([*console_script("jiceng"), command, str(root)], capture_output=True, text=True)
        lines = result.stdout.strip().splitlines()
        print(f"$ jiceng {command} {root}  (exit {result.returncode})")
        shown = lines if len(lines) <= 12 else lines[:10] + ["..."] + lines[-1:]
        for line in shown:
            print(f"  {line}")
        if result.stderr.strip():
            print("  stderr: " + result.stderr.strip()[-1000:])
        ok = ok and result.returncode == 0
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("metrics", type=float, help="target number of metric rows (e.g. 1000 or 1e5)")
    parser.add_argument("out", type=Path, help="directory to write (replaced if it exists)")
    parser.add_argument("--pages-per-document", "-k", type=int, default=1, metavar="K",
                        help="copies of the template printed in one document file (default 1)")
    parser.add_argument("--districts", type=int, default=DEFAULT_DISTRICTS,
                        help=f"distinct synthetic district codes before reuse (default {DEFAULT_DISTRICTS})")
    parser.add_argument("--check", action="store_true", help="then run jiceng validate and jiceng audit on it")
    arguments = parser.parse_args(argv)
    summary = generate(int(arguments.metrics), arguments.out, pages_per_document=arguments.pages_per_document,
                       districts=arguments.districts)
    print(json.dumps(summary, indent=2))
    if arguments.check:
        return 0 if check(arguments.out) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
