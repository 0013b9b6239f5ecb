import { AVOIDABLE_REASONS, type LegalQuotaRow } from './legal-quota.events.js';

/** A row as entered: the avoidable count beside its reasons, so that the two are checked against each other. */
export interface LegalQuotaRowInput extends LegalQuotaRow {
  readonly avoidableTotal: number;
}

/** Field problems of a month's rows, keyed `rows.<i>.<field>` (empty when the rows are consistent). */
export type RowProblems = Record<string, string>;

const COUNT = 'nicht-negative ganze Zahl / non-negative integer';
export const LEGAL_NORM_MAX_LENGTH = 120;

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/**
 * The consistency a month's figures must have (001:256–262): counts are non-negative integers; upheld
 * (fully plus partly) at most settled; avoidable at most upheld; the avoidable count is the sum of its
 * reasons; one row per legal norm and team.
 */
export function validateRows(rows: readonly LegalQuotaRowInput[]): RowProblems {
  const problems: RowProblems = {};
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const at = (field: string): string => `rows.${index}.${field}`;
    const norm = typeof row.legalNorm === 'string' ? row.legalNorm.trim() : '';
    if (norm === '' || norm.length > LEGAL_NORM_MAX_LENGTH)
      problems[at('legalNorm')] =
        `Rechtsnorm, 1–${LEGAL_NORM_MAX_LENGTH} Zeichen / legal norm, 1–${LEGAL_NORM_MAX_LENGTH} characters`;
    const key = `${norm.replace(/\s+/gu, ' ')}\u0000${row.teamId ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined)
      problems[at('legalNorm')] =
        `dieselbe Rechtsnorm und dasselbe Team wie Zeile ${first} / same legal norm and team as row ${first}`;
    else seen.set(key, index);
    let countsValid = true;
    for (const field of ['settled', 'upheldFully', 'upheldPartly'] as const)
      if (!isCount(row[field])) {
        problems[at(field)] = COUNT;
        countsValid = false;
      }
    for (const reason of AVOIDABLE_REASONS)
      if (!isCount(row.avoidable?.[reason])) {
        problems[at(`avoidableByReason.${reason}`)] = COUNT;
        countsValid = false;
      }
    const total = row.avoidableTotal;
    if (!isCount(total)) {
      problems[at('avoidable')] = COUNT;
      countsValid = false;
    }
    if (!countsValid) return;
    const upheld = row.upheldFully + row.upheldPartly;
    const avoidable = AVOIDABLE_REASONS.reduce((sum, reason) => sum + row.avoidable[reason], 0);
    if (upheld > row.settled)
      problems[at('upheldFully')] =
        `volle und teilweise Stattgaben (${upheld}) höchstens so viele wie erledigte Widersprüche (${row.settled}) / ` +
        `fully and partly upheld (${upheld}) at most as many as settled (${row.settled})`;
    if (total !== avoidable)
      problems[at('avoidableByReason')] =
        `Summe der Gründe (${avoidable}) muss der Zahl vermeidbarer Stattgaben (${total}) entsprechen / ` +
        `the reasons (${avoidable}) must add up to the avoidable count (${total})`;
    if (total > upheld)
      problems[at('avoidable')] =
        `vermeidbare Stattgaben (${total}) höchstens so viele wie Stattgaben (${upheld}) / ` +
        `avoidable (${total}) at most as many as upheld (${upheld})`;
  });
  return problems;
}
