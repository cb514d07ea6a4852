#!/usr/bin/env python3
"""aiortc (https://github.com/aiortc/aiortc) as an `icelab ice-peer --dtls` partner on loopback.

Drives aiortc's ORTC-style layers (RTCIceGatherer, RTCIceTransport, RTCDtlsTransport)
and speaks the one-line JSON protocol of `icelab ice-peer --dtls`: prints the local
description {"ufrag","pwd","candidates","fingerprint","setup"}, reads the remote one from
a line of stdin, connects ICE and prints {"state"}, runs DTLS-SRTP in the role the two
setups give (RFC 8842) and prints {"dtls","role","profile","handshake_ms"}. Then, with --send N, it
sends N RTP packets (payload type 96, payloads "aiortc packet <i>" padded with bytes
0..255) every 50 ms until each came back, and prints {"sent":[hex…],"received":[hex…]};
otherwise it echoes every RTP packet it receives until stdin closes and prints
{"received":[hex…]} (the payloads, in arrival order). Received packets are taken from
the transport's RTP router after SRTP unprotect, so they are what aiortc decrypted.
Exit codes: 0 success, 1 failure or timeout, 2 bad input.
"""
import argparse
import asyncio
import json
import sys
import time

import aioice.ice
from aiortc import RTCIceGatherer, RTCIceParameters, RTCIceTransport, RTCDtlsTransport, RTCCertificate
from aiortc.rtcdtlstransport import RTCDtlsFingerprint, RTCDtlsParameters
from aiortc.rtp import RtpPacket
from aiortc.sdp import candidate_from_sdp, candidate_to_sdp

LOOPBACK = "127.0.0.1"
PAYLOAD_TYPE = 96

# aioice gathers on every interface but leaves out 127.0.0.1; gather on loopback only.
aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: [LOOPBACK]


def output(value):
    print(json.dumps(value), flush=True)


async def read_line():
    return await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)


def dtls_role(local, remote):
    """RFC 8842 §5: active is the client, passive the server; actpass takes the other side."""
    pairs = {("active", "passive"): "client", ("active", "actpass"): "client", ("actpass", "passive"): "client",
             ("passive", "active"): "server", ("passive", "actpass"): "server", ("actpass", "active"): "server"}
    return pairs.get((local, remote))


class Receiver:
    """Takes the RTP packets aiortc's router hands on (already unprotected)."""

    def __init__(self, dtls, echo):
        self.dtls = dtls
        self.echo = echo
        self.payloads = []
        self.arrived = asyncio.Event()

    async def _handle_rtp_packet(self, packet, arrival_time_ms):
        self.payloads.append(packet.payload)
        self.arrived.set()
        if self.echo:
            await self.dtls._send_rtp(packet.serialize())

    async def _handle_rtcp_packet(self, packet):
        pass

    def _handle_disconnect(self):
        pass


def payload(index):
    return f"aiortc packet {index} ".encode() + bytes(range(256))


async def send_until_echoed(dtls, receiver, count):
    sent = [payload(i) for i in range(count)]
    sequence = 0
    while not all(p in receiver.payloads for p in sent):
        for data in sent:
            if data not in receiver.payloads:
                sequence += 1
                packet = RtpPacket(payload_type=PAYLOAD_TYPE, sequence_number=sequence, timestamp=sequence * 960,
                                   ssrc=0x1C3_1AB, payload=data)
                await dtls._send_rtp(packet.serialize())
        receiver.arrived.clear()
        try:
            await asyncio.wait_for(receiver.arrived.wait(), 0.05)
        except asyncio.TimeoutError:
            pass
    return sent


async def run(args):
    gatherer = RTCIceGatherer(iceServers=[])
    ice = RTCIceTransport(gatherer)
    dtls = RTCDtlsTransport(ice, [RTCCertificate.generateCertificate()])
    setup = args.setup or ("actpass" if args.role == "controlling" else "active")
    try:
        await asyncio.wait_for(gatherer.gather(), args.timeout)
        parameters = gatherer.getLocalParameters()
        fingerprint = next(f for f in dtls.getLocalParameters().fingerprints if f.algorithm == "sha-256")
        output({
            "ufrag": parameters.usernameFragment,
            "pwd": parameters.password,
            "candidates": ["candidate:" + candidate_to_sdp(c) for c in gatherer.getLocalCandidates()],
            "fingerprint": f"{fingerprint.algorithm} {fingerprint.value}",
            "setup": setup,
        })
        line = await read_line()
        try:
            remote = json.loads(line)
            remote_parameters = RTCIceParameters(usernameFragment=remote["ufrag"], password=remote["pwd"])
            candidates = [candidate_from_sdp(text.removeprefix("candidate:")) for text in remote["candidates"]]
            algorithm, value = remote["fingerprint"].split(" ")
            role = dtls_role(setup, remote["setup"])
            if role is None:
                raise ValueError(f"setups {setup} and {remote['setup']} give no DTLS roles")
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            print(f"aiortc_peer: bad remote description: {error!r}", file=sys.stderr)
            return 2
        ice._connection.ice_controlling = args.role == "controlling"
        for candidate in candidates:
            if candidate.ip == LOOPBACK:
                await ice.addRemoteCandidate(candidate)
        await ice.addRemoteCandidate(None)
        try:
            await asyncio.wait_for(ice.start(remote_parameters), args.timeout)
        except asyncio.TimeoutError:
            pass
        output({"state": "connected" if ice.state == "completed" else ice.state})
        if ice.state != "completed":
            return 1
        dtls._set_role(role)
        receiver = Receiver(dtls, echo=args.send is None)
        dtls._rtp_router.register_receiver(receiver, ssrcs=[], payload_types=[PAYLOAD_TYPE])
        start = time.monotonic()
        try:
            await asyncio.wait_for(dtls.start(RTCDtlsParameters(fingerprints=[RTCDtlsFingerprint(algorithm, value)])),
                                   args.timeout)
        except asyncio.TimeoutError:
            pass
        connected = dtls.state == "connected"
        output({"dtls": dtls.state, "role": role, "profile": dtls._ssl.get_selected_srtp_profile().decode() if connected else None,
                "handshake_ms": round((time.monotonic() - start) * 1000) if connected else None})
        if dtls.state != "connected":
            return 1
        if args.send is None:
            while await read_line():
                pass
            output({"received": [p.hex() for p in receiver.payloads]})
            return 0
        try:
            sent = await asyncio.wait_for(send_until_echoed(dtls, receiver, args.send), args.timeout)
        except asyncio.TimeoutError:
            print("aiortc_peer: not every packet came back", file=sys.stderr)
            return 1
        output({"sent": [p.hex() for p in sent], "received": [p.hex() for p in receiver.payloads]})
        return 0
    finally:
        await dtls.stop()
        await ice.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--role", choices=["controlling", "controlled"], required=True)
    parser.add_argument("--setup", choices=["actpass", "active", "passive"])
    parser.add_argument("--send", type=int)
    parser.add_argument("--timeout", type=float, default=10)
    sys.exit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
