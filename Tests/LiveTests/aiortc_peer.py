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
import sys
import time

from aiortc import RTCIceGatherer, RTCIceTransport, RTCDtlsTransport, RTCCertificate
from aiortc.rtp import RtpPacket

sys.dont_write_bytecode = True  # no __pycache__ in the test sources
from aiortc_signalling import (BadDescription, add_common_arguments, connect_ice, exchange_descriptions, output,  # noqa: E402
                               read_line, start_dtls)

PAYLOAD_TYPE = 96


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
        try:
            remote = await exchange_descriptions(gatherer, dtls, setup, args.timeout)
        except BadDescription as error:
            print(f"aiortc_peer: bad remote description: {error}", file=sys.stderr)
            return 2
        if not await connect_ice(ice, args.role == "controlling", remote, args.timeout):
            return 1
        receiver = Receiver(dtls, echo=args.send is None)
        dtls._rtp_router.register_receiver(receiver, ssrcs=[], payload_types=[PAYLOAD_TYPE])
        start = time.monotonic()
        connected = await start_dtls(dtls, remote, args.timeout)
        output({"dtls": dtls.state, "role": remote.role,
                "profile": dtls._ssl.get_selected_srtp_profile().decode() if connected else None,
                "handshake_ms": round((time.monotonic() - start) * 1000) if connected else None})
        if not connected:
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
    add_common_arguments(parser)
    parser.add_argument("--send", type=int)
    sys.exit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
