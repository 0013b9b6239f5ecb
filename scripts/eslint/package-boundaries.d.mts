import type { ESLint, Rule } from 'eslint';

/** Lower layers first. A library imports only from layers below its own. */
export declare const LAYERS: readonly (readonly string[])[];
export declare const packageBoundaries: Rule.RuleModule;
/** The workspace packages under `<root>/libs` by directory name. */
export declare function readPackages(
  root: string,
): Map<string, { name: string; entries: Set<string>; dependencies: Set<string> }>;
declare const plugin: ESLint.Plugin;
export default plugin;
