import 'reflect-metadata';
import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Param,
  Post,
  type INestApplication,
  type LoggerService,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsString } from 'class-validator';
import request from 'supertest';
import { POLICY, type Principal, type Role, ROLES } from '@pruefpfad/domain';
import { ErrorsModule } from '../errors/errors.module.js';
import { PROBLEM_CONTENT_TYPE } from '../errors/problem-details.js';
import { assertCanAccess } from './assert-can-access.js';
import { authorizationMatrix, concretePath } from './authorization-matrix.js';
import { mintDevelopmentToken } from './development-token.js';
import { collectRouteActions } from './route-actions.js';
import { Action, CurrentPrincipal, Public } from './security.decorators.js';
import { SecurityModule } from './security.module.js';
import { HmacTokenVerifier } from './token-verifier.js';

class DefineDto {
  @IsString() title!: string;
}

@Controller()
class HealthController {
  @Get('health')
  @Public()
  health(): { status: string } {
    return { status: 'up' };
  }
}

@Controller('programmes')
class ProgrammesController {
  @Get()
  @Action('programme.read')
  list(@CurrentPrincipal() principal: Principal): { tenant: string; subject: string } {
    return { tenant: principal.tenant, subject: principal.subject };
  }

  @Get(':id')
  @Action('programme.read')
  one(@CurrentPrincipal() principal: Principal, @Param('id') id: string): { id: string } {
    // The stored programme belongs to another Jobcenter: the caller must not learn it exists.
    assertCanAccess(principal, 'programme.read', { tenant: id === 'own' ? principal.tenant : 'jc-elsewhere' });
    return { id };
  }

  @Post()
  @Action('programme.define')
  define(@Body() body: DefineDto): { title: string } {
    return { title: body.title };
  }
}

@Controller('operator')
class OperatorController {
  @Get('projections')
  @Action('operator.projections.read')
  projections(): { projections: string[] } {
    return { projections: [] };
  }

  // Deliberately undeclared: the guard must close it and the matrix must report it.
  @Get('forgotten')
  forgotten(): string {
    return 'should never be served';
  }
}

class CapturingLogger implements LoggerService {
  readonly errors: string[] = [];
  log(): void {}
  warn(): void {}
  debug(): void {}
  verbose(): void {}
  error(message: unknown): void {
    this.errors.push(String(message));
  }
}

const secret = new Uint8Array(64).map((_, i) => (i * 13 + 7) % 256);
const token = (roles: Role[], tenant = 'jc-heinsberg') =>
  mintDevelopmentToken({
    secret,
    subject: `s-${roles.join('-')}`,
    tenant,
    roles,
    units: ['team-1'],
    expiresIn: '5 min',
  });

async function createApp(
  controllers: (new () => object)[],
  logger: LoggerService = new CapturingLogger(),
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [ErrorsModule.forRoot(), SecurityModule.forRoot({ verifier: new HmacTokenVerifier(secret) })],
    controllers,
  }).compile();
  const app = moduleRef.createNestApplication({ logger });
  await app.init();
  return app;
}

