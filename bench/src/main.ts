import { requireSupportedNode } from '@pruefpfad/runtime';

// Checked before anything that needs Node 24 is loaded (static imports would fail first).
requireSupportedNode();
const { runBench } = await import('./run-bench.js');
process.exitCode = await runBench(process.env);
