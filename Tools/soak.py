#!/usr/bin/env python3
"""Soak test of the teamlog binary against the store's promises, from outside (the binary only).

    Tools/soak [--bin DIR] [--rounds N] [--seed S] [--quick] [--family NAME]... [--keep DIR]

Five fault families, each many times with seeded random variants:

  kills       `teamlog exec FILE` SIGKILLed at random instants, 30 kills in a row per round, resumed
              a little before the last acknowledged line; after each kill every acknowledged command
              is in the log with the positions it was acknowledged at, verify exits 0, a new exec
              appends within the time limit.
  files       every kind of file of a demo store deleted, truncated, replaced with random bytes or
              with the same file of another store, swapped with another file, one byte flipped;
              then verify, log, query, sql, exec, status, recover, checked against the pristine copy.
  truncate    the newest segment cut at every byte of its last 4 KiB, a stride over the rest and
              every frame/block boundary: verify 65 with LOST, exec 65 with the log's bytes kept;
              recover --accept-loss on some: verify 0, the loss record in `$log`, exec appends.
  diskfull    tmpfs mounts of 64 KiB to 4 MiB (demo and every kind of work) and a store with a
              history on a disk left with k KiB free: every exit 0, 2 or 74 ("the disk is full"),
              acknowledged commands survive, the store goes on once there is room.
  lock        a writer holds the lock (`exec -` on an open pipe), `lock` is removed or replaced, a
              second writer must exit 75; the first finishes; verify 0.

--rounds N    kill rounds (30 kills each) in `kills`; the other families scale with N (default 4;
              1 with --quick)
--seed S      seed of every random choice (default 1): the same seed gives the same variants
--quick       a short run (about 3 minutes with a release build)
--family F    run only family F (repeatable): kills, files, truncate, diskfull, lock
--keep DIR    copy the store of each violation into DIR (default: nothing is kept)

One summary line per family (attempts, outcomes by step and exit code, violations, questionable),
then every violation with its reproduction (the family, the variant, the commands and their
outputs). Exit status 1 if any promise was broken, else 0.
"""
import argparse
import collections
import hashlib
import json
import os
import queue
import random
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time

DEFAULT_TIMEOUT = 60.0
EXPECTED_STEP_CODES = {0, 65}


# ---------------------------------------------------------------------------------------------
# Running commands

