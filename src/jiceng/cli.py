"""The ``jiceng`` command line: verb-first subcommands.

Every command reports bad input as ``path:line:column: [check] message`` lines and exits
with status 1; no command prints a traceback for bad input or changes a file it was
not asked to write.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any
from pathlib import Path

from . import __version__

FORMATS = ("text", "github", "json")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jiceng",
        description="jiceng 基层: validate and maintain the data package of Chinese local "
        "Party committees' reports on urban grassroots governance.",
    )
    parser.add_argument("--version", action="version", version=f"jiceng {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check a copy of the data package (files, schemas, rows, provenance)",
        description="Check the data package in PATH (default: the bundled one) in layers: "
        "files and descriptor; Frictionless types and constraints; primary and foreign keys; row models with "
        "cross-field rules; provenance (source hashes, essay spans, quotes at their offsets). "
        "Prints one line per problem as path:line:column: [check] message, then a summary. "
        "Exit status 0 when valid, 1 otherwise. Never modifies the package.",
    )
    validate.add_argument("path", nargs="?", help="package directory or its datapackage.json (default: bundled data)")
    validate.add_argument("--format", choices=FORMATS, default="text",
                          help="text (default), github (workflow annotations) or json (a report)")
    validate.add_argument("--max-errors", type=int, default=200, metavar="N",
                          help="report at most N problems per check, then count the rest (default 200)")
    validate.add_argument("--max-rows", type=int, default=1_000_000, metavar="N",
                          help="refuse tables of more than N rows, to bound time and memory (default 1000000)")
    add_progress_option(validate)
    validate.add_argument("--allow-drafts", action="store_true",
                          help="accept rows with status draft (written by add-source and draft) while curating; "
                          "without it every draft row is a [draft] problem")
    validate.add_argument("--against", metavar="OLD", action="append",
                          help="also check stable IDs against an earlier version: a release snapshot "
                          "(releases/X.Y.Z, or releases for the newest), a package directory or a git "
                          "revision; every ID of OLD must still exist and, unless withdrawn, name the same "
                          "thing (may be given more than once)")

    audit = commands.add_parser(
        "audit",
        help="account for every number in every source (metrics or listed non-metric numbers)",
        description="Find every number printed in every source text (Arabic digits, and runs of "
        "the Chinese numerals 〇零一二两双三四五六七八九十百千万亿) and report any that is neither inside a metric's value_text or period_text "
        "nor listed in non_metric_numbers.csv with a reason; check each metric's value_text "
        "against its normalised value; recompute the consistency checks. Reads only the "
        "tables this needs (sources, metrics, non-metric numbers, consistency checks) and "
        "checks them as `jiceng validate` does, without the Frictionless layer; run `jiceng "
        "validate` for the whole package. Exit status 1 when any number is unaccounted for or "
        "those tables are invalid.",
    )
    audit.add_argument("path", nargs="?", help="package directory (default: bundled data)")
    audit.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    audit.add_argument("--allow-drafts", action="store_true",
                       help="accept rows with status draft, which may leave their English empty")
    add_progress_option(audit)

    locate = commands.add_parser(
        "locate",
        help="fill or repair quote_start/quote_end from the quotes",
        description="Find each row's quote in its own source (using quote_prefix/quote_suffix "
        "when the quote occurs more than once) and compute quote_start and quote_end. Without "
        "--write, only report what would change (exit 1 if anything would). With --write, "
        "write the changed tables in the canonical form (see `jiceng fmt`), atomically. A quote that is missing or ambiguous is "
        "reported with a suggested prefix; nothing is written for it.",
    )
    locate.add_argument("path", nargs="?", help="package directory (default: the source checkout)")
    locate.add_argument("--write", action="store_true", help="write the new offsets into the CSV files")

    fmt = commands.add_parser(
        "fmt",
        help="write every table in the canonical CSV form; number blank IDs",
        description="Rewrite every table and vocabulary of the package in the one CSV form every jiceng "
        "command writes: columns in the schema's order, a cell quoted only when it holds a comma, a "
        "double quote or a line break, LF line ends, a final newline. Rows of per-source tables with "
        "an empty ID get the next free ID of their source and letter. With --check, write nothing and "
        "exit 1 if any file would change. Files are replaced atomically.",
    )
    fmt.add_argument("path", nargs="?", help="package directory (default: the source checkout)")
    fmt.add_argument("--check", action="store_true", help="only report files that are not canonical; exit 1 if any")

    add_source = commands.add_parser(
        "add-source",
        help="store a text file as a new source document and write its sources and districts rows",
        description="Check that FILE is UTF-8, NFC-normalised and has LF line ends (or, with --normalise, "
        "store a normalised copy and say what changed), store it as data/sources/NNN_<document id>.txt, "
        "split it into essays (a heading line followed by a byline such as ■…书记 NAME; the whole text "
        "when there is none; or --spans), and write one sources row per essay with what the text states "
        "(hash, length, span, heading, title, byline, author, office) and a districts row for a district "
        "new to the package, from GB/T 2260. Rows are written with status draft; the command prints "
        "what the curator must still fill. Needs pip install 'jiceng[contrib]'.",
    )
    add_source.add_argument("file", help="the text file to add")
    add_source.add_argument("--district", action="append", required=True, metavar="CODE",
                            help="GB/T 2260 code of the essay's district; once for all essays or once per essay")
    add_source.add_argument("--document-id", metavar="HEX", help="16 hexadecimal digits (default: a new random ID)")
    add_source.add_argument("--package", metavar="DIR", help="package directory (default: the source checkout)")
    add_source.add_argument("--normalise", action="store_true",
                            help="store an NFC, LF copy without byte-order mark if the file is not one, and say "
                            "what changed (FILE itself is never edited)")
    add_source.add_argument("--spans", metavar="START:END,...",
                            help="the essays' spans in code points, when the heading and byline pattern does not "
                            "find them")

    draft = commands.add_parser(
        "draft",
        help="propose metrics, non-metric numbers, initiatives and annotations for a source",
        description="Read the text of source ID (or of every essay of document ID) and propose rows, "
        "numbered after the existing ones, with status draft: a metric for every quantity the parser "
        "finds (value, value_max, unit, qualifier, a value_type guess, value_text, period_text, the "
        "clause as quote), a non-metric row with a reason for every other number-like word, an "
        "initiative for every quoted name (“…”, 《…》) and every name of a body, platform or "
        "mechanism the pattern sees, and annotation candidates (a paragraph cut mid-sentence; a "
        "total whose parts do not add up, with its consistency check). Numbers that rows already "
        "account for are skipped, so draft can run again. `jiceng validate` reports drafts until "
        "a curator has reviewed them and set status to active.",
    )
    draft.add_argument("id", help="a source_id (0123456789abcdef-1) or a document_id (0123456789abcdef)")
    draft.add_argument("--package", metavar="DIR", help="package directory (default: the source checkout)")
    draft.add_argument("--dry-run", action="store_true", help="print the counts, write nothing")

    info = commands.add_parser(
        "info",
        help="version, tables, row counts, licence and how to cite",
        description="Print the package version, its licence, the row count of every table and "
        "of every district, and how to cite the package. With --counts-markdown, print only "
        "the row-count tables as Markdown (the README embeds them).",
    )
    info.add_argument("--counts-markdown", action="store_true", help="print only the Markdown count tables")
    info.add_argument("--update-readme", action="store_true",
                      help="rewrite the counts block of README.md (between <!-- counts:start --> and "
                      "<!-- counts:end -->) with the current counts, atomically")
    info.add_argument("--package", metavar="DIR", help="package directory (default: the bundled one; "
                      "for --update-readme, the source checkout)")

    schemas = commands.add_parser(
        "schemas",
        help="regenerate schemas/*.json and datapackage.json from the models",
        description="Write the Table Schemas, JSON Schemas and datapackage.json generated from "
        "the pydantic models and the vocabularies into PATH (default: the checkout). With "
        "--check, write nothing and exit 1 if any generated file is stale.",
    )
    schemas.add_argument("path", nargs="?", help="package directory (default: the source checkout)")
    schemas.add_argument("--check", action="store_true", help="only report stale files; exit 1 if any")

    diff = commands.add_parser(
        "diff",
        help="rows added, withdrawn and changed between two versions",
        description="Compare two versions of the data package table by table: rows added, "
        "withdrawn (status set to withdrawn), changed (every changed field, old → new) and "
        "removed (which the stable-ID rule forbids). OLD and NEW are package directories, "
        "release snapshots (releases/X.Y.Z, or releases for the newest) or git revisions "
        "(main, v0.1.0, origin/main) read from the repository of NEW. Rows are aligned by ID "
        "with the daff table-diff library. Exit status 0 when the comparison ran, whatever it "
        "found; 1 on bad input.",
    )
    diff.add_argument("old", help="the earlier version")
    diff.add_argument("new", nargs="?", help="the later version (default: the bundled package)")
    diff.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                      help="text (default), markdown (a pull-request comment) or json")
    diff.add_argument("--limit", type=int, metavar="N",
                      help="list at most N rows per kind of change and table (text and markdown)")

    export = commands.add_parser(
        "export",
        help="write the tables as Parquet, SQLite, Excel or JSON",
        description="Export every table and vocabulary with the pandas loader's types, the "
        "package version and the licence. parquet: DEST is a directory, one file per table. "
        "sqlite: DEST is a database with primary and foreign keys (ready for datasette). "
        "xlsx: DEST is a workbook with one sheet per table and a data_dictionary sheet. "
        "json: DEST is one document of records per table. xlsx needs pip install "
        "'jiceng[export]'.",
    )
    export.add_argument("--format", choices=("parquet", "sqlite", "xlsx", "json"), required=True,
                        help="the format to write")
    export.add_argument("dest", help="the file (or, for parquet, the directory) to write")

    release = commands.add_parser(
        "release",
        help="record the release snapshot releases/VERSION/ids.json",
        description="Record the IDs of this version (with each row's status, identity and a "
        "digest) in releases/VERSION/ids.json, where VERSION is datapackage.json's version. "
        "Refuses when the package is invalid, when it breaks the stable-ID rule against the "
        "previous release, when the version bump is smaller than the changes need (withdrawals "
        "need a major version, before 1.0 a minor one; additions a minor; corrections a patch) "
        "or when that version is already recorded with other data.",
    )
    release.add_argument("path", nargs="?", help="package directory (default: the source checkout)")
    release.add_argument("--releases", metavar="DIR", help="where release snapshots live (default: PATH/releases)")
    release.add_argument("--revision", metavar="REV",
                         help="record the package as of a git revision (a past release) instead of the "
                         "working tree; it is not re-validated")

    cite = commands.add_parser(
        "cite",
        help="print a citation for one row",
        description="Print how to cite one row: the package version, the source essay (author, "
        "office, title, publication as far as the source states it), the exact quote and its "
        "offsets, and a one-line reference. Withdrawn rows still resolve and say what "
        "superseded them.",
    )
    cite.add_argument("row_id", help="the ID of any row (1f5f9208bb5fe543-1-m001, g-party-building, 140110 ...)")
    cite.add_argument("path", nargs="?", help="package directory (default: bundled data)")
    cite.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    return parser


def package_directory(argument: str | None) -> tuple[Path, str]:
    """Resolve PATH to the package directory and the prefix used in messages."""
    if argument is None:
        from .bundle import package_root

        return package_root(), ""
    path = Path(argument)
    if path.name == "datapackage.json":
        path = path.parent
    display = str(path) if str(path) != "." else ""
    return path, display


def add_progress_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                         help="report each table as it is read, on standard error (default: only when "
                         "standard error is a terminal)")


def progress_of(arguments: argparse.Namespace) -> Any:
    from .progress import Progress

    wanted = sys.stderr.isatty() if arguments.progress is None else arguments.progress
    return Progress(sys.stderr, live=sys.stderr.isatty()) if wanted else None


def run_validate(arguments: argparse.Namespace) -> int:
    from .validate import validate_package

    root, display = package_directory(arguments.path)
    if not root.is_dir():
        print(f"{arguments.path}: no such directory; give the folder that holds datapackage.json", file=sys.stderr)
        return 1
    report = validate_package(root, display, max_per_check=max(1, arguments.max_errors),
                              max_rows=max(1, arguments.max_rows), progress=progress_of(arguments),
                              allow_drafts=arguments.allow_drafts)
    compared: list[str] = []
    if arguments.against:
        error = check_stable_ids(report, root, arguments.against, compared)
        if error:
            print(error, file=sys.stderr)
            return 1
    if arguments.format == "json":
        print(json.dumps({**report.as_dict(), "against": compared}, ensure_ascii=False, indent=2))
        return 0 if report.valid else 1
    for problem in report.problems:
        print(problem.github() if arguments.format == "github" else problem.text())
    for warning in report.warnings:
        print(warning.github().replace("::error", "::warning", 1) if arguments.format == "github"
              else warning.text().replace("] ", "] warning: ", 1))
    print_skipped(report)
    for line in compared:
        print(line)
    for check, count in sorted(report.suppressed.items()):
        print(f"... and {count} more [{check}] problem(s) not shown (raise --max-errors to see them)")
    rows = sum(report.row_counts.values())
    tables = ", ".join(f"{name} {count}" for name, count in report.row_counts.items())
    total = len(report.problems) + sum(report.suppressed.values())
    verdict = "valid" if report.valid else f"{total} problem(s)"
    print(f"jiceng validate {arguments.path or 'bundled package'}: {rows} rows ({tables}): {verdict}")
    return 0 if report.valid else 1


def check_stable_ids(report, root: Path, versions: list[str], compared: list[str]) -> str | None:
    """Add a [stable-id] problem for each earlier ID that is missing or names another thing;
    say in ``compared`` what was compared."""
    from .releases import ReleaseError, check_against, open_version

    for against in versions:
        try:
            with open_version(against, root) as old:
                findings = check_against(root, old.snapshot, f"{old.label} ({old.version})")
                ids = sum(len(table.rows) for table in old.snapshot.tables.values())
                label = f"{old.label} ({old.version})"
        except ReleaseError as error:
            return f"--against {error}"
        for finding in findings:
            report.add(finding.path, finding.line, finding.column, "stable-id", finding.message)
        tables = len(old.snapshot.tables)
        verdict = f"{len(findings)} missing or changed" if findings else "every one still there, naming the same thing"
        compared.append(f"--against {against}: checked {ids} IDs of {label} in {tables} tables: {verdict}")
    return None


def print_skipped(report) -> None:
    for skipped in report.skipped:
        print(f"completeness not checked for {skipped}; fix those rows and run again")


def run_diff(arguments: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from .bundle import package_root
    from .diff import as_json, as_markdown, as_text, compare
    from .releases import ReleaseError, open_version

    new = Path(arguments.new) if arguments.new else package_root()
    anchor = new if new.is_dir() else (new.parent if new.is_file() else Path.cwd())
    try:
        with ExitStack() as stack:
            newer = stack.enter_context(open_version(str(new), Path.cwd(), arguments.new or "current data"))
            older = stack.enter_context(open_version(arguments.old, anchor))
            result = compare(older, newer)
    except ReleaseError as error:
        print(f"jiceng diff: {error}", file=sys.stderr)
        return 1
    limit = max(0, arguments.limit) if arguments.limit is not None else None
    if arguments.format == "json":
        print(json.dumps(as_json(result), ensure_ascii=False, indent=2))
    else:
        print(as_markdown(result, limit) if arguments.format == "markdown" else as_text(result, limit), end="")
    return 0


def run_export(arguments: argparse.Namespace) -> int:
    from .export import ExportError, export, metadata

    try:
        written = export(arguments.format, Path(arguments.dest))
    except ExportError as error:
        print(f"jiceng export: {error}", file=sys.stderr)
        return 1
    except ModuleNotFoundError as error:
        print(f"jiceng export: the {arguments.format} export needs {error.name}: pip install 'jiceng[export]'",
              file=sys.stderr)
        return 1
    about = metadata()
    print(f"jiceng export: wrote {arguments.dest} ({arguments.format}, {len(written)} file(s); "
          f"jiceng {about['version']}, licence {about['license']})")
    return 0


def run_release(arguments: argparse.Namespace) -> int:
    import tempfile
    from contextlib import ExitStack

    from .bundle import repository_root
    from .releases import RELEASES_DIR, ReleaseError, package_at_revision, package_version, record_release
    from .validate import validate_package

    root = Path(arguments.path) if arguments.path else repository_root()
    if root is None or not (root / "datapackage.json").is_file():
        print(f"jiceng release: no datapackage.json in {root or 'an installed package'}; give the package "
              "directory of a source checkout", file=sys.stderr)
        return 1
    releases = Path(arguments.releases) if arguments.releases else root / RELEASES_DIR
    try:
        with ExitStack() as stack:
            package = root
            if arguments.revision:
                package = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jiceng-")))
                package_at_revision(arguments.revision, root, package)
            else:
                if arguments.path is None and package_version(root) != __version__:
                    print(f"jiceng release: datapackage.json says version {package_version(root)} but jiceng is "
                          f"{__version__}; run `jiceng schemas`", file=sys.stderr)
                    return 1
                report = validate_package(root, arguments.path or "")
                if not report.valid:
                    print(f"jiceng release: the package has {len(report.problems)} problem(s); "
                          "run `jiceng validate` and fix them first", file=sys.stderr)
                    return 1
            recorded = record_release(package, releases)
    except ReleaseError as error:
        print(f"jiceng release: {error}", file=sys.stderr)
        return 1
    if not recorded.written:
        print(f"{recorded.path}: already recorded, unchanged")
        return 0
    print(f"{recorded.path}: written")
    if recorded.previous:
        needs = f"needs at least a {recorded.bump} release" if recorded.bump else "changes no row"
        print(f"since {recorded.previous}: {'; '.join(recorded.reasons) or 'no changes'} ({needs})")
        print(f"record them in CHANGELOG.md: jiceng diff {releases / recorded.previous} --format markdown")
    return 0


def run_cite(arguments: argparse.Namespace) -> int:
    from .citation import CiteError, cite
    from .releases import ReleaseError

    root, _ = package_directory(arguments.path)
    if not (root / "datapackage.json").is_file():
        print(f"{arguments.path}: no datapackage.json here; give the package directory", file=sys.stderr)
        return 1
    try:
        citation = cite(arguments.row_id, root)
    except (CiteError, ReleaseError) as error:
        print(f"jiceng cite: {error}", file=sys.stderr)
        return 1
    if arguments.format == "json":
        print(json.dumps(citation.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(citation.text(), end="")
    return 0


def run_schemas(arguments: argparse.Namespace) -> int:
    from .bundle import repository_root
    from .tableschema import write_generated

    root = Path(arguments.path) if arguments.path else repository_root()
    if root is None:
        print("jiceng schemas: not in a source checkout; give the package directory", file=sys.stderr)
        return 1
    stale = write_generated(root, check=arguments.check)
    verb = "stale" if arguments.check else "written"
    for relative in stale:
        print(f"{relative}: {verb}")
    if arguments.check and stale:
        print("run `jiceng schemas` to regenerate them", file=sys.stderr)
        return 1
    print(f"jiceng schemas: {len(stale)} file(s) {verb}, the rest up to date")
    return 0


def run_audit(arguments: argparse.Namespace) -> int:
    from .validate import AUDIT_TABLES, validate_package

    root, display = package_directory(arguments.path)
    if not (root / "datapackage.json").is_file():
        print(f"{arguments.path}: no datapackage.json here; give the package directory", file=sys.stderr)
        return 1
    report = validate_package(root, display, only=AUDIT_TABLES, progress=progress_of(arguments),
                              allow_drafts=arguments.allow_drafts)
    summary = report.audit_summary
    if arguments.format == "json":
        print(json.dumps({"valid": report.valid, "audit": summary, "skipped": report.skipped,
                          "consistency": [{"check_id": c, "agrees": a, "explanation": e, "annotation_id": n}
                                          for c, a, e, n in report.consistency],
                          "problems": [p.as_dict() for p in report.problems]}, ensure_ascii=False, indent=2))
        return 0 if report.valid else 1
    for problem in report.problems:
        print(problem.text())
    print_skipped(report)
    if summary:
        reasons = ", ".join(f"{reason} {count}" for reason, count in summary["non_metric_reasons"].items())
        print(f"numbers in sources: {summary['number_tokens']}; metrics: {summary['metrics']}; "
              f"non-metric rows: {summary['non_metric_rows']} ({reasons}); unaccounted for: {summary['uncovered']}")
    for check_id, agrees, explanation, annotation_id in report.consistency:
        print(f"consistency {check_id}: {consistency_state(agrees, annotation_id)}: {explanation}")
    print(f"jiceng audit {arguments.path or 'bundled package'}: {audit_verdict(report)}")
    return 0 if report.valid else 1


def consistency_state(agrees: bool, annotation_id: str | None) -> str:
    if agrees:
        return "agrees" + (f" (see annotation {annotation_id})" if annotation_id else "")
    return f"disagrees, recorded as annotation {annotation_id}" if annotation_id else "DISAGREES, not recorded"


def audit_verdict(report: Any) -> str:
    """'clean' only when nothing is wrong and no figures disagree; recorded disagreements are named."""
    if not report.valid:
        return f"{len(report.problems)} problem(s)"
    recorded = [f"{check_id} disagrees, recorded as annotation {annotation_id}"
                for check_id, agrees, _, annotation_id in report.consistency if not agrees]
    if len(recorded) > 3:  # a corpus: the lines above name them
        recorded = [f"{len(recorded)} consistency checks disagree, each recorded as an annotation (listed above)"]
    return "; ".join(["no unrecorded problems", *recorded]) if recorded else "clean"


def run_locate(arguments: argparse.Namespace) -> int:
    from .bundle import default_package
    from .locate import apply_changes, locate_package

    root = Path(arguments.path) if arguments.path else default_package()
    if not (root / "data" / "sources.csv").is_file():
        print(f"{root}: no data/sources.csv here; give the package directory", file=sys.stderr)
        return 1
    changes, problems, parsed = locate_package(root)
    for problem in problems:
        print(problem.text())
    for change in changes:
        line = change.record.start_line
        print(f"data/{change.table}.csv:{line}: quote_start/quote_end {change.old[0] or '∅'}–{change.old[1] or '∅'} "
              f"→ {change.new[0]}–{change.new[1]}")
    if arguments.write and changes:
        apply_changes(root, parsed, changes)
    verb = "written" if arguments.write else "to write (run with --write)"
    print(f"jiceng locate: {len(changes)} offset pair(s) {verb}; {len(problems)} quote(s) need attention")
    if problems:
        return 1
    return 0 if (arguments.write or not changes) else 1


def writable_package(argument: str | None, command: str) -> Path | None:
    """The package directory a writing command works on (default: the source checkout);
    None, after saying why, when it holds no package."""
    from .bundle import default_package

    root = Path(argument) if argument else default_package()
    if not (root / "data" / "sources.csv").is_file():
        print(f"jiceng {command}: {root}: no data/sources.csv here; give the package directory "
              "(the folder that holds datapackage.json)", file=sys.stderr)
        return None
    return root


def run_fmt(arguments: argparse.Namespace) -> int:
    from .fmt import format_package

    root = writable_package(arguments.path, "fmt")
    if root is None:
        return 1
    results = format_package(root, check=arguments.check)
    failed = [result for result in results if result.error]
    for result in results:
        if result.error:
            print(f"{root / result.relative}:{result.line}:{result.column}: [format] {result.error}")
            continue
        numbered = f"; {result.numbered} blank ID(s) numbered" if result.numbered else ""
        verb = "not canonical from here on" if arguments.check else "rewritten (first change here)"
        print(f"{root / result.relative}:{result.line}:{result.column}: [format] {verb}{numbered}")
    changed = len(results) - len(failed)
    if arguments.check:
        command = " ".join(["jiceng", "fmt", *([arguments.path] if arguments.path else [])])
        hint = f"; run `{command}` to rewrite them" if changed else ""
        print(f"jiceng fmt --check: {changed} file(s) not canonical{hint}")
        return 1 if results else 0
    print(f"jiceng fmt: {changed} file(s) rewritten, the rest already canonical")
    return 1 if failed else 0


def run_add_source(arguments: argparse.Namespace) -> int:
    from .addsource import AddSourceError, add_source, to_fill

    root = writable_package(arguments.package, "add-source")
    if root is None:
        return 1
    try:
        added = add_source(root, Path(arguments.file), arguments.district, arguments.document_id,
                           arguments.normalise, arguments.spans)
    except AddSourceError as error:
        where = f"{error.place}: " if error.place else ""
        print(f"{where}jiceng add-source: {error.message}", file=sys.stderr)
        return 1
    for change in added.changes:
        print(f"normalised: {change} (the stored copy differs from {arguments.file}; the file itself is unchanged)")
    print(f"stored {added.path}: sha256 {added.sha256}, {added.length:,} code points, {len(added.sources)} essay(s)")
    for row in added.sources:
        print(f"data/sources.csv: added {row['source_id']} [{row['span_start']}, {row['span_end']}) "
              f"{row['heading_zh']}" + (f" — {row['byline_zh']}" if row.get("byline_zh") else ""))
    for division in added.districts:
        print(f"data/districts.csv: added {division.code} {division.name_zh} {division.name_en} "
              f"({division.prefecture_zh}, {division.province_zh}; GB/T 2260 revision {division.revision})")
    for warning in added.warnings:
        print(f"warning: {warning}")
    print("still to fill (the rows are drafts until you have checked them and set status to active):")
    for line in to_fill(added):
        print(f"  {line}")
    package = f" --package {arguments.package}" if arguments.package else ""
    print(f"next: jiceng draft {added.document_id}{package}")
    return 0


def run_draft(arguments: argparse.Namespace) -> int:
    from .draft import DraftError, draft, to_fill

    root = writable_package(arguments.package, "draft")
    if root is None:
        return 1
    try:
        drafted, sources = draft(root, arguments.id, write=not arguments.dry_run)
    except DraftError as error:
        print(f"jiceng draft: {error}", file=sys.stderr)
        return 1
    verb = "would write" if arguments.dry_run else "wrote"
    counts = ", ".join(f"{name} {count}" for name, count in drafted.count().items())
    print(f"jiceng draft {', '.join(row['source_id'] for row in sources)}: {verb} draft rows: {counts}")
    for line in to_fill(drafted):
        print(f"  {line}")
    package = f" {arguments.package}" if arguments.package else ""
    print(f"then: jiceng validate --allow-drafts{package}; jiceng audit --allow-drafts{package}")
    return 0


def run_info(arguments: argparse.Namespace) -> int:
    from .loading import descriptor
    from .stats import counts_markdown, district_counts, table_counts

    root = Path(arguments.package) if arguments.package else None
    if root is not None and not (root / "datapackage.json").is_file():
        print(f"jiceng info: {root}: no datapackage.json here; give the package directory", file=sys.stderr)
        return 1
    if arguments.update_readme:
        return update_readme(root)
    if arguments.counts_markdown:
        print(counts_markdown(root), end="")
        return 0
    package = descriptor(root)
    print(f"jiceng {__version__}: {package['title']}")
    print("licences: " + "; ".join(f"{item['name']}: {item['title']}" for item in package["licenses"]))
    print("tables:")
    for name, count in table_counts(root).items():
        print(f"  {name:<20} {count:>6} rows")
    print("by district (rows of initiatives, metrics, annotations, non_metric_numbers):")
    for district_id, name, counts in district_counts(root):
        print(f"  {district_id} {name}: " + ", ".join(f"{table} {count}" for table, count in counts.items()))
    print(f"cite: jiceng maintainers. jiceng {__version__} [dataset]. See CITATION.cff; cite the source "
          "essays (sources table) for quoted words.")
    return 0


def update_readme(root: Path | None) -> int:
    from .bundle import repository_root
    from .stats import counts_markdown, readme_counts, with_counts
    from .tablefile import atomic_write

    root = root or repository_root()
    readme = root / "README.md" if root else None
    if readme is None or not readme.is_file():
        print(f"jiceng info --update-readme: no README.md in {root or 'an installed package'}; "
              "give the checkout with --package", file=sys.stderr)
        return 1
    text = readme.read_text(encoding="utf-8")
    if readme_counts(text) is None:
        print(f"jiceng info --update-readme: {readme} has no <!-- counts:start --> ... <!-- counts:end --> "
              "block; add the two markers where the counts belong", file=sys.stderr)
        return 1
    counts = counts_markdown(root)
    if readme_counts(text) == counts:
        print(f"{readme}: counts already current")
        return 0
    atomic_write(readme, with_counts(text, counts))
    print(f"{readme}: counts block rewritten")
    return 0


COMMANDS = {"info": run_info, "fmt": run_fmt, "add-source": run_add_source, "draft": run_draft, "validate": run_validate, "audit": run_audit, "locate": run_locate, "schemas": run_schemas,
            "diff": run_diff, "export": run_export, "release": run_release, "cite": run_cite}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help()
        return 1
    try:
        return COMMANDS[arguments.command](arguments)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
