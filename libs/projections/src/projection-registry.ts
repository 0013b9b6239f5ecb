import type { ProjectionDefinition } from './projection.js';
import { UnknownProjectionError } from './projection-status.js';

/**
 * The catalogue of read models the application runs: the app (and the projection worker, through its
 * definitions module) passes its definitions in; runners, rebuilds and operator tooling look them up by
 * name. Names are validated here once, so a typo cannot create a collection that nobody reads.
 */
export class ProjectionRegistry {
  private readonly byName = new Map<string, ProjectionDefinition>();

  constructor(definitions: readonly ProjectionDefinition[] = []) {
    for (const definition of definitions) this.register(definition);
  }

  register(definition: ProjectionDefinition): this {
    const { name, version, eventTypes } = definition;
    // `_v<n>` would collide with the physical names derived from the logical one.
    if (!/^[a-z][a-z0-9_-]*$/.test(name) || /_v[0-9]+(_r[0-9]+)?$/.test(name)) {
      throw new Error(
        `Invalid projection name ${JSON.stringify(name)}: lower-case letters, digits, _ and -, not ending in _v<n>`,
      );
    }
    if (!Number.isSafeInteger(version) || version < 1)
      throw new Error(`Projection ${name}: version must be an integer >= 1`);
    if (eventTypes.length === 0) throw new Error(`Projection ${name}: eventTypes must not be empty`);
    if (this.byName.has(name)) throw new Error(`Projection ${name} registered twice`);
    this.byName.set(name, definition);
    return this;
  }

  get(name: string): ProjectionDefinition {
    const definition = this.byName.get(name);
    if (definition === undefined) throw new UnknownProjectionError(name);
    return definition;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  list(): readonly ProjectionDefinition[] {
    return [...this.byName.values()];
  }

  names(): readonly string[] {
    return [...this.byName.keys()];
  }
}
