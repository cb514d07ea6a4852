"""What the loopback peer benchmarks share: running a pair of peer subprocesses that
speak the one-line JSON protocol of `icelab ice-peer`, and tabulating each side's figure
per pairing (median and range, in Markdown)."""
import json
import statistics
import subprocess


def spawn(command):
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def exchange(peers, phases):
    """Swaps the two peers' descriptions, then reads one JSON line from each per phase;
    returns the last phase's pair of objects, or None when a phase's check fails.
    Always closes their stdin and waits for (or kills) them."""
    try:
        descriptions = [p.stdout.readline() for p in peers]
        for p, line in zip(peers, reversed(descriptions)):
            p.stdin.write(line)
            p.stdin.flush()
        results = None
        for accept in phases:
            results = [json.loads(p.stdout.readline() or "{}") for p in peers]
            if not all(accept(r) for r in results):
                return None
        return results
    finally:
        for p in peers:
            p.stdin.close()
        for p in peers:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


def table(header, pairings, once, n):
    """Prints `header` and one row per (controlling, controlled) pairing of `once`'s
    (controlling, controlled) figures over n runs."""
    print(header)
    print("| --- | --- | --- | --- | --- |")
    for controlling, controlled in pairings:
        times = [t for t in (once(controlling, controlled) for _ in range(n)) if t]
        cells = [f"{statistics.median(side):.0f} ({min(side)}-{max(side)})" for side in zip(*times)] if times else ["-", "-"]
        print(f"| {controlling} | {controlled} | {len(times)}/{n} | {cells[0]} | {cells[1]} |")
