import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '@pruefpfad/application';
import type { DocumentStore } from '@pruefpfad/read-store';
import { APP_CONFIG, DOCUMENT_STORE } from '../runtime/tokens.js';
import { assertCsrf, assertOwnOrigin } from '../security/csrf.js';
import { Public } from '../security/security.decorators.js';
import { appendSetCookie, readCookie, serializeCookie } from './cookies.js';
import { DevelopmentLoginDto } from './development-login.dto.js';
import { developmentPeople, developmentPrincipal, type DevelopmentPerson } from './development-people.js';
import { LOGIN_FAILED_TITLE, loginProblemPage, NOT_MAPPED_TITLE } from './login-pages.js';
import type { SessionCodec } from './session-codec.js';
import {
  LOGIN_STATE_COOKIE,
  LOGIN_STATE_SECONDS,
  parseLoginState,
  safeReturnTo,
  type LoginState,
} from './web-session.js';
import { sessionView, UnmappedUserError, WebSessionService, type SessionView } from './web-session.service.js';
import { SESSION_CODEC } from './web-session.tokens.js';

/** The development login is off here (production, or PRUEFPFAD_DEVELOPMENT_LOGIN=off): 403. */
class DevelopmentLoginDisabledError extends HttpException {
  constructor() {
    super(
      'Die Entwicklungsanmeldung ist abgeschaltet (in Produktion immer). / The development login is disabled (always in production).',
      HttpStatus.FORBIDDEN,
      { errorCode: 'DEVELOPMENT_LOGIN_DISABLED' },
    );
  }
}

class OidcNotConfiguredError extends HttpException {
  constructor() {
    super(
      'Die Anmeldung über einen Identitätsanbieter ist nicht eingerichtet (PRUEFPFAD_OIDC_ISSUER). / ' +
        'Sign-in through an identity provider is not set up (PRUEFPFAD_OIDC_ISSUER).',
      HttpStatus.NOT_FOUND,
      { errorCode: 'OIDC_NOT_CONFIGURED' },
    );
  }
}

/**
 * The backend-for-frontend login of the web application: outside `/api/v1`, every route public (they
 * establish or end the session; the guard's CSRF rule does not reach public routes, so the unsafe ones
 * check origin and token themselves).
 */
