# The app image for docker-compose: Node 24 LTS, production dependencies, compiled output.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The workspace packages' manifests (libs/*), so that `npm ci` links them before the sources arrive.
COPY libs/application/package.json libs/application/
COPY libs/composition/package.json libs/composition/
COPY libs/domain/package.json libs/domain/
COPY libs/event-store/package.json libs/event-store/
COPY libs/privacy/package.json libs/privacy/
COPY libs/projections/package.json libs/projections/
COPY libs/read-store/package.json libs/read-store/
COPY libs/runtime/package.json libs/runtime/
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
# dist/ holds the compiled libraries with their manifests and dist/node_modules/@pruefpfad/* links to them
# (scripts/link-built-packages.mjs), so the compiled apps resolve the packages without the sources.
COPY --from=build /app/dist ./dist
COPY --from=build /app/catalogues ./catalogues
COPY package.json ./
# Every directory the service writes: the data directory (embedded stores, JWT and session secrets) and the
# key directory (key store, master key), apart so that keys are backed up apart from the events. Created here
# owned by node with mode 0700 before `USER node`: Docker copies a directory's ownership and mode into an
# empty named volume mounted on it, so a fresh volume (docker-compose.yml) is writable by node from the
# first start. Nothing else is written (no temporary or export directory; exports are HTTP responses).
ENV PRUEFPFAD_DATA_DIR=/var/lib/pruefpfad/data \
    PRUEFPFAD_KEY_DIR=/var/lib/pruefpfad/keys
RUN mkdir -p /var/lib/pruefpfad/data /var/lib/pruefpfad/keys \
    && chown -R node:node /var/lib/pruefpfad \
    && chmod 0700 /var/lib/pruefpfad /var/lib/pruefpfad/data /var/lib/pruefpfad/keys
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
