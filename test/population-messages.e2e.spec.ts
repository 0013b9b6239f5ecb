import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { AppConfig } from '@pruefpfad/application';
import { defineProgramme, mintTokens, organisationFacts, seed, unitDefined } from './support/scenario-setup.js';
import { startTestApp, temporaryDirectories, testConfig } from './support/test-app.js';

const PROCESS = 'allgemeine-vermittlung';

/**
 * A refused population file over HTTP, as the area head who uploads it reads the answer: every error of
 * a row at once, an invalid character named so it can be found in the cell.
 */
describe('population import messages over HTTP', () => {
  const dirs = temporaryDirectories();
  let config: AppConfig;
  let app: INestApplication;
  let tokens: Record<string, string> = {};
  let programmeId: string;

  beforeAll(async () => {
    config = testConfig(dirs);
    app = await startTestApp(config);
    tokens = await mintTokens(config, {
      areaHead: { roles: ['area_head'], tenant: 'jc-a', units: ['mi'], subject: 'bl-mi' },
    });
    await seed(app, organisationFacts, 'jc-a', [
      unitDefined('mi', 'area', null, { name: 'mi' }),
      unitDefined('team-1', 'team', 'mi', { name: 'team-1' }),
    ]);
    ({ id: programmeId } = await defineProgramme(app, `Bearer ${tokens.areaHead}`, {
      settings: { title: 'VKB', areaId: 'mi', customerProcess: PROCESS, questionnaireId: null },
      reason: 'Einführung',
    }));
  });

  afterAll(async () => {
    await app?.close();
    dirs.remove();
  });

  const importCsv = (lines: readonly string[]) =>
    request(app.getHttpServer())
      .post(`/api/v1/programmes/${programmeId}/populations?month=2026-03`)
      .set('Authorization', `Bearer ${tokens.areaHead}`)
      .set('Content-Type', 'text/csv')
      .send(['caseReference;customerGroup;team;process;needs16a', ...lines].join('\n'));

  it('lists every error of a row in the 400 body and names each invalid character', async () => {
    const response = await importCsv([
      `A1;u25;team-1;${PROCESS};ja`,
      `A\u00002;u$25;team-1;${PROCESS};vielleicht`,
      `A\u200b3;u25;team-1;${PROCESS};nein`,
    ]);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.errors).toEqual([
      {
        field: 'line 3: caseReference',
        message: expect.stringMatching(/^ungültiges Zeichen U\+0000 \(Nullzeichen NUL\) an Stelle 2 \/ /),
      },
      { field: 'line 3: customerGroup', message: expect.stringContaining('„$“ (U+0024) an Stelle 2') },
      { field: 'line 3: needs16a', message: expect.any(String) },
      { field: 'line 4: caseReference', message: expect.stringContaining('U+200B (Leerzeichen ohne Breite)') },
    ]);
  });

  it('reports the team, process and duplicate of a refused row together with its field errors', async () => {
    const response = await importCsv([`A1;u25;team-1;${PROCESS};ja`, ` a1 ;u$25;team-9;leistung;vielleicht`]);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'line 3: customerGroup', message: expect.stringContaining('„$“ (U+0024)') },
      { field: 'line 3: needs16a', message: expect.any(String) },
      { field: 'line 3: team', message: expect.stringContaining('team of area mi') },
      { field: 'line 3: process', message: expect.stringContaining(PROCESS) },
      { field: 'line 3: caseReference', message: expect.stringContaining('line 2') },
    ]);
  });
});
