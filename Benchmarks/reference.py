"""One timed run of the Python reference pipeline, in its own process (so its peak RSS is its own).

    reference.py fit      --tool sklearn|statsmodels --data CSV --spec SPEC
    reference.py validate --data CSV --spec SPEC --model MODEL.json   (Baton's weights, metrics timed)
    reference.py score    --data CSV --spec SPEC --model MODEL.json --out SCORED.csv

Prints one line `RESULT {json}` with seconds per stage, coefficients by Baton term name and
(for validate) the metrics. The encoding is the spec's, as Baton learns it: categorical levels
in byte order, the first one the baseline (unless the spec names one), one 0/1 dummy per other
level; numeric columns as is or log1p. Specs using recode, min_count or missing rules other than
`error` are refused rather than approximated.
"""
import argparse
import json
import sys
import time

import numpy as np
import pandas as pd
import yaml


def load_spec(path):
    with open(path) as handle:
        spec = yaml.safe_load(handle)
    for feature in spec["features"]:
        unsupported = [k for k in ("recode", "min_count") if feature.get(k)]
        if feature.get("missing", "error") != "error":
            unsupported.append("missing")
        if unsupported:
            sys.exit(f"reference.py: feature {feature['column']} uses {unsupported}; not mirrored here")
    return spec


def read_csv(path, spec, extra=()):
    """pandas read_csv of the spec's columns, categoricals (and the outcome) as text."""
    columns = [f["column"] for f in spec["features"]] + [spec["outcome"]["column"]] + list(extra)
    dtypes = {f["column"]: str for f in spec["features"] if f["type"] == "categorical"}
    dtypes[spec["outcome"]["column"]] = str
    return pd.read_csv(path, usecols=columns, dtype=dtypes, keep_default_na=False)


def encode(frame, spec, levels=None):
    """Design matrix without the intercept column, its term names, outcome, learned levels."""
    n = len(frame)
    learned = {} if levels is None else levels
    blocks = []
    names = []
    for feature in spec["features"]:
        column = feature["column"]
        if feature["type"] == "categorical":
            if levels is None:
                found = sorted(frame[column].unique(), key=lambda s: s.encode())
                baseline = feature.get("baseline", found[0])
                learned[column] = (found, baseline)
            found, baseline = learned[column]
            dummies = [level for level in found if level != baseline]
            codes = pd.Categorical(frame[column], categories=dummies).codes
            block = np.zeros((n, len(dummies)))
            rows = np.nonzero(codes >= 0)[0]
            block[rows, codes[rows]] = 1.0
            blocks.append(block)
            names += [f"{column}={level}" for level in dummies]
        else:
            values = frame[column].to_numpy(dtype=float)
            if feature.get("transform") == "log1p":
                values = np.log1p(values)
                names.append(f"log1p({column})")
            else:
                names.append(column)
            blocks.append(values[:, None])
    x = np.hstack(blocks)
    positive = set(str(v) for v in spec["outcome"]["positive"])
    y = frame[spec["outcome"]["column"]].str.strip().isin(positive).to_numpy(dtype=float)
    return x, names, y, learned


def fit_sklearn(x, y):
    from sklearn.linear_model import LogisticRegression
    model = LogisticRegression(solver="newton-cholesky", penalty=None, tol=1e-10, max_iter=100)
    start = time.perf_counter()
    model.fit(x, y)
    seconds = time.perf_counter() - start
    return np.concatenate([model.intercept_, model.coef_[0]]), seconds, int(model.n_iter_[0])


def fit_statsmodels(x, y):
    import statsmodels.api as sm
    design = np.hstack([np.ones((x.shape[0], 1)), x])
    start = time.perf_counter()
    result = sm.Logit(y, design).fit(method="newton", tol=1e-10, maxiter=100, disp=0)
    seconds = time.perf_counter() - start
    return np.asarray(result.params), seconds, int(result.mle_retvals["iterations"])


