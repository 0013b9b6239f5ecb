import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { POLICY, type Role, ROLES, type Rule } from '@pruefpfad/domain';
import { mintDevelopmentToken } from './development-token.js';
import { collectRouteActions, type RouteDeclaration } from './route-actions.js';

/**
 * Test helper: the role × action matrix generated from the routes' own declarations and the policy
 * table. A new route without an action, or a route whose guard disagrees with the table, fails.
 */
export interface AuthorizationMatrixOptions {
  /** The HS256 secret the application's `HmacTokenVerifier` accepts. */
  readonly secret: Uint8Array;
  readonly issuer?: string;
  readonly audience?: string;
  readonly globalPrefix?: string;
  readonly tenant?: string;
  readonly units?: readonly string[];
  /** Values for path parameters by name; others get `matrix-probe`. */
  readonly pathParams?: Readonly<Record<string, string>>;
  /** JSON body sent with POST, PUT and PATCH (default `{}`, which DTO validation usually refuses). */
  readonly body?: unknown;
}

export interface MatrixCase {
  readonly route: string;
  readonly caller: Role | 'anonymous' | 'forged-token';
  readonly expected: 'public' | 401 | 403 | 'allowed';
  readonly status: number;
  readonly ok: boolean;
}

export interface AuthorizationMatrixReport {
  readonly routes: readonly RouteDeclaration[];
  readonly cases: readonly MatrixCase[];
  /** Human-readable failures; empty when every route behaves as the table says. */
  readonly failures: readonly string[];
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Fills a path-to-regexp v8 route (`/a/:id`, `/files/*path`, `/x{/:opt}`) with probe values. */
export function concretePath(path: string, params: Readonly<Record<string, string>> = {}): string {
  return path
    .replace(/[{}]/g, '')
    .replace(/[:*]([A-Za-z_$][\w$]*)/g, (_match, name: string) => encodeURIComponent(params[name] ?? 'matrix-probe'));
}

async function baseUrlOf(app: INestApplication): Promise<string> {
  const server = app.getHttpServer() as Server;
  if (!server.listening) await app.listen(0, '127.0.0.1');
  const address = server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/**
 * Sends, for every route: a request without a token (401 expected), one with a forged token (401),
 * and one per role of the table (403 for roles the table denies, anything but 401/403 for the others).
 * Public routes must answer without a token. Starts the app on an ephemeral port if it is not listening.
 */
export async function authorizationMatrix(
  app: INestApplication,
  options: AuthorizationMatrixOptions,
): Promise<AuthorizationMatrixReport> {
  const routes = collectRouteActions(
    app,
    options.globalPrefix !== undefined ? { globalPrefix: options.globalPrefix } : {},
  );
  const baseUrl = await baseUrlOf(app);
  const tokens = new Map<Role, string>();
  for (const role of ROLES) {
    tokens.set(
      role,
      await mintDevelopmentToken({
        secret: options.secret,
        subject: `matrix-${role}`,
        tenant: options.tenant ?? 'matrix-tenant',
        roles: [role],
        units: options.units ?? ['matrix-unit'],
        expiresIn: '10 min',
        ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
        ...(options.audience !== undefined ? { audience: options.audience } : {}),
      }),
    );
  }
  // Signed with another secret: must never pass.
  const forged = await mintDevelopmentToken({
    secret: new Uint8Array(64).fill(7),
    subject: 'matrix-forged',
    tenant: options.tenant ?? 'matrix-tenant',
    roles: [...ROLES],
    expiresIn: '10 min',
    ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
    ...(options.audience !== undefined ? { audience: options.audience } : {}),
  });

  const cases: MatrixCase[] = [];
  const failures: string[] = [];

  const send = async (route: RouteDeclaration, token: string | undefined): Promise<number> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (BODY_METHODS.has(route.method)) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body ?? {});
    }
    const response = await fetch(`${baseUrl}${concretePath(route.path, options.pathParams)}`, {
      method: route.method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    await response.arrayBuffer();
    return response.status;
  };

  const record = (
    route: RouteDeclaration,
    caller: MatrixCase['caller'],
    expected: MatrixCase['expected'],
    status: number,
  ) => {
    const ok = expected === 'public' || expected === 'allowed' ? status !== 401 && status !== 403 : status === expected;
    const name = `${route.method} ${route.path}`;
    cases.push({ route: name, caller, expected, status, ok });
    if (!ok) {
      const wanted = typeof expected === 'number' ? String(expected) : 'neither 401 nor 403';
      failures.push(`${name} [${route.action ?? 'public'}] as ${caller}: expected ${wanted}, got ${status}`);
    }
  };

  for (const route of routes) {
    const name = `${route.method} ${route.path} (${route.controller}.${route.handler})`;
    if (route.public) {
      if (route.action !== null)
        failures.push(`${name} is @Public and also declares @Action(${route.action}): pick one`);
      record(route, 'anonymous', 'public', await send(route, undefined));
      continue;
    }
    if (route.action === null) {
      failures.push(`${name} declares no @Action and is not @Public`);
      continue;
    }
    record(route, 'anonymous', 401, await send(route, undefined));
    record(route, 'forged-token', 401, await send(route, forged));
    const rule: Rule = POLICY[route.action];
    for (const role of ROLES) {
      const scope = rule[role] ?? 'none';
      record(route, role, scope === 'none' ? 403 : 'allowed', await send(route, tokens.get(role)));
    }
  }
  return { routes, cases, failures };
}

/** `authorizationMatrix`, failing with every mismatch listed. */
export async function assertAuthorizationMatrix(
  app: INestApplication,
  options: AuthorizationMatrixOptions,
): Promise<AuthorizationMatrixReport> {
  const report = await authorizationMatrix(app, options);
  if (report.failures.length > 0) {
    throw new Error(`Authorisation matrix: ${report.failures.length} failure(s)\n  ${report.failures.join('\n  ')}`);
  }
  return report;
}