class Run:
    """One finished (or killed, or timed-out) subprocess."""

    def __init__(self, cmd, rc, out, err, secs, hung=False, stdin_note=None):
        self.cmd, self.rc, self.out, self.err, self.secs, self.hung = cmd, rc, out, err, secs, hung
        self.stdin_note = stdin_note

    @property
    def code(self):
        """The outcome as a short string: 0, 65, SIGKILL, HANG."""
        if self.hung:
            return "HANG"
        if self.rc is not None and self.rc < 0:
            try:
                return signal.Signals(-self.rc).name
            except ValueError:
                return "SIG%d" % -self.rc
        return str(self.rc)

    @property
    def signalled(self):
        return self.rc is not None and self.rc < 0

    def shell(self):
        s = " ".join(shlex.quote(c) for c in self.cmd)
        if self.stdin_note:
            s += "  " + self.stdin_note
        return s

    def describe(self, limit=1000):
        def cut(text):
            text = text.rstrip("\n")
            if len(text) > limit:
                return text[:limit // 2] + "\n      […%d chars…]\n" % (len(text) - limit) + text[-limit // 2:]
            return text
        lines = ["    $ " + self.shell(),
                 "      exit %s after %.2f s%s" % (self.code, self.secs, " (TIMED OUT: killed)" if self.hung else "")]
        if self.out.strip():
            lines.append("      stdout: " + cut(self.out).replace("\n", "\n              "))
        if self.err.strip():
            lines.append("      stderr: " + cut(self.err).replace("\n", "\n              "))
        return "\n".join(lines)


def run(cmd, timeout=DEFAULT_TIMEOUT, stdin_data=None, stdin_file=None, stdin_note=None):
    cmd = [str(c) for c in cmd]
    start = time.monotonic()
    stdin = subprocess.PIPE if stdin_data is not None else (open(stdin_file, "rb") if stdin_file else subprocess.DEVNULL)
    try:
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
    finally:
        if stdin_file:
            stdin.close()
    hung = False
    try:
        out, err = proc.communicate(input=stdin_data, timeout=timeout)
    except subprocess.TimeoutExpired:
        hung = True
        kill_group(proc)
        out, err = proc.communicate()
    return Run(cmd, proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
               time.monotonic() - start, hung, stdin_note)


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            proc.kill()
        except ProcessLookupError:
            pass


# ---------------------------------------------------------------------------------------------
# Results

class Family:
    def __init__(self, name):
        self.name = name
        self.attempts = 0
        self.outcomes = collections.Counter()
        self.violations = []
        self.questionable = []
        self.notes = []
        self.started = time.monotonic()
        self.secs = 0.0
        self.skipped = None

    def count(self, step, r):
        self.outcomes["%s:%s" % (step, r.code)] += 1

    def summary(self):
        if self.skipped:
            return "%-9s SKIPPED: %s" % (self.name, self.skipped)
        outs = " ".join("%s=%d" % (k, v) for k, v in sorted(self.outcomes.items()))
        line = "%-9s attempts=%d violations=%d questionable=%d time=%.0fs outcomes: %s" % (
            self.name, self.attempts, len(self.violations), len(self.questionable), self.secs, outs)
        if self.notes:
            line += " | " + "; ".join(self.notes)
        return line


class Soak:
    def __init__(self, args):
        self.args = args
        self.teamlog = os.path.abspath(args.teamlog)
        self.rng = random.Random(args.seed)
        self.quick = args.quick
        self.rounds = args.rounds if args.rounds is not None else (1 if args.quick else 4)
        self.scale = self.rounds / 4.0
        self.tmp = tempfile.mkdtemp(prefix="teamlog-soak-")
        self.families = []
        self.keep = args.keep
        self.kept = 0
        self.probe_counter = 0
        self.fixtures = None

    # -- helpers ---------------------------------------------------------------------------

    def tl(self, store, *args, timeout=DEFAULT_TIMEOUT, **kw):
        r = run([self.teamlog] + list(args) + ["--store", store], timeout=timeout, **kw)
        if len(args) > 1 and args[0] == "exec" and os.path.isfile(args[1]) and os.path.getsize(args[1]) < 2000:
            with open(args[1]) as f:
                r.stdin_note = ((r.stdin_note + " ") if r.stdin_note else "") + "# %s holds: %s" % (
                    os.path.basename(args[1]), f.read().strip().replace("\n", " | "))
        return r

    def violation(self, fam, kind, variant, runs, message, store=None):
        entry = {"kind": kind, "variant": variant, "runs": list(runs), "message": message}
        if store and self.keep and os.path.isdir(store):
            self.kept += 1
            dest = os.path.join(self.keep, "%s-%03d-%s" % (fam.name, self.kept, kind.replace(" ", "_")[:40]))
            try:
                shutil.copytree(store, dest, symlinks=True)
                entry["kept"] = dest
            except OSError as e:
                entry["kept"] = "could not copy: %s" % e
        fam.violations.append(entry)

    def questionable(self, fam, kind, variant, runs, message):
        fam.questionable.append({"kind": kind, "variant": variant, "runs": list(runs), "message": message})

    def check_run(self, fam, step, r, variant, allowed=EXPECTED_STEP_CODES, log_damage=True, store=None,
                  extra_runs=(), derived_touched=False):
        """Counts the outcome; a signal or a hang is a violation; exit 1 is a violation when the log
        itself was damaged (it should be 65), questionable otherwise; other codes outside `allowed`
        are questionable."""
        fam.count(step, r)
        if r.hung:
            self.violation(fam, "hang", variant, list(extra_runs) + [r],
                           "%s did not finish within %.0f s" % (step, DEFAULT_TIMEOUT), store)
        elif r.signalled:
            self.violation(fam, "signal", variant, list(extra_runs) + [r],
                           "%s died of %s" % (step, r.code), store)
        elif r.rc == 1:
            names_derived = any(x in r.err for x in ("views/", "state/", "index/", "view '", "decision state"))
            if log_damage and not (derived_touched and names_derived):
                self.violation(fam, "exit 1", variant, list(extra_runs) + [r],
                               "%s exited 1 (unexpected failure) where the log was damaged: it should be 65" % step,
                               store)
            else:
                self.questionable(fam, "exit 1 (derived file)", variant, list(extra_runs) + [r],
                                  "%s exited 1 (unexpected failure) after damage to a derived file" % step)
        elif r.rc not in allowed:
            self.questionable(fam, "exit %s from %s" % (r.code, step), variant, list(extra_runs) + [r],
                              "%s exited %s (expected one of %s)" % (step, r.code, sorted(allowed)))
        return r

    def next_probe(self, tag):
        self.probe_counter += 1
        n = self.probe_counter
        uid = "u-soak-%s-%d" % (tag, n)
        return {"command": "RegisterAccount", "actor": uid, "commandId": "soak-%s-%d" % (tag, n),
                "userId": uid, "role": "buyer", "name": "Soak Probe %d" % n,
                "email": "soak-%s-%d@probe.example" % (tag, n)}

    def write_jsonl(self, path, cmds):
        with open(path, "w") as f:
            for c in cmds:
                f.write(json.dumps(c, separators=(",", ":")) + "\n")

    def log_events(self, store, payload=True, extra=()):
        args = ["log", "--format", "jsonl"] + (["--show-payload"] if payload else []) + list(extra)
        r = self.tl(store, *args)
        events = None
        if r.rc == 0:
            try:
                events = [json.loads(line) for line in r.out.splitlines() if line.strip()]
            except ValueError:
                events = None
        return r, events

    # -- reporting --------------------------------------------------------------------------

    def grouped_by_family(self, title, entries_of):
        """Each family that has entries of one sort (violations, questionable ones) with its entries
        grouped, after a heading that counts them."""
        for fam in self.families:
            entries = entries_of(fam)
            if not entries:
                continue
            groups = group_entries(entries)
            print()
            print("== %s in %s: %d (%d distinct variant/kind)" % (title, fam.name, len(entries), len(groups)))
            yield fam, groups

    def report(self, total_secs):
        print()
        print("== Summary (seed %d, rounds %d%s, %s, %.0f s)" % (
            self.args.seed, self.rounds, ", quick" if self.quick else "", self.teamlog, total_secs))
        for fam in self.families:
            print(fam.summary())
        nviol = sum(len(f.violations) for f in self.families)
        nq = sum(len(f.questionable) for f in self.families)
        for fam, groups in self.grouped_by_family("Violations", lambda f: f.violations):
            by_kind = collections.Counter(g["kind"] for g in groups)
            print("   by kind: " + ", ".join("%s=%d" % kv for kv in sorted(by_kind.items())))
            shown = collections.Counter()
            for i, g in enumerate(groups, 1):
                shown[g["kind"]] += 1
                if shown[g["kind"]] > 6:
                    continue
                print()
                print("-- VIOLATION %d/%d [%s] %s" % (i, len(groups), fam.name, g["kind"]))
                print("   variant: %s" % g["variant"])
                for m in g["messages"]:
                    print("   what: %s" % m)
                if g.get("kept"):
                    print("   store kept at: %s" % g["kept"])
                for r in g["runs"]:
                    print(r.describe() if isinstance(r, Run) else "    " + str(r))
            for kind, n in sorted(by_kind.items()):
                if n > 6:
                    print("   (%d more of kind %r, variants not shown: %s)" % (
                        n - 6, kind, "; ".join([g["variant"] for g in groups if g["kind"] == kind][6:26])))
        for fam, groups in self.grouped_by_family("Questionable", lambda f: f.questionable):
            by_kind = collections.defaultdict(list)
            for g in groups:
                by_kind[g["kind"]].append(g)
            for kind, gs in sorted(by_kind.items()):
                print("-- %s: %d variant(s): %s" % (kind, len(gs), "; ".join(g["variant"].split("fault: ")[-1] for g in gs)[:1500]))
                for g in gs[:2]:
                    print("   e.g. variant: %s" % g["variant"])
                    for m in g["messages"]:
                        print("   what: %s" % m)
                    r = g["runs"][-1] if g["runs"] else None
                    if isinstance(r, Run):
                        print(r.describe(limit=600))
        print()
        print("soak: %d violation(s), %d questionable, %.0f s" % (nviol, nq, total_secs))
        return nviol


def group_entries(entries):
    """Merges entries of one kind and one variant (several steps failing the same way)."""
    groups, order = {}, []
    for e in entries:
        key = (e["kind"].split(" from ")[0], e["variant"])
        g = groups.get(key)
        if g is None:
            g = groups[key] = {"kind": key[0], "variant": e["variant"], "messages": [], "runs": [], "kept": e.get("kept")}
            order.append(key)
        if e["message"] not in g["messages"]:
            g["messages"].append(e["message"])
        if len(e["runs"]) > len(g["runs"]):
            g["runs"] = e["runs"]
    return [groups[k] for k in order]


# ---------------------------------------------------------------------------------------------
# Command stream

class Stream:
    """An endless, deterministic stream of RegisterAccount / InviteProviders commands, every one
    with a unique commandId; invitations are sent by affiliate managers registered earlier."""

    NAMES = ["Ann Lee", "Bjørn Ødegård", "Chen Wei", "Dana O'Neil", "Émile Zola", "Farah Khan", "Gül Yılmaz",
             "Hana Novák", "Ivo Ćosić", "José Núñez"]

    def __init__(self, rng, tag, register_only=False):
        self.rng, self.tag, self.cmds, self.managers = rng, tag, [], []
        self.register_only = register_only  # commands that depend on no other (for stores that may refuse some)

    def get(self, i):
        while len(self.cmds) <= i:
            self.cmds.append(self._make(len(self.cmds)))
        return self.cmds[i]

    def _make(self, i):
        t = self.tag
        if not self.managers or self.register_only or self.rng.random() < 0.3:
            role = "affiliateManager" if not self.managers else self.rng.choice(["affiliateManager", "buyer", "provider"])
            uid = "u-%s-%d" % (t, i)
            if role == "affiliateManager":
                self.managers.append(uid)
            return {"command": "RegisterAccount", "actor": uid, "commandId": "c-%s-%d" % (t, i), "userId": uid,
                    "role": role, "name": "%s %d" % (self.rng.choice(self.NAMES), i),
                    "email": "%s-%d@reg.example" % (t, i)}
        k = self.rng.randint(1, 3)
        return {"command": "InviteProviders", "actor": self.rng.choice(self.managers), "commandId": "c-%s-%d" % (t, i),
                "emails": ["%s-%d-%d@inv.example" % (t, i, j) for j in range(k)]}


def parse_results(text):
    """Complete result lines of `exec` (those ending in a newline)."""
    done = text[:text.rfind("\n") + 1] if "\n" in text else ""
    results = []
    for line in done.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            results.append(json.loads(line))
        except ValueError:
            results.append({"unparseable": line})
    return results


def index_log(events):
    """commandId -> {"positions": [...], "commits": {...}, "types": [...]}"""
    by = {}
    for e in events:
        cid = e.get("commandId")
        if not cid:
            continue
        d = by.setdefault(cid, {"positions": [], "commits": set(), "types": []})
        d["positions"].append(e["position"])
        d["commits"].add(e.get("commitPosition"))
        d["types"].append(e.get("type"))
    return by


def check_acked(acked, events):
    """Problems: acknowledged commands missing, at other positions, partial, or applied twice."""
    by = index_log(events)
    problems = []
    for cid, a in acked.items():
        d = by.get(cid)
        if d is None:
            problems.append("%s acknowledged at positions %s is not in the log" % (cid, a["positions"]))
            continue
        lo, hi = min(d["positions"]), max(d["positions"])
        if [lo, hi] != list(a["positions"]):
            problems.append("%s acknowledged at %s is in the log at %d-%d" % (cid, a["positions"], lo, hi))
        if len(d["commits"]) != 1:
            problems.append("%s is in %d commits %s (applied more than once)" % (cid, len(d["commits"]), sorted(d["commits"])))
        if a.get("events") is not None and len(d["types"]) != len(a["events"]):
            problems.append("%s acknowledged with %d events has %d in the log" % (cid, len(a["events"]), len(d["types"])))
        if hi - lo + 1 != len(d["positions"]):
            problems.append("%s: positions not dense %s" % (cid, d["positions"][:10]))
    return problems


# ---------------------------------------------------------------------------------------------
# Files of a store

def digest_tree(path):
    h = hashlib.sha256()
    if not os.path.isdir(path):
        return "absent"
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            p = os.path.join(root, name)
            h.update(os.path.relpath(p, path).encode() + b"\0")
            try:
                with open(p, "rb") as f:
                    h.update(hashlib.sha256(f.read()).digest())
            except OSError as e:
                h.update(str(e).encode())
    return h.hexdigest()


def lz4_boundaries(data):
    """Offsets of frame starts, block starts, end marks and frame ends in a segment (LZ4 frames)."""
    out, at = set(), 0
    try:
        while at + 8 <= len(data):
            out.add(at)
            magic = struct.unpack_from("<I", data, at)[0]
            if 0x184D2A50 <= magic <= 0x184D2A5F:
                size = struct.unpack_from("<I", data, at + 4)[0]
                at += 8 + size
                continue
            if magic != 0x184D2204:
                break
            flg = data[at + 4]
            header = 4 + 2 + (8 if flg & 0x08 else 0) + (4 if flg & 0x01 else 0) + 1
            block_checksum, content_checksum = bool(flg & 0x10), bool(flg & 0x04)
            at += header
            while at + 4 <= len(data):
                out.add(at)
                size = struct.unpack_from("<I", data, at)[0]
                if size == 0:
                    at += 4 + (4 if content_checksum else 0)
                    break
                at += 4 + (size & 0x7FFFFFFF) + (4 if block_checksum else 0)
            out.add(at)
    except (struct.error, IndexError):
        pass
    return sorted(o for o in out if 0 <= o <= len(data))


def boundaries_for(rel, data):
    n = len(data)
    if rel.startswith("log/"):
        b = lz4_boundaries(data)
        return sorted(set([80] + b + [x + d for x in b for d in (-1, 1)]) - {n})
    if rel == "index/frames.idx":
        return [x for x in range(16, n, 80)] + [8]
    if rel.endswith(".tbl"):
        return [32, 64] + [64 + 32 * k for k in (1, 2, 100, 1000, 3000) if 64 + 32 * k < n]
    if rel == "acknowledged":
        return [100, 127, 128, 129, 228]
    if rel == "store.id":
        return [16, 31, 32]
    if rel.endswith(".sqlite") or rel.endswith("-wal"):
        page = 4096
        if len(data) >= 18 and data[:16] == b"SQLite format 3\x00":
            page = struct.unpack_from(">H", data, 16)[0]
            page = 65536 if page == 1 else page
        if rel.endswith("-wal"):
            return [32] + [32 + k * (24 + page) for k in range(1, 4)]
        return [100, page] + [page * k for k in range(2, 6)]
    return [1]


def store_files(store):
    out = []
    for root, dirs, files in os.walk(store):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), store)
            if rel.endswith(".rebuild.lock") or rel.endswith("-shm"):
                continue
            out.append(rel)
    return sorted(out)