def metrics(p, y, groups=10):
    """AUC, log loss, Brier, Hosmer–Lemeshow (10 groups, numpy.array_split of a stable sort) and
    10 bands by descending p (lift, cumulative gain), as Baton defines them."""
    from scipy.stats import chi2
    from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
    out = {
        "auc": float(roc_auc_score(y, p)),
        "log_loss": float(log_loss(y, np.clip(p, 1e-15, 1 - 1e-15))),
        "brier": float(brier_score_loss(y, p)),
    }
    order = np.argsort(p, kind="stable")
    statistic = 0.0
    for part in np.array_split(order, groups):
        expected = np.clip(p[part], 1e-15, 1 - 1e-15).sum()
        observed = y[part].sum()
        statistic += (observed - expected) ** 2 / (expected * (1 - expected / len(part)))
    out["hosmer_lemeshow"] = {"statistic": float(statistic), "p_value": float(chi2.sf(statistic, groups - 2))}
    order = np.argsort(-p, kind="stable")
    total = y.sum()
    bands, captured = [], 0.0
    for index, part in enumerate(np.array_split(order, groups)):
        won = y[part].sum()
        captured += won
        bands.append({"band": index + 1, "n": len(part), "positives": int(won),
                      "lift": float(won / len(part) / (total / len(y))), "cumulative_gain": float(captured / total)})
    out["bands"] = bands
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["fit", "validate", "score"])
    parser.add_argument("--tool", default="sklearn", choices=["sklearn", "statsmodels"])
    parser.add_argument("--data", required=True)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--model")
    parser.add_argument("--out")
    args = parser.parse_args()
    spec = load_spec(args.spec)
    stages = {}

    start = time.perf_counter()
    extra = [spec["id"]] if args.mode == "score" and spec.get("id") else []
    frame = read_csv(args.data, spec, extra)
    stages["read"] = time.perf_counter() - start

    if args.mode in ("score", "validate"):
        # Levels and coefficients come from Baton's weight file, as a scorer would use them.
        with open(args.model) as handle:
            model = json.load(handle)
        levels = {e["column"]: (e["levels"], e["baseline"]) for e in model["encodings"] if e["type"] == "categorical"}
        start = time.perf_counter()
        x, names, y, _ = encode(frame, spec, levels)
        stages["encode"] = time.perf_counter() - start
        estimates = {term["name"]: term["estimate"] for term in model["model"]}
        from sklearn.linear_model import LogisticRegression
        scorer = LogisticRegression()
        scorer.classes_ = np.array([0.0, 1.0])
        scorer.coef_ = np.array([[estimates[name] for name in names]])
        scorer.intercept_ = np.array([estimates["(intercept)"]])
        start = time.perf_counter()
        p = scorer.predict_proba(x)[:, 1]
        stages["score"] = time.perf_counter() - start
        if args.mode == "validate":
            start = time.perf_counter()
            values = metrics(p, y)
            stages["metrics"] = time.perf_counter() - start
            print("RESULT " + json.dumps({"stages_s": stages, "metrics": values}))
            return
        start = time.perf_counter()
        key = extra[0] if extra else "row"
        scored = pd.DataFrame({key: frame[key] if extra else np.arange(len(p)), "probability": p})
        scored.to_csv(args.out, index=False)
        stages["write"] = time.perf_counter() - start
        print("RESULT " + json.dumps({"stages_s": stages, "rows": len(p)}))
        return

    start = time.perf_counter()
    x, names, y, _ = encode(frame, spec)
    stages["encode"] = time.perf_counter() - start
    if args.mode == "fit":
        fitter = fit_sklearn if args.tool == "sklearn" else fit_statsmodels
        coefficients, stages["fit"], iterations = fitter(x, y)
        terms = ["(intercept)"] + names
        print("RESULT " + json.dumps({"stages_s": stages, "iterations": iterations,
                                      "coefficients": dict(zip(terms, map(float, coefficients)))}))
        return


if __name__ == "__main__":
    main()
