"""Mutation testing of the modules users depend on, with mutmut, one module at a time.

    python tests/mutation/run.py run [MODULE ...] --phase after [--revision REV] [--sample 16] [--budget 100]
    python tests/mutation/run.py --report

``run`` copies the checkout (or a git revision) to ``mutants-work/`` (ignored by git), so
that the checkout is never touched and can change while mutants run, and generates the
mutants there (``[tool.mutmut]`` of ``pyproject.toml`` says which modules and tests). For
each module it draws an evenly spread sample, runs mutmut on it under ``nice`` until the
module's time budget is spent, and records the counts and the surviving mutants of the
phase in ``tests/mutation/results.json``. ``--report`` turns that file and the reviewed
list of equivalent mutants (``tests/mutation/equivalent.csv``) into
``docs/reference/mutation-testing.md``. Mutation runs are never part of the test suite;
a test only checks that the committed page is what ``--report`` would write.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
RESULTS = HERE / "results.json"
EQUIVALENT = HERE / "equivalent.csv"
KILLED_LATER = HERE / "killed-after-run.csv"
PAGE = ROOT / "docs" / "reference" / "mutation-testing.md"
WORK = ROOT / "mutants-work"

# The modules users depend on, in the order of the report, named as Python names them
# under jiceng; a package (``releases``) counts as one module. The "before" phase was
# recorded under the names of the layout before the redesign, and is reported as recorded.
MODULES = (
    "validate.checks.files", "validate.checks.schema_drift", "validate.checks.frictionless",
    "validate.checks.celltext", "validate.checks.keys", "validate.checks.rowmodel",
    "validate.checks.id_gaps", "validate.checks.provenance", "validate.checks.annotation_links",
    "validate.checks.number_accounting", "validate.checks.consistency", "validate.checks.stable_ids",
    "validate.checks.withdrawn",
    "validate.runner", "validate.streams", "validate.report", "releases", "registry", "types",
    "csvfile", "quantity", "loading", "export", "diff", "citation", "pathsafety",
)
PHASES = ("before", "after")

# mutmut's exit codes, grouped as the report counts them: a mutant that makes the tests
# hang is caught (it would fail CI), one that no test reaches is a survivor.
KILLED = {1, 3}
TIMEOUT = {24, -24, 36, 152, 255}
NO_TESTS = {5, 33}

# seconds for mutmut to start: record which tests reach each function (the selected tests
# run once, unmutated) and check that a forced failure fails
STARTUP = 600  # about 7 minutes alone; more on two cores shared with other work


def copy_checkout(target: Path, revision: str | None = None) -> None:
    """Copy the checkout's files (tracked and untracked, not ignored), or a revision's, to
    ``target``, so that mutants never touch the checkout."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    if revision:
        archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
        return
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)


