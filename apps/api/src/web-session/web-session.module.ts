import { randomBytes } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import type { AppConfig, Clock } from '@pruefpfad/application';
import { APP_CONFIG, CLOCK } from '../runtime/tokens.js';
import { SESSION_AUTHENTICATOR } from '../security/session-authenticator.js';
import { loadOrCreateSecretFile, SESSION_SECRET_FILE } from '../security/signing-secret.js';
import { AuthController } from './auth.controller.js';
import { loadClaimMapping } from './claim-mapping.js';
import { OidcLogin } from './oidc-login.js';
import { SessionCodec } from './session-codec.js';
import { SessionController } from './session.controller.js';
import { WebSessionService } from './web-session.service.js';
import { SESSION_CODEC } from './web-session.tokens.js';

/**
 * The browser login (backend-for-frontend) of the web application: session cookie, development login,
 * OpenID Connect. Global, so the one `AuthGuard` finds the session authenticator beside bearer tokens.
 */
@Global()
@Module({
  controllers: [AuthController, SessionController],
  providers: [
    {
      provide: SESSION_CODEC,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new SessionCodec(
          config.web.sessionSecret ??
            // Production never generates a secret file; without OIDC (which requires the secret) and without
            // the development login no session can be started there, so a key of this process suffices.
            (config.environment === 'production'
              ? new Uint8Array(randomBytes(64))
              : loadOrCreateSecretFile(config.dataDir, SESSION_SECRET_FILE)),
        ),
    },
    {
      provide: WebSessionService,
      inject: [APP_CONFIG, CLOCK, SESSION_CODEC],
      useFactory: (config: AppConfig, clock: Clock, codec: SessionCodec) => {
        const { web } = config;
        return new WebSessionService({
          codec,
          clock,
          absoluteSeconds: web.sessionAbsoluteSeconds,
          idleSeconds: web.sessionIdleSeconds,
          publicUrl: web.publicUrl,
          oidc: web.oidc
            ? {
                // A broken mapping file stops the start, with every problem named.
                mapping: loadClaimMapping(web.oidc.claimMappingFile),
                login: new OidcLogin(web.oidc, config.environment !== 'production'),
              }
            : null,
        });
      },
    },
    { provide: SESSION_AUTHENTICATOR, useExisting: WebSessionService },
  ],
  exports: [SESSION_AUTHENTICATOR, WebSessionService],
})
export class WebSessionModule {}