@ApiTags('Anmeldung / sign-in')
@Controller('auth')
export class AuthController {
  private readonly logger = new Logger('WebLogin');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(SESSION_CODEC) private readonly codec: SessionCodec,
    private readonly sessions: WebSessionService,
  ) {}

  @Get('config')
  @Public()
  loginConfig(): { oidc: boolean; development: boolean } {
    return { oidc: this.sessions.oidcEnabled, development: this.config.web.developmentLogin };
  }

  @Get('development/people')
  @Public()
  async people(): Promise<DevelopmentPerson[]> {
    if (!this.config.web.developmentLogin) throw new DevelopmentLoginDisabledError();
    return developmentPeople(this.documents);
  }

  @Post('development/login')
  @Public()
  @HttpCode(HttpStatus.OK)
  async developmentLogin(
    @Body() body: DevelopmentLoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ session: SessionView }> {
    if (!this.config.web.developmentLogin) throw new DevelopmentLoginDisabledError();
    // Login CSRF: another site must not sign a browser in as someone else.
    assertOwnOrigin(request, this.sessions.expectedOrigin(request));
    const authentication = await this.sessions.start(response, 'development', developmentPrincipal(body));
    return { session: sessionView(authentication) };
  }

  @Get('login')
  @Public()
  @ApiExcludeEndpoint()
  async login(@Query('returnTo') returnTo: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    const oidc = this.sessions.oidc;
    if (!oidc) throw new OidcNotConfiguredError();
    let started: Awaited<ReturnType<typeof oidc.login.begin>>;
    try {
      started = await oidc.login.begin(this.redirectUri(request));
    } catch (error) {
      this.logger.error(`Login could not start: ${String(error)}`);
      this.page(
        response,
        HttpStatus.SERVICE_UNAVAILABLE,
        LOGIN_FAILED_TITLE,
        'Der Identitätsanbieter ist nicht erreichbar. Bitte später erneut versuchen. / The identity provider cannot be reached. Please try again later.',
      );
      return;
    }
    const state: LoginState = {
      v: 1,
      codeVerifier: started.codeVerifier,
      state: started.state,
      nonce: started.nonce,
      returnTo: safeReturnTo(returnTo),
      expiresAt: this.now() + LOGIN_STATE_SECONDS,
    };
    // SameSite=Strict would drop this cookie on the provider's redirect back (a cross-site navigation
    // counts as such only for Lax): the callback is a top-level GET from the provider, so Lax it must be.
    appendSetCookie(
      response,
      serializeCookie(LOGIN_STATE_COOKIE, await this.codec.seal('login-state', state), {
        maxAge: LOGIN_STATE_SECONDS,
      }).replace('SameSite=Strict', 'SameSite=Lax'),
    );
    response.redirect(HttpStatus.FOUND, started.url);
  }

  @Get('callback')
  @Public()
  @ApiExcludeEndpoint()
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const oidc = this.sessions.oidc;
    if (!oidc) throw new OidcNotConfiguredError();
    const sealed = readCookie(request.headers.cookie, LOGIN_STATE_COOKIE);
    const state = sealed ? parseLoginState(await this.codec.open('login-state', sealed)) : null;
    appendSetCookie(response, serializeCookie(LOGIN_STATE_COOKIE, '', { maxAge: 0 }));
    const query = new URL(request.originalUrl, 'http://callback.invalid').searchParams;
    const providerError = query.get('error');
    if (providerError !== null) {
      const description = query.get('error_description');
      this.logger.warn(`Provider refused the login: ${providerError} ${description ?? ''}`);
      this.page(
        response,
        HttpStatus.BAD_REQUEST,
        LOGIN_FAILED_TITLE,
        `Der Identitätsanbieter hat die Anmeldung abgelehnt (${providerError}). / The identity provider refused the sign-in (${providerError}).`,
      );
      return;
    }
    if (!state || state.expiresAt <= this.now()) {
      this.page(
        response,
        HttpStatus.BAD_REQUEST,
        LOGIN_FAILED_TITLE,
        'Die Anmeldung ist abgelaufen oder wurde in einem anderen Fenster begonnen. Bitte erneut anmelden. / The sign-in expired or was started in another window. Please sign in again.',
      );
      return;
    }
    try {
      const callbackUrl = new URL(`${this.redirectUri(request)}?${query.toString()}`);
      const result = await oidc.login.complete(callbackUrl, state);
      const principal = this.sessions.principalFrom(result);
      await this.sessions.start(response, 'oidc', principal, this.sessions.tokensFrom(result));
      response.redirect(HttpStatus.FOUND, state.returnTo);
    } catch (error) {
      if (error instanceof UnmappedUserError) {
        this.logger.warn(`Login refused, no claim mapping: ${error.reason}`);
        this.page(
          response,
          HttpStatus.FORBIDDEN,
          NOT_MAPPED_TITLE,
          `${error.reason} Bitte wenden Sie sich an Ihre Administration. / Please contact your administrators.`,
        );
        return;
      }
      this.logger.warn(`Login failed: ${String(error)}`);
      this.page(
        response,
        HttpStatus.BAD_REQUEST,
        LOGIN_FAILED_TITLE,
        'Die Antwort des Identitätsanbieters war ungültig. Bitte erneut anmelden. / The identity provider’s answer was invalid. Please sign in again.',
      );
    }
  }

  @Post('logout')
  @Public()
  @HttpCode(HttpStatus.OK)
  async logout(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ logoutUrl: string | null }> {
    const session = await this.sessions.current(request);
    // Without a valid session there is nothing to protect: clearing a cookie is harmless.
    if (session) assertCsrf(request, session.csrf, this.sessions.expectedOrigin(request));
    this.sessions.clear(response);
    const oidc = this.sessions.oidc;
    if (!session || session.via !== 'oidc' || !oidc) return { logoutUrl: null };
    try {
      return {
        logoutUrl: await oidc.login.endSessionUrl(
          session.oidc?.idToken ?? null,
          `${this.sessions.expectedOrigin(request)}/`,
        ),
      };
    } catch (error) {
      this.logger.warn(`No end-session URL: ${String(error)}`);
      return { logoutUrl: null };
    }
  }

  private now(): number {
    return Math.floor(Date.now() / 1000);
  }

  private redirectUri(request: Request): string {
    return `${this.sessions.expectedOrigin(request)}/auth/callback`;
  }

  private page(response: Response, status: number, title: { de: string; en: string }, reason: string): void {
    response
      .status(status)
      .type('text/html; charset=utf-8')
      .set('cache-control', 'no-store')
      .send(loginProblemPage(title, reason));
  }
}