describe('AuthGuard, route scanner and authorisation matrix on a tiny app', () => {
  let app: INestApplication;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    app = await createApp([HealthController, ProgrammesController, OperatorController], logger);
  });

  afterAll(async () => {
    await app.close();
  });

  it('lists every route with its declaration', () => {
    expect(collectRouteActions(app)).toEqual([
      { controller: 'HealthController', handler: 'health', method: 'GET', path: '/health', action: null, public: true },
      {
        controller: 'OperatorController',
        handler: 'forgotten',
        method: 'GET',
        path: '/operator/forgotten',
        action: null,
        public: false,
      },
      {
        controller: 'OperatorController',
        handler: 'projections',
        method: 'GET',
        path: '/operator/projections',
        action: 'operator.projections.read',
        public: false,
      },
      {
        controller: 'ProgrammesController',
        handler: 'list',
        method: 'GET',
        path: '/programmes',
        action: 'programme.read',
        public: false,
      },
      {
        controller: 'ProgrammesController',
        handler: 'define',
        method: 'POST',
        path: '/programmes',
        action: 'programme.define',
        public: false,
      },
      {
        controller: 'ProgrammesController',
        handler: 'one',
        method: 'GET',
        path: '/programmes/:id',
        action: 'programme.read',
        public: false,
      },
    ]);
    expect(collectRouteActions(app, { globalPrefix: 'api/' }).map((route) => route.path)).toContain(
      '/api/programmes/:id',
    );
  });

  it('lets public routes through without a token', async () => {
    await request(app.getHttpServer()).get('/health').expect(200, { status: 'up' });
  });

  it('answers a missing or broken token with a 401 problem and a Bearer challenge', async () => {
    for (const authorization of [undefined, 'Basic dXNlcjpwdw==', 'Bearer ', `Bearer ${'x'.repeat(20)}`]) {
      const call = request(app.getHttpServer()).get('/programmes');
      const response = await (authorization === undefined ? call : call.set('Authorization', authorization)).expect(
        401,
      );
      expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="pruefpfad"');
      expect(response.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', instance: '/programmes' });
    }
  });

  it('attaches the verified principal for @CurrentPrincipal', async () => {
    const response = await request(app.getHttpServer())
      .get('/programmes')
      .set('Authorization', `Bearer ${await token(['employee'])}`)
      .expect(200);
    expect(response.body).toEqual({ tenant: 'jc-heinsberg', subject: 's-employee' });
  });

  it('answers a role lacking the action with 403, and one holding it past the guard', async () => {
    const forbidden = await request(app.getHttpServer())
      .post('/programmes')
      .set('Authorization', `Bearer ${await token(['team_lead'])}`)
      .send({ title: 't' })
      .expect(403);
    expect(forbidden.body).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(forbidden.body.detail).toContain('programme.define');
    await request(app.getHttpServer())
      .post('/programmes')
      .set('Authorization', `Bearer ${await token(['management'])}`)
      .send({ title: 't' })
      .expect(201, { title: 't' });
  });

  it('checks the role before the body: a forbidden caller learns nothing about validation', async () => {
    await request(app.getHttpServer())
      .post('/programmes')
      .set('Authorization', `Bearer ${await token(['employee'])}`)
      .send({ unknown: 1 })
      .expect(403);
  });

  it("answers another tenant's resource with 404, worded exactly like a missing one", async () => {
    const auth = `Bearer ${await token(['team_lead'])}`;
    await request(app.getHttpServer()).get('/programmes/own').set('Authorization', auth).expect(200);
    const hidden = await request(app.getHttpServer()).get('/programmes/p-1').set('Authorization', auth).expect(404);
    const missing = await request(app.getHttpServer()).get('/no-such-route').set('Authorization', auth).expect(404);
    expect({ ...hidden.body, instance: null }).toEqual({ ...missing.body, instance: null });
  });

  it('closes a route without @Action with 403 ROUTE_WITHOUT_ACTION and logs it as an error', async () => {
    const before = logger.errors.length;
    const response = await request(app.getHttpServer())
      .get('/operator/forgotten')
      .set('Authorization', `Bearer ${await token([...ROLES])}`)
      .expect(403);
    expect(response.body).toMatchObject({ code: 'ROUTE_WITHOUT_ACTION' });
    expect(logger.errors.slice(before).join('\n')).toMatch(/OperatorController\.forgotten.*no known @Action/);
  });

  it('the generated matrix passes every declared route and reports the undeclared one', async () => {
    const report = await authorizationMatrix(app, { secret, body: { title: 't' } });
    expect(report.failures).toEqual([
      'GET /operator/forgotten (OperatorController.forgotten) declares no @Action and is not @Public',
    ]);
    const declared = report.routes.filter((route) => route.action !== null).length;
    // Per declared route: anonymous, forged token, every role; one anonymous call for the public route.
    expect(report.cases).toHaveLength(declared * (2 + ROLES.length) + 1);
    expect(report.cases.every((matrixCase) => matrixCase.ok)).toBe(true);
    const defineCases = report.cases.filter(
      (c) => c.route === 'POST /programmes' && c.caller !== 'anonymous' && c.caller !== 'forged-token',
    );
    const allowed = ROLES.filter(
      (role) => (POLICY['programme.define'] as Partial<Record<Role, string>>)[role] !== undefined,
    );
    expect(defineCases.filter((c) => c.expected === 'allowed').map((c) => c.caller)).toEqual(allowed);
  });

  it('fills path parameters for the probes', () => {
    expect(concretePath('/programmes/:id/revisions/:rev', { rev: '3' })).toBe('/programmes/matrix-probe/revisions/3');
    expect(concretePath('/files/*path{/:opt}')).toBe('/files/matrix-probe/matrix-probe');
  });
});

@Controller('broken')
class GuardDisagreesController {
  // The handler refuses everyone although the table allows management and area heads.
  @Post()
  @Action('programme.define')
  define(): never {
    throw new ForbiddenException();
  }
}

describe('authorisation matrix: it can fail', () => {
  it('reports allowed roles that are refused anyway', async () => {
    const app = await createApp([GuardDisagreesController]);
    try {
      const report = await authorizationMatrix(app, { secret });
      expect(report.failures).toEqual([
        'POST /broken [programme.define] as area_head: expected neither 401 nor 403, got 403',
        'POST /broken [programme.define] as management: expected neither 401 nor 403, got 403',
      ]);
    } finally {
      await app.close();
    }
  });
});
