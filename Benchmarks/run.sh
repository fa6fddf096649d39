#!/usr/bin/env bash
# Baton vs pandas + scikit-learn / statsmodels, side by side. See Benchmarks/README.md.
#   bash Benchmarks/run.sh            # 1e4, 1e5, 1e6 leads, 5 alternating runs, OpenBLAS variables unset and set
#   bash Benchmarks/run.sh --quick    # 1e4 and 1e5 only, 5 runs, variables unset (a few minutes)
#   bash Benchmarks/run.sh --sizes 1000000 --runs 7 --blas unset
#   bash Benchmarks/run.sh --smoke    # the test suite's run: 1,000 rows, one run, every check; no build,
#                                     # BATON_BIN (default .build/debug/baton) and BATON_BENCH_PYTHON
#                                     # (default Benchmarks/.venv) as they are, data and report in a temp folder
# Resumable: the release build, data files and the virtual environment are reused when present.
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
smoke=""
for a in "$@"; do
  if [[ $a == --quick ]]; then args+=(--sizes 10000,100000 --blas unset); else args+=("$a"); fi
  if [[ $a == --smoke ]]; then smoke=1; fi
done
if [[ -n $smoke ]]; then
  export BATON_BIN="${BATON_BIN:-.build/debug/baton}"
  python="${BATON_BENCH_PYTHON:-Benchmarks/.venv/bin/python}"
  [[ -x $BATON_BIN ]] || { echo "no baton binary at $BATON_BIN; run swift build first" >&2; exit 64; }
  command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is missing (apt-get install time)" >&2; exit 69; }
  "$python" -c 'import pandas, sklearn, statsmodels, scipy, yaml' 2>/dev/null \
    || { echo "$python lacks pandas, scikit-learn, statsmodels, scipy or pyyaml" >&2; exit 69; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  BATON_BENCH_PYTHON="$python" BATON_BENCH_DATA="$work/data" "$python" Benchmarks/harness.py "${args[@]}" --out "$work/smoke.md"
  exit 0
fi
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
bash scripts/build-baton.sh
if [[ ! -x Benchmarks/.venv/bin/python ]] || ! Benchmarks/.venv/bin/python -c 'import pandas, sklearn, statsmodels, scipy, yaml, threadpoolctl' 2>/dev/null; then
  python3 -m venv Benchmarks/.venv
  Benchmarks/.venv/bin/pip install -q --upgrade pip
  Benchmarks/.venv/bin/pip install -q pandas scikit-learn statsmodels scipy pyyaml threadpoolctl
fi
# Which BLAS kernel numpy runs with the variables set and unset (the issue's targets are for unset).
for mode in set unset; do
  if [[ $mode == unset ]]; then prefix=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE); else prefix=(); fi
  "${prefix[@]}" Benchmarks/.venv/bin/python -c "
from threadpoolctl import threadpool_info
import numpy
for i in threadpool_info():
    if i.get('internal_api') == 'openblas': print('numpy OpenBLAS (variables $mode):', i.get('version'), i.get('architecture'), i.get('num_threads'), 'threads')"
done
exec Benchmarks/.venv/bin/python Benchmarks/harness.py "${args[@]}"
