/**
 * Where a deadline of the inbox is worked on in the web application. The API gives each deadline the
 * API path of the thing it concerns (`path`, see libs/domain/src/deadlines/deadline-rules.ts); the
 * screens live under German routes, so this maps one onto the other:
 *
 * | API path                                        | screen                                   |
 * | ----------------------------------------------- | ---------------------------------------- |
 * | `/api/v1/programmes/:p/samples` (draw, ref `p/team/yyyy-mm`) | `/pruefplaene/:p/ziehung?monat=yyyy-mm` |
 * | `/api/v1/reviews/:id` (review, talk)            | `/pruefungen/:id`                        |
 * | `/api/v1/measures/:id` (unit: the team)         | `/teams/:unit/massnahmen`                |
 * | `/api/v1/teams/:t/reports/:y/Q:q/draft`         | `/teams/:t/berichte/:y/:q`               |
 * | `/api/v1/teams/:t/indicators/:yyyy-mm`          | `/teams/:t/kennzahlen?monat=yyyy-mm`     |
 * | `/api/v1/legal/reports/:y/Q:q`                  | `/rechtsstelle/bericht?jahr=:y&quartal=:q` |
 * | `/api/v1/routines/:p`                           | `/jobcenter/pruefroutinen/:p`            |
 * | `/api/v1/risks/:id`                             | `/risiken/:id`                           |
 *
 * A path the table does not know (a deadline source added later) has no screen here: `null`, and the
 * inbox lists it without a link rather than guessing one.
 */
export interface DeadlineTarget {
  readonly path: string;
  readonly ref: string;
  readonly unit: string | null;
}

const enc = encodeURIComponent;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function screenPathOf(deadline: DeadlineTarget): string | null {
  const parts = deadline.path
    .split('?')[0]!
    .split('/')
    .filter((part) => part !== '');
  if (parts[0] !== 'api' || parts[1] !== 'v1') return null;
  const [resource, ...rest] = parts.slice(2).map((part) => decodeURIComponent(part));
  switch (resource ?? '') {
    case 'programmes': {
      if (rest.length !== 2 || rest[1] !== 'samples') return null;
      const month = deadline.ref.split('/').pop() ?? '';
      return `/pruefplaene/${enc(rest[0]!)}/ziehung${MONTH.test(month) ? `?monat=${month}` : ''}`;
    }
    case 'reviews':
      return rest.length === 1 ? `/pruefungen/${enc(rest[0]!)}` : null;
    case 'measures':
      return rest.length === 1 && deadline.unit !== null ? `/teams/${enc(deadline.unit)}/massnahmen` : null;
    case 'teams': {
      const [team, reports, year, quarter] = rest;
      if (reports === 'indicators' && rest.length === 3 && MONTH.test(year ?? ''))
        return `/teams/${enc(team!)}/kennzahlen?monat=${year}`;
      if (reports !== 'reports' || !/^\d{4}$/.test(year ?? '') || !/^Q[1-4]$/.test(quarter ?? '')) return null;
      return `/teams/${enc(team!)}/berichte/${year}/${quarter!.slice(1)}`;
    }
    case 'legal': {
      const [reports, year, quarter] = rest;
      if (reports !== 'reports' || !/^\d{4}$/.test(year ?? '') || !/^Q[1-4]$/.test(quarter ?? '')) return null;
      return `/rechtsstelle/bericht?jahr=${year}&quartal=${quarter!.slice(1)}`;
    }
    case 'routines':
      return rest.length === 1 ? `/jobcenter/pruefroutinen/${enc(rest[0]!)}` : null;
    case 'risks':
      return rest.length === 1 ? `/risiken/${enc(rest[0]!)}` : null;
    default:
      return null;
  }
}
