import { requireSupportedNode } from '@pruefpfad/runtime';

// Checked before anything that needs Node 24 is loaded (static imports would fail first).
requireSupportedNode();
const { runWebBench } = await import('./web-bench.js');
process.exitCode = await runWebBench(process.env);
