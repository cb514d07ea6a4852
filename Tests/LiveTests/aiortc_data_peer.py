#!/usr/bin/env python3
"""aiortc's data channels as an `icelab ice-peer --data-channel` partner on loopback.

Runs aiortc's ORTC layers (RTCIceGatherer, RTCIceTransport, RTCDtlsTransport) and its
RTCSctpTransport over the DTLS transport, speaking the one-line JSON protocol of
`icelab ice-peer --data-channel`: prints the local description {"ufrag","pwd",
"candidates","fingerprint","setup","sctp_port","max_message_size"}, reads the remote one
from a line of stdin, connects ICE ({"state"}), DTLS ({"dtls","role"}) and SCTP
({"sctp":"established"}).

Every message on every channel (opened by either side) is echoed back on its channel.
Binary messages are counted and hashed per channel in arrival order. Options:
  --open LABEL[,unordered][,rexmit=N][,lifetime=MS][,id=N]  opens a channel (id=N:
      negotiated out of band on stream N); repeatable; prints {"opened",...} when open.
  --send-file N   opens "file-from-aiortc" and sends N bytes (SHA-256 counter stream)
      as 16 KiB messages, pausing while more than 1 MiB is buffered, waits for the echo
      and prints {"sent_bytes","sha256","echoed_bytes","echoed_sha256"}.
  --messages N    sends N text messages "msg <i>" on each channel of --open.
When stdin closes it prints {"channels":{LABEL:{"id","ordered","max_retransmits",
"max_packet_lifetime","negotiated","messages","texts","bytes","sha256"}}} and exits.
Exit codes: 0 success, 1 failure or timeout, 2 bad input.
"""
import argparse
import asyncio
import hashlib
import sys

from aiortc import (RTCCertificate, RTCDataChannel, RTCDataChannelParameters, RTCDtlsTransport, RTCIceGatherer,
                    RTCIceTransport, RTCSctpCapabilities, RTCSctpTransport)

sys.dont_write_bytecode = True  # no __pycache__ in the test sources
from aiortc_signalling import (BadDescription, add_common_arguments, connect_ice, exchange_descriptions, output,  # noqa: E402
                               read_line, start_dtls)

CHUNK = 16 * 1024
HIGH_WATER = 1 << 20


def file_bytes(count):
    """count bytes of SHA-256(i) for i = 0, 1, … (the test makes the same stream)."""
    out = bytearray()
    index = 0
    while len(out) < count:
        out += hashlib.sha256(index.to_bytes(8, "big")).digest()
        index += 1
    return bytes(out[:count])


class Tally:
    def __init__(self, channel):
        self.channel = channel
        self.messages = 0
        self.texts = []
        self.digest = hashlib.sha256()
        self.bytes = 0
        self.changed = asyncio.Event()

    def report(self):
        c = self.channel
        return {"id": c.id, "ordered": c.ordered, "max_retransmits": c.maxRetransmits,
                "max_packet_lifetime": c.maxPacketLifeTime, "negotiated": c.negotiated,
                "messages": self.messages, "texts": self.texts[:100], "bytes": self.bytes,
                "sha256": self.digest.hexdigest()}


def watch(channel, tallies, echo):
    tally = tallies.setdefault(channel.label, Tally(channel))

    @channel.on("message")
    def on_message(message):
        tally.messages += 1
        if isinstance(message, str):
            tally.texts.append(message)
        else:
            tally.digest.update(message)
            tally.bytes += len(message)
        tally.changed.set()
        if echo and channel.readyState == "open":
            channel.send(message)
    return tally


async def opened(channel):
    if channel.readyState != "open":
        ready = asyncio.Event()
        channel.on("open", ready.set)
        await ready.wait()


