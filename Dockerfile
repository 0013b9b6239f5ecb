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
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/src/main.js"]
