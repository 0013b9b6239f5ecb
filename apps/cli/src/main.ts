import { requireSupportedNode } from '../../../libs/runtime/src/require-node.js';

// Checked before anything that needs Node 24 is loaded (static imports would fail first).
requireSupportedNode();
const { runCli } = await import('./run-cli.js');
process.exitCode = await runCli(process.argv.slice(2));
