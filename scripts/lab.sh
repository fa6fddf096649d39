#!/usr/bin/env bash
# The calibration lab on the bundled synthetic data set, from a fresh clone:
# installs what is missing, builds `baton`, then fit → validate → export, printing the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product baton
baton=".build/release/baton"
out="Datasets/lab-output"
mkdir -p "$out"

echo "== fit: Datasets/leads_train.csv (spec Datasets/leads.spec.yaml)"
"$baton" fit --data Datasets/leads_train.csv --spec Datasets/leads.spec.yaml --out "$out/model.json"
echo
echo "== validate on the held-out leads: Datasets/leads_holdout.csv"
"$baton" validate --model "$out/model.json" --data Datasets/leads_holdout.csv
echo
echo "== export: the score as one SQL expression over the raw columns"
"$baton" export --model "$out/model.json" --format sql > "$out/score.sql"
head -c 600 "$out/score.sql"; echo " …"
echo
echo "weight file: $out/model.json   SQL: $out/score.sql"