def parse_open(text):
    label, *options = text.split(",")
    kwargs = {"ordered": True}
    for option in options:
        key, _, value = option.partition("=")
        if key == "unordered":
            kwargs["ordered"] = False
        elif key == "rexmit":
            kwargs["maxRetransmits"] = int(value)
        elif key == "lifetime":
            kwargs["maxPacketLifeTime"] = int(value)
        elif key == "id":
            kwargs["negotiated"] = True
            kwargs["id"] = int(value)
        else:
            raise ValueError(f"unknown channel option {option}")
    return RTCDataChannelParameters(label=label, **kwargs)


async def send_file(sctp, tallies, count, timeout):
    channel = RTCDataChannel(sctp, RTCDataChannelParameters(label="file-from-aiortc"))
    tally = watch(channel, tallies, echo=False)
    await asyncio.wait_for(opened(channel), timeout)
    data = file_bytes(count)
    drained = asyncio.Event()
    channel.bufferedAmountLowThreshold = HIGH_WATER // 4
    channel.on("bufferedamountlow", drained.set)
    for offset in range(0, len(data), CHUNK):
        if channel.bufferedAmount > HIGH_WATER:
            drained.clear()
            await asyncio.wait_for(drained.wait(), timeout)
        channel.send(data[offset:offset + CHUNK])
    while tally.bytes < count:
        tally.changed.clear()
        await asyncio.wait_for(tally.changed.wait(), timeout)
    output({"sent_bytes": count, "sha256": hashlib.sha256(data).hexdigest(), "echoed_bytes": tally.bytes,
            "echoed_sha256": tally.digest.hexdigest()})


async def run(args):
    gatherer = RTCIceGatherer(iceServers=[])
    ice = RTCIceTransport(gatherer)
    dtls = RTCDtlsTransport(ice, [RTCCertificate.generateCertificate()])
    sctp = RTCSctpTransport(dtls)
    setup = args.setup or ("actpass" if args.role == "controlling" else "active")
    tallies = {}
    try:
        opens = [parse_open(text) for text in args.open]
    except ValueError as error:
        print(f"aiortc_data_peer: {error}", file=sys.stderr)
        return 2

    @sctp.on("datachannel")
    def on_datachannel(channel):
        watch(channel, tallies, echo=True)

    try:
        try:
            remote = await exchange_descriptions(gatherer, dtls, setup, args.timeout, extra={
                "sctp_port": sctp.port, "max_message_size": RTCSctpTransport.getCapabilities().maxMessageSize})
            remote_port = int(remote.fields["sctp_port"])
        except (BadDescription, KeyError, TypeError, ValueError) as error:
            print(f"aiortc_data_peer: bad remote description: {error!r}", file=sys.stderr)
            return 2
        if not await connect_ice(ice, args.role == "controlling", remote, args.timeout):
            return 1
        connected = await start_dtls(dtls, remote, args.timeout)
        output({"dtls": dtls.state, "role": remote.role})
        if not connected:
            return 1
        await sctp.start(RTCSctpCapabilities(maxMessageSize=remote.fields.get("max_message_size", 65536)), remote_port)
        for _ in range(int(args.timeout * 10)):
            if sctp.state == "connected":
                break
            await asyncio.sleep(0.1)
        output({"sctp": "established" if sctp.state == "connected" else sctp.state})
        if sctp.state != "connected":
            return 1
        for parameters in opens:
            channel = RTCDataChannel(sctp, parameters)
            watch(channel, tallies, echo=True)
            await asyncio.wait_for(opened(channel), args.timeout)
            output({"opened": channel.label, "id": channel.id})
            for index in range(args.messages):
                channel.send(f"msg {index}")
        if args.send_file:
            try:
                await send_file(sctp, tallies, args.send_file, args.timeout)
            except asyncio.TimeoutError:
                print("aiortc_data_peer: the file's echo did not complete", file=sys.stderr)
                return 1
        while await read_line():
            pass
        output({"channels": {label: tally.report() for label, tally in tallies.items()}})
        return 0
    finally:
        await sctp.stop()
        await dtls.stop()
        await ice.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    parser.add_argument("--open", action="append", default=[])
    parser.add_argument("--messages", type=int, default=0)
    parser.add_argument("--send-file", type=int)
    sys.exit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
