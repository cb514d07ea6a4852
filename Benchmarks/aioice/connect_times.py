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
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AIOICE = os.path.join(ROOT, "Tests", "LiveTests", "aioice_peer.py")
sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
import peer_runs  # noqa: E402


def peer(kind, role, icelab):
    command = [icelab, "ice-peer", "--role", role] if kind == "icelab" else [sys.executable, AIOICE, "--role", role]
    return peer_runs.spawn(command)


def connect_once(controlling, controlled, icelab):
    """One connection; returns (controlling elapsed_ms, controlled elapsed_ms) or None."""
    results = peer_runs.exchange([peer(controlling, "controlling", icelab), peer(controlled, "controlled", icelab)],
                                 [lambda r: r.get("state") in ("connected", "completed")])
    return tuple(r["elapsed_ms"] for r in results) if results else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--icelab", default=os.path.join(ROOT, ".build", "debug", "icelab"))
    parser.add_argument("-n", type=int, default=20)
    args = parser.parse_args()
    peer_runs.table("| controlling | controlled | connected | controlling median (min-max) ms | controlled median (min-max) ms |",
                    [("icelab", "aioice"), ("aioice", "icelab"), ("aioice", "aioice"), ("icelab", "icelab")],
                    lambda controlling, controlled: connect_once(controlling, controlled, args.icelab), args.n)


if __name__ == "__main__":
    main()
