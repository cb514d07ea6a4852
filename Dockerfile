# icelab's container image: a release build on the Swift toolchain image, run on Debian
# slim with only the C libraries icelab links (docs/operations.md, "Docker image").
#
#   docker build -t icelab .
#   docker run --rm --network host icelab turn-server --config /etc/icelab/turn.yaml
#
# The Swift runtime is linked in (--static-swift-stdlib), so the runtime stage needs no
# toolchain: OpenSSL 3 (STUN integrity, TLS), SQLite (results) and zlib, as on the host.

ARG SWIFT_VERSION=6.3
ARG DEBIAN_RELEASE=bookworm

FROM swift:${SWIFT_VERSION}-${DEBIAN_RELEASE} AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl-dev libsqlite3-dev zlib1g-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The manifest names every target, tests included: their folders must be there to resolve.
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product icelab \
    && install -m 0755 "$(swift build -c release --show-bin-path)/icelab" /usr/local/bin/icelab

FROM debian:${DEBIAN_RELEASE}-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends libssl3 libsqlite3-0 zlib1g ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/icelab --create-home icelab
COPY --from=build /usr/local/bin/icelab /usr/local/bin/icelab
COPY Scenarios /usr/share/icelab/Scenarios
USER icelab
WORKDIR /var/lib/icelab
# STUN/TURN over UDP and TCP, TURN over TLS, metrics (--metrics 0.0.0.0:9090 needs a concrete
# address in turn-server's --listen; see docs/operations.md).
EXPOSE 3478/udp 3478/tcp 5349/tcp 9090/tcp
ENTRYPOINT ["icelab"]
CMD ["--help"]
