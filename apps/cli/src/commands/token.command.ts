import { parseArgs } from 'node:util';
import type { AppConfig } from '@pruefpfad/application';
import { isRole, type Role } from '@pruefpfad/domain';
import { mintDevelopmentToken } from '../../../api/src/security/development-token.js';
import { loadOrCreateSigningSecret } from '../../../api/src/security/signing-secret.js';
import { UsageError, type CliIo } from '../cli-io.js';

export const TOKEN_USAGE =
  'token --role <rolle> [--role …] --tenant <jobcenter> [--unit <team|bereich> …] [--subject <id>] [--region <rd>] [--expires 8h]';

/** Mints a development token signed with the embedded default's local secret (never in production). */
export async function tokenCommand(args: string[], config: AppConfig, io: CliIo): Promise<number> {
  if (config.auth.kind !== 'local-secret' || config.environment === 'production')
    throw new UsageError(
      'Entwicklungs-Tokens gibt es nur mit dem lokalen Schlüssel (ohne JWT_JWKS_URL, nicht in Produktion). / ' +
        'Development tokens exist only with the local secret (no JWT_JWKS_URL, not in production).',
    );
  const { values } = parseArgs({
    args,
    options: {
      role: { type: 'string', multiple: true },
      tenant: { type: 'string' },
      unit: { type: 'string', multiple: true },
      subject: { type: 'string' },
      region: { type: 'string' },
      expires: { type: 'string', default: '8h' },
    },
    strict: true,
  });
  const roles = values.role ?? [];
  const unknown = roles.filter((role) => !isRole(role));
  if (roles.length === 0 || unknown.length > 0)
    throw new UsageError(`--role fehlt oder ist unbekannt / missing or unknown: ${unknown.join(', ') || '(none)'}`);
  if (!values.tenant) throw new UsageError('--tenant fehlt / is missing');
  const token = await mintDevelopmentToken({
    secret: loadOrCreateSigningSecret(config.dataDir),
    subject: values.subject ?? `dev-${roles[0]}`,
    tenant: values.tenant,
    roles: roles as Role[],
    units: values.unit ?? [],
    ...(values.region === undefined ? {} : { region: values.region }),
    expiresIn: values.expires,
  });
  io.out(token);
  return 0;
}
