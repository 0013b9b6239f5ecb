import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID provider (`oidc-provider`) on 127.0.0.1 and a random port, for the browser login's
 * end-to-end tests. Its login and consent interactions are plain HTTP forms a test can post to:
 * `POST /interaction/<uid>/login` with `login=<account>`, then `POST /interaction/<uid>/confirm`.
 * Accounts and their groups can change while it runs (a refresh then maps the new groups).
 */
export interface OidcTestProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** account id → groups (claim `groups`); removing an account makes its refresh tokens fail. */
  readonly accounts: Map<string, string[]>;
  /** Registers the relying party once its origin is known (the app listens on a random port too). */
  registerClient(appOrigin: string): void;
  close(): Promise<void>;
}

async function readForm(request: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startOidcTestProvider(options: { accessTokenSeconds?: number } = {}): Promise<OidcTestProvider> {
  let handler: http.RequestListener = (_request, response) => {
    response.statusCode = 503;
    response.end('not ready');
  };
  const server = http.createServer((request, response) => handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, string[]>();
  const clientId = 'pruefpfad-web';
  const clientSecret = 'pruefpfad-web-secret-for-tests-only';

  const registerClient = (appOrigin: string): void => {
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: [`${appOrigin}/auth/callback`],
          post_logout_redirect_uris: [`${appOrigin}/`],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
        },
      ],
      claims: { openid: ['sub'], groups: ['groups'], profile: ['name'], email: ['email'] },
      scopes: ['openid', 'offline_access', 'groups', 'profile', 'email'],
      findAccount: (_ctx, id) => {
        const groups = accounts.get(id);
        if (groups === undefined) return undefined;
        return {
          accountId: id,
          claims: () => ({ sub: id, groups: [...groups], name: id, email: `${id}@example.test` }),
        };
      },
      issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
      features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      ttl: {
        AccessToken: options.accessTokenSeconds ?? 600,
        IdToken: 3600,
        RefreshToken: 86_400,
        Session: 86_400,
        Grant: 86_400,
        Interaction: 600,
      },
      cookies: { keys: ['oidc-test-provider-cookie-key'] },
    });
    handler = (request, response) => {
      const url = new URL(request.url ?? '/', issuer);
      const match = /^\/interaction\/([\w-]+)(?:\/(login|confirm))?$/.exec(url.pathname);
      if (!match) {
        provider.callback()(request, response);
        return;
      }
      void (async () => {
        try {
          const details = await provider.interactionDetails(request, response);
          if (request.method === 'GET') {
            response.setHeader('content-type', 'text/html; charset=utf-8');
            // A page a browser can use too (the browser journey signs in here, as at a Jobcenter's IdP).
            const login = details.prompt.name === 'login';
            response.end(
              `<!doctype html><html lang="de"><head><title>Test-Anmeldedienst</title></head><body><main>` +
                `<h1>${login ? 'Anmelden beim Test-Anmeldedienst' : 'Zustimmung'}</h1>` +
                `<form method="post" action="/interaction/${details.uid}/${login ? 'login' : 'confirm'}">` +
                (login
                  ? '<label for="login">Benutzername</label> <input id="login" name="login" autocomplete="username"> '
                  : '') +
                `<button type="submit">${login ? 'Anmelden' : 'Zustimmen'}</button></form></main></body></html>`,
            );
            return;
          }
          if (match[2] === 'login') {
            const form = await readForm(request);
            await provider.interactionFinished(
              request,
              response,
              { login: { accountId: form.get('login') ?? '' } },
              { mergeWithLastSubmission: false },
            );
            return;
          }
          const grant = details.grantId
            ? await provider.Grant.find(details.grantId)
            : new provider.Grant({
                accountId: details.session?.accountId ?? '',
                clientId: String(details.params.client_id),
              });
          if (!grant) throw new Error('grant vanished');
          const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
          if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
          if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
          await provider.interactionFinished(
            request,
            response,
            { consent: { grantId: await grant.save() } },
            { mergeWithLastSubmission: true },
          );
        } catch (error) {
          response.statusCode = 500;
          response.end(String(error));
        }
      })();
    };
  };

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    registerClient,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