def is_derived(rel):
    return rel.split("/")[0] in ("index", "state", "views")


def canon_rows(text):
    try:
        rows = json.loads(text)
    except ValueError:
        return None
    if isinstance(rows, list):
        return sorted(json.dumps(r, sort_keys=True) for r in rows)
    return json.dumps(rows, sort_keys=True)


# ---------------------------------------------------------------------------------------------
# Fixtures: two demo stores

def build_fixtures(s):
    if s.fixtures:
        return s.fixtures
    base = os.path.join(s.tmp, "fixtures")
    os.makedirs(base)
    a, b = os.path.join(base, "A"), os.path.join(base, "B")
    setup = []
    r = s.tl(a, "demo", "--events", "3000", "--seed", "42", timeout=300)
    setup.append(r)
    if r.rc != 0:
        raise SystemExit("soak: could not make the demo store:\n" + r.describe())
    # three more writers: each starts a new frame, so the newest segment has frame boundaries near its end
    stream = Stream(random.Random(5), "fx")
    for k in range(3):
        path = os.path.join(base, "fx%d.jsonl" % k)
        s.write_jsonl(path, [stream.get(i) for i in range(k * 4, k * 4 + 4)])
        r = s.tl(a, "exec", path)
        setup.append(r)
        if r.rc != 0:
            raise SystemExit("soak: exec on the demo store failed:\n" + r.describe())
    r = s.tl(b, "demo", "--events", "2000", "--seed", "7", timeout=300)
    if r.rc != 0:
        raise SystemExit("soak: could not make the second demo store:\n" + r.describe())
    for st in (a, b):
        s.tl(st, "sql", "SELECT count(*) FROM inbox_messages")
        s.tl(st, "query", "users", "--format", "json")
    rv = s.tl(a, "verify")
    _, events = s.log_events(a)
    users = s.tl(a, "query", "users", "--format", "json")
    count = s.tl(a, "sql", "SELECT count(*) AS n FROM inbox_messages", "--format", "json")
    if rv.rc != 0 or events is None or users.rc != 0 or count.rc != 0:
        raise SystemExit("soak: the pristine store does not verify or answer:\n" + "\n".join(
            x.describe() for x in (rv, users, count)))
    ub = s.tl(b, "query", "users", "--format", "json")
    try:
        b_users = json.loads(ub.out)
        b_keys = {u["email"] for u in b_users} | {u["user_id"] for u in b_users}
        taken = [u["email"] for u in json.loads(users.out) if u["email"] not in b_keys and u["user_id"] not in b_keys]
    except (ValueError, KeyError, TypeError):
        taken = []
    s.fixtures = {"A": a, "B": b, "taken_email": taken[-1] if taken else "sam@example.net", "events": events, "users": canon_rows(users.out), "inbox_count": count.out.strip(),
                  "head": events[-1]["position"], "verify": rv.out,
                  "recipe": "A = `teamlog demo --events 3000 --seed 42` then 3 `teamlog exec` of 4 commands each "
                            "(RegisterAccount/InviteProviders), views caught up by `teamlog sql`; "
                            "B = `teamlog demo --events 2000 --seed 7`"}
    return s.fixtures


def fresh_copy(s, src, name):
    dest = os.path.join(s.tmp, "work", name)
    if os.path.exists(dest):
        shutil.rmtree(dest)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    shutil.copytree(src, dest, symlinks=True)
    return dest


# ---------------------------------------------------------------------------------------------
# Family 1: kills in a row

