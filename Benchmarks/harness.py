"""Timing driver behind Benchmarks/run.sh: Baton vs pandas + scikit-learn / statsmodels.

Every measured run is its own process under /usr/bin/time (peak RSS). Runs of the tools being
compared alternate (A B A B …) on the same files so that load on the machine hits both alike.
Nothing is timed for a size until the coefficients of Baton, scikit-learn and statsmodels agree.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = Path(os.environ.get("BATON_BENCH_DATA", HERE / "data"))
SPEC = ROOT / "Datasets" / "leads.spec.yaml"
# BATON_BIN / BATON_BENCH_PYTHON: another binary or interpreter (the smoke run uses the debug
# build and the test suite's Python environment).
BATON = Path(os.environ.get("BATON_BIN", ROOT / ".build" / "release" / "baton"))
PYTHON = Path(os.environ.get("BATON_BENCH_PYTHON", HERE / ".venv" / "bin" / "python"))
# The smoke run's size: the fewest rows (seed 20240601) for which the 60-term spec has a
# maximum-likelihood estimate (at 400 a level has no win and the fit is refused).
SMOKE_ROWS = 1000
REFERENCE = HERE / "reference.py"
BLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def environment(blas):
    """The process environment with the OpenBLAS variables as set, or both unset."""
    env = dict(os.environ)
    if blas == "unset":
        for name in BLAS_VARIABLES:
            env.pop(name, None)
    return env


def run(command, blas, label):
    """Runs `command` under /usr/bin/time; wall seconds, peak RSS (MiB), stdout, stderr."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name] + [str(c) for c in command],
                              env=environment(blas), capture_output=True, text=True)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"{label} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
        rss = int(report.read().strip().splitlines()[-1]) / 1024
    return wall, rss, done.stdout, done.stderr


def baton_timings(stderr):
    for line in stderr.splitlines():
        if line.startswith("timings: "):
            return json.loads(line[len("timings: "):])
    sys.exit("baton printed no timings line (built without --timings?)")


def baton_score_timings(stderr):
    """`baton score --timings` lines `step: S s (R rows/s)` as {step: seconds}."""
    steps = {}
    for line in stderr.splitlines():
        name, _, rest = line.partition(": ")
        if name in ("parse", "score", "write", "total") and rest.endswith("rows/s)"):
            steps[name] = float(rest.split()[0])
    if "score" not in steps:
        sys.exit("baton score printed no timings:\n" + stderr[-2000:])
    return steps


def reference_result(stdout):
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    sys.exit("reference.py printed no RESULT line:\n" + stdout[-2000:])


def data_file(rows):
    return DATA / f"leads_{rows}.csv"


def ensure_data(sizes):
    DATA.mkdir(parents=True, exist_ok=True)
    for rows in sizes:
        target = data_file(rows)
        if target.exists():
            continue
        partial = DATA / f"partial_{rows}.csv"
        subprocess.run([BATON, "generate", "--rows", str(rows), "--seed", "20240601", "--out", partial,
                        "--truth", DATA / f"leads_{rows}.truth.json", "--spec", DATA / f"leads_{rows}.spec.yaml"],
                       check=True, stdout=subprocess.DEVNULL)
        partial.rename(target)  # only a complete file carries the final name, so reruns resume
        print(f"generated {target.name} ({target.stat().st_size / 1e6:.1f} MB)", flush=True)


# MARK: checks

def close(a, b, relative=1e-6, floor=1e-3):
    """|a − b| ≤ 1e-6 · max(|b|, 1e-3): relative, or absolute (1e-9) for tiny coefficients."""
    return abs(a - b) <= relative * max(abs(b), floor)


