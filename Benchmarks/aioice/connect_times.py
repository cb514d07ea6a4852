#!/usr/bin/env python3
"""ICE connect times on loopback: `icelab ice-peer` against aioice, side by side with
aioice against aioice.

Runs N connections (default 20) for each pairing and role, each peer a subprocess that
speaks the one-line JSON protocol of `icelab ice-peer` (Tests/LiveTests/aioice_peer.py
for aioice), and prints the median and range of each side's `elapsed_ms`: from the
moment it had the peer's description until it reported connected. icelab reports
connected at its first usable pair (a browser's "connected"); aioice when every
component has a nominated pair. Wall-clock figures: run on an idle machine.

    Benchmarks/aioice/connect_times.py [--icelab .build/debug/icelab] [-n 20]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AIOICE = os.path.join(ROOT, "Tests", "LiveTests", "aioice_peer.py")


def peer(kind, role, icelab):
    command = [icelab, "ice-peer", "--role", role] if kind == "icelab" else [sys.executable, AIOICE, "--role", role]
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def connect_once(controlling, controlled, icelab):
    """One connection; returns (controlling elapsed_ms, controlled elapsed_ms) or None."""
    peers = [peer(controlling, "controlling", icelab), peer(controlled, "controlled", icelab)]
    try:
        descriptions = [p.stdout.readline() for p in peers]
        for p, line in zip(peers, reversed(descriptions)):
            p.stdin.write(line)
            p.stdin.flush()
        results = [json.loads(p.stdout.readline() or "{}") for p in peers]
        if any(r.get("state") not in ("connected", "completed") for r in results):
            return None
        return tuple(r["elapsed_ms"] for r in results)
    finally:
        for p in peers:
            p.stdin.close()
        for p in peers:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--icelab", default=os.path.join(ROOT, ".build", "debug", "icelab"))
    parser.add_argument("-n", type=int, default=20)
    args = parser.parse_args()
    pairings = [("icelab", "aioice"), ("aioice", "icelab"), ("aioice", "aioice"), ("icelab", "icelab")]
    print("| controlling | controlled | connected | controlling median (min-max) ms | controlled median (min-max) ms |")
    print("| --- | --- | --- | --- | --- |")
    for controlling, controlled in pairings:
        times = [t for t in (connect_once(controlling, controlled, args.icelab) for _ in range(args.n)) if t]
        cells = [f"{statistics.median(side):.0f} ({min(side)}-{max(side)})" for side in zip(*times)] if times else ["-", "-"]
        print(f"| {controlling} | {controlled} | {len(times)}/{args.n} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
