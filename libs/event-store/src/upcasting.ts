/**
 * Upcasting on read: stored events keep the schema version they were written with; readers always see
 * the current version. An upcaster lifts one event type from version n to n + 1; the registry chains
 * them. Writers must append the current version (`currentVersion`).
 */
export type Upcaster = (data: unknown) => unknown;

export interface Upcasted {
  readonly schemaVersion: number;
  readonly data: unknown;
}

export class UpcasterRegistry {
  private readonly steps = new Map<string, Map<number, Upcaster>>();

  /** Registers the step from `fromVersion` to `fromVersion + 1` for `type`. */
  register(type: string, fromVersion: number, upcaster: Upcaster): this {
    let byVersion = this.steps.get(type);
    if (!byVersion) {
      byVersion = new Map();
      this.steps.set(type, byVersion);
    }
    if (byVersion.has(fromVersion)) throw new Error(`Upcaster ${type} v${fromVersion} registered twice`);
    byVersion.set(fromVersion, upcaster);
    return this;
  }

  /** The newest schema version known for `type` (1 when no upcasters are registered). */
  currentVersion(type: string): number {
    const byVersion = this.steps.get(type);
    if (!byVersion || byVersion.size === 0) return 1;
    return Math.max(...byVersion.keys()) + 1;
  }

  upcast(type: string, schemaVersion: number, data: unknown): Upcasted {
    const byVersion = this.steps.get(type);
    if (!byVersion) return { schemaVersion, data };
    let version = schemaVersion;
    let current = data;
    for (let step = byVersion.get(version); step; step = byVersion.get(version)) {
      current = step(current);
      version += 1;
    }
    return { schemaVersion: version, data: current };
  }
}
