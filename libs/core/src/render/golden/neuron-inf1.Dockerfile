# GENERATED from images/demo/image.yaml by `nx sync` (or `imagesmith generate demo`) — DO NOT EDIT.
# Neuron demo
# Image: demo · profile: neuron-inf1 · Python 3.10
ARG BASE_IMAGE=ubuntu:22.04

# --- fragment: python-base/from
FROM ${BASE_IMAGE} AS base
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# Build steps install as root; the runtime stage ends on the runtime user (finalize).
# hadolint ignore=DL3002
USER root
ENV DEBIAN_FRONTEND=noninteractive \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# An apt mirror for air-gapped sites, passed by `imagesmith build` from the workspace config.
ARG APT_MIRROR=
# apt's lists and downloads live in BuildKit cache mounts (every apt RUN below), never in a layer;
# the base's docker-clean hook would delete the downloads after each install, so it goes.
RUN rm -f /etc/apt/apt.conf.d/docker-clean \
    && if [ -n "${APT_MIRROR}" ]; then \
      find /etc/apt \( -name '*.list' -o -name '*.sources' \) -exec sed -i -E "s#https?://(deb\.debian\.org|archive\.ubuntu\.com|security\.ubuntu\.com)#${APT_MIRROR}#g" {} +; \
    fi

# --- fragment: python-base/apt-repositories
# Vendor apt repositories, each trusted only through its own keyring (signed-by), never apt-key,
# and only after gpg shows the downloaded key has the fingerprint the profile pins.
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl gnupg \
    && curl -fsSL https://apt.repos.neuron.amazonaws.com/GPG-PUB-KEY-AMAZON-AWS-NEURON.PUB -o /tmp/aws-neuron.key \
    && { gpg --show-keys --with-colons /tmp/aws-neuron.key | grep -q '^fpr:::::::::00FA2C1079260870A76D2C285749CAD8646D9185:' \
      || { echo "https://apt.repos.neuron.amazonaws.com/GPG-PUB-KEY-AMAZON-AWS-NEURON.PUB is not the key with fingerprint 00FA2C1079260870A76D2C285749CAD8646D9185" >&2; exit 1; }; } \
    && gpg --dearmor -o /usr/share/keyrings/aws-neuron.gpg /tmp/aws-neuron.key \
    && rm /tmp/aws-neuron.key \
    && echo "deb [signed-by=/usr/share/keyrings/aws-neuron.gpg] https://apt.repos.neuron.amazonaws.com focal main" > /etc/apt/sources.list.d/aws-neuron.list \
    && rm -f /var/log/apt/history.log /var/log/apt/term.log /var/log/apt/eipp.log.xz /var/log/dpkg.log

# --- fragment: python-base/system-packages
# Profile and spec packages (plus Python from apt, tini as init), less what a parent image installed.
# apt's and dpkg's logs hold the install time: removed, so the same inputs give the same layer.
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update \
    && apt-get install -y --no-install-recommends \
       aws-neuronx-tools \
       python3.10 \
       python3.10-venv \
       tini \
    && rm -f /var/log/apt/history.log /var/log/apt/term.log /var/log/apt/eipp.log.xz /var/log/dpkg.log

# --- fragment: python-base/user
# The runtime user: images never run as root. useradd writes today's day number into /etc/shadow
# (last password change); it is cleared, so the layer is the same on any day (the account has no
# password to age).
RUN groupadd --gid 1000 app \
    && useradd --uid 1000 --gid 1000 --create-home --shell /bin/bash app \
    && sed -i 's/^\(app:[^:]*:\)[0-9]*:/\1:/' /etc/shadow

# --- fragment: python-base/builder
# The builder fills the venv; the runtime stage copies only the venv, not uv or the installers'
# working files.
FROM base AS builder
# Passed by buildah/podman builds (README "Reproducible builds"): uv then writes .pyc files that
# hold a hash of their source, not the time it was unpacked, so the same inputs give the same layers.
ARG SOURCE_DATE_EPOCH
# Created by root, so the runtime user can read and run it but not change it. A fixed hash seed:
# before 3.11 the order of a frozenset in a .pyc follows it (python/cpython#81777).
RUN PYTHONHASHSEED=0 python3.10 -m venv /opt/venv
# Vendor package indexes from the profile; a mirror replaces them through build args.
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL=https://pip.repos.neuron.amazonaws.com
# Reproducible .pyc files when the build passes it (see builder.hbs); a fixed hash seed for the
# frozensets in them on Python < 3.11.
ARG SOURCE_DATE_EPOCH
# uv installs the lock: faster than pip on a cold cache (docs/benchmarks.md "uv vs pip"). It comes
# from the same index as every other package, hash-checked, into /opt/uv: a folder of this builder
# stage only, never copied into the runtime image. One hash per Linux wheel pip may pick here:
# x86_64, and aarch64 for glibc 2.17 and 2.28. Before the lock is copied: a new lock reuses it.
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=secret,id=netrc,target=/root/.netrc \
    --mount=type=secret,id=ca-bundle \
    if [ -s /run/secrets/ca-bundle ]; then export PIP_CERT=/run/secrets/ca-bundle; fi \
    && printf '%s ' uv==0.13.10 \
       --hash=sha256:7cc9c41b43d583e34c781fd3446405b06e9c5fa2db468ce2a534d353db6429e5 \
       --hash=sha256:e89dd26ea831dde70639ba0a798fa04a4c7c0226fd2b241da86218bfa370e495 \
       --hash=sha256:ee3bca6523ed93c3ae0d1a90c2733be307f5f7cc5287c746214e93a3bae0da13 \
       >/tmp/uv-requirements.txt \
    && /opt/venv/bin/pip install --target /opt/uv --require-hashes --no-deps -r /tmp/uv-requirements.txt
