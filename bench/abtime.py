#!/usr/bin/env python3
"""Times a command against a peer, A B A B ..., from outside: whole processes, start-up included.

    python3 bench/abtime.py [-n RUNS] [--warmup W] [--label NAME] [--json FILE]
        [--prepare-a 'CMD'] [--prepare-b 'CMD'] --a 'CMD' [--b 'CMD']

Each command is one string run by /bin/sh -c. --prepare-a/--prepare-b run before every run of
A/B and are not timed (for example: remove the data directory and initialise it again), so
both sides start from the same state. For each side it prints the wall time (a monotonic
clock around the child), the CPU time (user + system) and the peak resident memory (MiB) of
the largest process (getrusage of the reaped children), each as min / median / max, and the
ratio A/B of wall times taken run by run, whose median is the figure to quote. A peak cannot
read below this script's own (about 15 MiB: a child starts as a copy of it). Standard library
only, so that anyone can run it; `hyperfine --prepare` measures the same thing.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time


def run_once(command, prepare):
    if prepare:
        subprocess.run(["/bin/sh", "-c", prepare], check=True, stdout=subprocess.DEVNULL)
    start = time.monotonic()
    pid = os.posix_spawn("/bin/sh", ["/bin/sh", "-c", command], os.environ,
                         file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"abtime: exit {code} from: {command}")
    # ru_maxrss of wait4 is the child's own peak; /bin/sh exec's a single command, and for a
    # pipeline of several it is the largest of those it waited for (Linux: kilobytes).
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_kb": usage.ru_maxrss}


def summary(values):
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", "--runs", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--a", required=True)
    p.add_argument("--b")
    p.add_argument("--prepare-a")
    p.add_argument("--prepare-b")
    p.add_argument("--label", default="")
    p.add_argument("--json", help="append the result to this file as one JSON line")
    args = p.parse_args()

    sides = [("A", args.a, args.prepare_a)] + ([("B", args.b, args.prepare_b)] if args.b else [])
    for _ in range(args.warmup):
        for _, command, prepare in sides:
            run_once(command, prepare)
    runs = {name: [] for name, _, _ in sides}
    for _ in range(args.runs):
        for name, command, prepare in sides:
            runs[name].append(run_once(command, prepare))

    result = {"label": args.label, "runs": args.runs, "cores": os.cpu_count(),
              "date": time.strftime("%Y-%m-%d", time.gmtime())}
    print(f"{args.label}  ({args.runs} runs each, A B A B ..., after {args.warmup} warm-up)")
    print(f"  {'':4} {'wall s (min/median/max)':>28} {'cpu s (median)':>15} {'peak MiB (max)':>14}")
    for name, command, _ in sides:
        r = runs[name]
        wall = summary([x["wall"] for x in r])
        cpu = summary([x["cpu"] for x in r])
        peak = max(x["peak_kb"] for x in r) / 1024
        result[name] = {"command": command, "wall": wall, "cpu": cpu, "peak_mb": peak}
        print(f"  {name:4} {wall['min']:8.3f} {wall['median']:8.3f} {wall['max']:8.3f}   "
              f"{cpu['median']:15.3f} {peak:14.1f}   {command}")
    if args.b:
        ratios = [a["wall"] / b["wall"] for a, b in zip(runs["A"], runs["B"])]
        result["ratio"] = summary(ratios)
        print(f"  A/B wall, run by run: min {min(ratios):.3f}  median "
              f"{statistics.median(ratios):.3f}  max {max(ratios):.3f}")
    if args.json:
        with open(args.json, "a", encoding="utf-8") as f:
            f.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