def family_kills(s, fam):
    rounds = s.rounds
    kills_per_round = 30
    # calibration: how long an unkilled exec of 600 commands takes with each batch size
    cal = {}
    for batch in (None, 1, 10, 100):
        cstore = os.path.join(s.tmp, "kills", "calibrate-%s" % batch)
        os.makedirs(os.path.dirname(cstore), exist_ok=True)
        cstream = Stream(random.Random(99), "cal")
        path = os.path.join(s.tmp, "kills", "calibrate.jsonl")
        s.write_jsonl(path, [cstream.get(i) for i in range(600)])
        r = s.tl(cstore, "exec", path, *(["--batch-size", str(batch)] if batch else []))
        fam.count("calibrate", r)
        if r.rc != 0:
            s.violation(fam, "exec failed", "calibration, batch %s" % batch, [r], "an unkilled exec exited %s" % r.code)
        cal[batch] = max(r.secs, 0.02)
        shutil.rmtree(cstore, ignore_errors=True)
    fam.notes.append("600 commands take " + ", ".join("%.2fs (batch %s)" % (v, k or "default") for k, v in cal.items()))
    hits = collections.Counter()
    acked_total = 0
    for rnd in range(rounds):
        rng = random.Random(s.args.seed * 1000 + rnd)
        store = os.path.join(s.tmp, "kills", "r%d" % rnd)
        os.makedirs(os.path.dirname(store), exist_ok=True)
        init = s.tl(store, "init")
        if init.rc != 0:
            s.violation(fam, "init failed", "round %d" % rnd, [init], "teamlog init failed")
            continue
        stream = Stream(rng, "k%d" % rnd)
        acked = {}
        last_acked = -1
        resume = 0
        history = []  # short history for reproductions
        for k in range(kills_per_round):
            fam.attempts += 1
            batch = rng.choice([None, None, 1, 10, 10, 100, 100])
            n = {None: rng.randint(1000, 2200), 1: rng.randint(50, 300)}.get(batch, rng.randint(100, 800))
            lines = [stream.get(i) for i in range(resume, resume + n)]
            path = os.path.join(s.tmp, "kills", "r%d-k%d.jsonl" % (rnd, k))
            s.write_jsonl(path, lines)
            use_stdin = rng.random() < 0.2
            cmd = [s.teamlog, "exec", "-" if use_stdin else path, "--store", store]
            if batch:
                cmd += ["--batch-size", str(batch)]
            est = cal[batch] * max(n, 300) / 600.0
            delay = rng.uniform(0, 0.02) if rng.random() < 0.1 else rng.uniform(0, est * 1.1)
            variant = "round %d kill %d: %d commands (stream lines %d-%d), batch %s, %s, SIGKILL after %.3f s" % (
                rnd, k + 1, n, resume + 1, resume + n, batch or "default", "stdin" if use_stdin else "file", delay)
            start = time.monotonic()
            stdin = open(path, "rb") if use_stdin else subprocess.DEVNULL
            proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    start_new_session=True)
            if use_stdin:
                stdin.close()
            chunks, errs = [], []
            t_out = threading.Thread(target=lambda: chunks.append(proc.stdout.read()))
            t_err = threading.Thread(target=lambda: errs.append(proc.stderr.read()))
            t_out.start()
            t_err.start()
            time.sleep(delay)
            killed = proc.poll() is None
            if killed:
                kill_group(proc)
            try:
                proc.wait(timeout=DEFAULT_TIMEOUT)
            except subprocess.TimeoutExpired:
                kill_group(proc)
                proc.wait()
            t_out.join(10)
            t_err.join(10)
            elapsed = time.monotonic() - start
            out = (chunks[0] if chunks else b"").decode("utf-8", "replace")
            err = (errs[0] if errs else b"").decode("utf-8", "replace")
            r = Run(cmd, proc.returncode, out, err, elapsed, stdin_note=("< " + path) if use_stdin else None)
            results = parse_results(out)
            fam.outcomes["exec:%s" % ("killed" if killed and r.rc == -9 else r.code)] += 1
            if not killed and r.rc != 0:
                s.check_run(fam, "exec(unkilled)", r, variant, allowed={0}, store=store)
            bad = [x for x in results if not x.get("ok") or "line" not in x]
            if bad:
                s.violation(fam, "command failed", variant, history[-3:] + [r],
                            "exec result lines not ok: %s" % json.dumps(bad[:3]), store)
            run_acked = 0
            for x in results:
                if not x.get("ok") or "line" not in x:
                    continue
                idx = resume + x["line"] - 1
                c = lines[x["line"] - 1]
                cid = c["commandId"]
                pos = x.get("positions")
                prev = acked.get(cid)
                if prev is not None and list(prev["positions"]) != list(pos):
                    s.violation(fam, "duplicate at other positions", variant, history[-3:] + [r],
                                "%s acknowledged at %s earlier, now %s" % (cid, prev["positions"], pos), store)
                if prev is None:
                    acked[cid] = {"positions": pos, "events": None if x.get("duplicate") else x.get("events")}
                elif prev.get("events") is None and not x.get("duplicate"):
                    prev["events"] = x.get("events")
                last_acked = max(last_acked, idx)
                run_acked += 1
            if not results:
                hits["before first ack"] += 1
            elif len(results) >= n:
                hits["after all acks"] += 1
            else:
                hits["mid-run"] += 1
            history.append(r)
            # the checks after the kill
            v = s.check_run(fam, "verify", s.tl(store, "verify"), variant, allowed={0}, store=store)
            if v.rc != 0 and not v.signalled and not v.hung:
                s.violation(fam, "verify fails after kill", variant, history[-3:] + [v],
                            "verify exited %s after a kill" % v.code, store)
            lr, events = s.log_events(store, payload=False)
            s.check_run(fam, "log", lr, variant, allowed={0}, store=store)
            if events is None:
                s.violation(fam, "log unreadable after kill", variant, history[-3:] + [lr],
                            "teamlog log exited %s" % lr.code, store)
            else:
                problems = check_acked(acked, events)
                if problems:
                    s.violation(fam, "acknowledged command lost", variant, history[-3:] + [v],
                                "%d problem(s): %s" % (len(problems), "; ".join(problems[:5])), store)
            probe = s.next_probe("k")
            ppath = os.path.join(s.tmp, "kills", "probe.jsonl")
            s.write_jsonl(ppath, [probe])
            pr = s.check_run(fam, "probe-exec", s.tl(store, "exec", ppath), variant, allowed={0}, store=store)
            pres = parse_results(pr.out)
            if pr.rc == 0 and pres and pres[0].get("ok"):
                acked[probe["commandId"]] = {"positions": pres[0]["positions"], "events": pres[0].get("events")}
            elif not pr.hung and not pr.signalled:
                s.violation(fam, "exec refused after kill", variant, history[-3:] + [pr],
                            "a new exec after the kill exited %s" % pr.code, store)
            history.append(pr)
            resume = max(0, last_acked + 1 - rng.randint(0, 5))
        # end of round: a last full check of the whole stream
        acked_total += len(acked)
    fam.notes.append("kills landed: " + ", ".join("%s=%d" % kv for kv in sorted(hits.items())))
    fam.notes.append("%d acknowledged commands checked after every later kill" % acked_total)


# ---------------------------------------------------------------------------------------------
# Family 2: faults on every kind of file

FAULT_OPS = ["delete", "trunc0", "trunc_random", "trunc_boundary", "random_bytes", "random_short", "other_store",
             "swap", "flip"]