def check_coefficients(rows, blas, model_path):
    """One fit by each tool; exits if any coefficient differs by more than 1e-6."""
    run([BATON, "fit", "--data", data_file(rows), "--spec", SPEC, "--out", model_path], blas, "baton fit")
    with open(model_path) as handle:
        baton = {term["name"]: term["estimate"] for term in json.load(handle)["model"]}
    worst = {}
    for tool in ("sklearn", "statsmodels"):
        _, _, out, _ = run([PYTHON, REFERENCE, "fit", "--tool", tool, "--data", data_file(rows), "--spec", SPEC],
                           blas, f"{tool} fit")
        other = reference_result(out)["coefficients"]
        if set(other) != set(baton):
            sys.exit(f"term names differ between Baton and {tool}: {sorted(set(other) ^ set(baton))}")
        bad = [(name, baton[name], other[name]) for name in baton if not close(baton[name], other[name])]
        if bad:
            lines = "\n".join(f"  {n}: baton {b!r} {tool} {o!r}" for n, b, o in bad[:10])
            sys.exit(f"n={rows}: coefficients disagree beyond 1e-6 with {tool} — no times reported:\n{lines}")
        worst[tool] = max(abs(baton[n] - other[n]) / max(abs(other[n]), 1e-3) for n in baton)
    print(f"  coefficients agree (n={rows}, {len(baton)} terms): max scaled difference "
          + ", ".join(f"{tool} {value:.1e}" for tool, value in worst.items()), flush=True)


def check_metrics(baton_json, reference):
    """AUC, log loss and Brier to 1e-9 relative; HL statistic and bands to 1e-6."""
    pairs = [("auc", baton_json["auc"], reference["auc"]),
             ("log_loss", baton_json["log_loss"], reference["log_loss"]),
             ("brier", baton_json["brier"], reference["brier"]),
             ("hosmer_lemeshow", baton_json["hosmer_lemeshow"]["statistic"], reference["hosmer_lemeshow"]["statistic"])]
    for band, other in zip(baton_json["bands"], reference["bands"]):
        pairs.append((f"band {band['band']} lift", band["lift"], other["lift"]))
        pairs.append((f"band {band['band']} n", band["n"], other["n"]))
    bad = [(name, a, b) for name, a, b in pairs if not close(a, b)]
    if bad:
        sys.exit("validation metrics disagree:\n" + "\n".join(f"  {n}: baton {a!r} python {b!r}" for n, a, b in bad))
    print(f"  metrics agree (AUC {baton_json['auc']:.6f}, log loss {baton_json['log_loss']:.6f}, "
          f"Brier {baton_json['brier']:.6f}, HL {baton_json['hosmer_lemeshow']['statistic']:.3f}, 10 bands)", flush=True)


def check_scores(data, model, work, blas):
    """Baton's scored probabilities against predict_proba's, row by row (same ids, 1e-9)."""
    import csv
    mine, theirs = work / "check_baton.csv", work / "check_python.csv"
    run([BATON, "score", "--model", model, "--data", data, "--out", mine], blas, "baton score")
    run([PYTHON, REFERENCE, "score", "--data", data, "--spec", SPEC, "--model", model, "--out", theirs], blas,
        "python score")
    with open(mine, newline="") as a, open(theirs, newline="") as b:
        left, right = csv.reader(a), csv.reader(b)
        head_a, head_b = next(left), next(right)
        pa, pb = head_a.index("probability"), head_b.index("probability")
        rows = worst = 0
        for ra, rb in zip(left, right):
            if ra[0] != rb[0]:
                sys.exit(f"scored rows out of order: baton {ra[0]!r}, python {rb[0]!r}")
            worst = max(worst, abs(float(ra[pa]) - float(rb[pb])))
            rows += 1
    if worst > 1e-9:
        sys.exit(f"scored probabilities disagree with predict_proba: max difference {worst:.2e} — no times reported")
    print(f"  scores agree with predict_proba ({rows} rows): max difference {worst:.1e}", flush=True)


# MARK: reporting

class Table:
    def __init__(self):
        self.rows = []

    def add(self, case, tool, times, rss, reference=None):
        self.rows.append((case, tool, times, rss, reference))

    @staticmethod
    def cell(times):
        return f"{statistics.median(times):8.3f} s [{min(times):.3f}–{max(times):.3f}]"

    def render(self):
        lines = ["| case | tool | median [min–max] | peak RSS | Baton / other | speed-up |", "|---|---|---|---|---|---|"]
        medians = {}
        for case, tool, times, rss, reference in self.rows:
            medians[(case, tool)] = statistics.median(times)
        for case, tool, times, rss, reference in self.rows:
            ratio = speedup = ""
            if reference and (case, reference) in medians and tool != reference:
                ratio = f"{medians[(case, reference)] / statistics.median(times):.3f}"
                speedup = f"{statistics.median(times) / medians[(case, reference)]:.2f}×"
            rss_text = f"{max(rss):.0f} MiB" if rss else "—"
            lines.append(f"| {case} | {tool} | {self.cell(times)} | {rss_text} | {ratio} | {speedup} |")
        return "\n".join(lines)


