#!/usr/bin/env python3
"""aiortc's SCTP and data channels (https://github.com/aiortc/aiortc) as an interop peer.

aiortc's RTCSctpTransport runs over a stand-in DTLS transport (DTLS server role, so it
opens odd stream ids) whose packets are hex lines: each SCTP packet it sends is printed
on stdout, each line read from stdin is a packet handed to it. It echoes every message
back on the channel it came from, opens a channel "from-aiortc" of its own and sends
"hello from aiortc" on it. Exits when stdin closes.
"""
import asyncio
import sys

from aiortc.rtcdatachannel import RTCDataChannel, RTCDataChannelParameters
from aiortc.rtcsctptransport import RTCSctpCapabilities, RTCSctpTransport


class LineDtlsTransport:
    """What RTCSctpTransport uses of an RTCDtlsTransport, on stdin/stdout."""

    state = "connected"
    _role = "server"

    def __init__(self):
        self._receiver = None
        self.transport = self

    def _register_data_receiver(self, receiver):
        self._receiver = receiver

    def _unregister_data_receiver(self, receiver):
        self._receiver = None

    async def _send_data(self, data):
        sys.stdout.write(data.hex() + "\n")
        sys.stdout.flush()


async def main():
    loop = asyncio.get_running_loop()
    dtls = LineDtlsTransport()
    sctp = RTCSctpTransport(dtls)

    @sctp.on("datachannel")
    def on_channel(channel):
        @channel.on("message")
        def on_message(message):
            channel.send(message)

    await sctp.start(RTCSctpCapabilities(maxMessageSize=262144), 5000)
    own = RTCDataChannel(sctp, RTCDataChannelParameters(label="from-aiortc"))

    @own.on("open")
    def on_open():
        own.send("hello from aiortc")

    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        if line.strip():
            await dtls._receiver._handle_data(bytes.fromhex(line.strip()))
    await sctp.stop()


asyncio.run(main())