def apply_fault(s, rng, store, other, rel, op):
    """Applies one fault; returns a description (for the reproduction)."""
    p = os.path.join(store, rel)
    exists = os.path.exists(p)
    data = open(p, "rb").read() if exists and os.path.isfile(p) else b""
    if op == "delete":
        if os.path.isdir(p):
            shutil.rmtree(p)
            return "rm -r %s" % rel
        if exists:
            os.remove(p)
        return "rm %s" % rel
    if op == "trunc0":
        open(p, "wb").close()
        return "truncate -s 0 %s" % rel
    if op == "trunc_random":
        off = rng.randint(1, max(1, len(data) - 1)) if len(data) > 1 else 0
        with open(p, "r+b" if exists else "wb") as f:
            f.truncate(off)
        return "truncate -s %d %s (of %d bytes)" % (off, rel, len(data))
    if op == "trunc_boundary":
        cands = [b for b in boundaries_for(rel, data) if 0 < b < len(data)] or [max(0, len(data) // 2)]
        off = rng.choice(cands)
        with open(p, "r+b" if exists else "wb") as f:
            f.truncate(off)
        return "truncate -s %d %s (a boundary; of %d bytes)" % (off, rel, len(data))
    if op == "random_bytes":
        size = len(data) or rng.randint(32, 4096)
        with open(p, "wb") as f:
            f.write(rng.randbytes(size))
        return "replace %s with %d random bytes" % (rel, size)
    if op == "random_short":
        size = rng.randint(1, 200)
        with open(p, "wb") as f:
            f.write(rng.randbytes(size))
        return "replace %s with %d random bytes" % (rel, size)
    if op == "other_store":
        q = os.path.join(other, rel)
        if os.path.isfile(q):
            shutil.copyfile(q, p)
            return "cp B/%s %s (the same file of another store)" % (rel, rel)
        if exists:
            os.remove(p)
        return "rm %s (another store has no such file)" % rel
    if op == "swap":
        files = [f for f in store_files(store) if f != rel]
        o = rng.choice(files)
        q = os.path.join(store, o)
        tmp = p + ".soak-swap"
        if exists:
            os.rename(p, tmp)
            os.rename(q, p)
            os.rename(tmp, q)
        else:
            os.rename(q, p)
        return "swap %s <-> %s" % (rel, o)
    if op == "flip":
        if not data:
            with open(p, "wb") as f:
                f.write(b"\x01")
            return "write one byte into empty %s" % rel
        off = rng.randrange(len(data))
        bit = 1 << rng.randrange(8)
        b = bytearray(data)
        b[off] ^= bit
        with open(p, "wb") as f:
            f.write(bytes(b))
        return "flip bit 0x%02x of byte %d of %s (of %d bytes)" % (bit, off, rel, len(data))
    raise ValueError(op)


def family_files(s, fam):
    fx = build_fixtures(s)
    a, b = fx["A"], fx["B"]
    rels = store_files(a)
    targets = list(rels)
    for extra in ("state/decisions.sqlite-wal", "views/users.sqlite-wal", "views/inbox.sqlite-wal"):
        if extra not in targets:
            targets.append(extra)  # not present in the pristine store: the faults create it (garbage WAL)
    dirs = ["index", "state", "views", "log"]
    combos = []
    for rel in targets:
        ops = FAULT_OPS
        if rel.endswith("-wal") and rel not in rels:
            ops = ["random_bytes", "random_short", "other_store", "trunc0"]
        for op in ops:
            combos.append((rel, op))
    for d in dirs:
        combos.append((d, "delete"))
    rng = random.Random(s.args.seed * 7 + 2)
    if s.quick:
        rng.shuffle(combos)
        # cover every file and every operation at least once, within the quick budget
        chosen, seen_f, seen_o = [], set(), set()
        for rel, op in combos:
            if rel not in seen_f or op not in seen_o:
                chosen.append((rel, op))
                seen_f.add(rel)
                seen_o.add(op)
        rest = [c for c in combos if c not in chosen]
        variants = (chosen + rest)[:60]
    else:
        reps = max(1, round(2 * s.scale))
        variants = [c for c in combos for _ in range(reps if c[1] in ("trunc_random", "flip", "swap") else 1)]
        # the log and the record of acknowledged commits get more variants
        for _ in range(int(30 * s.scale)):
            variants.append((rng.choice(["log/" + os.path.basename(x) for x in os.listdir(os.path.join(a, "log"))]
                                        + ["acknowledged"]), rng.choice(["trunc_random", "trunc_boundary", "flip"])))
    pristine_events = fx["events"]
    for vi, (rel, op) in enumerate(variants):
        fam.attempts += 1
        store = fresh_copy(s, a, "files")
        vrng = random.Random("%d/%d/%s/%s" % (s.args.seed, vi, rel, op))
        try:
            what = apply_fault(s, vrng, store, b, rel, op)
        except OSError as e:
            fam.notes.append("could not apply %s to %s: %s" % (op, rel, e))
            continue
        derived = is_derived(rel) and (op != "swap" or is_derived(what.split()[-1]))
        log_damage = not derived
        ackp = os.path.join(store, "acknowledged")
        ack_unusable = (not os.path.isfile(ackp) or os.path.getsize(ackp) < 128 or
                        (op in ("random_bytes", "random_short", "other_store") and rel == "acknowledged") or
                        (op == "swap" and "acknowledged" in what.split()))
        variant = "store A (%s); fault: %s" % ("derived file" if derived else "log or its records", what)
        runs = []

        def step(name, *args, allowed=EXPECTED_STEP_CODES):
            r = s.tl(store, *args)
            r.step = name
            runs.append(r)
            s.check_run(fam, name, r, variant, allowed=allowed, log_damage=log_damage, store=store, extra_runs=runs[:-1],
                        derived_touched=any(is_derived(w) for w in what.split() if "/" in w))
            return r

        v = step("verify", "verify")
        if log_damage and v.rc not in (0, 65, 1) and not v.signalled and not v.hung:
            s.violation(fam, "damage to the log not reported as 65", variant, list(runs),
                        "verify exited %s after a fault on the log or its records: acknowledged data the store no "
                        "longer holds must be reported as damage (65, LOST/DAMAGED)" % v.code, store)
        lost = "LOST" in v.out
        if s.args.verbose:
            print("  files %d: %s" % (vi + 1, variant), flush=True)
        damaged_report = v.rc == 65
        lr, events = s.log_events(store)
        s.check_run(fam, "log", lr, variant, log_damage=log_damage, store=store, extra_runs=runs)
        if v.rc == 0:
            if events is None:
                s.violation(fam, "verify 0 but log unreadable", variant, runs + [lr],
                            "verify passed but `teamlog log` exited %s" % lr.code, store)
            elif events[:len(pristine_events)] != pristine_events or len(events) != len(pristine_events):
                diff = first_difference(pristine_events, events)
                s.violation(fam, "verify 0 but acknowledged events missing or changed", variant, runs + [lr],
                            "verify exited 0 but the log differs from the pristine copy: %s" % diff, store)
        q1 = step("query", "query", "users", "--format", "json")
        c1 = step("sql", "sql", "SELECT count(*) AS n FROM inbox_messages", "--format", "json")
        for r, want, what_q in ((q1, fx["users"], "query users"), (c1, fx["inbox_count"], "sql count(inbox_messages)")):
            if r.rc == 0:
                got = canon_rows(r.out) if what_q == "query users" else r.out.strip()
                if got != want:
                    detail = row_diff(want, got) if what_q == "query users" else "%s, pristine %s" % (got, want)
                    (s.violation if (v.rc == 0 or derived) else s.questionable)(
                        fam, "query answer differs from pristine", variant, list(runs),
                        "%s exited 0 with an answer other than the pristine copy's (%s)%s" % (
                            what_q, detail, "; verify had exited 0" if v.rc == 0 else ""),
                        **({"store": store} if (v.rc == 0 or derived) else {}))
            if r.rc == 0 and lost:
                s.questionable(fam, "reader served while LOST", variant, list(runs),
                               "%s answered (exit 0) although verify reported LOST" % what_q)
        before = digest_tree(os.path.join(store, "log"))
        probe = s.next_probe("f")
        ppath = os.path.join(s.tmp, "work", "probe.jsonl")
        s.write_jsonl(ppath, [probe])
        e = step("exec", "exec", ppath)
        after = digest_tree(os.path.join(store, "log"))
        if lost and (e.rc == 0 or before != after):
            s.violation(fam, "exec appended after LOST", variant, list(runs),
                        "verify reported LOST, yet exec exited %s and the log's bytes %s" % (
                            e.code, "changed" if before != after else "did not change"), store)
        elif damaged_report and e.rc == 0:
            s.questionable(fam, "exec appended after verify 65", variant, list(runs),
                           "verify exited 65 (not LOST), yet exec appended")
        must_refuse = ack_unusable
        if must_refuse and e.rc == 0:
            s.violation(fam, "writer appended without the record of acknowledged commits", variant, list(runs),
                        "`acknowledged` was gone/unreadable/another store's, yet exec exited 0 before any recover", store)
        if must_refuse and e.rc not in (65,) and not e.signalled and not e.hung and e.rc != 0:
            s.questionable(fam, "exec refused with other code than 65", variant, list(runs),
                           "exec exited %s where `acknowledged` was gone" % e.code)
        # a command the pristine store rejects (an address that only store A's history claims) must not be accepted
        dup = s.next_probe("dup")
        dup["email"] = fx["taken_email"]
        s.write_jsonl(ppath, [dup])
        ej = step("exec-reject", "exec", ppath, allowed={2, 65})
        if ej.rc == 0:
            s.violation(fam, "decision state wrong: a taken address registered again", variant, list(runs),
                        "RegisterAccount with %s (claimed in the pristine log; pristine store: rejected, emailTaken) "
                        "exited 0" % fx["taken_email"], store)
        q2 = step("query-after", "query", "users", "--format", "json")
        if e.rc == 0 and q2.rc == 0 and (v.rc == 0 or derived):
            got = canon_rows(q2.out)
            want = fx["users"]
            if isinstance(got, list) and isinstance(want, list):
                extra = [r for r in got if r not in want]
                missing = [r for r in want if r not in got]
                if missing or len(extra) != 1 or probe["userId"] not in extra[0]:
                    s.violation(fam, "query after exec differs from pristine + the new user", variant, list(runs),
                                "users after the exec: %s (expected only %s more)" % (row_diff(want, got), probe["userId"]),
                                store)
        step("status", "status")
        rc = step("recover", "recover")
        if rc.rc == 0:
            v2 = step("verify-after-recover", "verify", allowed={0})
            lr2, ev2 = s.log_events(store)
            if ev2 is None or ev2[:len(pristine_events)] != pristine_events:
                s.violation(fam, "recover 0 while acknowledged events are missing", variant, runs + [lr2],
                            "recover (without --accept-loss) exited 0 but the log no longer holds the pristine "
                            "events: %s" % (first_difference(pristine_events, ev2) if ev2 else "log exited %s" % lr2.code),
                            store)
            probe2 = s.next_probe("f")
            s.write_jsonl(ppath, [probe2])
            e2 = step("exec-after-recover", "exec", ppath, allowed={0})
            if e2.rc != 0 and not e2.hung and not e2.signalled and e2.rc != 1:
                s.questionable(fam, "exec refused after a clean recover", variant, list(runs),
                               "recover exited 0 but the next exec exited %s" % e2.code)
        if lost and rc.rc == 0:
            s.violation(fam, "recover 0 after LOST", variant, list(runs),
                        "verify reported LOST but recover without --accept-loss exited 0", store)


def row_diff(want, got):
    if not isinstance(want, list) or not isinstance(got, list):
        return "not a list of rows"
    w, g = set(want), set(got)
    missing, extra = sorted(w - g), sorted(g - w)

    def ids(rows):
        out = []
        for r in rows[:4]:
            try:
                out.append(json.loads(r).get("user_id"))
            except ValueError:
                out.append(r[:40])
        return out
    return "pristine %d rows, now %d: %d missing e.g. %s, %d extra e.g. %s" % (
        len(want), len(got), len(missing), ids(missing), len(extra), ids(extra))


def first_difference(a, b):
    if b is None:
        return "no events"
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            keys = sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))
            return "first difference at event %d (position %s): fields %s: %s vs %s" % (
                i + 1, x.get("position"), keys, json.dumps({k: x.get(k) for k in keys})[:300],
                json.dumps({k: y.get(k) for k in keys})[:300])
    if len(a) != len(b):
        return "pristine has %d events, now %d" % (len(a), len(b))
    return "none"


