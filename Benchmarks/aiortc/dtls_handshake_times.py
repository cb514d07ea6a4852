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
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
AIORTC = os.path.join(ROOT, "Tests", "LiveTests", "aiortc_peer.py")
sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
import peer_runs  # noqa: E402


def peer(kind, role, icelab):
    command = ([icelab, "ice-peer", "--dtls", "--role", role] if kind == "icelab"
               else [sys.executable, AIORTC, "--role", role])
    return peer_runs.spawn(command)


def handshake_once(controlling, controlled, icelab):
    """One connection; returns (controlling handshake_ms, controlled handshake_ms) or None."""
    results = peer_runs.exchange([peer(controlling, "controlling", icelab), peer(controlled, "controlled", icelab)],
                                 [lambda r: r.get("state") in ("connected", "completed"), lambda r: r.get("dtls") == "connected"])
    return tuple(r["handshake_ms"] for r in results) if results else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--icelab", default=os.path.join(ROOT, ".build", "debug", "icelab"))
    parser.add_argument("-n", type=int, default=20)
    args = parser.parse_args()
    peer_runs.table("| controlling (server) | controlled (client) | connected | server median (min-max) ms | client median (min-max) ms |",
                    [("icelab", "aiortc"), ("aiortc", "icelab"), ("aiortc", "aiortc"), ("icelab", "icelab")],
                    lambda controlling, controlled: handshake_once(controlling, controlled, args.icelab), args.n)


if __name__ == "__main__":
    main()
