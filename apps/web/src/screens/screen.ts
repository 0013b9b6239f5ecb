import type { ReactNode } from 'react';
import type { Texts } from '../i18n';
import type { Session } from '../session';

/**
 * How a group of screens plugs into the application: its routes, its entries in the main navigation and
 * on the overview page, each shown only to the roles the API's policy allows (the API decides again on
 * every request; hiding is for orientation, not for protection).
 */
export interface Route {
  /** `/teams/:teamId/arbeitsliste`: `:name` parts become parameters. */
  readonly pattern: string;
  readonly render: (params: Readonly<Record<string, string>>, context: ScreenContext) => ReactNode;
}

export interface ScreenContext {
  readonly session: Session;
  readonly query: URLSearchParams;
}

export interface NavLink {
  readonly _label: string;
  readonly _href: string;
}

export interface ScreenGroup {
  readonly routes: readonly Route[];
  /** Main navigation entries for this session (none when its roles have no screen here). */
  readonly nav: (session: Session, texts: Texts) => readonly NavLink[];
}
