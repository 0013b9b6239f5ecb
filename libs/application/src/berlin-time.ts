/** All months, quarters and due dates are Europe/Berlin local dates (architecture: calendar rules). */
const BERLIN_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The Europe/Berlin calendar date (`yyyy-mm-dd`) of an instant, summer time included. */
export function berlinDate(instant: Date): string {
  return BERLIN_DATE.format(instant);
}
