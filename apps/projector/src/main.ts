import { requireSupportedNode } from '@pruefpfad/runtime';

// Checked before anything that needs Node 24 is loaded (static imports would fail first).
requireSupportedNode();
const { runProjector } = await import('./run-projector.js');
await runProjector();
