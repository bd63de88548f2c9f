# Namida in a container: docker compose up -d (see README, "Deploying").
# Build stage: every wheel Namida needs, built once; nothing of the build tools reaches the image.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY cogs ./cogs
COPY data ./data
RUN python -m pip wheel --no-cache-dir --wheel-dir /wheels ".[fast]"

FROM python:3.11-slim
# A CJK font so poll charts can draw Japanese, Chinese and Korean titles.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /data --no-create-home namida \
    && mkdir /data && chown namida:namida /data
COPY --from=build /wheels /wheels
RUN python -m pip install --no-cache-dir --no-index --find-links /wheels "namida[fast]" && rm -rf /wheels
USER namida
WORKDIR /data
# The database (and the anime catalogue beside it) live on the one data volume.
ENV NAMIDA_DATABASE=/data/namida.db \
    NAMIDA_HTTP_HOST=0.0.0.0 \
    NAMIDA_HTTP_PORT=8080 \
    PYTHONUNBUFFERED=1 \
    MPLCONFIGDIR=/tmp/matplotlib
VOLUME ["/data"]
EXPOSE 8080
# The port is read when the check runs, so a NAMIDA_HTTP_PORT set in .env is the one checked.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ['NAMIDA_HTTP_PORT'] + '/healthz', timeout=4)"]
# SIGTERM closes Namida cleanly: votes already clicked are committed before it exits.
STOPSIGNAL SIGTERM
ENTRYPOINT ["namida"]
