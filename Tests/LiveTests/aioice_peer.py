#!/usr/bin/env python3
"""aioice (https://github.com/aiortc/aioice) as an `icelab ice-peer` partner on loopback.

Speaks the same one-line JSON protocol as `icelab ice-peer`: prints the local
description {"ufrag","pwd","candidates"}, reads the remote one from a line of stdin,
connects, prints {"state","elapsed_ms"}; then echoes every datagram until stdin closes,
or with --send sends TEXT every 250 ms until the first reply, printed as {"received"}.
Exit codes: 0 success, 1 failure or timeout, 2 bad input.
"""
import argparse
import asyncio
import json
import sys
import time

import aioice
import aioice.ice

LOOPBACK = "127.0.0.1"

# aioice gathers on every interface but leaves out 127.0.0.1; gather on loopback only.
aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: [LOOPBACK]


def output(value):
    print(json.dumps(value), flush=True)


async def read_line():
    return await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)


async def echo(conn):
    while True:
        await conn.send(await conn.recv())


async def send_until_answered(conn, data):
    async def resend():
        while True:
            await conn.send(data)
            await asyncio.sleep(0.25)

    sender = asyncio.create_task(resend())
    try:
        return await conn.recv()
    finally:
        sender.cancel()


async def run(args):
    conn = aioice.Connection(ice_controlling=args.role == "controlling", components=1, use_ipv6=False)
    try:
        await asyncio.wait_for(conn.gather_candidates(), args.timeout)
        output({
            "ufrag": conn.local_username,
            "pwd": conn.local_password,
            "candidates": ["candidate:" + c.to_sdp() for c in conn.local_candidates if c.host == LOOPBACK],
        })
        line = await read_line()
        try:
            remote = json.loads(line)
            conn.remote_username = remote["ufrag"]
            conn.remote_password = remote["pwd"]
            candidates = [aioice.Candidate.from_sdp(text.removeprefix("candidate:")) for text in remote["candidates"]]
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            print(f"aioice_peer: bad remote description: {error!r}", file=sys.stderr)
            return 2
        for candidate in candidates:
            if candidate.host == LOOPBACK:
                await conn.add_remote_candidate(candidate)
        await conn.add_remote_candidate(None)
        start = time.monotonic()
        try:
            await asyncio.wait_for(conn.connect(), args.timeout)
            state = "connected"
        except (ConnectionError, asyncio.TimeoutError):
            state = "failed"
        output({"state": state, "elapsed_ms": round((time.monotonic() - start) * 1000)})
        if state != "connected":
            return 1
        if args.send is None:
            echoing = asyncio.create_task(echo(conn))
            while await read_line():
                pass
            echoing.cancel()
            return 0
        try:
            reply = await asyncio.wait_for(send_until_answered(conn, args.send.encode()), args.timeout)
        except asyncio.TimeoutError:
            print("aioice_peer: no reply", file=sys.stderr)
            return 1
        output({"received": reply.decode("utf-8", "replace")})
        return 0
    finally:
        await conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--role", choices=["controlling", "controlled"], required=True)
    parser.add_argument("--send")
    parser.add_argument("--timeout", type=float, default=10)
    sys.exit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
