/**
 * Every entry point calls this before importing anything that needs Node 24 (`node:sqlite`, ESM
 * features). Static imports are linked before any code runs, so entry points import only this module
 * statically and load the real program with a dynamic `import()` afterwards.
 */
export const REQUIRED_NODE_MAJOR = 24;

export function unsupportedNodeMessage(version: string): string | null {
  const major = Number(version.split('.')[0]);
  if (Number.isInteger(major) && major >= REQUIRED_NODE_MAJOR) return null;
  return (
    `Prüfpfad braucht Node.js ${REQUIRED_NODE_MAJOR} LTS, gefunden wurde ${version}. ` +
    `Bitte über die npm-Skripte starten (npm start, npm test, npm run cli), die das mit npm ci installierte Node ${REQUIRED_NODE_MAJOR} verwenden.\n` +
    `Prüfpfad needs Node.js ${REQUIRED_NODE_MAJOR} LTS but found ${version}. ` +
    `Start it through the npm scripts (npm start, npm test, npm run cli), which use the Node ${REQUIRED_NODE_MAJOR} that npm ci installed into node_modules/.bin.`
  );
}

export function requireSupportedNode(): void {
  const message = unsupportedNodeMessage(process.versions.node);
  if (message !== null) {
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
}
