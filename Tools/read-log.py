#!/usr/bin/env python3
"""Reads a Teamlog store's log without Teamlog: the stock `lz4` tool and this script.

    Tools/read-log.py STORE            # one JSON line per event, then the head hash
    Tools/read-log.py STORE --summary  # counts and the head hash only

For each segment (log/*.lz4, in name order) it runs `lz4 -dc`, which skips the segment header
(an LZ4 skippable frame) and outputs the commit records; it checks each record's CRC-32C,
that positions are dense, and recomputes the SHA-256 hash chain:
h(0) = 32 zero bytes, h(n) = SHA-256(h(n-1) + bytes of commit record n).
"""
import glob, hashlib, json, os, struct, subprocess, sys

def crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table

TABLE = crc32c_table()

def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF

def read_string(body, at):
    (n,) = struct.unpack_from("<H", body, at)
    return body[at + 2:at + 2 + n].decode("utf-8"), at + 2 + n

def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    store, summary = sys.argv[1], "--summary" in sys.argv
    chain, position, commits, events = bytes(32), 1, 0, 0
    for segment in sorted(glob.glob(os.path.join(store, "log", "*.lz4"))):
        data = subprocess.run(["lz4", "-dc", segment], check=True, capture_output=True).stdout
        at = 0
        while at < len(data):
            (length,) = struct.unpack_from("<I", data, at)
            record = data[at:at + 4 + length]
            body, (crc,) = record[4:-4], struct.unpack_from("<I", record, len(record) - 4)
            if crc32c(body) != crc:
                sys.exit(f"{segment}: record at decompressed offset {at} fails its CRC-32C")
            kind, first, micros, count = struct.unpack_from("<BQqI", body, 0)
            if kind not in (1, 2) or first != position:
                sys.exit(f"{segment}: expected a commit at position {position}, found kind {kind} position {first}")
            p = 21
            command, p = read_string(body, p)
            correlation, p = read_string(body, p)
            actor, p = read_string(body, p)
            principal = None
            if kind == 2:  # a commit sent on the actor's behalf: the principal follows the actor
                principal, p = read_string(body, p)
            for i in range(count):
                stream, p = read_string(body, p)
                (version,) = struct.unpack_from("<Q", body, p); p += 8
                etype, p = read_string(body, p)
                (schema, size) = struct.unpack_from("<HI", body, p); p += 6
                payload = body[p:p + size]; p += size
                if not summary:
                    print(json.dumps({"position": first + i, "stream": stream, "version": version, "type": etype,
                                      "schema": schema, "recordedAtMicros": micros, "commandId": command or None,
                                      "correlationId": correlation or None, "actor": actor,
                                      **({"principal": principal} if principal is not None else {}),
                                      "payload": payload.decode("utf-8", "replace")}))
            chain = hashlib.sha256(chain + record).digest()
            position, commits, events = first + count, commits + 1, events + count
            at += 4 + length
    print(json.dumps({"commits": commits, "events": events, "head_position": position - 1, "head_hash": chain.hex()}))

main()