def measure_pairs(table, case, entries, runs):
    """entries: (tool, command-or-callable, extract(wall, stdout, stderr) -> seconds, blas).
    Alternates the entries for `runs` rounds."""
    samples = {entry[0]: ([], []) for entry in entries}
    for _ in range(runs):
        for tool, command, extract, blas in entries:
            wall, rss, out, err = run(command, blas, f"{case} {tool}")
            samples[tool][0].append(extract(wall, out, err))
            samples[tool][1].append(rss)
    baton_tool = entries[0][0]
    for tool, _, _, _ in entries:
        table.add(case, tool, samples[tool][0], samples[tool][1], reference=baton_tool)
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--blas", default="unset,set", help="OpenBLAS variables: unset, set or both (comma list)")
    parser.add_argument("--no-statsmodels", action="store_true", help="skip statsmodels timings (still checked)")
    parser.add_argument("--out", default=str(DATA / "latest.md"))  # data/ is gitignored
    parser.add_argument("--smoke", action="store_true",
                        help=f"one run on {SMOKE_ROWS} rows, variables unset: every check and step runs, no timing means anything")
    args = parser.parse_args()
    if args.smoke:
        args.sizes, args.runs, args.blas = str(SMOKE_ROWS), 1, "unset"
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    ensure_data(sizes)

    report = [f"# Baton benchmarks — {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}", ""]
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    report += [f"- machine: {platform.node()}, {os.cpu_count()} cores, {cpu}",
               f"- command: `bash Benchmarks/run.sh {' '.join(sys.argv[1:])}`",
               f"- load before: `{uptime}`",
               f"- runs per cell: {args.runs} (alternating tools); times are wall seconds; Baton / other = ratio of "
               "medians (below 1 means Baton is faster; speed-up = other / Baton)",
               f"- OpenBLAS variables as set here: " + ", ".join(f"{v}={os.environ.get(v, '(unset)')}" for v in BLAS_VARIABLES),
               ""]
    subcommands = subprocess.run([BATON, "--help"], capture_output=True, text=True).stdout
    has_score = any(line.split()[:1] == ["score"] for line in subcommands.splitlines())
    work = Path(tempfile.mkdtemp(prefix="baton-bench-"))

    for blas in args.blas.split(","):
        table = Table()
        print(f"\n== OpenBLAS variables {blas} ==", flush=True)
        for rows in sizes:
            data = data_file(rows)
            model = work / f"model_{rows}.json"
            size_mb = data.stat().st_size / 1e6
            print(f"n={rows} ({size_mb:.0f} MB)", flush=True)
            check_coefficients(rows, blas, model)

            def baton_fit():
                return [BATON, "fit", "--data", data, "--spec", SPEC, "--out", work / f"bench_{rows}.json", "--timings"]

            def python_fit(tool):
                return [PYTHON, REFERENCE, "fit", "--tool", tool, "--data", data, "--spec", SPEC]

            def py_stage(*names):
                return lambda wall, out, err: sum(reference_result(out)["stages_s"][n] for n in names)

            def baton_stage(*names):
                return lambda wall, out, err: sum(baton_timings(err)["stages_s"][n] for n in names)

            tools = [("baton", baton_fit())]
            tools.append(("sklearn", python_fit("sklearn")))
            if not args.no_statsmodels:
                tools.append(("statsmodels", python_fit("statsmodels")))
            # (a) end to end: Baton's whole process (read, encode, fit, in-sample metrics, SHA-256, write) vs the
            # reference's read_csv + encode + fit (interpreter start-up and imports not counted against it).
            # (b) the fit stage alone, as each tool times it, from the same runs.
            samples = {}
            for round_index in range(args.runs):
                for tool, command in tools:
                    wall, rss, out, err = run(command, blas, f"fit {tool}")
                    per = samples.setdefault(tool, {"e2e": [], "fit": [], "rss": [], "read": [], "encode": []})
                    if tool == "baton":
                        stages = baton_timings(err)["stages_s"]
                        per["e2e"].append(wall)
                    else:
                        stages = reference_result(out)["stages_s"]
                        per["e2e"].append(stages["read"] + stages["encode"] + stages["fit"])
                    per["fit"].append(stages["fit"])
                    per["read"].append(stages["read"])
                    per["encode"].append(stages["encode"])
                    per["rss"].append(rss)
            for case, key in (("end to end", "e2e"), ("CSV read", "read"), ("encode", "encode"), ("fit stage", "fit")):
                for tool in samples:
                    table.add(f"{case} n={rows}", tool, samples[tool][key],
                              samples[tool]["rss"] if key == "e2e" else None, reference="baton")
            read = statistics.median(samples["baton"]["read"])
            print(f"  Baton CSV read {size_mb / read:.0f} MB/s (all {rows} rows, the spec's columns)", flush=True)

            # (c) validation metrics on the same file with Baton's weights.
            _, _, out, err = run([BATON, "validate", "--model", model, "--data", data, "--json"], blas, "baton validate")
            baton_metrics = json.loads(out)
            validate_py = [PYTHON, REFERENCE, "validate", "--data", data, "--spec", SPEC, "--model", model]
            _, _, out, _ = run(validate_py, blas, "python validate")
            check_metrics(baton_metrics, reference_result(out)["metrics"])
            entries = [("baton", [BATON, "validate", "--model", model, "--data", data, "--timings"],
                        baton_stage("metrics"), blas),
                       ("sklearn+scipy", validate_py, py_stage("metrics"), blas)]
            measure_pairs(table, f"metrics n={rows}", entries, args.runs)
            entries = [("baton", entries[0][1], lambda wall, out, err: wall, blas),
                       ("sklearn+scipy", validate_py, py_stage("read", "encode", "score", "metrics"), blas)]
            measure_pairs(table, f"validate end to end n={rows}", entries, args.runs)

            # (d) batch scoring of the largest file.
            if rows == max(sizes):
                if has_score:
                    check_scores(data, model, work, blas)
                    scored = work / "scored.csv"
                    baton_score = [BATON, "score", "--model", model, "--data", data, "--out", scored, "--timings"]
                    python_score = [PYTHON, REFERENCE, "score", "--data", data, "--spec", SPEC, "--model", model,
                                    "--out", scored]
                    samples = {"baton": {"e2e": [], "stage": [], "rss": []},
                               "pandas+sklearn": {"e2e": [], "stage": [], "rss": []}}
                    for _ in range(args.runs):
                        wall, rss, out, err = run(baton_score, blas, "baton score")
                        steps = baton_score_timings(err)
                        samples["baton"]["e2e"].append(wall)
                        samples["baton"]["stage"].append(steps["score"])
                        samples["baton"]["rss"].append(rss)
                        wall, rss, out, err = run(python_score, blas, "python score")
                        stages = reference_result(out)["stages_s"]
                        samples["pandas+sklearn"]["e2e"].append(sum(stages[k] for k in ("read", "encode", "score", "write")))
                        samples["pandas+sklearn"]["stage"].append(stages["encode"] + stages["score"])
                        samples["pandas+sklearn"]["rss"].append(rss)
                    for case, key in ((f"score end to end n={rows}", "e2e"), (f"scoring stage n={rows}", "stage")):
                        for tool in samples:
                            table.add(case, tool, samples[tool][key], samples[tool]["rss"] if key == "e2e" else None,
                                      reference="baton")
                    if "part by part" in err:
                        print("  (baton score read the file part by part: its scoring stage is core-seconds summed over "
                              "the parts, the reference's one core)", flush=True)
                    print(f"  baton score: {rows / statistics.median(samples['baton']['e2e']) / 1e6:.2f} M leads/s end "
                          f"to end, {rows / statistics.median(samples['baton']['stage']) / 1e6:.2f} M leads/s in the "
                          "scoring stage", flush=True)
                else:
                    print("  skipped: baton score not built yet", flush=True)
                    report.append(f"(d) scoring n={rows}: skipped: baton score not built yet")
        rendered = table.render()
        print(rendered, flush=True)
        report += ["", f"## OpenBLAS variables {blas}", "", rendered, ""]
    report.append(f"- load after: `{subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}`")
    Path(args.out).write_text("\n".join(report) + "\n")
    print(f"\nwritten {args.out}")


if __name__ == "__main__":
    main()
