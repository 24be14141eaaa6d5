#!/usr/bin/env python3
"""Tools/bench serve: the HTTP server under load, against PostgreSQL 15 as the baseline (issue 15).

Usage: Tools/bench serve [--json] [--seconds S] [--connections 1,16,64,256] [--subscribers 100]
                         [--events N] [--commands N] [--no-postgres] [--no-feed] [--no-build]
                         [--key KEY | --key-file FILE] [--keep DIR]

What it does (every step cleaned up on exit, Ctrl-C or error):
 1. installs wrk and postgresql-15 from Debian when missing (apt-get, as root or through sudo) and
    builds the release `teamlog`;
 2. makes a store with `teamlog demo --events N` and writes a file of commands drawn from the
    reference workload's mix (Sources/Workload: weights reply 300, sendMessage 50, inviteProviders 70,
    createTeam 12, inviteToTeam 30), each valid once in any order: fresh ids, emails and names;
    replies to threads that exist in the demo store, InviteToTeam of a provider who is neither member
    nor invitee of that team, by one of its admins (each (team, provider) pair once);
 3. for each connection count: a fresh copy of the demo store, `teamlog serve` on loopback, wrk for
    S seconds (one command per request, each request a distinct command), then SIGTERM;
 4. PostgreSQL 15 in a temp dir (unix socket there, fsync=on, synchronous_commit=on), the events table
    of the issue, pgbench -M prepared with one INSERT per transaction mirroring the same mix (the same
    number of events per transaction, a fresh stream each: see docs/BENCHMARKS.md for why);
 5. the feed: 100 SSE subscribers on GET /v1/events?from=<head+1> while wrk writes at 64 connections,
    each event's delay = receipt time - recordedAtMicros.

API keys: --key KEY (or $TEAMLOG_BENCH_KEY) sends `Authorization: Bearer KEY` with every request;
--key-file FILE (or $TEAMLOG_BENCH_KEYS) holds lines "ACTOR KEY", a key per actor.
"""
import argparse
import builtins
import collections
import csv
import io
import json
import multiprocessing
import os
import random
import re
import resource
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_BIN = "/usr/lib/postgresql/15/bin"
BUILD_LOCK = os.environ.get("TEAMLOG_BUILD_LOCK", "/tmp/teamlog-build.lock")


def log(message):
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- cleanup

class Cleanup:
    def __init__(self):
        self.processes = []   # (name, Popen)
        self.actions = []     # callables, run last first

    def process(self, name, popen):
        self.processes.append((name, popen))
        return popen

    def stop(self, popen, timeout=20):
        if popen.poll() is None:
            popen.send_signal(signal.SIGTERM)
            try:
                popen.wait(timeout)
            except subprocess.TimeoutExpired:
                popen.kill()
                popen.wait()
        self.processes = [(n, p) for (n, p) in self.processes if p is not popen]

    def run(self):
        for _, popen in list(self.processes):
            try:
                self.stop(popen, timeout=10)
            except Exception:
                pass
        for action in reversed(self.actions):
            try:
                action()
            except Exception as error:
                log(f"serve-bench: cleanup: {error}")
        self.actions = []


CLEANUP = Cleanup()


def on_signal(signum, frame):
    raise KeyboardInterrupt


# ---------------------------------------------------------------- setup

def install_missing():
    missing = []
    if shutil.which("wrk") is None:
        missing.append("wrk")
    if not os.path.exists(f"{PG_BIN}/postgres") or shutil.which("pgbench") is None:
        missing += ["postgresql-15", "postgresql-client-15"]
    if missing:
        log(f"serve-bench: installing {' '.join(missing)}")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run(sudo + ["apt-get", "update", "-qq"], stdout=subprocess.DEVNULL)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq"] + missing, check=True, stdout=subprocess.DEVNULL,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def build():
    command = ["swift", "build", "-c", "release", "--product", "teamlog"]
    if shutil.which("flock"):
        command = ["flock", BUILD_LOCK] + command  # one build at a time on a shared machine
    log("serve-bench: " + " ".join(command))
    subprocess.run(command, cwd=ROOT, check=True, stdout=sys.stderr)


