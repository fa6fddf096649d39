#!/usr/bin/env python3
"""Fails on a Double → integer conversion that can trap (issue 20: "no `Int(x)` on unchecked
doubles anywhere").

`Int(x)` on a Double traps on NaN, infinity and anything beyond ±9.2e18, so one hostile number
in a CSV cell or an event can kill `baton score` or `baton serve`. Without a type checker this
lint recognises the usual forms: an integer initializer (`Int`, `Int64`, `UInt32`, …) whose
argument rounds, scales or builds a Double (`.rounded(`, `uniform(`, `Double(`, `*`, `/`, a
decimal literal, seconds or time intervals). Write instead `x.roundedInt()` (nil when it does
not fit), `x.clampedInt(in:)`, `Int(exactly:)`, or, where the bound is proved on the spot, keep
the conversion and say why on the same line with `// total: <reason>`.

Usage: check-numeric-conversions.py [ROOT]   (ROOT defaults to the package root)
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent)
CONVERSION = re.compile(r"(?<![\w.])(U?Int(?:8|16|32|64)?)\(")
SAFE_LABELS = ("exactly:", "truncatingIfNeeded:", "clamping:", "bitPattern:", "littleEndian:", "bigEndian:")
DOUBLE_LIKE = re.compile(r"rounded\(|uniform|\bDouble\(|\bFloat\(|\d\.\d|\de[+-]?\d|\s[*/]\s|seconds|[Ii]nterval|\bsqrt\(|\blog\(|\bexp\(|\bpow\(")


def argument(line: str, start: int) -> str:
    depth, i = 1, start
    while i < len(line) and depth:
        depth += {"(": 1, ")": -1}.get(line[i], 0)
        i += 1
    return line[start : i - 1]


def main() -> int:
    problems = []
    for path in sorted((ROOT / "Sources").rglob("*.swift")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//", 1)[0] if not line.lstrip().startswith("///") else ""
            if "// total:" in line or not code.strip():
                continue
            for match in CONVERSION.finditer(code):
                arg = argument(code, match.end())
                if arg.startswith(SAFE_LABELS) or "clampedInt(" in arg or "roundedInt(" in arg or not DOUBLE_LIKE.search(arg):
                    continue
                problems.append(f"{path.relative_to(ROOT)}:{number}: {match.group(1)}({arg}) can trap on a hostile Double")
    for problem in problems:
        print(problem)
    if problems:
        print(
            f"{len(problems)} conversion(s) can trap: use roundedInt() / clampedInt(in:) / Int(exactly:), "
            "or prove the bound and say so with `// total: <reason>` on the line",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
