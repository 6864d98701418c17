#!/usr/bin/env python3
"""Sums up the replicas' "slow command" lines (latchkey.commands.slow-after, docs/operations.md "Slow commands").

usage: slow-commands.py REPLICA_LOG... [--from HH:MM:SS] [--to HH:MM:SS] [--trips unlock-round-trips.csv]
                         [--car unlock-commands.csv]

With --trips only the bench's measured commands are counted (joined on the command id), and the part of each round
trip outside the replica (the bench's HTTP client and HAProxy, both ways) is shown as "outside". Run the bench with
--backend-jvm-option=-Dlatchkey.commands.slow-after=1ms to have every command logged.

For every slow command: its total and its phases; then, per phase, how many slow commands it was the largest phase
of, and the phase's median and maximum over them. Also lists the slow commands per 10 s, to line them up with the
bench's unlock-round-trips.csv.

With --trips and --car (the bench's unlock-commands.csv: the car's instants, also with the fleet in other processes)
the replica's "car" phase is split into the way out (publish to the car receiving it), the car itself (received to
its answer published) and the way back (the answer published to the replica having it verified), taking the outside
leg as half each way (docs/benchmarks-scale.md, "The way back").
"""
import re
import statistics
import sys
from collections import Counter, defaultdict

LINE = re.compile(r"^(\d\d:\d\d:\d\d)\.\d+ .*slow command (\S+) \((\w+)\) to car (\S+) of tenant (\S+): ([0-9.]+) ms"
                  r"(?: \((\w+)\))?: (.*)$")
PHASE = re.compile(r"(\w+) (-|[0-9.]+ ms)")


def main(argv):
    frm = to = trips = car = None
    files = []
    i = 0
    while i < len(argv):
        if argv[i] == "--from":
            frm = argv[i + 1]; i += 2
        elif argv[i] == "--to":
            to = argv[i + 1]; i += 2
        elif argv[i] == "--car":
            car = {}
            with open(argv[i + 1]) as fh:
                header = next(fh).strip().split(",")
                for row in fh:
                    cols = dict(zip(header, row.strip().split(",")))
                    if cols.get("car_received") and cols.get("car_answered") and cols.get("responded"):
                        car[cols["command"]] = (float(cols["car_received"]) / 1000, float(cols["car_answered"]) / 1000)
            i += 2
        elif argv[i] == "--trips":
            trips = {}
            with open(argv[i + 1]) as fh:
                next(fh)
                for row in fh:
                    cols = row.strip().split(",")
                    if len(cols) >= 5 and cols[3] == "200":
                        trips[cols[2]] = float(cols[4])
            i += 2
        else:
            files.append(argv[i]); i += 1
    rows = []
    for f in files:
        with open(f, errors="replace") as fh:
            for line in fh:
                m = LINE.match(line)
                if not m:
                    continue
                t = m.group(1)
                if (frm and t < frm) or (to and t > to):
                    continue
                phases = {}
                for name, value in PHASE.findall(m.group(8)):
                    phases[name] = None if value == "-" else float(value.split()[0])
                if trips is not None:
                    if m.group(2) not in trips:
                        continue
                    phases["outside"] = trips[m.group(2)] - float(m.group(6))
                    if car is not None and m.group(2) in car and phases.get("car") is not None:
                        received, answered = car[m.group(2)]
                        published = phases["outside"] / 2 + sum(phases.get(k) or 0 for k in ("caller", "checks", "record", "publish"))
                        phases["car:out"] = received - published
                        phases["car:itself"] = answered - received
                        phases["car:back"] = published + phases["car"] - answered
                rows.append((t, f, m.group(3), float(m.group(6)), m.group(7), phases))
    if not rows:
        print("no slow commands")
        return
    print(f"{len(rows)} slow commands")
    largest = Counter()
    per_phase = defaultdict(list)
    for _, _, _, total, _, phases in rows:
        known = {k: v for k, v in phases.items() if v is not None and not k.startswith("car:")}
        if known:
            largest[max(known, key=known.get)] += 1
        for k, v in phases.items():
            if v is not None:
                per_phase[k].append(v)
    print(f"total ms: median {statistics.median(r[3] for r in rows):.1f}, max {max(r[3] for r in rows):.1f}")
    print("phase      largest-in  median ms  p90 ms  max ms")
    if trips is not None:
        print(f"measured commands (--trips): {len(trips)}, found in the logs: {len(rows)}")
    for k in ["outside", "caller", "checks", "record", "publish", "car", "answer"]:
        v = sorted(per_phase.get(k, []))
        if not v:
            continue
        p90 = v[min(len(v) - 1, int(0.9 * len(v)))]
        print(f"{k:10} {largest[k]:10d} {statistics.median(v):10.1f} {p90:7.1f} {v[-1]:7.1f}")
    split = [k for k in ("car:out", "car:itself", "car:back") if per_phase.get(k)]
    if split:
        print("the car phase split (--car)  median ms  p90 ms  p99 ms")
        for k in split:
            v = sorted(per_phase[k])
            print(f"{k:28} {statistics.median(v):10.1f} {v[min(len(v) - 1, int(0.9 * len(v)))]:7.1f}"
                  f" {v[min(len(v) - 1, int(0.99 * len(v)))]:7.1f}")
    buckets = Counter(r[0][:7] + "0" for r in rows)
    print("per 10 s: " + ", ".join(f"{b} {n}" for b, n in sorted(buckets.items())))


if __name__ == "__main__":
    main(sys.argv[1:])
