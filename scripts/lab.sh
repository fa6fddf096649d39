#!/usr/bin/env bash
# The calibration lab on the bundled synthetic data set, from a fresh clone:
# installs what is missing, builds `baton`, then fit → validate → export, the quarterly
# recalibration (champion vs challenger, out of time), and the hand-off demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-baton.sh
baton=".build/release/baton"
out="Datasets/lab-output"
mkdir -p "$out"

echo "== fit: Datasets/leads_train.csv (spec Datasets/leads.spec.yaml)"
"$baton" fit --data Datasets/leads_train.csv --spec Datasets/leads.spec.yaml --out "$out/model.json" | tee "$out/fit.txt"
echo
echo "== validate on the held-out leads: Datasets/leads_holdout.csv"
"$baton" validate --model "$out/model.json" --data Datasets/leads_holdout.csv | tee "$out/validate.txt"

# README.md quotes this summary under "What `scripts/lab.sh` shows": every quoted line must be one
# printed above (the test suite's ReadmeExcerptTests checks the same). A stale quote is reported
# here and fails the script at the end, after everything else has run.
readme_stale=0
while IFS= read -r line; do
    [[ -z "$line" || "$line" == "..." ]] && continue
    if ! grep -Fxq -- "$line" "$out/fit.txt" "$out/validate.txt"; then
        echo "README.md is stale: it quotes a line this run does not print: $line" >&2
        readme_stale=1
    fi
done < <(awk '/^### What `scripts\/lab.sh` shows/ {s = 1} s && /^```$/ {if (b) exit; b = 1; next} b' README.md)
echo
echo "== export: the score as one SQL expression over the raw columns"
"$baton" export --model "$out/model.json" --format sql > "$out/score.sql"
head -c 600 "$out/score.sql"; echo " …"
echo
"$baton" export --model "$out/model.json" --format pmml --out "$out/model.pmml"
echo
echo "weight file: $out/model.json   SQL: $out/score.sql   PMML: $out/model.pmml"

# The quarterly cycle on the same history: the run as of 2024-10-01 fits on 2023Q1–2024Q1 and
# tests on 2024Q2; its challenger becomes the champion of the next run, as of 2025-01-01, which
# fits on everything before 2024Q3 and compares both on 2024Q3, leads neither has seen.
echo
echo "== recalibrate as of 2024-10-01 (first run, no champion)"
"$baton" recalibrate --data Datasets/leads_train.csv --spec Datasets/leads.spec.yaml \
    --as-of 2024-10-01 --out "$out/recalibration-2024-10-01" --force
echo
echo "== recalibrate as of 2025-01-01 against that champion, MQL threshold for 40 leads a week"
"$baton" recalibrate --data Datasets/leads_train.csv --spec Datasets/leads.spec.yaml \
    --champion "$out/recalibration-2024-10-01/challenger.json" --as-of 2025-01-01 \
    --capacity-per-week 40 --out "$out/recalibration-2025-01-01" --force
echo "report: $out/recalibration-2025-01-01/report.md"

# The hand-off demo on the same model: closed-loop traffic (the simulated reps react to the
# engine's hand-offs), replayed into a fresh store, its open hand-offs, and the weekly,
# monthly and quarter reviews. Seeded and --as-of pinned, so every run writes the same numbers.
echo
echo "== hand-off demo: simulate 400 leads (one quarter, 2023-Q1) through Datasets/playbook.yaml"
rm -f "$out/handoff.sqlite" "$out/handoff.sqlite-wal" "$out/handoff.sqlite-shm"
"$baton" generate --rows 400 --seed 2026 --quarters 1 --events "$out/demo_events.jsonl" \
    --model "$out/model.json" --playbook Datasets/playbook.yaml
echo
echo "== replay into $out/handoff.sqlite"
"$baton" handoff replay --events "$out/demo_events.jsonl" --playbook Datasets/playbook.yaml \
    --model "$out/model.json" --db "$out/handoff.sqlite"
echo
echo "== open hand-offs"
"$baton" handoff status --db "$out/handoff.sqlite" | head -n 15
echo
echo "== weekly SLA review 2023-W06 and monthly pipeline review 2023-02"
"$baton" review weekly --db "$out/handoff.sqlite" --week 2023-W06 --out "$out/review-2023-W06" --as-of 2024-01-01T00:00:00Z
"$baton" review monthly --db "$out/handoff.sqlite" --month 2023-02 --out "$out/review-2023-02" --as-of 2024-01-01T00:00:00Z
echo
echo "== the whole quarter 2023-Q1 (--to is included): the speed verdict, and what the disposition tests still need"
"$baton" review period --db "$out/handoff.sqlite" --from 2023-01-01 --to 2023-03-31 --out "$out/review-2023-Q1" --as-of 2024-01-01T00:00:00Z
grep -A2 '^## Does speed pay' "$out/review-2023-Q1/report.md" | tail -n 1
echo
echo "event log: $out/demo_events.jsonl (truth $out/demo_events.truth.json)   store: $out/handoff.sqlite"
echo "reviews: $out/review-2023-W06/report.md, $out/review-2023-02/report.md, $out/review-2023-Q1/report.md"
if [[ "$readme_stale" == 1 ]]; then
    echo "README.md's lab excerpt no longer matches this run: update it from $out/fit.txt and $out/validate.txt" >&2
    exit 1
fi
