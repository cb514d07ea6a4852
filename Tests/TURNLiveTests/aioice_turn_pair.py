#!/usr/bin/env python3
"""Two aioice (https://github.com/aiortc/aioice) agents that may only use relayed
candidates, through one TURN server (over UDP, TCP, or TLS with --ssl): ICE between them, then a
message each way.

Prints one JSON line {"state", "local", "remote", "received"} and exits 0 when both
agents connected over relayed candidates and each got the other's message; 1 otherwise,
2 on bad arguments. Used by the TURN interop tests (`icelab turn-server` over TCP).
"""
import argparse
import asyncio
import json
import sys

import aioice


async def run(args):
    host, port = args.server.rsplit(":", 1)
    agents = [
        aioice.Connection(
            ice_controlling=controlling, components=1, use_ipv6=False,
            turn_server=(host, int(port)), turn_username=args.username, turn_password=args.password,
            turn_transport=args.transport, turn_ssl=args.ssl, transport_policy=aioice.TransportPolicy.RELAY)
        for controlling in (True, False)
    ]
    result = {"state": "failed"}
    try:
        await asyncio.wait_for(asyncio.gather(*(agent.gather_candidates() for agent in agents)), args.timeout)
        for agent, other in ((agents[0], agents[1]), (agents[1], agents[0])):
            agent.remote_username = other.local_username
            agent.remote_password = other.local_password
            for candidate in other.local_candidates:
                await agent.add_remote_candidate(candidate)
            await agent.add_remote_candidate(None)
        await asyncio.wait_for(asyncio.gather(*(agent.connect() for agent in agents)), args.timeout)
        pair = agents[0]._nominated.get(1)
        result = {
            "state": "connected",
            "local": pair.local_candidate.type if pair else None,
            "remote": pair.remote_candidate.type if pair else None,
        }
        await agents[0].send(b"from controlling")
        await agents[1].send(b"from controlled")
        got = await asyncio.wait_for(asyncio.gather(agents[1].recv(), agents[0].recv()), args.timeout)
        result["received"] = [data.decode() for data in got]
    except (ConnectionError, asyncio.TimeoutError) as error:
        result["error"] = repr(error)
    finally:
        for agent in agents:
            await agent.close()
    print(json.dumps(result), flush=True)
    ok = result.get("received") == ["from controlling", "from controlled"] and result.get("local") == "relay"
    return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="HOST:PORT of the TURN server")
    parser.add_argument("--transport", choices=["udp", "tcp"], default="tcp")
    parser.add_argument("--ssl", action="store_true", help="TLS to the server (with --transport tcp; trust via SSL_CERT_FILE)")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--timeout", type=float, default=15)
    sys.exit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
