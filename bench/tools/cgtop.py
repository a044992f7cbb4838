#!/usr/bin/env python3
"""Top functions by self cost (Ir) in one callgrind dump, Swift names demangled: cgtop.py FILE [N=30] [OBJECT].

With OBJECT (e.g. basar), lists that object's functions by inclusive cost (self + callees; recursion counted
more than once) instead: where the time goes in our own code.

(callgrind_annotate 3.19 folds a dump taken with callgrind_control into its thread's root frame, so this reads the
format itself: https://valgrind.org/docs/manual/cl-format.html.)
"""
import collections, re, subprocess, sys

path, top = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 30
names, objects, cost, inclusive = {}, {}, collections.Counter(), collections.Counter()
only = sys.argv[3] if len(sys.argv) > 3 else None
fn, ob, after_calls, total = None, None, False, 0
compressed = re.compile(r"\((\d+)\)(?: (.*))?")


def name_of(table, text):
    m = compressed.match(text)
    if not m:
        return text
    if m.group(2) is not None:
        table[m.group(1)] = m.group(2)
    return table.get(m.group(1), text)


for line in open(path, errors="replace"):
    if line[0] in "0123456789+-*":
        parts = line.split()
        if after_calls:          # the inclusive cost of a call, not this function's own
            after_calls = False
            if len(parts) >= 2 and fn is not None:
                inclusive[(fn, ob)] += int(parts[1])
            continue
        if len(parts) >= 2 and fn is not None:
            cost[(fn, ob)] += int(parts[1])
            inclusive[(fn, ob)] += int(parts[1])
            total += int(parts[1])
    elif line.startswith("fn="):
        fn = name_of(names, line[3:].strip())
    elif line.startswith("ob="):
        ob = name_of(objects, line[3:].strip())
    elif line.startswith(("cfn=", "cfi=", "cfl=", "cob=")):
        key = line[:4]
        if key == "cfn=":
            name_of(names, line[4:].strip())
        elif key == "cob=":
            name_of(objects, line[4:].strip())
    elif line.startswith("calls="):
        after_calls = True

rows = cost.most_common(top) if not only else \
    [r for r in inclusive.most_common() if (r[0][1] or "").endswith("/" + only)][:top]
demangled = subprocess.run(["swift", "demangle", "--simplified", "--compact"], input="\n".join(f for (f, _), _ in rows),
                           capture_output=True, text=True).stdout.splitlines() if rows else []
print(f"total Ir {total:,}")
for ((f, o), c), d in zip(rows, demangled or [f for (f, _), _ in rows]):
    print(f"{c:>14,} {100 * c / max(1, total):5.1f}%  {d[:150]}  [{(o or '?').rsplit('/', 1)[-1]}]")
