# Linli in a container: `docker build -t linli . && docker run -p 8080:8080 -v linli-data:/data linli`
# (add -e DATABASE_URL=postgres://… for PostgreSQL). The memory settings are the ones
# `npm run serve` uses (README, "Deploying").
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=8080 LINLI_DATA_DIR=/data MALLOC_MMAP_THRESHOLD_=65536
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
VOLUME /data
EXPOSE 8080
USER node
CMD ["node", "--max-semi-space-size=16", "--heap-growing-percent=30", "src/server/main.ts"]
