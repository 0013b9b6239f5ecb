import { requireSupportedNode } from '@pruefpfad/runtime';

// Checked before anything that needs Node 24 is loaded (static imports would fail first).
requireSupportedNode();
const { runApi } = await import('./run-api.js');
await runApi();
