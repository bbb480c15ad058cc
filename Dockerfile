# The bot as a container: `docker build -t cmd-concertation-bot .`, then run it with MONGODB_URI
# (and the bot registration's settings, see deploy/README.md). The image carries no database: in
# Azure the data lives in Cosmos DB for MongoDB vCore or Atlas, so MONGODB_URI is required.
# test/deploy/dockerImage.test.ts replays what this file copies and starts the bot from it.
ARG NODE_VERSION=22

# Build: every dependency (TypeScript and the other dev tools), then `npm run build` into dist/.
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY bot ./bot
COPY cards ./cards
COPY config ./config
COPY dialogs ./dialogs
COPY domain ./domain
COPY jobs ./jobs
COPY locales ./locales
COPY models ./models
COPY services ./services
COPY tab ./tab
COPY tools ./tools
RUN npm run build

# Run: production dependencies and the build output only (translations, card templates and
# configuration are compiled into dist/ as JSON modules).
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
ENV PORT=3978
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3978
# No curl in the slim image: Node's fetch asks /healthz (200 ready; 503 database down or stopping).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/bot/index.js"]