# ---------------------------------------------------------------- the commands

def sql(teamlog, store, statement):
    out = subprocess.run([teamlog, "sql", "--store", store, "--format", "csv", statement],
                         check=True, capture_output=True, text=True).stdout
    return list(csv.reader(io.StringIO(out)))[1:]


WEIGHTS = [("reply", 300), ("sendMessage", 50), ("inviteProviders", 70), ("createTeam", 12), ("inviteToTeam", 30)]
FIRST = ["maria", "chen", "sam", "ann", "li", "omar", "eva", "raj", "ines", "tom", "yuki", "noor", "ivan", "zoe"]
LAST = ["lopez", "wang", "smith", "lee", "khan", "novak", "silva", "sato", "haddad", "berg", "costa", "okafor"]
DOMAINS = ["example.com", "example.org", "mail.example", "dev.example"]
NOUNS = ["Mobile", "Payments", "Design", "Backend", "Data", "Growth", "Support", "Platform", "QA", "Content"]


def make_commands(teamlog, store, count, path, seed=15):
    """Writes `count` lines "ACTOR<TAB>JSON"; returns the events they append and how many of each kind."""
    rng = random.Random(seed)
    run = "b%x" % rng.getrandbits(24)
    users = sql(teamlog, store, "SELECT user_id, role FROM users")
    by_role = collections.defaultdict(list)
    for user_id, role in users:
        by_role[role].append(user_id)
    everyone = [u for u, _ in users]
    inviters = by_role["buyer"] + by_role["provider"] + by_role["affiliateManager"]
    creators = by_role["buyer"] + by_role["providerCompany"]
    participants = sql(teamlog, store, "SELECT thread_id, user_id FROM inbox_participants")
    bodies = [row[0] for row in sql(teamlog, store, "SELECT body FROM inbox_messages ORDER BY position DESC LIMIT 3000")]
    admins = collections.defaultdict(list)
    taken = collections.defaultdict(set)
    for team_id, user_id, role, status in sql(teamlog, store, "SELECT team_id, user_id, role, status FROM team_members"):
        taken[team_id].add(user_id)
        if role == "admin" and status == "active":
            admins[team_id].append(user_id)
    for team_id, user_id in sql(teamlog, store, "SELECT team_id, user_id FROM team_invitations"):
        taken[team_id].add(user_id)
    # Every (team, provider) pair an admin can invite: each once, in a random order.
    pairs = [(t, p) for t in admins for p in by_role["provider"] if p not in taken[t]]
    rng.shuffle(pairs)
    total = sum(w for _, w in WEIGHTS)
    kinds = collections.Counter()
    events = 0
    with open(path, "w") as out:
        for n in range(count):
            roll = rng.randrange(total)
            for kind, weight in WEIGHTS:
                if roll < weight:
                    break
                roll -= weight
            if kind == "inviteToTeam" and not pairs:
                kind = "sendMessage"
            suffix = f"{run}-{n}"
            if kind == "reply":
                thread_id, actor = rng.choice(participants)
                command = {"command": "ReplyToThread", "actor": actor, "threadId": thread_id,
                           "body": rng.choice(bodies), "messageId": f"m-{suffix}"}
                events += 1
            elif kind == "sendMessage":
                actor = rng.choice(everyone)
                recipient = rng.choice(everyone)
                while recipient == actor:
                    recipient = rng.choice(everyone)
                command = {"command": "SendMessage", "actor": actor, "recipientId": recipient,
                           "subject": f"{rng.choice(NOUNS)} work", "body": rng.choice(bodies),
                           "threadId": f"th-{suffix}", "messageId": f"m-{suffix}"}
                events += 2
            elif kind == "inviteProviders":
                actor = rng.choice(inviters)
                emails = 1 if rng.random() < 0.7 else 2 + rng.randrange(3)
                command = {"command": "InviteProviders", "actor": actor,
                           "emails": [f"{rng.choice(FIRST)}.{rng.choice(LAST)}.{suffix}-{i}@{rng.choice(DOMAINS)}" for i in range(emails)],
                           "invitationIds": [f"inv-{suffix}-{i}" for i in range(emails)],
                           "tokens": ["%016x" % rng.getrandbits(64) for _ in range(emails)]}
                events += emails
            elif kind == "createTeam":
                actor = rng.choice(creators)
                command = {"command": "CreateTeam", "actor": actor, "teamId": f"team-{suffix}",
                           "name": f"{rng.choice(NOUNS)} team {suffix}"}
                events += 2
            else:
                team_id, provider = pairs.pop()
                actor = rng.choice(admins[team_id])
                command = {"command": "InviteToTeam", "actor": actor, "teamId": team_id, "userId": provider,
                           "role": "member", "invitationId": f"ti-{suffix}"}
                events += 1
            kinds[command["command"]] += 1
            out.write(actor + "\t" + json.dumps(command, separators=(",", ":")) + "\n")
    return events, kinds, bodies


