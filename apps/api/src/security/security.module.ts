import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard.js';
import { createTokenVerifier, type AuthSettings } from './create-token-verifier.js';
import { TOKEN_VERIFIER, type TokenVerifier } from './token-verifier.js';

export { loadOrCreateSigningSecret, loadOrCreateSigningSecret as loadSigningSecret } from './signing-secret.js';

/**
 * Either a ready verifier, or the settings to build one (the API's `Runtime` fits the second shape:
 * `config.auth` plus the loaded `signingSecret`).
 */
export type SecurityModuleOptions =
  | { readonly verifier: TokenVerifier }
  | { readonly config: { readonly auth: AuthSettings }; readonly signingSecret: Uint8Array | null };

/**
 * Installs `AuthGuard` as the global guard (APP_GUARD): every route of the application is checked,
 * whichever module declares it.
 */
@Module({})
export class SecurityModule {
  static forRoot(options: SecurityModuleOptions): DynamicModule {
    const verifier =
      'verifier' in options ? options.verifier : createTokenVerifier(options.config.auth, options.signingSecret);
    return {
      module: SecurityModule,
      global: true,
      providers: [
        { provide: TOKEN_VERIFIER, useValue: verifier },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [TOKEN_VERIFIER],
    };
  }
}
