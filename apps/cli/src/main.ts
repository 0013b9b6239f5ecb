import { requireSupportedNode } from '@pruefpfad/runtime';

// Checked before anything that needs Node 24 is loaded (static imports would fail first).
requireSupportedNode();
const { runCli } = await import('./run-cli.js');
process.exitCode = await runCli(process.argv.slice(2));
