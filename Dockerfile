# Gatehouse: build with the Swift toolchain image, run on slim Debian.
# (No Docker engine runs on the machines this was written on; see README.)

FROM swift:6.3-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsqlite3-dev libssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Dependencies first, so source edits do not re-resolve them.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
# Compiled into the binary (Sources/EmbeddedData): the image needs nothing beside it.
COPY seed ./seed
COPY scripts ./scripts
# scripts/release's build (static, stripped, data compiled in); there is no git here,
# so the commit comes in: docker build --build-arg COMMIT=$(git rev-parse --short=12 HEAD) .
ARG COMMIT=unknown
RUN cp "$(GATEHOUSE_COMMIT=$COMMIT scripts/release | tail -n 1)" /gatehouse

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libsqlite3-0 libssl3 curl ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /gatehouse /usr/local/bin/gatehouse
VOLUME /var/lib/gatehouse
EXPOSE 4566
ENV GATEHOUSE_HOST=0.0.0.0 \
    GATEHOUSE_DATA_DIR=/var/lib/gatehouse
HEALTHCHECK --interval=5s --timeout=2s --retries=10 \
  CMD curl -fsS http://127.0.0.1:4566/_gatehouse/health || exit 1
ENTRYPOINT ["gatehouse"]
CMD ["serve"]
