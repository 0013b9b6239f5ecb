// Refuse to run the suite on anything but the project's pinned Node 24 (see package.json `engines`).
export default function globalSetup() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) {
    throw new Error(
      `Prüfpfad braucht Node.js 24 (gefunden: ${process.versions.node}). ` +
        `Prüfpfad needs Node.js 24 (found ${process.versions.node}); run the tests with \`npm test\`, ` +
        'which uses the Node 24 that `npm ci` installed into node_modules/.bin.',
    );
  }
}
