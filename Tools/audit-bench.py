#!/usr/bin/env python3
"""Tools/bench audit: one stream's whole history and one actor's last 20 events, read through the built
`teamlog` (release) as a user runs it, process start included, on the reference stores of 1M and 10M
events (the rebuild benchmark's: seed 1, generated once by `teamlog-bench audit-prepare` and reused).

The stream is the first team of the workload (`team-…`, whose history spans the log); the actor is the
last one (not `system`) to act in the store. One warm-up run of each read first (it builds or extends the
audit index, index/audit/), then --runs timed runs each; reported: p50, min and max wall milliseconds,
the ratio of the 10M store's p50 to the 1M store's, and the sizes of the log and of its audit index.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

TEAMLOG = ".build/release/teamlog"


def jsonl(store, *arguments):
    out = subprocess.run([TEAMLOG, "log", "--store", store, "--format", "jsonl", *arguments],
                         check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line]


def first_team(store):
    for event in jsonl(store, "--from", "1", "--to", "200000"):
        if event["stream"].startswith("team-"):
            return event["stream"]
    raise SystemExit(f"no team stream in the first 200,000 events of {store}")


def last_actor(store):
    for event in reversed(jsonl(store, "--last", "1000")):
        if event["actor"] != "system":
            return event["actor"]
    raise SystemExit(f"no actor in the last 1,000 events of {store}")


def timed(command, runs):
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # warm-up: builds or extends the index
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return {"p50_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1), "max_ms": round(max(times), 1)}


def size(directory, suffix=""):
    total = 0
    for name in os.listdir(directory) if os.path.isdir(directory) else []:
        if name.endswith(suffix):
            total += os.path.getsize(os.path.join(directory, name))
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stores", nargs="+", help="store directories, smallest first")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    for store in args.stores:
        stream, actor = first_team(store), last_actor(store)
        result = {"store": store, "events": int(store.rsplit("-", 1)[-1]) if store.rsplit("-", 1)[-1].isdigit() else None,
                  "stream": stream, "actor": actor}
        stream_read = [TEAMLOG, "log", "--store", store, "--stream", stream, "--format", "jsonl"]
        actor_read = [TEAMLOG, "log", "--store", store, "--actor", actor, "--last", "20", "--format", "jsonl"]
        result["stream_events"] = len(jsonl(store, "--stream", stream))
        result["stream"] = stream
        result["stream_read"] = timed(stream_read, args.runs)
        result["actor_last_20"] = timed(actor_read, args.runs)
        result["log_bytes"] = size(os.path.join(store, "log"))
        result["index_bytes"] = size(os.path.join(store, "index", "audit"), ".run")
        results.append(result)
    small, large = results[0], results[-1]
    ratios = {what: round(large[what]["p50_ms"] / small[what]["p50_ms"], 2) for what in ("stream_read", "actor_last_20")}
    if args.json:
        for result in results:
            print(json.dumps({"bench": "audit", **result}))
        print(json.dumps({"bench": "audit", "ratios_large_to_small": ratios}))
        return
    for r in results:
        print(f"{r['store']}: log {r['log_bytes'] / 1e6:.1f} MB, audit index {r['index_bytes'] / 1e6:.1f} MB"
              + (f" ({r['index_bytes'] / r['events']:.1f} bytes/event)" if r["events"] else ""))
        for what, label in (("stream_read", f"--stream {r['stream']} ({r['stream_events']} events)"),
                            ("actor_last_20", f"--actor {r['actor']} --last 20")):
            t = r[what]
            print(f"  {label:48} p50 {t['p50_ms']:7.1f} ms  (min {t['min_ms']:.1f}, max {t['max_ms']:.1f})")
    print(f"ratio {large['store']} / {small['store']} (p50): stream {ratios['stream_read']}, actor {ratios['actor_last_20']}"
          + "  (target <= 1.5: " + ("met" if max(ratios.values()) <= 1.5 else "NOT met") + ")")
    print(f"one-stream read on the largest store: p50 {large['stream_read']['p50_ms']} ms (target < 50 ms: "
          + ("met" if large["stream_read"]["p50_ms"] < 50 else "NOT met") + ")")


if __name__ == "__main__":
    sys.exit(main())
