import 'reflect-metadata';
import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Post,
  type INestApplication,
  type LoggerService,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsArray, IsInt, IsString, Min, ValidateNested } from 'class-validator';
import request from 'supertest';
import { DeadlineExceededError } from '@kurrent/kurrentdb-client';
import { ruleViolation } from '@pruefpfad/domain';
import { WrongExpectedRevisionError } from '@pruefpfad/event-store';
import { ErrorsModule } from './errors.module.js';
import { PROBLEM_CONTENT_TYPE, problemType } from './problem-details.js';

class AddressDto {
  @IsString() street!: string;
}

class ItemDto {
  @IsString() name!: string;
}

class CreateThingDto {
  @IsString() title!: string;
  @IsInt() @Min(1) count!: number;
  @ValidateNested() @Type(() => AddressDto) address!: AddressDto;
  @IsArray() @ValidateNested({ each: true }) @Type(() => ItemDto) items!: ItemDto[];
}

class SampleDrawnError extends Error {
  readonly code = 'SAMPLE_ALREADY_DRAWN';
}

@Controller('things')
class ThingsController {
  @Post()
  create(@Body() body: CreateThingDto): { title: string; isInstance: boolean } {
    return { title: body.title, isInstance: body instanceof CreateThingDto };
  }

  @Post('conflict')
  conflict(): never {
    throw new WrongExpectedRevisionError('review-1', 3, 4);
  }

  @Post('refused')
  refused(): never {
    throw ruleViolation('Die Revision ändert nichts.', 'The revision changes nothing.');
  }

  @Get('drawn')
  drawn(): never {
    throw new SampleDrawnError('already drawn');
  }

  @Get('nest-forbidden')
  nestForbidden(): never {
    throw new ForbiddenException('Nein / No');
  }

  @Post('store-timeout')
  storeTimeout(): never {
    // As the KurrentDB client throws it when an append outlives its deadline.
    throw Object.assign(new DeadlineExceededError(), { code: 4, message: '4 DEADLINE_EXCEEDED: Deadline exceeded' });
  }

  @Get('boom')
  boom(): never {
    throw new Error('SQLITE_CORRUPT at /var/lib/pruefpfad/events.db, customer 4711');
  }
}

class CapturingLogger implements LoggerService {
  readonly errors: string[] = [];
  log(): void {}
  warn(): void {}
  debug(): void {}
  verbose(): void {}
  error(message: unknown, ...rest: unknown[]): void {
    this.errors.push([message, ...rest].map(String).join(' '));
  }
}

describe('problem details over HTTP (ErrorsModule in a tiny Nest app)', () => {
  let app: INestApplication;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ErrorsModule.forRoot({
          codes: { SAMPLE_ALREADY_DRAWN: { status: 409, title: 'Bereits gezogen / Already drawn' } },
        }),
      ],
      controllers: [ThingsController],
    }).compile();
    app = moduleRef.createNestApplication({ logger });
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  const valid = { title: 't', count: 2, address: { street: 's' }, items: [{ name: 'a' }] };

  it('passes a valid body through, as a DTO instance', async () => {
    const response = await request(app.getHttpServer()).post('/things').send(valid).expect(201);
    expect(response.body).toEqual({ title: 't', isInstance: true });
  });

  it('rejects unknown fields with a 400 listing each path, nested ones included', async () => {
    const response = await request(app.getHttpServer())
      .post('/things')
      .send({ ...valid, admin: true, address: { street: 's', zip: '1' }, items: [{ name: 'a', extra: 1 }] })
      .expect(400);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(response.body).toMatchObject({
      type: problemType('VALIDATION_FAILED'),
      status: 400,
      code: 'VALIDATION_FAILED',
      title: 'Ungültige Eingabe / Invalid input',
      instance: '/things',
    });
    const fields = (response.body.errors as { field: string; message: string }[]).map((error) => error.field).sort();
    expect(fields).toEqual(['address.zip', 'admin', 'items.0.extra']);
    expect(response.body.errors).toContainEqual({ field: 'admin', message: 'Unbekanntes Feld / Unknown field' });
  });

  it('lists invalid and missing fields with their messages, without echoing values', async () => {
    const response = await request(app.getHttpServer())
      .post('/things?name=Max%20Mustermann')
      .send({ title: 'Max Mustermann', count: 0, address: {}, items: [{}] })
      .expect(400);
    const byField = Object.fromEntries(
      (response.body.errors as { field: string; message: string }[]).map((e) => [e.field, e.message]),
    );
    expect(Object.keys(byField).sort()).toEqual(['address.street', 'count', 'items.0.name']);
    expect(byField.count).toMatch(/count must not be less than 1/);
    expect(response.body.instance).toBe('/things');
    expect(JSON.stringify(response.body)).not.toContain('Mustermann');
  });

  it('answers malformed JSON with 400 and does not echo the body', async () => {
    const response = await request(app.getHttpServer())
      .post('/things')
      .set('Content-Type', 'application/json')
      .send('{"title": "Max Mustermann",')
      .expect(400);
    expect(response.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(response.body).toMatchObject({ status: 400, code: 'MALFORMED_JSON', instance: '/things' });
    expect(JSON.stringify(response.body)).not.toContain('Mustermann');
  });

  it('answers an oversized body with 413', async () => {
    const response = await request(app.getHttpServer())
      .post('/things')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ title: 'x'.repeat(200 * 1024) }))
      .expect(413);
    expect(response.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('maps domain errors by code: conflict 409, rule violation 422 with its bilingual message', async () => {
    const conflict = await request(app.getHttpServer()).post('/things/conflict').expect(409);
    expect(conflict.body).toMatchObject({ code: 'CONCURRENCY_CONFLICT', title: 'Konflikt / Conflict' });
    const refused = await request(app.getHttpServer()).post('/things/refused').expect(422);
    expect(refused.body).toMatchObject({
      code: 'RULE_VIOLATION',
      detail: 'Die Revision ändert nichts. / The revision changes nothing.',
    });
  });

  it('maps codes added through ErrorsModule.forRoot', async () => {
    const response = await request(app.getHttpServer()).get('/things/drawn').expect(409);
    expect(response.body).toMatchObject({ code: 'SAMPLE_ALREADY_DRAWN', title: 'Bereits gezogen / Already drawn' });
  });

  it('maps Nest HTTP exceptions and unknown routes', async () => {
    const forbidden = await request(app.getHttpServer()).get('/things/nest-forbidden').expect(403);
    expect(forbidden.body).toMatchObject({ code: 'FORBIDDEN', detail: 'Nein / No' });
    const missing = await request(app.getHttpServer()).get('/nowhere').expect(404);
    expect(missing.headers['content-type']).toBe(PROBLEM_CONTENT_TYPE);
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND', instance: '/nowhere' });
  });

  it('answers a passing store error with 503, Retry-After and whether the write may have been committed', async () => {
    const response = await request(app.getHttpServer()).post('/things/store-timeout').expect(503);
    expect(response.headers['retry-after']).toBe('2');
    expect(response.body).toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503, commitUnknown: true });
  });

  it('answers unknown errors with a generic 500, logs them, and leaks nothing', async () => {
    const before = logger.errors.length;
    const response = await request(app.getHttpServer()).get('/things/boom').expect(500);
    expect(response.body).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    const text = JSON.stringify(response.body);
    for (const secret of ['SQLITE', 'pruefpfad/events', '4711', 'at ']) expect(text).not.toContain(secret);
    const logged = logger.errors.slice(before).join('\n');
    expect(logged).toContain('SQLITE_CORRUPT');
    expect(logged).toContain('GET /things/boom');
  });
});
