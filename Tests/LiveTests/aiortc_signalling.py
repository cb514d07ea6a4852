"""What aiortc_peer.py and aiortc_data_peer.py share: the one-line JSON protocol of
`icelab ice-peer --dtls` on aiortc's ORTC layers (RTCIceGatherer, RTCIceTransport,
RTCDtlsTransport), on loopback only."""
import asyncio
import json
import sys

import aioice.ice
from aiortc import RTCIceParameters
from aiortc.rtcdtlstransport import RTCDtlsFingerprint, RTCDtlsParameters
from aiortc.sdp import candidate_from_sdp, candidate_to_sdp

LOOPBACK = "127.0.0.1"

# aioice gathers on every interface but leaves out 127.0.0.1; gather on loopback only.
aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: [LOOPBACK]


class BadDescription(Exception):
    pass


class Remote:
    """The peer's description, parsed."""

    def __init__(self, line, setup):
        try:
            self.fields = json.loads(line)
            self.ice = RTCIceParameters(usernameFragment=self.fields["ufrag"], password=self.fields["pwd"])
            self.candidates = [candidate_from_sdp(text.removeprefix("candidate:")) for text in self.fields["candidates"]]
            algorithm, value = self.fields["fingerprint"].split(" ")
            self.dtls = RTCDtlsParameters(fingerprints=[RTCDtlsFingerprint(algorithm, value)])
            self.role = dtls_role(setup, self.fields["setup"])
            if self.role is None:
                raise ValueError(f"setups {setup} and {self.fields['setup']} give no DTLS roles")
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BadDescription(repr(error)) from error


def add_common_arguments(parser):
    """--role, --setup (default: actpass when controlling, active when controlled), --timeout."""
    parser.add_argument("--role", choices=["controlling", "controlled"], required=True)
    parser.add_argument("--setup", choices=["actpass", "active", "passive"])
    parser.add_argument("--timeout", type=float, default=10)


def output(value):
    print(json.dumps(value), flush=True)


async def read_line():
    return await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)


def dtls_role(local, remote):
    """RFC 8842 §5: active is the client, passive the server; actpass takes the other side."""
    pairs = {("active", "passive"): "client", ("active", "actpass"): "client", ("actpass", "passive"): "client",
             ("passive", "active"): "server", ("passive", "actpass"): "server", ("actpass", "active"): "server"}
    return pairs.get((local, remote))


async def exchange_descriptions(gatherer, dtls, setup, timeout, extra=None):
    """Gathers, prints the local description (with `extra` fields), reads the remote one."""
    await asyncio.wait_for(gatherer.gather(), timeout)
    parameters = gatherer.getLocalParameters()
    fingerprint = next(f for f in dtls.getLocalParameters().fingerprints if f.algorithm == "sha-256")
    output({
        "ufrag": parameters.usernameFragment,
        "pwd": parameters.password,
        "candidates": ["candidate:" + candidate_to_sdp(c) for c in gatherer.getLocalCandidates()],
        "fingerprint": f"{fingerprint.algorithm} {fingerprint.value}",
        "setup": setup,
        **(extra or {}),
    })
    return Remote(await read_line(), setup)


async def connect_ice(ice, controlling, remote, timeout):
    """Runs ICE with the remote's loopback candidates, prints {"state"}; whether it completed."""
    ice._connection.ice_controlling = controlling
    for candidate in remote.candidates:
        if candidate.ip == LOOPBACK:
            await ice.addRemoteCandidate(candidate)
    await ice.addRemoteCandidate(None)
    try:
        await asyncio.wait_for(ice.start(remote.ice), timeout)
    except asyncio.TimeoutError:
        pass
    output({"state": "connected" if ice.state == "completed" else ice.state})
    return ice.state == "completed"


async def start_dtls(dtls, remote, timeout):
    """Runs the DTLS handshake in the role the setups give; whether it connected."""
    dtls._set_role(remote.role)
    try:
        await asyncio.wait_for(dtls.start(remote.dtls), timeout)
    except asyncio.TimeoutError:
        pass
    return dtls.state == "connected"