# ---------------------------------------------------------------- the server

def start_server(teamlog, store):
    popen = CLEANUP.process("teamlog serve", subprocess.Popen(
        [teamlog, "serve", "--store", store, "--listen", "127.0.0.1:0"],
        stdout=subprocess.PIPE, stderr=open(os.path.join(store, "..", os.path.basename(store) + ".serve.log"), "w"),
        text=True))
    deadline = time.time() + 60
    while time.time() < deadline:
        line = popen.stdout.readline()
        if not line:
            raise RuntimeError(f"teamlog serve exited ({popen.wait()}) before listening; see {store}.serve.log")
        match = re.search(r"listening on (http://\S+)", line)
        if match:
            return popen, match.group(1).rstrip("/")
    raise RuntimeError("teamlog serve did not say where it listens within 60 s")


def http_get(url):
    request = urllib.request.Request(url)
    key = os.environ.get("SERVE_BENCH_KEY")
    if key:
        request.add_header("Authorization", "Bearer " + key)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()


def metrics_summary(base):
    """Group-commit batches and durable-write times from /metrics."""
    text = http_get(base + "/metrics")
    values = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        parts = line.rsplit(" ", 1)
        if len(parts) == 2:
            try:
                values[parts[0]] = float(parts[1])
            except ValueError:
                pass
    out = {}
    count = values.get("teamlog_group_commit_batch_commands_count")
    if count:
        out["batches"] = int(count)
        out["mean_batch_commands"] = round(values.get("teamlog_group_commit_batch_commands_sum", 0) / count, 1)
    ccount = values.get("teamlog_commit_seconds_count")
    if ccount:
        out["mean_commit_ms"] = round(1000 * values.get("teamlog_commit_seconds_sum", 0) / ccount, 2)
    return out, text


def wrk(base, connections, seconds, commands, tmp, label):
    threads = min(connections, 2)
    out = os.path.join(tmp, f"wrk-{label}.json")
    env = dict(os.environ, SERVE_BENCH_COMMANDS=commands, SERVE_BENCH_OUT=out, SERVE_BENCH_THREADS=str(threads))
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
               "-s", os.path.join(ROOT, "Tools", "serve-bench-post.lua"), base + "/v1/commands"]
    started = time.time()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0 or not os.path.exists(out):
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr or result.stdout}")
    with open(out) as f:
        figures = json.load(f)
    figures["wall_s"] = time.time() - started
    return figures


def head_of(base):
    status = json.loads(http_get(base + "/v1/status"))
    for key in ("head", "position", "headPosition"):
        value = status.get(key)
        if isinstance(value, int):
            return value
        if isinstance(value, dict) and isinstance(value.get("position"), int):
            return value["position"]
    raise RuntimeError(f"no head position in /v1/status: {status}")


# ---------------------------------------------------------------- feed subscribers

RECORDED = re.compile(rb'"recordedAtMicros":(\d+)')


