/// The demo page `signal-server` serves at `/`: one self-contained HTML file (no CDN, no
/// external request) with the WebRTC tutorial's video chat (getUserMedia, local and remote
/// video), a text chat and a file transfer with a progress bar over data channels, a live
/// `getStats()` panel (selected candidate pair types, RTT, bitrates) and a "relay only"
/// switch (iceTransportPolicy "relay"). It signals over `/ws` (docs/signaling.md) with the
/// ICE servers of `/config`.
///
/// Query parameters let a test drive it: `room=NAME&join=1` joins at once, `relay=1` sets
/// relay only, `media=0` skips the camera, `send=BYTES` sends that many random bytes as a
/// file once the channel opens, and `report=PATH` POSTs each event (joined, connected
/// with the candidate types, the first remote track and RTP packets of each kind, file
/// sent/received with SHA-256, errors) as JSON there.
public enum SignalingDemoPage {
    /// The page's data channels, negotiated out of band on these stream ids (no DCEP): a
    /// peer answering the page opens the same (`ice-peer --signal`).
    public static let negotiatedChannels: [UInt16: String] = [0: "chat", 1: "files"]

    public static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>icelab signaling demo</title>
<link rel="icon" href="data:,">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  header { background: #1d2330; color: #fff; padding: 10px 16px; display: flex; gap: 12px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 16px; margin: 0 12px 0 0; }
  main { display: grid; grid-template-columns: minmax(320px, 2fr) minmax(260px, 1fr); gap: 12px; padding: 12px; }
  section { background: #fff; border-radius: 6px; padding: 10px; box-shadow: 0 1px 2px #0002; }
  h2 { font-size: 13px; margin: 0 0 8px; text-transform: uppercase; color: #5a6275; }
  .videos { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
  video { width: 100%; background: #000; border-radius: 4px; aspect-ratio: 4 / 3; }
  #log, #chatlog { height: 140px; overflow: auto; font: 12px/1.3 ui-monospace, monospace; background: #f8f9fb; padding: 6px; margin: 0; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; }
  td { padding: 2px 4px; border-bottom: 1px solid #eee; } td:first-child { color: #5a6275; }
  progress { width: 100%; }
  .row { display: flex; gap: 6px; margin-top: 6px; } .row input[type=text] { flex: 1; }
  #state { font-weight: bold; }
</style>
</head>
<body>
<header>
  <h1>icelab signaling demo</h1>
  <label>Room <input id="room" type="text" value="demo" size="12"></label>
  <label><input id="relay" type="checkbox"> relay only</label>
  <button id="join">Join</button>
  <button id="leave" disabled>Leave</button>
  <span id="state">idle</span>
</header>
<main>
  <div>
    <section>
      <h2>Video</h2>
      <div class="videos">
        <video id="local" autoplay playsinline muted></video>
        <video id="remote" autoplay playsinline></video>
      </div>
    </section>
    <section>
      <h2>Chat</h2>
      <pre id="chatlog"></pre>
      <div class="row"><input id="message" type="text" placeholder="message"><button id="say" disabled>Send</button></div>
    </section>
    <section>
      <h2>File transfer</h2>
      <div class="row"><input id="file" type="file"><button id="sendfile" disabled>Send file</button></div>
      <progress id="progress" value="0" max="1"></progress>
      <div id="filestatus">no file yet</div>
    </section>
  </div>
  <div>
    <section>
      <h2>Connection (getStats)</h2>
      <table>
        <tr><td>ICE state</td><td id="s-ice">-</td></tr>
        <tr><td>local candidate</td><td id="s-local">-</td></tr>
        <tr><td>remote candidate</td><td id="s-remote">-</td></tr>
        <tr><td>RTT</td><td id="s-rtt">-</td></tr>
        <tr><td>sending</td><td id="s-out">-</td></tr>
        <tr><td>receiving</td><td id="s-in">-</td></tr>
      </table>
    </section>
    <section>
      <h2>Log</h2>
      <pre id="log"></pre>
    </section>
  </div>
</main>
<script>
"use strict";
const $ = id => document.getElementById(id);
const params = new URLSearchParams(location.search);
const chunkSize = 16384;
let ws = null, pc = null, chat = null, files = null, localStream = null, pending = [], statsTimer = null, last = null, mediaReady = null;
let incoming = null;
const mediaSeen = new Set();

function log(text) { $("log").textContent += new Date().toISOString().slice(11, 23) + " " + text + "\n"; $("log").scrollTop = 1e9; }
function state(text) { $("state").textContent = text; }
function report(event) {
  log(event.event + (event.message ? ": " + event.message : ""));
  const path = params.get("report");
  if (path) fetch(path, {method: "POST", body: JSON.stringify(event)}).catch(() => {});
}
window.addEventListener("error", e => report({event: "error", message: String(e.message)}));
window.addEventListener("unhandledrejection", e => report({event: "error", message: String(e.reason)}));
function send(message) { if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message)); }
const hex = buffer => [...new Uint8Array(buffer)].map(b => b.toString(16).padStart(2, "0")).join("");
const sha256 = async data => hex(await crypto.subtle.digest("SHA-256", data));

async function join() {
  const room = $("room").value.trim();
  $("join").disabled = true; $("leave").disabled = false;
  state("joining " + room);
  const config = await (await fetch("/config")).json();
  const relay = $("relay").checked;
  pc = new RTCPeerConnection({iceServers: config.iceServers, iceTransportPolicy: relay ? "relay" : "all"});
  const urls = config.iceServers.map(s => [].concat(s.urls).join(" ")).join(", ");
  log("ICE servers: " + (urls || "none (host candidates only)") + (relay ? ", relay only" : ""));
  pc.onicecandidate = e => send({type: "candidate", candidate: e.candidate ? e.candidate.toJSON() : null});
  pc.oniceconnectionstatechange = () => { $("s-ice").textContent = pc.iceConnectionState; };
  pc.onconnectionstatechange = () => {
    state(pc.connectionState);
    if (pc.connectionState === "connected") connected();
    if (pc.connectionState === "failed") report({event: "error", message: "connection failed"});
  };
  pc.ontrack = e => {
    // A sender without a=msid gives no stream: the page makes one for its track.
    const stream = e.streams[0] || $("remote").srcObject || new MediaStream();
    if (!stream.getTracks().includes(e.track)) stream.addTrack(e.track);
    $("remote").srcObject = stream;
    report({event: "track", kind: e.track.kind});
  };
  chat = pc.createDataChannel("chat", {negotiated: true, id: 0});
  files = pc.createDataChannel("files", {negotiated: true, id: 1});
  files.binaryType = "arraybuffer";
  chat.onopen = () => { $("say").disabled = false; };
  chat.onmessage = e => { $("chatlog").textContent += "peer: " + e.data + "\n"; };
  files.onopen = () => {
    $("sendfile").disabled = false;
    const size = Number(params.get("send") || 0);
    if (size > 0) sendTestFile(size);
  };
  files.onmessage = e => receiveFile(e.data);
  mediaReady = params.get("media") === "0" ? Promise.resolve() : startMedia(pc);
  ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
  ws.onopen = () => send({type: "join", room});
  ws.onclose = e => { log("signaling closed " + e.code + (e.reason ? ": " + e.reason : "")); };
  // One message at a time, in order: a candidate waits for the offer before it.
  let queue = Promise.resolve();
  ws.onmessage = e => { queue = queue.then(() => onSignal(JSON.parse(e.data))).catch(error => report({event: "error", message: String(error)})); };
}

// The camera and microphone, added to the connection before any offer or answer is made
// (signaling starts meanwhile: a slow or missing camera does not hold up joining).
async function startMedia(connection) {
  try {
    const stream = await navigator.mediaDevices.getUserMedia({video: true, audio: true});
    if (connection !== pc) return stream.getTracks().forEach(t => t.stop());
    localStream = stream;
    $("local").srcObject = stream;
    stream.getTracks().forEach(track => connection.addTrack(track, stream));
  } catch (error) { log("no camera: " + error.name); }
}

async function onSignal(message) {
  switch (message.type) {
  case "joined":
    state("in room " + message.room + (message.peers ? "" : ", waiting for a peer"));
    report({event: "joined", room: message.room, peers: message.peers});
    break;
  case "peer-joined":
    log("peer joined: offering");
    await mediaReady;
    await pc.setLocalDescription(await pc.createOffer());
    send({type: "offer", sdp: pc.localDescription.sdp});
    break;
  case "offer":
    await mediaReady;
    await pc.setRemoteDescription({type: "offer", sdp: message.sdp});
    await pc.setLocalDescription(await pc.createAnswer());
    send({type: "answer", sdp: pc.localDescription.sdp});
    await flushCandidates();
    break;
  case "answer":
    await pc.setRemoteDescription({type: "answer", sdp: message.sdp});
    await flushCandidates();
    break;
  case "candidate":
    if (!message.candidate) break;
    if (pc.remoteDescription) await pc.addIceCandidate(message.candidate); else pending.push(message.candidate);
    break;
  case "bye": case "peer-left":
    log("peer left"); state("peer left");
    break;
  case "error":
    report({event: "signaling-error", message: message.reason});
    break;
  }
}
async function flushCandidates() { for (const c of pending.splice(0)) await pc.addIceCandidate(c); }

function leave() {
  send({type: "bye"});
  if (ws) ws.close(1000);
  if (pc) pc.close();
  if (localStream) localStream.getTracks().forEach(t => t.stop());
  clearInterval(statsTimer);
  ws = pc = chat = files = localStream = null;
  $("join").disabled = false; $("leave").disabled = true; $("say").disabled = true; $("sendfile").disabled = true;
  state("idle");
}

async function selectedPair() {
  const stats = await pc.getStats();
  let pair = null;
  stats.forEach(s => { if (s.type === "transport" && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId); });
  if (!pair) stats.forEach(s => { if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded") pair = s; });
  return {stats, pair, local: pair && stats.get(pair.localCandidateId), remote: pair && stats.get(pair.remoteCandidateId)};
}
async function connected() {
  const {local, remote} = await selectedPair();
  report({event: "connected", local: local ? local.candidateType : null, remote: remote ? remote.candidateType : null,
          relayProtocol: local ? local.relayProtocol || null : null});
  clearInterval(statsTimer);
  statsTimer = setInterval(updateStats, 1000);
}
const rate = bits => bits >= 1e6 ? (bits / 1e6).toFixed(2) + " Mbit/s" : (bits / 1e3).toFixed(0) + " kbit/s";
async function updateStats() {
  if (!pc) return;
  const {stats, pair, local, remote} = await selectedPair();
  if (!pair) return;
  const describe = c => c ? c.candidateType + " " + (c.address || c.ip || "") + ":" + c.port + " " + c.protocol + (c.relayProtocol ? " via " + c.relayProtocol : "") : "-";
  $("s-local").textContent = describe(local);
  $("s-remote").textContent = describe(remote);
  $("s-rtt").textContent = pair.currentRoundTripTime !== undefined ? (pair.currentRoundTripTime * 1000).toFixed(1) + " ms" : "-";
  const now = {t: pair.timestamp, sent: pair.bytesSent, received: pair.bytesReceived};
  if (last && now.t > last.t) {
    const seconds = (now.t - last.t) / 1000;
    $("s-out").textContent = rate(8 * (now.sent - last.sent) / seconds);
    $("s-in").textContent = rate(8 * (now.received - last.received) / seconds);
  }
  last = now;
  stats.forEach(s => {
    if (s.type === "inbound-rtp" && s.packetsReceived > 0 && !mediaSeen.has(s.kind)) {
      mediaSeen.add(s.kind);
      report({event: "media", kind: s.kind, packets: s.packetsReceived});
    }
  });
}

async function sendFile(name, data) {
  const bytes = new Uint8Array(data);
  const digest = await sha256(bytes);
  files.send(JSON.stringify({name, size: bytes.length}));
  files.bufferedAmountLowThreshold = 4 * chunkSize;
  $("progress").max = bytes.length || 1;
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    if (files.bufferedAmount > 64 * chunkSize) await new Promise(done => { files.onbufferedamountlow = done; });
    files.send(bytes.subarray(offset, Math.min(bytes.length, offset + chunkSize)));
    $("progress").value = Math.min(bytes.length, offset + chunkSize);
  }
  $("filestatus").textContent = "sent " + name + " (" + bytes.length + " bytes, sha-256 " + digest.slice(0, 16) + "…)";
  report({event: "file-sent", name, bytes: bytes.length, sha256: digest});
}
async function sendTestFile(size) {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(data.subarray(i, Math.min(size, i + 65536)));
  await sendFile("test.bin", data);
}
async function receiveFile(data) {
  if (typeof data === "string") {
    const header = JSON.parse(data);
    incoming = {name: header.name, size: header.size, parts: [], received: 0};
    $("progress").max = header.size || 1; $("progress").value = 0;
    if (header.size === 0) await finishFile();
    return;
  }
  if (!incoming) return;
  incoming.parts.push(new Uint8Array(data));
  incoming.received += data.byteLength;
  $("progress").value = incoming.received;
  if (incoming.received >= incoming.size) await finishFile();
}
async function finishFile() {
  const file = incoming; incoming = null;
  const blob = new Blob(file.parts);
  const digest = await sha256(await blob.arrayBuffer());
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob); link.download = file.name; link.textContent = "received " + file.name;
  $("filestatus").replaceChildren(link, document.createTextNode(" (" + file.received + " bytes, sha-256 " + digest.slice(0, 16) + "…)"));
  report({event: "file-received", name: file.name, bytes: file.received, sha256: digest});
}

$("join").onclick = () => join().catch(error => report({event: "error", message: String(error)}));
$("leave").onclick = leave;
$("say").onclick = () => { const text = $("message").value; if (!text) return; chat.send(text); $("chatlog").textContent += "me: " + text + "\n"; $("message").value = ""; };
$("sendfile").onclick = async () => { const file = $("file").files[0]; if (file) await sendFile(file.name, await file.arrayBuffer()); };
if (params.get("room")) $("room").value = params.get("room");
if (params.get("relay") === "1") $("relay").checked = true;
if (params.get("join") === "1") $("join").click();
</script>
</body>
</html>
"""#
}
