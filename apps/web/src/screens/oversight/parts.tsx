import { KolLink } from '@public-ui/react-v19';
import type { Texts } from '../../i18n';

/**
 * Small pieces the oversight screens share: download links (plain same-origin links to the API's GET
 * endpoints: the session cookie goes along), the instant format of a log line, short ids and break
 * opportunities in long ones.
 */

export function Downloads({ links }: { readonly links: readonly { readonly label: string; readonly href: string }[] }) {
  return (
    <ul className="row downloads">
      {links.map((link) => (
        <li key={link.href}>
          <KolLink _href={link.href} _label={link.label} />
        </li>
      ))}
    </ul>
  );
}

/** An instant as people in Germany read it (date and time, Europe/Berlin). */
export function instant(value: string, language: Texts['language']): string {
  return new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', {
    timeZone: 'Europe/Berlin',
    dateStyle: 'medium',
    timeStyle: 'medium',
  }).format(new Date(value));
}

/** A review's id as people tell reviews apart: its random tail (the head of a UUIDv7 is the creation time, alike for one draw). */
export const shortId = (id: string): string => id.slice(-12);

/**
 * Long unbroken runs (ids, placeholders like «verschlüsselt: review:<id>#1», pseudonyms) get a break
 * opportunity every 20 characters, so a table cell wraps instead of widening the table past its box.
 */
export const breakable = (text: string): string => text.replace(/(\S{20})(?=\S)/g, '$1\u200B');
