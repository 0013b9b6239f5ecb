/**
 * @pruefpfad/runtime: the guards every process needs before it opens a store.
 *
 * For: the check that the process runs on the supported Node major, private files and directories
 * (0700/0600, tightened and reported where they were looser) for the stores' files and secrets, and the
 * one way the embedded stores write a `node:sqlite` transaction.
 *
 * Exports: `requireSupportedNode`, the private-file helpers below and `inWriteTransaction`.
 *
 * Must not depend on: any other library (it is the bottom layer beside the domain).
 */

export {
  createPrivateDirectory,
  createPrivateFile,
  type PermissionWarning,
  PRIVATE_FILE_MODE,
  securePrivateDirectory,
  tightenPermissions,
} from './private-files.js';
export { requireSupportedNode } from './require-node.js';
export { inWriteTransaction } from './sqlite-transaction.js';