def subscriber_process(host, port, path, count, stop_at, ready, results, target):
    """`count` SSE subscribers in one process (non-blocking sockets, one selector): each chunk is cut at
    its last complete event, the events' recordedAtMicros found by one regex pass (C speed), and the delay
    counted once per distinct value (a batch shares its stamp) with the number of events carrying it."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent stops it
    key = os.environ.get("SERVE_BENCH_KEY")
    selector = selectors.DefaultSelector()
    state = {}
    for _ in range(count):
        sock = socket.create_connection((host, port))
        sock.setblocking(False)
        request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n"
        if key:
            request += f"Authorization: Bearer {key}\r\n"
        sock.sendall((request + "\r\n").encode())
        selector.register(sock, selectors.EVENT_READ)
        state[sock] = {"buffer": b"", "events": 0, "open": False}
    histogram = collections.Counter()   # delay in units of 0.1 ms -> deliveries
    opened = 0
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    wall0 = time.time()
    while time.time() < stop_at:
        # Done once every subscriber has every event written (the parent sets `target` after the writers).
        if target.value and all(s["events"] >= target.value for s in state.values()):
            break
        for key_, _ in selector.select(timeout=0.2):
            sock = key_.fileobj
            try:
                chunk = sock.recv(1 << 20)
            except BlockingIOError:
                continue
            now = time.time_ns() // 1000
            if not chunk:
                selector.unregister(sock)
                continue
            s = state[sock]
            buffer = s["buffer"] + chunk
            cut = buffer.rfind(b"\n\n")
            if cut < 0:
                s["buffer"] = buffer
                continue
            complete, s["buffer"] = buffer[:cut], buffer[cut + 2:]
            if not s["open"] and b"teamlog feed" in complete:
                s["open"] = True
                opened += 1
                if opened == count:
                    ready.set()
            stamps = RECORDED.findall(complete)
            if stamps:
                s["events"] += len(stamps)
                for stamp, n in collections.Counter(stamps).items():
                    histogram[max(0, (now - int(stamp)) // 100)] += n
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    results.put({"histogram": dict(histogram), "events": [s["events"] for s in state.values()],
                 "cpu_share": cpu / max(1e-9, time.time() - wall0)})


def percentile(histogram, fraction):
    total = sum(histogram.values())
    if total == 0:
        return float("nan")
    goal = fraction * total
    seen = 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen >= goal:
            return (bucket + 0.5) / 10.0   # ms
    return float("nan")


def feed_run(teamlog, pristine, tmp, commands, connections, seconds, subscribers):
    store = os.path.join(tmp, "store-feed")
    shutil.copytree(pristine, store, symlinks=True)
    server, base = start_server(teamlog, store)
    try:
        head = head_of(base)
        host, port = re.match(r"http://([^:/]+):(\d+)", base).groups()
        processes = 2
        context = multiprocessing.get_context("fork")
        results = context.Queue()
        readies = []
        workers = []
        stop_at = time.time() + seconds + 60
        target = context.Value("q", 0)
        for i in range(processes):
            share = subscribers // processes + (1 if i < subscribers % processes else 0)
            ready = context.Event()
            worker = context.Process(target=subscriber_process, daemon=True,
                                     args=(host, int(port), f"/v1/events?from={head + 1}", share, stop_at, ready, results, target))
            worker.start()
            CLEANUP.actions.append(lambda worker=worker: worker.is_alive() and worker.terminate())
            readies.append(ready)
            workers.append(worker)
        for ready in readies:
            if not ready.wait(30):
                raise RuntimeError("the feed subscribers did not all connect within 30 s")
        figures = wrk(base, connections, seconds, commands, tmp, f"feed-{connections}")
        written = head_of(base) - head
        target.value = written
        # Let the subscribers read to the head (or give up at stop_at).
        gathered = [results.get(timeout=seconds + 90) for _ in workers]
        for worker in workers:
            worker.join(5)
        metrics, _ = metrics_summary(base)
    finally:
        CLEANUP.stop(server)
        shutil.rmtree(store, ignore_errors=True)
    histogram = collections.Counter()
    received = []
    for g in gathered:
        histogram.update({int(k): v for k, v in g["histogram"].items()})
        received += g["events"]
    return {
        "writers": figures, "metrics": metrics, "events_written": written,
        "min_received": min(received), "max_received": max(received),
        "p50_ms": percentile(histogram, 0.50), "p99_ms": percentile(histogram, 0.99),
        "p999_ms": percentile(histogram, 0.999), "max_ms": max(histogram) / 10.0 if histogram else float("nan"),
        "client_cpu_share": [round(g["cpu_share"], 2) for g in gathered],
    }


# ---------------------------------------------------------------- PostgreSQL

def pg_scripts(tmp, bodies):
    """pgbench scripts, one per kind of command, each one INSERT (one transaction) of the events that
    command appends, on a fresh stream; weights as in the teamlog mix."""
    rng = random.Random(7)

    def js(value):
        return json.dumps(value, separators=(",", ":")).replace("'", "''")

    def body():
        return rng.choice(bodies) if bodies else "Hello, are you available next week?"

    now = "now()"
    scripts = {
        # ReplyToThread: one MessageSent.
        "reply": (300, "INSERT INTO events(stream, version, type, data, recorded_at) VALUES "
                       f"('thread-' || gen_random_uuid(), 1, 'MessageSent', '{js({'body': body(), 'messageId': 'm-1', 'senderId': 'u-12', 'threadId': 'th-1'})}', {now});"),
        # SendMessage: ThreadStarted + MessageSent on a new thread.
        "send": (50, "WITH s AS (SELECT 'thread-' || gen_random_uuid() AS stream) "
                     "INSERT INTO events(stream, version, type, data, recorded_at) SELECT s.stream, e.v, e.t, e.d::jsonb, now() FROM s, (VALUES "
                     f"(1, 'ThreadStarted', '{js({'kind': 'direct', 'participants': ['u-12', 'u-34'], 'startedBy': 'u-12', 'subject': 'Backend work', 'threadId': 'th-1'})}'), "
                     f"(2, 'MessageSent', '{js({'body': body(), 'messageId': 'm-1', 'senderId': 'u-12', 'threadId': 'th-1'})}')) AS e(v, t, d);"),
        # InviteProviders with one address (70%) or three (30%, the mean of 2-4): ProviderInvited each.
        "invite1": (49, "INSERT INTO events(stream, version, type, data, recorded_at) VALUES "
                        f"('invitation-' || gen_random_uuid(), 1, 'ProviderInvited', '{js({'email': 'maria.lopez.1@example.com', 'invitationId': 'inv-1', 'invitedBy': 'u-12', 'token': 'inv-1.0123456789abcdef'})}', {now});"),
        "invite3": (21, "INSERT INTO events(stream, version, type, data, recorded_at) VALUES " + ", ".join(
                        f"('invitation-' || gen_random_uuid(), 1, 'ProviderInvited', '{js({'email': f'maria.lopez.{i}@example.com', 'invitationId': f'inv-{i}', 'invitedBy': 'u-12', 'token': f'inv-{i}.0123456789abcdef'})}', {now})"
                        for i in range(3)) + ";"),
        # CreateTeam: TeamCreated + TeamMemberAdded on a new team.
        "team": (12, "WITH s AS (SELECT 'team-' || gen_random_uuid() AS stream) "
                     "INSERT INTO events(stream, version, type, data, recorded_at) SELECT s.stream, e.v, e.t, e.d::jsonb, now() FROM s, (VALUES "
                     f"(1, 'TeamCreated', '{js({'createdBy': 'u-12', 'name': 'Mobile team', 'teamId': 'team-1'})}'), "
                     f"(2, 'TeamMemberAdded', '{js({'role': 'admin', 'teamId': 'team-1', 'userId': 'u-12', 'via': 'creator'})}')) AS e(v, t, d);"),
        # InviteToTeam: one TeamInvitationSent (a fresh stream too: see docs/BENCHMARKS.md).
        "teaminvite": (30, "INSERT INTO events(stream, version, type, data, recorded_at) VALUES "
                           f"('team-' || gen_random_uuid(), 1, 'TeamInvitationSent', '{js({'invitationId': 'ti-1', 'invitedBy': 'u-12', 'role': 'member', 'teamId': 'team-1', 'userId': 'u-34'})}', {now});"),
    }
    arguments = []
    for name, (weight, text) in scripts.items():
        path = os.path.join(tmp, f"pg-{name}.sql")
        with open(path, "w") as f:
            f.write(text + "\n")
        arguments += ["-f", f"{path}@{weight}"]
    return arguments


class Postgres:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="teamlog-serve-bench-pg.")
        CLEANUP.actions.append(lambda: shutil.rmtree(self.dir, ignore_errors=True))
        self.data = os.path.join(self.dir, "data")
        self.socket = self.dir
        self.as_user = []
        if os.geteuid() == 0:   # PostgreSQL refuses to run as root
            import pwd
            owner = pwd.getpwnam("postgres")
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def run(self, *command, **kw):
        return subprocess.run(self.as_user + list(command), check=True, **kw)

    def start(self):
        self.run(f"{PG_BIN}/initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 stdout=subprocess.DEVNULL)
        options = (f"-k {self.socket} -c listen_addresses='' -c fsync=on -c synchronous_commit=on "
                   "-c max_connections=300 -c shared_buffers=256MB -c wal_buffers=16MB -c max_wal_size=4GB")
        self.run(f"{PG_BIN}/pg_ctl", "-D", self.data, "-o", options, "-l", os.path.join(self.dir, "postgres.log"),
                 "-w", "start", stdout=subprocess.DEVNULL)
        CLEANUP.actions.append(self.stop)

    def stop(self):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self.run(f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", stdout=subprocess.DEVNULL)

    def psql(self, statement):
        subprocess.run(["psql", "-h", self.socket, "-U", "postgres", "-q", "-v", "ON_ERROR_STOP=1",
                        "-c", "SET client_min_messages = warning", "-c", statement],
                       check=True, stdout=subprocess.DEVNULL)

    def reset(self):
        self.psql("DROP TABLE IF EXISTS events; CREATE TABLE events(position bigserial primary key, stream text, "
                  "version int, type text, data jsonb, recorded_at timestamptz, unique(stream, version)); CHECKPOINT;")

    def bench(self, scripts, connections, seconds, tmp):
        self.reset()
        prefix = os.path.join(self.dir, f"pgbench-{connections}")
        threads = min(connections, 2)
        command = ["pgbench", "-h", self.socket, "-U", "postgres", "-n", "-M", "prepared", "-c", str(connections),
                   "-j", str(threads), "-T", str(seconds), "-l", "--log-prefix", prefix] + scripts + ["postgres"]
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.dir)
        if result.returncode != 0:
            raise RuntimeError(f"pgbench failed: {result.stderr[-2000:]}")
        latencies = []
        for name in os.listdir(self.dir):
            if name.startswith(os.path.basename(prefix) + "."):
                with open(os.path.join(self.dir, name)) as f:
                    for line in f:
                        fields = line.split()
                        if len(fields) >= 3 and fields[2].isdigit():
                            latencies.append(int(fields[2]))
                os.remove(os.path.join(self.dir, name))
        latencies.sort()
        tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", result.stdout)
        failed = re.search(r"number of failed transactions: (\d+)", result.stdout)

        def pct(q):
            return latencies[min(len(latencies) - 1, int(q * len(latencies)))] / 1000.0 if latencies else float("nan")

        return {"commands_per_s": float(tps.group(1)) if tps else len(latencies) / seconds,
                "transactions": len(latencies), "failed": int(failed.group(1)) if failed else 0,
                "p50_ms": pct(0.50), "p99_ms": pct(0.99), "p999_ms": pct(0.999)}


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(prog="Tools/bench serve", description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print JSON lines instead of the table")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per connection count (default 10)")
    parser.add_argument("--connections", default="1,16,64,256", help="connection counts (default 1,16,64,256)")
    parser.add_argument("--subscribers", type=int, default=100, help="feed subscribers (default 100; 0 skips the feed)")
    parser.add_argument("--feed-connections", type=int, default=64, help="writers while the feed is measured (default 64)")
    parser.add_argument("--events", type=int, default=20000, help="events of the demo store (default 20000)")
    parser.add_argument("--commands", type=int, default=0, help="commands in the file (default 40,000 per second of a run)")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL baseline")
    parser.add_argument("--no-build", action="store_true", help="use the built .build/release/teamlog as is")
    parser.add_argument("--key", default=os.environ.get("TEAMLOG_BENCH_KEY", ""), help="API key for every request")
    parser.add_argument("--key-file", default=os.environ.get("TEAMLOG_BENCH_KEYS", ""), help="file of lines 'ACTOR KEY'")
    parser.add_argument("--keep", default="", help="copy the servers' logs and metrics into DIR")
    args = parser.parse_args()
    connections = [int(c) for c in args.connections.split(",") if c]
    if args.key:
        os.environ["SERVE_BENCH_KEY"] = args.key
    if args.key_file:
        os.environ["SERVE_BENCH_KEYS"] = os.path.abspath(args.key_file)

    # Explicitly, so that Ctrl-C also stops a bench started where SIGINT was ignored (a background job).
    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, on_signal)
    rows = []
    feed = None
    try:
        install_missing()
        if not args.no_build:
            build()
        teamlog = os.path.join(ROOT, ".build", "release", "teamlog")
        tmp = tempfile.mkdtemp(prefix="teamlog-serve-bench.")
        CLEANUP.actions.append(lambda: shutil.rmtree(tmp, ignore_errors=True))
        pristine = os.path.join(tmp, "pristine")
        log(f"serve-bench: teamlog demo --events {args.events}")
        subprocess.run([teamlog, "demo", "--store", pristine, "--events", str(args.events)], check=True,
                       stdout=subprocess.DEVNULL)
        if not args.key and not args.key_file:
            # One system key, acting on behalf of each command's actor (as an application backend would);
            # every copy of the store keeps it.
            made = subprocess.run([teamlog, "keys", "add", "--store", pristine, "--actor", "system", "--role", "system"],
                                  check=True, capture_output=True, text=True)
            os.environ["SERVE_BENCH_KEY"] = made.stdout.strip().splitlines()[-1]
        count = args.commands or 40_000 * args.seconds
        commands = os.path.join(tmp, "commands.tsv")
        events, kinds, bodies = make_commands(teamlog, pristine, count, commands)
        log(f"serve-bench: {count} commands ({events} events): " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))

        for n in connections:
            store = os.path.join(tmp, f"store-{n}")
            shutil.copytree(pristine, store, symlinks=True)
            server, base = start_server(teamlog, store)
            try:
                log(f"serve-bench: teamlog, {n} connections, {args.seconds} s")
                figures = wrk(base, n, args.seconds, commands, tmp, str(n))
                metrics, text = metrics_summary(base)
                if args.keep:
                    os.makedirs(args.keep, exist_ok=True)
                    with open(os.path.join(args.keep, f"metrics-{n}.txt"), "w") as f:
                        f.write(text)
            finally:
                CLEANUP.stop(server)
            if args.keep:
                shutil.copy(store + ".serve.log", os.path.join(args.keep, f"serve-{n}.log"))
            shutil.rmtree(store, ignore_errors=True)
            seconds = figures["duration_us"] / 1e6
            rows.append({"system": "teamlog", "connections": n, "commands_per_s": figures["ok"] / seconds,
                         "p50_ms": figures["p50_us"] / 1000, "p99_ms": figures["p99_us"] / 1000,
                         "p999_ms": figures["p999_us"] / 1000, "non200": figures["non200"],
                         "socket_errors": figures["socket_errors"], "wraps": figures["wraps"], **metrics})
            if figures["non200"]:
                log(f"serve-bench: {figures['non200']} non-200 answers, e.g. {figures['sample'][:600]}")
            if figures["wraps"]:
                log(f"serve-bench: the commands ran out and started over ({figures['wraps']} times): use --commands")

        if args.subscribers > 0:
            log(f"serve-bench: feed, {args.subscribers} subscribers while {args.feed_connections} connections write")
            feed = feed_run(teamlog, pristine, tmp, commands, args.feed_connections, args.seconds, args.subscribers)

        if not args.no_postgres:
            pg = Postgres()
            pg.start()
            scripts = pg_scripts(tmp, bodies)
            for n in connections:
                log(f"serve-bench: postgres, {n} connections, {args.seconds} s")
                figures = pg.bench(scripts, n, args.seconds, tmp)
                rows.append({"system": "postgres", "connections": n, "commands_per_s": figures["commands_per_s"],
                             "p50_ms": figures["p50_ms"], "p99_ms": figures["p99_ms"], "p999_ms": figures["p999_ms"],
                             "non200": figures["failed"]})
    except KeyboardInterrupt:
        log("serve-bench: interrupted")
        CLEANUP.run()
        return 130
    finally:
        CLEANUP.run()

    report(rows, feed, args)
    return 0


def report(rows, feed, args):
    if args.json:
        table(rows, feed, args, sys.stderr)   # the table too, on standard error
        for row in rows:
            print(json.dumps({"bench": "serve", "system": row["system"], "connections": row["connections"],
                              "commands_per_s": round(row["commands_per_s"], 1), "p50_ms": round(row["p50_ms"], 3),
                              "p99_ms": round(row["p99_ms"], 3), "p999_ms": round(row["p999_ms"], 3)}))
        if feed:
            print(json.dumps({"bench": "serve-feed", "subscribers": args.subscribers,
                              "connections": args.feed_connections,
                              "commands_per_s": round(feed["writers"]["ok"] / (feed["writers"]["duration_us"] / 1e6), 1),
                              "p50_ms": feed["p50_ms"], "p99_ms": feed["p99_ms"], "p999_ms": feed["p999_ms"],
                              "events": feed["events_written"], "min_received": feed["min_received"],
                              "client_cpu_share": feed["client_cpu_share"]}))
        return
    table(rows, feed, args, sys.stdout)


def table(rows, feed, args, out):
    def print(*a, **k):
        builtins.print(*a, file=out, **k)

    print(f"{'system':<9} {'conns':>5} {'commands/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'p999 ms':>8} {'non-200':>8}  notes")
    for row in rows:
        notes = ""
        if "mean_batch_commands" in row:
            notes = f"batch {row['mean_batch_commands']} cmds, commit {row.get('mean_commit_ms', 0)} ms"
        if row.get("wraps"):
            notes += f", commands wrapped {row['wraps']}x"
        print(f"{row['system']:<9} {row['connections']:>5} {row['commands_per_s']:>11,.0f} {row['p50_ms']:>8.2f} "
              f"{row['p99_ms']:>8.2f} {row['p999_ms']:>8.2f} {row['non200']:>8}  {notes}")
    if feed:
        w = feed["writers"]
        print(f"\nfeed: {args.subscribers} subscribers while {args.feed_connections} connections write "
              f"({w['ok'] / (w['duration_us'] / 1e6):,.0f} commands/s, {feed['events_written']} events): delivery "
              f"p50 {feed['p50_ms']:.1f} ms, p99 {feed['p99_ms']:.1f} ms, p999 {feed['p999_ms']:.1f} ms, max {feed['max_ms']:.1f} ms; "
              f"each subscriber got {feed['min_received']}-{feed['max_received']} events; "
              f"client CPU per process {feed['client_cpu_share']} of a core")
    by = {(r["system"], r["connections"]): r for r in rows}
    t64, p64, t1 = by.get(("teamlog", 64)), by.get(("postgres", 64)), by.get(("teamlog", 1))
    if t64:
        print("\ntargets at 64 connections:")
        if p64:
            ratio = t64["commands_per_s"] / p64["commands_per_s"]
            print(f"  vs PostgreSQL: {ratio:.2f}x (target >= 2x: {'met' if ratio >= 2 else 'NOT met'})")
        if t1:
            ratio = t64["commands_per_s"] / t1["commands_per_s"]
            print(f"  vs 1 connection: {ratio:.1f}x (target >= 10x: {'met' if ratio >= 10 else 'NOT met'})")
        print(f"  p99 {t64['p99_ms']:.1f} ms (target < 25 ms: {'met' if t64['p99_ms'] < 25 else 'NOT met'})")
    if feed:
        print(f"  feed p99 {feed['p99_ms']:.1f} ms (target < 50 ms: {'met' if feed['p99_ms'] < 50 else 'NOT met'})")


if __name__ == "__main__":
    sys.exit(main())