# ---------------------------------------------------------------------------------------------
# Family 3: every truncation point of the newest segment

def family_truncate(s, fam):
    fx = build_fixtures(s)
    a = fx["A"]
    segs = sorted(os.listdir(os.path.join(a, "log")))
    newest = "log/" + segs[-1]
    data = open(os.path.join(a, newest), "rb").read()
    size = len(data)
    tail = 4096
    step_tail = 13 if s.quick else 1
    stride = 4999 if s.quick else max(97, int(997 / max(s.scale, 0.2)))
    offsets = set(range(max(0, size - tail), size, step_tail))
    offsets |= set(range(0, max(0, size - tail), stride))
    bounds = [o for o in boundaries_for(newest, data) if 0 <= o < size]
    offsets |= set(bounds) | {0, 1, 79, 80, 81, size - 1}
    offsets = sorted(o for o in offsets if 0 <= o < size)
    rng = random.Random(s.args.seed * 13 + 3)
    n_accept = 4 if s.quick else max(4, int(15 * s.scale))
    accept = set(rng.sample(offsets, min(n_accept, len(offsets)))) | ({max(bounds)} if bounds else set())
    fam.notes.append("%s is %d bytes; %d cut points (tail step %d, stride %d, %d boundaries), accept-loss on %d" % (
        newest, size, len(offsets), step_tail, stride, len(bounds), len(accept)))
    ppath = os.path.join(s.tmp, "work", "probe-t.jsonl")
    os.makedirs(os.path.dirname(ppath), exist_ok=True)
    pristine = fx["events"]
    store = fresh_copy(s, a, "trunc")
    seg = os.path.join(store, newest)
    pristine_tree = digest_tree(a)
    dirty = False
    for off in offsets:
        fam.attempts += 1
        # the same copy serves the next cut as long as nothing but the cut segment changed
        with open(seg, "wb") as f:
            f.write(data)
        if dirty or digest_tree(store) != pristine_tree:
            store = fresh_copy(s, a, "trunc")
        dirty = False
        with open(seg, "r+b") as f:
            f.truncate(off)
        variant = "store A; truncate -s %d %s (of %d bytes; every byte of it was acknowledged)" % (off, newest, size)
        runs = []
        v = s.tl(store, "verify")
        runs.append(v)
        intact = False
        if v.rc == 0:
            # every commit may still be there: the cut only took bytes that hold no commit (a frame's end mark
            # and content checksum); that is no loss, but it is not what the acknowledged record says either
            _, evs = s.log_events(store)
            intact = evs == pristine
        s.check_run(fam, "verify", v, variant, allowed={65} | ({0} if intact else set()), store=store)
        if v.rc == 65 and "LOST" not in v.out:
            s.violation(fam, "verify 65 without LOST", variant, runs,
                        "verify exited 65 but printed no LOST line for a cut of acknowledged bytes", store)
        elif v.rc == 0 and not intact:
            s.violation(fam, "verify 0 on a cut log", variant, runs,
                        "verify exited 0 although acknowledged commits were cut: %s" % first_difference(pristine, evs), store)
        elif v.rc == 0:
            s.questionable(fam, "cut of acknowledged bytes holding no commit: verify 0, called a torn tail", variant,
                           list(runs), "the cut took %d acknowledged byte(s) after the last commit (the frame's trailer); "
                           "every commit is still there and verify exits 0 (note: %s)" % (
                               size - off, " ".join(l for l in v.out.splitlines() if "torn" in l)[:300] or "none"))
        before = digest_tree(os.path.join(store, "log"))
        probe = s.next_probe("t")
        s.write_jsonl(ppath, [probe])
        e = s.tl(store, "exec", ppath)
        runs.append(e)
        s.check_run(fam, "exec", e, variant, allowed={0} if intact else {65}, store=store, extra_runs=runs[:-1])
        after = digest_tree(os.path.join(store, "log"))
        dirty = e.rc != 65 or before != after
        if intact:
            _, evs = s.log_events(store)
            if e.rc != 0 or evs is None or evs[:len(pristine)] != pristine:
                s.violation(fam, "exec after a trailer cut", variant, list(runs),
                            "exec exited %s; the log now: %s" % (e.code, first_difference(pristine, (evs or [])[:len(pristine)])),
                            store)
            continue
        if before != after:
            s.violation(fam, "exec changed the cut log", variant, runs,
                        "exec exited %s and the log's bytes changed (a torn-tail cut or an append over lost data)" % e.code,
                        store)
        if e.rc == 0:
            s.violation(fam, "exec appended after LOST", variant, runs, "exec exited 0 on a log missing acknowledged commits", store)
        if off not in accept:
            continue
        dirty = True
        # accept the loss
        lost_range = None
        for line in v.out.splitlines():
            if line.startswith("LOST positions="):
                try:
                    lo, hi = line.split()[1].split("=")[1].split("-")
                    lost_range = (int(lo), int(hi))
                except (IndexError, ValueError):
                    pass
        reason = "soak cut at %d" % off
        ra = s.tl(store, "recover", "--accept-loss", "--reason", reason)
        runs.append(ra)
        s.check_run(fam, "recover-accept", ra, variant, allowed={0}, store=store, extra_runs=runs[:-1])
        v2 = s.tl(store, "verify")
        runs.append(v2)
        s.check_run(fam, "verify-after-accept", v2, variant, allowed={0}, store=store, extra_runs=runs[:-1])
        lr, loss = s.log_events(store, extra=["--stream", "$log"])
        runs.append(lr)
        records = [x for x in (loss or []) if x.get("type") == "$AcknowledgedLossAccepted"]
        if not records:
            s.violation(fam, "no loss record", variant, runs, "no $AcknowledgedLossAccepted event in stream $log", store)
        else:
            p = records[-1].get("payload") or {}
            held = p.get("heldThrough")
            problems = []
            if p.get("reason") != reason:
                problems.append("reason %r" % p.get("reason"))
            if lost_range and (p.get("lostFrom"), p.get("lostThrough")) != lost_range:
                problems.append("lost %s-%s but verify said LOST %d-%d" % (p.get("lostFrom"), p.get("lostThrough"), *lost_range))
            if p.get("lostThrough") != fx["head"]:
                problems.append("lostThrough %s, the acknowledged head was %d" % (p.get("lostThrough"), fx["head"]))
            if held is None or records[-1].get("position") != held + 1:
                problems.append("the record is at position %s, heldThrough %s" % (records[-1].get("position"), held))
            lr_all, ev = s.log_events(store)
            if ev is None or held is None or ev[:held] != pristine[:held]:
                problems.append("the events kept differ from the pristine ones: %s" % first_difference(pristine[:held or 0], ev[:held or 0] if ev else None))
            if problems:
                s.violation(fam, "loss record wrong", variant, runs, "; ".join(problems), store)
        probe = s.next_probe("t")
        s.write_jsonl(ppath, [probe])
        e2 = s.tl(store, "exec", ppath)
        runs.append(e2)
        s.check_run(fam, "exec-after-accept", e2, variant, allowed={0}, store=store, extra_runs=runs[:-1])
        v3 = s.tl(store, "verify")
        runs.append(v3)
        s.check_run(fam, "verify-end", v3, variant, allowed={0}, store=store, extra_runs=runs[:-1])


# ---------------------------------------------------------------------------------------------
# Family 4: a full disk

