#!/usr/bin/env python3
"""Checks the module rules of README.md, "Where things live", against the real package graph.

Reads `swift package describe --type json` (the targets and their dependencies as SwiftPM
resolves them) and the source files' `import` lines, and fails (exit 1, one line per broken rule)
when:
- the hand-off side (the server, the flow, the rules, the store and the reviews) reaches the
  numeric core, BLAS, the CSV reader, the generators or the lab, directly or transitively;
- the store protocol's module reaches a database library;
- one store backend reaches the other;
- anything but LabNumerics depends on CLinearAlgebra directly;
- a file of a library or executable target imports a module its target does not declare
  (Swift would accept a transitive one, which hides arrows; tests are not held to this);
- a target has no row in README.md's "Where things live" table.
Usage: scripts/check-architecture.py [DESCRIBE.json]  (runs swift package describe when omitted)
"""
import json, os, re, subprocess, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if len(sys.argv) > 1:
    description = json.load(open(sys.argv[1]))
else:
    description = json.loads(subprocess.check_output(["swift", "package", "describe", "--type", "json"], cwd=root))

targets = {t["name"]: t for t in description["targets"]}
direct = {n: set(t.get("target_dependencies", [])) for n, t in targets.items()}
products = {n: set(t.get("product_dependencies", [])) for n, t in targets.items()}


def closure(name):
    seen, todo = set(), [name]
    while todo:
        for d in direct.get(todo.pop(), ()):
            if d not in seen:
                seen.add(d)
                todo.append(d)
    return seen


def reached_products(name):
    found = set(products.get(name, ()))
    for d in closure(name):
        found |= products.get(d, set())
    return found


problems = []
lab_only = {"CLinearAlgebra", "LabNumerics", "LabTraining", "Recalibration", "LeadCSV", "Simulation", "DatasetImport"}
for handoff in ["HandoffRules", "HandoffPersistence", "HandoffSQLite", "HandoffPostgres", "HandoffStores",
                "HandoffFlow", "HandoffIntegrations", "HandoffReviews", "HandoffServer"]:
    bad = closure(handoff) & lab_only
    if bad:
        problems.append(f"{handoff} reaches {', '.join(sorted(bad))}: the hand-off side must not link the lab, the CSV reader or the generators")
# The adapters are pure: no HTTP server, no store backend (the server applies what they return).
for bad in sorted((reached_products("HandoffIntegrations") & {"Hummingbird", "GRDB", "PostgresNIO"})
                  | (closure("HandoffIntegrations") & {"HandoffSQLite", "HandoffPostgres", "HandoffStores", "HandoffServer"})):
    problems.append(f"HandoffIntegrations reaches {bad}: the adapters verify and map deliveries, the server stores them")
for db in sorted(reached_products("HandoffPersistence") & {"GRDB", "PostgresNIO"}):
    problems.append(f"HandoffPersistence (the store protocol) reaches the database library {db}")
for a, b in [("HandoffSQLite", "HandoffPostgres"), ("HandoffPostgres", "HandoffSQLite")]:
    if b in closure(a):
        problems.append(f"{a} depends on {b}: the two backends depend on HandoffPersistence only")
for name, deps in direct.items():
    if "CLinearAlgebra" in deps and name != "LabNumerics" and not name.endswith("Tests"):
        problems.append(f"{name} imports CLinearAlgebra directly: only the fit (LabNumerics) may")
if "CLinearAlgebra" in closure("LabStatistics"):
    problems.append("LabStatistics reaches CLinearAlgebra: the metrics are pure Swift")

# Every import names a declared dependency (or a system / package product module).
known_products = {"HTTPTypes", "Foundation", "FoundationNetworking", "Dispatch", "Glibc", "Darwin", "Testing", "XCTest",
                  "Yams", "Crypto", "GRDB", "PostgresNIO", "Hummingbird", "HummingbirdTesting", "ArgumentParser",
                  "NIOCore", "NIOPosix", "NIOHTTP1", "NIOSSL", "HummingbirdTLS", "Logging", "Benchmark", "Synchronization",
                  "FoundationXML", "AsyncHTTPClient"}
for name, t in targets.items():
    if t.get("module_type") != "SwiftTarget" or t["type"] == "test" or t["path"].startswith("Tests/"):
        continue  # test targets may import what their dependencies bring
    allowed = direct[name] | {name}
    for folder, _, files in os.walk(os.path.join(root, t["path"])):
        for f in files:
            if not f.endswith(".swift"):
                continue
            path = os.path.join(folder, f)
            for m in re.finditer(r"^(?:@testable )?import (\w+)$", open(path).read(), re.M):
                module = m.group(1)
                if module in targets and module not in allowed:
                    problems.append(f"{os.path.relpath(path, root)} imports {module}, which {name} does not declare in Package.swift")
                elif module not in targets and module not in known_products:
                    problems.append(f"{os.path.relpath(path, root)} imports {module}, unknown to this check; add it to known_products if it is a package product")

# The README's map has a row for every non-test target.
readme = open(os.path.join(root, "README.md")).read()
section = readme.split("## Where things live", 1)[1].split("\n## ", 1)[0] if "## Where things live" in readme else ""
rows = set(re.findall(r"^\| `(\w+)` \|", section, re.M))
for name, t in targets.items():
    if t["type"] != "test" and name not in rows and name != "BatonKernels":
        problems.append(f"README.md, \"Where things live\", has no row for target {name}; add one saying its job and what it depends on")
for row in sorted(rows - set(targets)):
    problems.append(f"README.md, \"Where things live\", lists {row}, which is no target of Package.swift; remove or rename the row")

for p in problems:
    print("architecture: " + p)
print(f"architecture: {len(targets)} targets checked, {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
