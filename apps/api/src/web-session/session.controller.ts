import { Controller, Get, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Action } from '../security/security.decorators.js';
import { AUTHENTICATION_REQUEST_KEY, type RequestAuthentication } from '../security/session-authenticator.js';
import { UnauthenticatedError } from '../security/security.errors.js';
import { sessionView, type SessionView } from './web-session.service.js';

/** Who is signed in, and how: the web application's first call (cookie or bearer alike). */
@ApiTags('Anmeldung / sign-in')
@Controller('api/v1/session')
export class SessionController {
  @Get()
  @Action('session.read')
  session(@Req() request: { [AUTHENTICATION_REQUEST_KEY]?: RequestAuthentication }): SessionView {
    const authentication = request[AUTHENTICATION_REQUEST_KEY];
    if (!authentication) throw new UnauthenticatedError('No authentication on the request');
    return sessionView(authentication);
  }
}