class Mount:
    def __init__(self, path, kib):
        self.path, self.kib = path, kib

    def __enter__(self):
        os.makedirs(self.path, exist_ok=True)
        r = run(["mount", "-t", "tmpfs", "-o", "size=%dk,mode=0700" % self.kib, "tmpfs", self.path], timeout=30)
        if r.rc != 0:
            raise OSError("mount refused: " + (r.err.strip() or r.code))
        return self

    def remount(self, kib):
        r = run(["mount", "-o", "remount,size=%dk" % kib, self.path], timeout=30)
        if r.rc != 0:
            raise OSError("remount refused: " + r.err.strip())
        self.kib = kib

    def __exit__(self, *exc):
        r = run(["umount", self.path], timeout=30)
        if r.rc != 0:
            run(["umount", "-l", self.path], timeout=30)
        return False


def free_kib(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize // 1024


def fill(path, leave_kib):
    """Fills the file system of `path` so that about `leave_kib` KiB stay free."""
    filler = os.path.join(path, "filler")
    want = free_kib(path) - leave_kib
    if want <= 0:
        return filler
    with open(filler, "ab") as f:
        try:
            os.posix_fallocate(f.fileno(), 0, want * 1024)
        except OSError:
            block = b"\0" * (1 << 16)
            while free_kib(path) > leave_kib + 64:
                try:
                    f.write(block)
                    f.flush()
                except OSError:
                    break
    return filler


def family_diskfull(s, fam):
    if os.geteuid() != 0:
        fam.skipped = "not root: cannot mount tmpfs"
        return
    probe_mnt = os.path.join(s.tmp, "mnt-probe")
    try:
        with Mount(probe_mnt, 64):
            pass
    except OSError as e:
        fam.skipped = "tmpfs mount refused (%s)" % e
        return
    rng = random.Random(s.args.seed * 17 + 4)
    if s.quick:
        sizes = [64, 160, 384, 1024, 2560, 4096]
        leaves = [0, 8, 48, 200, 1024]
    else:
        sizes = [64, 96, 128, 192, 256, 320, 384, 512, 640, 768, 1024, 1536, 2048, 3072, 4096]
        sizes += sorted(rng.randint(64, 4096) for _ in range(int(8 * s.scale)))
        leaves = [0, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]
        leaves += sorted(rng.randint(0, 2048) for _ in range(int(10 * s.scale)))
    stream = Stream(rng, "df", register_only=True)
    counter = [0]

    def take(n):
        out = [stream.get(counter[0] + i) for i in range(n)]
        counter[0] += n
        return out

    fx = build_fixtures(s)
    for kib in sizes:
        mnt = os.path.join(s.tmp, "mnt-%d" % kib)
        try:
            with Mount(mnt, kib) as m:
                diskfull_round(s, fam, m, "tmpfs of %d KiB, store made there by demo" % kib, None, take, rng)
        except OSError as e:
            fam.notes.append("size %d KiB: %s" % (kib, e))
    for leave in leaves:
        mnt = os.path.join(s.tmp, "mnt-fill-%d" % leave)
        try:
            with Mount(mnt, 12 * 1024) as m:
                diskfull_round(s, fam, m, "tmpfs of 12 MiB holding a copy of store A, a filler leaving %d KiB free" % leave,
                               (fx["A"], leave), take, rng)
        except OSError as e:
            fam.notes.append("filler %d KiB: %s" % (leave, e))


def diskfull_round(s, fam, m, variant, history, take, rng):
    fam.attempts += 1
    store = os.path.join(m.path, "store")
    runs = []
    acked = {}
    filler = None
    if history:
        src, leave = history
        shutil.copytree(src, store, symlinks=True)
        filler = fill(m.path, leave)
        variant += " (%d KiB free after filling)" % free_kib(m.path)

    def ok_codes(r, step, allowed):
        s.check_run(fam, step, r, variant, allowed=set(allowed) | {65}, store=None, extra_runs=runs[:-1])
        if r.rc == 74 and "the disk is full" not in r.err:
            s.violation(fam, "74 without 'the disk is full'", variant, list(runs),
                        "%s exited 74 but standard error does not say the disk is full" % step)
        if r.rc == 65:
            s.violation(fam, "full disk reported as damage", variant, list(runs), "%s exited 65 on a full disk" % step)

    def step(name, *args, allowed=frozenset({0, 74})):
        r = s.tl(store, *args, timeout=120 if name == "demo" else DEFAULT_TIMEOUT)
        runs.append(r)
        allowed = set(allowed)
        if not os.path.exists(os.path.join(store, "store.id")):
            allowed.add(66)  # nothing was ever created there
        ok_codes(r, name, allowed)
        return r

    def exec_cmds(name, cmds, allowed=frozenset({0, 2, 74})):
        path = os.path.join(s.tmp, "work", "df.jsonl")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        s.write_jsonl(path, cmds)
        r = step(name, "exec", path, *(["--batch-size", str(rng.choice([1, 7, 50]))] if rng.random() < 0.5 else []),
                 allowed=allowed)
        for x in parse_results(r.out):
            if x.get("ok") and "line" in x:
                c = cmds[x["line"] - 1]
                acked.setdefault(c["commandId"], {"positions": x["positions"],
                                                  "events": None if x.get("duplicate") else x.get("events")})
        return r

    if not history:
        step("demo", "demo", "--events", str(rng.choice([1000, 3000, 6000])))
    for rnd in range(2):
        exec_cmds("exec", take(rng.choice([50, 300, 1500])))
        c = take(1)[0]
        r = step("subcommand", "register-account", "--actor", c["actor"], "--user-id", c["actor"], "--role", "buyer",
                 "--name", "Disk Full", "--email", c["actor"] + "@full.example", "--command-id", c["commandId"],
                 allowed={0, 2, 74})
        res = parse_results(r.out)
        if r.rc == 0 and res and res[0].get("ok"):
            acked[c["commandId"]] = {"positions": res[0]["positions"], "events": res[0].get("events")}
        step("query", "query", "users", "--format", "json")
        step("query-inbox", "query", "inbox", "u-sam")
        step("sql", "sql", "SELECT count(*) FROM inbox_messages")
        step("rebuild", "rebuild", *(rng.sample(["users", "inbox", "jobs", "team_roster"], 2) if rng.random() < 0.5 else []))
        out = os.path.join(m.path, "replay-%d.sqlite" % rnd)
        step("replay", "replay", "--as-of", str(rng.randint(1, 2000)), "--out", out)
        if os.path.exists(out):
            os.remove(out)
        step("status", "status")
        step("verify", "verify")
        step("verify-views", "verify", "--views")
    # while still full: every acknowledged command is in the log
    lr, events = s.log_events(store, payload=False)
    runs.append(lr)
    ok_codes(lr, "log-while-full", {0, 74} | ({66} if not os.path.exists(os.path.join(store, "store.id")) else set()))
    if events is not None:
        problems = check_acked(acked, events)
        if problems:
            s.violation(fam, "acknowledged command lost on a full disk", variant, list(runs), "; ".join(problems[:5]))
    # room again
    if filler and os.path.exists(filler):
        os.remove(filler)
    else:
        m.remount(64 * 1024)
    r = exec_cmds("exec-with-room", take(20), allowed={0})
    if r.rc != 0 and not r.signalled and not r.hung:
        s.violation(fam, "store does not go on once there is room", variant, list(runs),
                    "exec exited %s after space was freed" % r.code)
    v = step("verify-with-room", "verify", allowed={0})
    if v.rc != 0 and not v.signalled and not v.hung:
        s.violation(fam, "verify fails once there is room", variant, list(runs), "verify exited %s" % v.code)
    vv = step("verify-views-with-room", "verify", "--views", allowed={0})
    if vv.rc != 0 and not vv.signalled and not vv.hung:
        s.violation(fam, "views differ once there is room", variant, list(runs), "verify --views exited %s" % vv.code)
    lr, events = s.log_events(store, payload=False)
    if events is None:
        s.violation(fam, "log unreadable once there is room", variant, runs + [lr], "log exited %s" % lr.code)
    else:
        problems = check_acked(acked, events)
        if problems:
            s.violation(fam, "acknowledged command lost on a full disk", variant, list(runs), "; ".join(problems[:5]))


# ---------------------------------------------------------------------------------------------
# Family 5: two writers with the lock file removed

def family_lock(s, fam):
    fx = build_fixtures(s)
    rng = random.Random(s.args.seed * 19 + 5)
    actions = ["rm", "replace", "replace-pid", "rm-mkdir", "symlink", "mv"]
    seconds = ["exec", "exec-stdin", "subcommand", "recover", "recover-accept"]
    n = 8 if s.quick else max(12, int(24 * s.scale))
    combos = [(a, b) for a in actions for b in seconds]
    rng.shuffle(combos)
    variants = (combos * 3)[:n] if not s.quick else combos[:n]
    for vi, (action, second) in enumerate(variants):
        fam.attempts += 1
        store = fresh_copy(s, fx["A"], "lock")
        variant = "store A; first writer `teamlog exec -` holding the lock; lock: %s; second writer: %s" % (action, second)
        runs = []
        first_cmd = [s.teamlog, "exec", "-", "--store", store]
        proc = subprocess.Popen(first_cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        lines_q = queue.Queue()
        threading.Thread(target=lambda: [lines_q.put(l) for l in iter(proc.stdout.readline, b"")] + [lines_q.put(None)],
                         daemon=True).start()
        errs = []
        threading.Thread(target=lambda: errs.append(proc.stderr.read()), daemon=True).start()
        first_acked, first_out = [], []

        def feed(cmd):
            proc.stdin.write((json.dumps(cmd) + "\n").encode())
            proc.stdin.flush()
            try:
                line = lines_q.get(timeout=DEFAULT_TIMEOUT)
            except queue.Empty:
                return None
            if line is None:
                return None
            first_out.append(line.decode("utf-8", "replace"))
            try:
                res = json.loads(line)
            except ValueError:
                return None
            if res.get("ok"):
                first_acked.append((cmd["commandId"], res["positions"]))
            return res

        try:
            c1 = s.next_probe("l1")
            res = feed(c1)
            if not res or not res.get("ok"):
                s.violation(fam, "first writer failed", variant, [Run(first_cmd, proc.poll(), "".join(first_out), "", 0)],
                            "the first writer did not acknowledge its first command")
                continue
            lock = os.path.join(store, "lock")
            if action == "rm":
                os.remove(lock)
                what = "rm lock"
            elif action == "replace":
                os.remove(lock)
                open(lock, "w").close()
                what = "rm lock; touch lock"
            elif action == "replace-pid":
                os.remove(lock)
                with open(lock, "w") as f:
                    f.write("999999\n")
                what = "rm lock; echo 999999 > lock"
            elif action == "rm-mkdir":
                os.remove(lock)
                os.mkdir(lock)
                what = "rm lock; mkdir lock"
            elif action == "symlink":
                os.remove(lock)
                os.symlink("/nonexistent/teamlog-soak-lock", lock)
                what = "rm lock; ln -s /nonexistent/... lock"
            else:
                os.rename(lock, lock + ".moved")
                what = "mv lock lock.moved"
            variant += " (%s)" % what
            before = digest_tree(os.path.join(store, "log"))
            c2 = s.next_probe("l2")
            path = os.path.join(s.tmp, "work", "lock2.jsonl")
            s.write_jsonl(path, [c2])
            if second == "exec":
                r2 = s.tl(store, "exec", path, "--lock-timeout", "0.5")
            elif second == "exec-stdin":
                r2 = s.tl(store, "exec", "-", "--lock-timeout", "0.5", stdin_file=path, stdin_note="< " + path)
            elif second == "subcommand":
                r2 = s.tl(store, "register-account", "--actor", c2["actor"], "--user-id", c2["userId"], "--role", "buyer",
                          "--name", "Second Writer", "--email", c2["email"], "--command-id", c2["commandId"],
                          "--lock-timeout", "0.5")
            elif second == "recover":
                r2 = s.tl(store, "recover", "--lock-timeout", "0.5")
            else:
                r2 = s.tl(store, "recover", "--accept-loss", "--reason", "soak second writer", "--lock-timeout", "0.5")
            runs.append(r2)
            after = digest_tree(os.path.join(store, "log"))
            s.check_run(fam, "second-" + second, r2, variant, allowed={75}, store=store)
            if r2.rc != 75 and not r2.hung and not r2.signalled:
                s.violation(fam, "second writer not refused with 75", variant, list(runs),
                            "with the first writer holding the lock and `%s`, the second writer exited %s" % (what, r2.code),
                            store)
            if before != after:
                s.violation(fam, "second writer changed the log", variant, list(runs),
                            "the log's bytes changed while the first writer held the lock", store)
            if r2.secs > 10:
                s.questionable(fam, "slow refusal", variant, list(runs), "the second writer took %.1f s" % r2.secs)
            for _ in range(2):
                res = feed(s.next_probe("l1"))
                if not res or not res.get("ok"):
                    s.violation(fam, "first writer failed after the lock change", variant, list(runs) +
                                ["first writer's output: " + "".join(first_out)[-800:]],
                                "the first writer's next command got %s" % json.dumps(res), store)
                    break
            proc.stdin.close()
            try:
                proc.wait(timeout=DEFAULT_TIMEOUT)
            except subprocess.TimeoutExpired:
                kill_group(proc)
                proc.wait()
                s.violation(fam, "hang", variant, list(runs), "the first writer did not finish after its input closed")
            r1 = Run(first_cmd, proc.returncode, "".join(first_out), (errs[0] if errs else b"").decode("utf-8", "replace"),
                     0, stdin_note="(3 commands on an open pipe)")
            fam.count("first-writer", r1)
            runs.insert(0, r1)
            if r1.rc != 0:
                s.violation(fam, "first writer exit", variant, list(runs), "the first writer exited %s" % r1.code, store)
            v = s.tl(store, "verify")
            runs.append(v)
            s.check_run(fam, "verify", v, variant, allowed={0}, store=store, extra_runs=runs[:-1])
            lr, events = s.log_events(store, payload=False)
            if events is not None:
                problems = check_acked({c: {"positions": p} for c, p in first_acked}, events)
                if second in ("exec", "exec-stdin", "subcommand") and r2.rc != 0 and c2["commandId"] in index_log(events):
                    problems.append("the refused second writer's command %s is in the log" % c2["commandId"])
                if problems:
                    s.violation(fam, "acknowledged command lost", variant, list(runs), "; ".join(problems), store)
            # the lock free again: a writer gets in (a directory named lock may legitimately stop it)
            c3 = s.next_probe("l3")
            s.write_jsonl(path, [c3])
            r3 = s.tl(store, "exec", path, "--lock-timeout", "2")
            runs.append(r3)
            s.check_run(fam, "writer-after", r3, variant, allowed={0} if action != "rm-mkdir" else {0, 74, 65},
                        store=store, extra_runs=runs[:-1])
        finally:
            if proc.poll() is None:
                kill_group(proc)
                proc.wait()


# ---------------------------------------------------------------------------------------------

FAMILIES = [("kills", family_kills), ("files", family_files), ("truncate", family_truncate),
            ("diskfull", family_diskfull), ("lock", family_lock)]


def main():
    p = argparse.ArgumentParser(prog="Tools/soak", description=__doc__.split("\n")[0])
    p.add_argument("--teamlog", required=True, help="the teamlog binary")
    p.add_argument("--rounds", type=int, default=None)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--quick", action="store_true")
    p.add_argument("--family", action="append", choices=[f for f, _ in FAMILIES])
    p.add_argument("--keep", default=None)
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args()
    if not os.access(args.teamlog, os.X_OK):
        print("Tools/soak: no teamlog binary at %s" % args.teamlog, file=sys.stderr)
        return 66
    if args.rounds is not None and args.rounds < 1:
        print("Tools/soak: --rounds must be at least 1", file=sys.stderr)
        return 64
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    s = Soak(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that mounts are undone and the directory removed
    start = time.monotonic()
    try:
        for name, fn in FAMILIES:
            if args.family and name not in args.family:
                continue
            fam = Family(name)
            s.families.append(fam)
            print("soak: %s ..." % name, flush=True)
            try:
                fn(s, fam)
            except SystemExit:
                raise
            except Exception as e:  # the harness itself failed: say so, go on with the next family
                import traceback
                fam.notes.append("HARNESS ERROR: %r" % e)
                traceback.print_exc()
            fam.secs = time.monotonic() - fam.started
            print("soak: " + fam.summary(), flush=True)
        nviol = s.report(time.monotonic() - start)
        harness = any(n.startswith("HARNESS ERROR") for f in s.families for n in f.notes)
        return 1 if nviol or harness else 0
    finally:
        shutil.rmtree(s.tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
