#!/usr/bin/env python3
"""DTLS-SRTP handshake times after ICE on loopback: `icelab ice-peer --dtls` against
aiortc in both DTLS roles, side by side with aiortc against aiortc and icelab against
icelab.

Runs N connections (default 20) for each pairing, each peer a subprocess speaking the
one-line JSON protocol of `icelab ice-peer --dtls` (Tests/LiveTests/aiortc_peer.py for
aiortc). The controlling peer offers actpass and the controlled one answers active, so
the controlled peer is the DTLS client. Prints the median and range of each side's
`handshake_ms`: icelab's from its pair selection to DTLS connected, aiortc's from its
`RTCDtlsTransport.start` (after its ICE completed) to connected. Wall-clock figures:
run on an idle machine.

    Benchmarks/aiortc/dtls_handshake_times.py [--icelab .build/debug/icelab] [-n 20]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AIORTC = os.path.join(ROOT, "Tests", "LiveTests", "aiortc_peer.py")


def peer(kind, role, icelab):
    command = ([icelab, "ice-peer", "--dtls", "--role", role] if kind == "icelab"
               else [sys.executable, AIORTC, "--role", role])
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def handshake_once(controlling, controlled, icelab):
    """One connection; returns (controlling handshake_ms, controlled handshake_ms) or None."""
    peers = [peer(controlling, "controlling", icelab), peer(controlled, "controlled", icelab)]
    try:
        descriptions = [p.stdout.readline() for p in peers]
        for p, line in zip(peers, reversed(descriptions)):
            p.stdin.write(line)
            p.stdin.flush()
        states = [json.loads(p.stdout.readline() or "{}") for p in peers]
        if any(s.get("state") not in ("connected", "completed") for s in states):
            return None
        results = [json.loads(p.stdout.readline() or "{}") for p in peers]
        if any(r.get("dtls") != "connected" for r in results):
            return None
        return tuple(r["handshake_ms"] for r in results)
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
    pairings = [("icelab", "aiortc"), ("aiortc", "icelab"), ("aiortc", "aiortc"), ("icelab", "icelab")]
    print("| controlling (server) | controlled (client) | connected | server median (min-max) ms | client median (min-max) ms |")
    print("| --- | --- | --- | --- | --- |")
    for controlling, controlled in pairings:
        times = [t for t in (handshake_once(controlling, controlled, args.icelab) for _ in range(args.n)) if t]
        cells = [f"{statistics.median(side):.0f} ({min(side)}-{max(side)})" for side in zip(*times)] if times else ["-", "-"]
        print(f"| {controlling} | {controlled} | {len(times)}/{args.n} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
