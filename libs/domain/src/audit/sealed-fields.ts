import type { Sealed } from '../shared/sealed.js';

/**
 * Sealed personal fields inside events and folded state, found structurally (the domain never opens them).
 *
 * Callers who may not see personal data (auditors, area heads) get a placeholder instead of each sealed
 * value: `«verschlüsselt: <key id>#<n>»`, where n numbers the sealed values of that key in the order they
 * first appear in the stream's events. Events are immutable, so the number is stable across calls and
 * exports, it names one field an entitled reader (or a court) can open later, and producing it needs no
 * decryption at all: nothing is opened for a caller who must not see it. A keyed pseudonym of the clear
 * value would have meant decrypting every field just to hide it again.
 */

export function isSealedValue(value: unknown): value is Sealed {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    candidate['$sealed'] === 1 &&
    typeof candidate['kid'] === 'string' &&
    typeof candidate['iv'] === 'string' &&
    typeof candidate['ct'] === 'string' &&
    typeof candidate['tag'] === 'string'
  );
}

/** Identifies one sealed value (a fresh IV per seal makes it unique), whichever copy carries it. */
export const sealedIdentity = (sealed: Sealed): string => `${sealed.kid}|${sealed.iv}|${sealed.tag}`;

export const sealedPlaceholder = (kid: string, ordinal: number | '?'): string => `«verschlüsselt: ${kid}#${ordinal}»`;

/** Every sealed value inside `value`, depth first, arrays by index, objects in their key order. */
export function collectSealed(value: unknown): Sealed[] {
  const found: Sealed[] = [];
  const visit = (node: unknown): void => {
    if (isSealedValue(node)) found.push(node);
    else if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) Object.values(node).forEach(visit);
  };
  visit(value);
  return found;
}

/** A deep copy of `value` with every sealed value replaced by `replace(sealed)`. */
export function mapSealed(value: unknown, replace: (sealed: Sealed) => unknown): unknown {
  if (isSealedValue(value)) return replace(value);
  if (Array.isArray(value)) return value.map((item) => mapSealed(item, replace));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapSealed(item, replace)]));
  return value;
}

/**
 * Numbers the sealed values of `dataInStreamOrder` (the events' data, oldest first) per key id:
 * identity → n (1, 2, …). Counting per key keeps a review's numbers independent of its measures'.
 */
export function numberSealedValues(dataInStreamOrder: readonly unknown[]): ReadonlyMap<string, number> {
  const numbers = new Map<string, number>();
  const perKey = new Map<string, number>();
  for (const data of dataInStreamOrder)
    for (const sealed of collectSealed(data)) {
      const identity = sealedIdentity(sealed);
      if (numbers.has(identity)) continue;
      const next = (perKey.get(sealed.kid) ?? 0) + 1;
      perKey.set(sealed.kid, next);
      numbers.set(identity, next);
    }
  return numbers;
}

/** `mapSealed` with placeholders from `numbers`; a value the numbering never saw gets `#?` (still nothing clear). */
export function pseudonymiseSealed(value: unknown, numbers: ReadonlyMap<string, number>): unknown {
  return mapSealed(value, (sealed) => sealedPlaceholder(sealed.kid, numbers.get(sealedIdentity(sealed)) ?? '?'));
}
