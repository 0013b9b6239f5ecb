import type { DeadlineCount } from './deadline.js';

/** German / English names of the deadline kinds; a source of another feature brings its own. */
export interface KindLabel {
  readonly de: string;
  readonly en: string;
}

export const CORE_DEADLINE_LABELS: Readonly<Record<string, KindLabel>> = {
  draw: { de: 'Fallauswahl zum Monatsbeginn', en: 'monthly draw' },
  review: { de: 'Prüfungen', en: 'reviews' },
  talk: { de: 'Gespräche zu abgeschlossenen Prüfungen', en: 'talks about completed reviews' },
  measure: { de: 'Maßnahmen', en: 'measures' },
  'team-report': { de: 'Quartalsberichte der Teams', en: "teams' quarterly reports" },
  'legal-report': { de: 'Quartalsbericht / Fehlanzeige Recht', en: 'legal quarterly report / nil report' },
  'routine-recheck': { de: 'Wiedervorlage ausgesetzter Routinen', en: 're-check of suspended routines' },
};

export interface DigestMail {
  readonly subject: string;
  readonly text: string;
}

/**
 * The digest e-mail: counts per kind and a link to the inbox, nothing else. No case, no name, no
 * reference, no team: e-mail leaves the Jobcenter's systems (003:58), the inbox behind the login does not.
 */
export function renderDigest(
  counts: readonly DeadlineCount[],
  inboxUrl: string,
  date: string,
  labels: Readonly<Record<string, KindLabel>> = CORE_DEADLINE_LABELS,
): DigestMail {
  const overdue = counts.reduce((sum, count) => sum + count.overdue, 0);
  const due = counts.reduce((sum, count) => sum + count.due, 0);
  const label = (kind: string): KindLabel => labels[kind] ?? { de: kind, en: kind };
  const lines = counts.map(
    (count) =>
      `- ${label(count.kind).de} / ${label(count.kind).en}: ${count.overdue} überfällig / overdue, ${count.due} fällig / due`,
  );
  return {
    subject: `Prüfpfad: ${overdue} überfällig, ${due} fällig / ${overdue} overdue, ${due} due (${date})`,
    text: [
      `Fristen am ${date} / Deadlines on ${date}`,
      '',
      ...lines,
      '',
      `Einzelheiten nach der Anmeldung / details after signing in: ${inboxUrl}`,
      '',
      'Diese Nachricht enthält keine Falldaten. / This message contains no case data.',
      '',
    ].join('\n'),
  };
}
