import { register } from '@public-ui/components';
import * as loader from '@public-ui/components/loader';
import { DEFAULT } from '@public-ui/theme-default';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api';
import { App } from './app';
import { LanguageProvider } from './i18n';
import { loadSession, SESSION_KEY, SessionProvider } from './session';
import './styles.css';

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      // A refused read (4xx) will not change by asking again; a network error or a 503 may.
      retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

// Who is signed in is asked for while KoliBri registers, not after (the first screen needs both).
void queries.prefetchQuery({ queryKey: SESSION_KEY, queryFn: loadSession, staleTime: 60_000 });

// KoliBri's accessible components and the default theme are registered before the first render. The
// loader's published type declaration points at a file the package does not ship (its type is an error
// type to the compiler), hence the cast to the signature KoliBri documents.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
const { defineCustomElements } = loader as unknown as { defineCustomElements: () => Promise<void> };
await register(DEFAULT, defineCustomElements);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <LanguageProvider>
        <SessionProvider>
          <App />
        </SessionProvider>
      </LanguageProvider>
    </QueryClientProvider>
  </StrictMode>,
);
