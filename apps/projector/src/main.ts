import { requireSupportedNode } from '../../../libs/runtime/src/require-node.js';

// Checked before anything that needs Node 24 is loaded (static imports would fail first).
requireSupportedNode();
const { runProjector } = await import('./run-projector.js');
await runProjector();
