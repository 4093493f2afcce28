# syntax=docker/dockerfile:1
# Build stage: install everything, generate the Prisma client, compile.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The empty embedded database a first start copies (src/db/pglite-template.ts).
RUN npm run build && node scripts/pglite-template.mjs && npm prune --omit=dev --ignore-scripts

# Runtime stage: compiled code, production dependencies, migrations, locales.
FROM node:24-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/app/data PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node prisma ./prisma
COPY --chown=node:node locales ./locales
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Memory flags: src/lib/node-flags.ts.
CMD ["node", "--max-semi-space-size=4", "--v8-pool-size=1", "dist/src/main.js"]