COPY requirements.txt /tmp/requirements.txt
# Only what poetry.lock pins, every file hash-checked; --no-deps because the lock is complete. The
# same indexes as pip (uv reads no PIP_* variable), every index searched for the best match as pip
# does (uv's default stops at the first index that has the name); .pyc files compiled as pip does.
# A private index's credentials (netrc, which uv reads from ~/.netrc like pip) and a
# TLS-intercepting proxy's CA bundle arrive as BuildKit secrets: present while uv runs, never in a
# build arg or a layer. The cache mount is another filesystem: uv copies from it (no hard links).
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=secret,id=netrc,target=/root/.netrc \
    --mount=type=secret,id=ca-bundle \
    if [ -s /run/secrets/ca-bundle ]; then export SSL_CERT_FILE=/run/secrets/ca-bundle; fi \
    && if [ -n "${PIP_INDEX_URL}" ]; then export UV_DEFAULT_INDEX="${PIP_INDEX_URL}"; fi \
    && if [ -n "${PIP_EXTRA_INDEX_URL}" ]; then export UV_INDEX="${PIP_EXTRA_INDEX_URL}"; fi \
    && export UV_INDEX_STRATEGY=unsafe-best-match UV_LINK_MODE=copy PYTHONHASHSEED=0 \
    && /opt/uv/bin/uv pip install --python /opt/venv/bin/python --compile-bytecode --require-hashes --no-deps -r /tmp/requirements.txt

# --- fragment: python-base/runtime
# The runtime stage: what the development and production targets share.
FROM base AS runtime
# No --chown: the venv stays root's, read-only for the runtime user.
COPY --from=builder /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:${PATH}" \
    VIRTUAL_ENV=/opt/venv \
    ENVIRONMENT=production \
    NEURON_RT_LOG_LEVEL="ERROR"

# --- fragment: neuron-inf1/runtime
# Neuron tools (neuron-ls, neuron-top) live outside the default PATH.
ENV PATH="/opt/aws/neuron/bin:${PATH}"

# --- fragment: python-base/finalize
LABEL \
      dev.imagesmith.image="demo" \
      dev.imagesmith.profile="neuron-inf1" \
      dev.imagesmith.python="3.10" \
      dev.imagesmith.spec-sha256="9f90b5a5a25cbeb4d12b58c0722387834d3b806cf43b75075ad2ec8f5f847945" \
      org.opencontainers.image.description="Neuron demo" \
      org.opencontainers.image.title="demo"
RUN mkdir -p /workspace && chown 1000:1000 /workspace
WORKDIR /workspace
USER 1000:1000
ENTRYPOINT ["/usr/bin/tini","--"]

# --- fragment: python-base/development
# The development target (--target development): the runtime stage plus tools for working inside
# the container. It comes before production, so a build without --target gets production.
FROM runtime AS development
USER root
# Vendor package indexes from the profile; a mirror replaces them through build args.
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL=https://pip.repos.neuron.amazonaws.com
# Reproducible .pyc files when the build passes it (see builder.hbs); a fixed hash seed for the
# frozensets in them on Python < 3.11.
ARG SOURCE_DATE_EPOCH
COPY requirements-dev.txt /tmp/requirements-dev.txt
# Only what poetry.lock pins, every file hash-checked; --no-deps because the lock is complete.
# A private index's credentials (netrc) and a TLS-intercepting proxy's CA bundle arrive as BuildKit
# secrets: present while pip runs, never in a build arg or a layer.
RUN --mount=type=cache,target=/root/.cache/pip \
    --mount=type=secret,id=netrc,target=/root/.netrc \
    --mount=type=secret,id=ca-bundle \
    if [ -s /run/secrets/ca-bundle ]; then export PIP_CERT=/run/secrets/ca-bundle; fi \
    && PYTHONHASHSEED=0 /opt/venv/bin/pip install --require-hashes --no-deps -r /tmp/requirements-dev.txt
ENV ENVIRONMENT=development
USER 1000:1000

# --- fragment: python-base/production
# The production target: the last stage, so it is also what a build without --target gives.
FROM runtime AS production
