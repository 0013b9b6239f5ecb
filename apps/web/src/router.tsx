import { useEffect, useSyncExternalStore } from 'react';

/**
 * Client-side navigation without a page load: the path is the state (bookmarkable, back button works).
 * Links are ordinary `<a href>` (also inside KoliBri's shadow roots); a same-origin click is taken over
 * here, and focus moves to the new page's heading so that screen readers announce the change.
 */
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function navigate(to: string, options: { readonly replace?: boolean } = {}): void {
  if (options.replace === true) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  for (const listener of listeners) listener();
}

export interface Location {
  readonly path: string;
  readonly query: URLSearchParams;
}

let cached: { key: string; value: Location } | null = null;

function snapshot(): Location {
  const key = `${location.pathname}${location.search}`;
  if (cached?.key !== key)
    cached = { key, value: { path: location.pathname, query: new URLSearchParams(location.search) } };
  return cached.value;
}

export function useLocation(): Location {
  return useSyncExternalStore(subscribe, snapshot);
}

/** Takes over clicks on same-origin links, in light and shadow DOM alike. */
export function useLinkInterception(): void {
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (
        event.defaultPrevented ||
        event.button !== 0 ||
        event.metaKey ||
        event.ctrlKey ||
        event.shiftKey ||
        event.altKey
      ) {
        return;
      }
      const anchor = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
      if (!anchor || anchor.target === '_blank' || anchor.hasAttribute('download')) return;
      const url = new URL(anchor.href, location.href);
      if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/auth/'))
        return;
      event.preventDefault();
      navigate(`${url.pathname}${url.search}${url.hash}`);
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, []);
}

/** Matches `/teams/:teamId/arbeitsliste` against a path; the parameters, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const source = pattern.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const found = new RegExp(`^${source}/?$`).exec(path);
  if (!found) return null;
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(found[index + 1]!)]));
}
