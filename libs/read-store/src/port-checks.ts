import type { Filter, IndexSpec, WriteCondition } from './read-store.port.js';

/**
 * Argument checks both adapters make before anything reaches SQLite or MongoDB, so a malformed condition
 * or index spec fails the same way everywhere (and never as "condition did not hold").
 */
export function checkCondition(condition: WriteCondition): void {
  if (condition === null || typeof condition !== 'object') throw new TypeError('a write condition must be an object');
  if (condition.absent !== undefined && typeof condition.absent !== 'boolean') {
    throw new TypeError('condition.absent must be a boolean');
  }
  if (condition.matches !== undefined) checkFilter(condition.matches);
  if (condition.absent !== true && condition.matches === undefined) {
    throw new TypeError('a write condition needs `absent: true` or `matches` (use put for an unconditional write)');
  }
}

export function checkFilter(filter: Filter): void {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    throw new TypeError('a filter must be a plain object');
  }
}

export function checkIndexSpecs(specs: readonly IndexSpec[]): void {
  if (!Array.isArray(specs)) throw new TypeError('index specs must be an array');
  for (const spec of specs as readonly (IndexSpec | null | undefined)[]) {
    if (spec === null || typeof spec !== 'object') throw new TypeError('an index spec must be an object');
    const fields = Object.entries(spec.fields ?? {});
    if (fields.length === 0) throw new TypeError('an index needs at least one field');
    for (const [field, order] of fields) {
      if (field === '' || field.startsWith('$')) throw new TypeError(`invalid index field: ${JSON.stringify(field)}`);
      if (order !== 1 && order !== -1) throw new TypeError(`index order of ${field} must be 1 or -1`);
    }
    if (spec.unique !== undefined && typeof spec.unique !== 'boolean') {
      throw new TypeError('index unique must be a boolean');
    }
  }
}
