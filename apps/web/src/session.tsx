import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { ApiError, get, request, setCsrfToken } from './api';

/** Prüfpfad's roles (libs/domain `ROLES`), with the names users know. */
export const ROLE_NAMES = {
  team_lead: ['Teamleitung', 'Team lead'],
  deputy: ['Stellvertretung', 'Deputy'],
  area_head: ['Bereichsleitung', 'Area head'],
  management: ['Geschäftsführung', 'Management'],
  legal: ['Rechtsstelle', 'Legal department'],
  regional: ['Regionaldirektion', 'Regional level'],
  central: ['Zentrale', 'Central level'],
  auditor: ['Prüfung (Revision)', 'Auditor'],
  operator: ['IT-Betrieb', 'IT operator'],
  employee: ['Beschäftigte', 'Employee'],
} as const satisfies Record<string, readonly [string, string]>;

export type Role = keyof typeof ROLE_NAMES;

export interface Session {
  readonly subject: string;
  readonly tenant: string;
  readonly roles: readonly Role[];
  readonly units: readonly string[];
  readonly region?: string;
  readonly via: 'oidc' | 'development' | 'bearer';
  readonly csrfToken: string | null;
  readonly expiresAt: string | null;
}

interface SessionState {
  readonly session: Session | null;
  readonly loading: boolean;
  readonly error: unknown;
  readonly signOut: () => Promise<void>;
  readonly refresh: () => Promise<void>;
}

const Context = createContext<SessionState | null>(null);
export const SESSION_KEY = ['session'];

export async function loadSession(): Promise<Session | null> {
  try {
    const session = await get<Session>('/api/v1/session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function SessionProvider({ children }: { readonly children: ReactNode }) {
  const client = useQueryClient();
  const query = useQuery({ queryKey: SESSION_KEY, queryFn: loadSession, staleTime: 60_000, retry: 1 });
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: SESSION_KEY });
  };
  const signOut = async () => {
    const { data } = await request<{ logoutUrl: string | null }>('POST', '/auth/logout');
    setCsrfToken(null);
    client.clear();
    if (data.logoutUrl) window.location.assign(data.logoutUrl);
    else window.location.assign('/');
  };
  return (
    <Context.Provider
      value={{ session: query.data ?? null, loading: query.isPending, error: query.error, signOut, refresh }}
    >
      {children}
    </Context.Provider>
  );
}

export function useSession(): SessionState {
  const state = useContext(Context);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** A role's name as users know it, in the language in use. */
export function roleName(role: Role, t: (german: string, english: string) => string): string {
  const [german, english] = ROLE_NAMES[role];
  return t(german, english);
}

export function hasRole(session: Session | null, ...roles: Role[]): boolean {
  return session !== null && session.roles.some((role) => roles.includes(role));
}