def snapshot(revision: str | None) -> Path:
    """The copy mutmut works in (see copy_checkout)."""
    target = WORK / (revision or "worktree")
    copy_checkout(target, revision)
    # the copy measures the current tool and test selection, whatever the revision held
    shutil.copy2(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def generate(copy: Path) -> None:
    """Write the mutated copy of the sources into mutants/ without running any test."""
    code = (
        "from mutmut.__main__ import copy_src_dir, copy_also_copy_files, setup_source_paths, "
        "store_lines_covered_by_tests, create_mutants\n"
        "copy_src_dir(); copy_also_copy_files(); setup_source_paths(); "
        "store_lines_covered_by_tests(); create_mutants(2)\n"
    )
    subprocess.run(["nice", "-n", "10", sys.executable, "-c", code], cwd=copy, check=True,
                   stdout=subprocess.DEVNULL)


def meta(copy: Path, module: str) -> dict:
    """mutmut's record of a module's mutants; a package (``releases``) counts as one
    module, its files' mutants merged (their names are unique: they carry the file)."""
    path = module.replace(".", "/")
    base = copy / "mutants" / "src" / "jiceng"
    files = [base / f"{path}.py.meta"] if (base / f"{path}.py.meta").is_file() else \
        sorted((base / path).glob("*.py.meta"))
    merged: dict = {"exit_code_by_key": {}}
    for file in files:
        merged["exit_code_by_key"].update(json.loads(file.read_text(encoding="utf-8"))["exit_code_by_key"])
    return merged


def mutant_names(copy: Path, module: str) -> list[str]:
    """The module's mutants in a stable order (function, then mutant number)."""

    def order(name: str) -> tuple[str, int]:
        function, _, number = name.rpartition("__mutmut_")
        return function, int(number)

    return sorted(meta(copy, module)["exit_code_by_key"], key=order)


def sample(names: list[str], size: int) -> list[str]:
    """Every k-th mutant, so that the sample spreads over all the module's functions."""
    if size <= 0 or size >= len(names):
        return list(names)
    return [names[index * len(names) // size] for index in range(size)]


# One mutmut process runs every module's sample, so that its start-up (importing the
# tests, recording which tests reach each function, the forced-failure run) is paid once
# rather than per module: the first module's alarm allows STARTUP seconds for it. (A
# second mutmut process in the same copy fails to reuse that record: it cannot rerun the
# tests whose parametrised IDs hold escaped Chinese text.) An alarm ends a module's run
# when its budget is spent: mutmut
# stops its workers on KeyboardInterrupt and keeps the results it has. mutmut checks that
# the selected tests pass unmutated when it records which tests reach each function (it
# stops if they fail); its second such check before every run is skipped.
RUN_SAMPLES = """
import glob, json, os, signal, sys
from mutmut.__main__ import _run
from mutmut.workers.isolation import MutantRunner

for runner in MutantRunner.__subclasses__():
    runner.run_clean_tests = lambda self, tests: 0

def stop(signum, frame):
    raise KeyboardInterrupt


def stop_workers():
    # mutmut leaves its forked workers running on KeyboardInterrupt: without this, the
    # workers of one module would go on using the cores during the next module's budget
    children = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = open(stat).read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.split("/")[2]))
    pending = list(children.get(os.getpid(), []))
    while pending:
        pid = pending.pop()
        pending += children.get(pid, [])
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass

signal.signal(signal.SIGALRM, stop)
start_up = STARTUP
for module, budget, names in json.loads(sys.argv[1]):
    if not names:
        continue
    signal.alarm(max(1, int(budget)) + start_up)
    start_up = 0
    try:
        _run(names, 2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.alarm(0)
        stop_workers()
    print("done", module, flush=True)
"""


def run_samples(copy: Path, plan: list[tuple[str, float, list[str]]]) -> None:
    """Run mutmut on each module's sample, each within its budget (see RUN_SAMPLES)."""
    pending = [(module, budget, [name for name in names if meta(copy, module)["exit_code_by_key"][name] is None])
               for module, budget, names in plan]
    code = RUN_SAMPLES.replace("STARTUP", str(STARTUP))
    log = (copy / "mutmut.log").open("wb")  # why a run checked nothing (a test failing unmutated...)
    process = subprocess.Popen(["nice", "-n", "10", sys.executable, "-c", code, json.dumps(pending)],
                               cwd=copy, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # start-up, plus a minute per module for a worker to stop when its alarm rings
        process.wait(timeout=STARTUP + 60 + sum(budget + 60 for _, budget, _ in plan))
    except subprocess.TimeoutExpired:
        pass
    try:  # workers that outlived their module, and their children
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
    log.close()


def tally(total: int, codes: dict[str, int | None]) -> dict:
    checked = {name: code for name, code in codes.items() if code is not None}
    return {
        "mutants": total,
        "sampled": len(codes),
        "checked": len(checked),
        "killed": sum(code in KILLED for code in checked.values()),
        "timeout": sum(code in TIMEOUT for code in checked.values()),
        "survived": sorted(name for name, code in checked.items() if code not in KILLED | TIMEOUT),
        "no_tests": sorted(name for name, code in checked.items() if code in NO_TESTS),
    }


def load_results() -> dict:
    if RESULTS.is_file():
        return json.loads(RESULTS.read_text(encoding="utf-8"))
    return {"tool": "", "phases": {}}


def write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def uncommitted() -> bool:
    """Whether the working tree holds changes not yet committed, which the copy would measure."""
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=normal"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    return bool(status.strip())


def command_run(modules: list[str], phase: str, revision: str | None, size: int, budget: float) -> None:
    from importlib.metadata import version

    dirty = not revision and uncommitted()  # before the copy, which is what gets measured
    copy = snapshot(revision)
    generate(copy)
    commit = subprocess.run(["git", "rev-parse", "--short", revision or "HEAD"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.strip()
    if dirty:
        commit += "+"
    samples = {module: sample(mutant_names(copy, module), size) for module in modules}
    print(f"{len(modules)} modules, samples of {size}, {budget:.0f} s each", flush=True)
    started = time.monotonic()
    run_samples(copy, [(module, budget, samples[module]) for module in modules])
    results = load_results()
    results["tool"] = f"mutmut {version('mutmut')}"
    record = results["phases"].setdefault(phase, {"modules": {}})
    recorded = 0
    for module in modules:
        codes = meta(copy, module)["exit_code_by_key"]
        figures = tally(len(codes), {name: codes[name] for name in samples[module]})
        if not figures["checked"]:  # keep the module's last figures rather than record nothing
            print(f"{module}: no mutant checked; see {copy.relative_to(ROOT)}/mutmut.log", flush=True)
            continue
        record["modules"][module] = figures | {
            "commit": commit,
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"),
        }
        recorded += 1
        print(f"{module}: {figures['killed']} killed, {figures['timeout']} timed out, "
              f"{len(figures['survived'])} survived of {figures['checked']} checked", flush=True)
    if not recorded:
        return
    record["seconds"] = round(time.monotonic() - started)
    write_atomically(RESULTS, json.dumps(results, ensure_ascii=False, indent=1) + "\n")


def equivalents() -> dict[str, tuple[str, str]]:
    """mutant name → (module, one-line reason it cannot change behaviour)."""
    if not EQUIVALENT.is_file():
        return {}
    with EQUIVALENT.open(encoding="utf-8", newline="") as handle:
        return {row["mutant"]: (row["module"], row["reason"]) for row in csv.DictReader(handle)}


def killed_after_run() -> dict[str, str]:
    """mutant name → the test that fails on it, shown after the recorded run."""
    if not KILLED_LATER.is_file():
        return {}
    with KILLED_LATER.open(encoding="utf-8", newline="") as handle:
        return {row["mutant"]: row["test"] for row in csv.DictReader(handle)}


def score(figures: dict, equivalent: set[str]) -> tuple[int, int, str]:
    """Equivalent mutants found among the survivors, the rest that survived, and the
    score: caught / (checked - equivalent)."""
    found = len(set(figures["survived"]) & equivalent)
    survived = len(figures["survived"]) - found
    caught = figures["killed"] + figures["timeout"]
    denominator = figures["checked"] - found
    return found, survived, f"{100 * caught / denominator:.0f} %" if denominator else "–"


def phase_table(record: dict, equivalent: set[str], modules: tuple[str, ...] | list[str]) -> list[str]:
    lines = [
        "| module | mutants | sampled | checked | killed | timed out | survived | equivalent | score |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for module in modules:
        figures = record["modules"].get(module)
        if figures is None:
            lines.append(f"| `{module}` | not run | | | | | | | |")
            continue
        found, survived, rate = score(figures, equivalent)
        lines.append(
            f"| `{module}` | {figures['mutants']} | {figures['sampled']} | {figures['checked']} | "
            f"{figures['killed']} | {figures['timeout']} | {survived} | {found} | {rate} |"
        )
    return lines


def planted_bugs() -> list[str]:
    """The section on the bugs that once passed every test (tests/mutation/planted.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("planted", HERE / "planted.py")
    planted = importlib.util.module_from_spec(spec)
    sys.modules["planted"] = planted  # its dataclass looks its module up there
    sys.path.insert(0, str(HERE))
    try:
        spec.loader.exec_module(planted)
    finally:
        sys.path.remove(str(HERE))
    lines = [
        "## Bugs that once passed every test",
        "",
        "A review planted each of these by hand, one at a time, and each passed the whole suite.",
        "`.venv/bin/python tests/mutation/planted.py` plants them again, one at a time, in a copy",
        "of the checkout, runs the tests named beside each, and exits 1 if any bug passes them.",
        "",
        "| bug | file | caught by |",
        "|---|---|---|",
    ]
    lines += [f"| {bug.name} | `{bug.path}` | {', '.join(f'`tests/{name}`' for name in bug.tests)} |"
              for bug in planted.BUGS]
    return lines + [""]


def report() -> str:
    results = load_results()
    listed = equivalents()
    lines = [
        "# Mutation testing",
        "",
        "A test suite is only as strong as the bugs it catches. Mutation testing plants one small",
        "bug at a time in the code (a `<` turned into `<=`, a string into another, a call",
        "dropped) and runs the tests that reach that code: a mutant the tests fail on is",
        "*killed*, one they pass on *survived*. The modules below are the ones users depend on:",
        "every validator check, the quantity parser, keys, provenance, the loader, export, diff,",
        "citation and the release policy.",
        "",
        f"The tool is [mutmut](https://github.com/boxed/mutmut) ({results['tool'] or 'mutmut 3'}).",
        "It suits two cores: it records once which tests reach each function, then runs only",
        "those tests for a mutant of that function, in a process forked from one that has already",
        "imported everything, and it reads the `src/` layout from `pyproject.toml`. Cosmic Ray",
        "would rerun a whole test command for every mutant.",
        "",
        "## How to run it",
        "",
        "```sh",
        ".venv/bin/pip install -e '.[test,mutation]'",
        ".venv/bin/python tests/mutation/run.py run --phase after   # every module, 16 mutants, 100 s each",
        ".venv/bin/python tests/mutation/run.py run releases csvfile --phase after --sample 24 --budget 60",
        ".venv/bin/python tests/mutation/run.py --report   # rewrites this page",
        "```",
        "",
        "The *before* figures were recorded at commit a680b69, before the redesign of the",
        "validator into one module per check, under the module names of that layout. The *after*",
        "figures were recorded with `run MODULE ... --phase after --sample 24` and a budget of 60 s",
        "a module at 6c79a96 (the validator's checks, runner and report, releases, csvfile), then 50 s",
        "at 56fb5e2 (types, quantity, diff, pathsafety, and again annotation_links, registry and",
        "csvfile), then 60 s at d4f8374 (streams and export, again, with the tests written for their",
        "survivors) and 150 s at 65eb76a (citation and loading, likewise: their 60 s on a machine",
        "loaded by other work checked 17 and 9 of the 24), under `nice` on two shared cores; a",
        "module marked *not run* has not yet been measured on the redesigned code. mutmut's own",
        "output goes to `mutants-work/worktree/mutmut.log`.",
        "",
        "The script copies the checkout (or, with `--revision`, a git revision) to `mutants-work/`",
        "(ignored by git) and mutmut works there, so the checkout is never touched; the figures go",
        "to `tests/mutation/results.json`. A module has hundreds of mutants and a surviving mutant",
        "costs a run of every test that reaches its function, so each module is measured on an",
        "evenly spread sample (every k-th mutant, in the order of its functions) within a time",
        "budget: *checked* is how many of the sample were run before the budget ran out (mutmut",
        "runs the mutants with the fastest tests first). Where a module's code changed between",
        "the two runs, its sample changed too. The tests selected are those that run jiceng",
        "in-process (`[tool.mutmut]` in `pyproject.toml`); the broken-package catalogue of the",
        "mutation suite is left out for its cost, so the scores are a lower bound. So are they",
        "where tests share a module-scoped fixture: mutmut reruns, for a mutant, the tests during",
        "which its function ran, and a shared fixture runs during the first of them only; a test",
        "meant to kill a mutant therefore builds what it checks itself. A mutant that",
        "makes the tests hang counts as killed; one that no test reaches counts as survived.",
        "Score = (killed + timed out) / (checked − equivalent).",
        "",
    ]
    lines += planted_bugs()
    titles = {"before": "Before", "after": "After"}
    for phase in PHASES:
        record = results["phases"].get(phase)
        if not record or not record["modules"]:
            continue
        commits = sorted({figures["commit"] for figures in record["modules"].values()})
        named = [f"{commit[:-1]} with changes not yet committed" if commit.endswith("+") else commit
                 for commit in commits]
        code = "the redesigned code" if phase == "after" else "the code before the redesign"
        lines += [f"## {titles[phase]}", "", f"Measured on {code} at commit {', '.join(named)}.", ""]
        # the before phase keeps the module names and order it was recorded under
        lines += phase_table(record, set(listed), MODULES if phase == "after" else list(record["modules"]))
        lines.append("")
    lines += [
        "## Equivalent mutants",
        "",
        "A mutant is equivalent when no input can tell it from the original; no test can kill",
        "it. Each one below was read and is listed in `tests/mutation/equivalent.csv`.",
        "",
    ]
    if listed:
        lines += ["| module | mutant | why it cannot change behaviour |", "|---|---|---|"]
        lines += [f"| `{module}` | `{name}` | {reason} |" for name, (module, reason) in sorted(listed.items())]
    else:
        lines.append("None.")
    after = results["phases"].get("after", {}).get("modules", {})
    later = killed_after_run()
    remaining = sorted(name for figures in after.values() for name in figures["survived"]
                       if name not in listed and name not in later)
    if later:
        lines += ["", "## Survivors killed by tests after the run", "",
                  "These survived the recorded run and are counted as survivors above; the test beside each",
                  "fails on it (checked with `MUTANT_UNDER_TEST=NAME` in the mutants copy, or with the",
                  "mutant's change applied to the source by hand). Most of these tests were written after",
                  "the run. A few mutants change code that runs once, when its module is imported (the",
                  "quantity parser's patterns, the registry's spellings), before mutmut switches a mutant",
                  "on, so no test could kill them in its run; applied by hand, they fail the test beside",
                  "them. `tests/mutation/killed-after-run.csv` lists them.", "",
                  "| mutant | test |", "|---|---|"]
        lines += [f"| `{name}` | `{test}` |" for name, test in sorted(later.items())]
    lines += ["", "## Surviving mutants", ""]
    if remaining:
        lines += ["Not yet killed by a test (`mutmut show NAME` prints the change):", ""]
        lines += [f"- `{name}`" for name in remaining]
    else:
        lines.append("None.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", action="store_true", help=f"rewrite {PAGE.relative_to(ROOT)} from the results")
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("run", help="run mutmut on a sample of each module's mutants")
    run.add_argument("modules", nargs="*", metavar="MODULE", help=f"default: all ({', '.join(MODULES)})")
    run.add_argument("--phase", choices=PHASES, required=True)
    run.add_argument("--revision", help="git revision to measure (default: the working tree)")
    run.add_argument("--sample", type=int, default=16, help="mutants per module (0: all)")
    run.add_argument("--budget", type=float, default=100, help="seconds per module")
    arguments = parser.parse_args(argv)
    unknown = [module for module in arguments.modules or () if module not in MODULES] if arguments.command else []
    if unknown:
        parser.error(f"unknown module {unknown[0]!r}; choose from {', '.join(MODULES)}")
    if arguments.command == "run":
        command_run(arguments.modules or list(MODULES), arguments.phase, arguments.revision, arguments.sample,
                    arguments.budget)
    if arguments.report:
        write_atomically(PAGE, report())
        print(f"wrote {PAGE.relative_to(ROOT)}")
    if not arguments.report and arguments.command is None:
        parser.print_usage()
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
