import {
  Controller,
  Get,
  Headers,
  Inject,
  Param,
  ParseUUIDPipe,
  PayloadTooLargeException,
  Post,
  Query,
  Req,
  Res,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Principal } from '@pruefpfad/domain';
import type { PopulationDoc } from '@pruefpfad/projections';
import { commandContext } from '../commands/command-context.js';
import { setEtag } from '../commands/etag.js';
import { assertCanAccess } from '../security/assert-can-access.js';
import { Action, CurrentPrincipal } from '../security/security.decorators.js';
import { PopulationImportQueryDto } from './sampling.dto.js';
import { PopulationImportService, type PopulationImportResult } from './population-import.service.js';
import { SAMPLING_DEFAULTS } from './sampling.defaults.js';
import { SamplingQueries } from './sampling.queries.js';
import { SamplingService } from './sampling.service.js';

async function readText(request: Request, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.byteLength;
    if (size > limit)
      throw new PayloadTooLargeException(
        'Die Datei ist zu groß; große Dateien über die Kommandozeile importieren (npm run cli -- import-population). / ' +
          'The file is too large; import large files with the CLI (npm run cli -- import-population).',
      );
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

@ApiTags('Grundgesamtheiten / populations')
@ApiBearerAuth()
@Controller('api/v1/programmes/:programmeId/populations')
export class PopulationsController {
  constructor(
    private readonly queries: SamplingQueries,
    @Inject(PopulationImportService) private readonly importer: PopulationImportService,
    @Inject(SamplingService) private readonly sampling: SamplingService,
  ) {}

  @Post()
  @Action('sampling.population.import')
  @ApiConsumes('text/csv', 'application/json')
  @ApiBody({
    description:
      'CSV mit Kopfzeile caseReference,customerGroup,team,process,needs16a (oder ;) – oder JSON { rows: [...] }. ' +
      'Fehlerhafte Zeilen werden mit Zeilennummer gemeldet, dann wird nichts importiert. / ' +
      'CSV with that header (or ;), or JSON { rows }; malformed rows are reported with line numbers and nothing is imported.',
    schema: { type: 'string' },
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  async import(
    @CurrentPrincipal() principal: Principal,
    @Param('programmeId', new ParseUUIDPipe()) programmeId: string,
    @Query() query: PopulationImportQueryDto,
    @Req() request: Request,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) response: Response,
  ): Promise<PopulationImportResult> {
    const programme = await this.sampling.programme(principal, programmeId);
    assertCanAccess(principal, 'sampling.population.import', { tenant: programme.tenant, unit: programme.areaId });
    const type = request.is(['text/csv', 'application/json']);
    if (type !== 'text/csv' && type !== 'application/json')
      throw new UnsupportedMediaTypeException(
        'Erwartet text/csv oder application/json. / Expected text/csv or application/json.',
      );
    const format = type === 'text/csv' ? 'csv' : 'json';
    // CSV is not parsed by the global body parsers: read here, bounded (JSON arrives parsed).
    const content: unknown =
      format === 'csv' ? await readText(request, SAMPLING_DEFAULTS.maxImportBytes) : (request.body as unknown);
    const result = await this.importer.import({
      programme,
      month: query.month,
      format,
      content,
      fileName: query.fileName ?? null,
      context: commandContext(principal, headers),
    });
    response.status(201).setHeader('Location', `/api/v1/programmes/${programmeId}/populations/${result.populationId}`);
    setEtag(response, result.revision);
    return result;
  }

  @Get()
  @Action('sampling.population.read')
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('programmeId', new ParseUUIDPipe()) programmeId: string,
  ): Promise<{ items: PopulationView[] }> {
    const programme = await this.queries.programme(principal, programmeId);
    return { items: (await this.queries.populations(principal, programme)).map(view) };
  }

  @Get(':populationId')
  @Action('sampling.population.read')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('programmeId', new ParseUUIDPipe()) programmeId: string,
    @Param('populationId', new ParseUUIDPipe()) populationId: string,
  ): Promise<PopulationView> {
    const programme = await this.queries.programme(principal, programmeId);
    return view(await this.queries.population(principal, programme, populationId));
  }
}

export interface PopulationView {
  readonly id: string;
  readonly programmeId: string;
  readonly month: string;
  readonly rowCount: number;
  readonly rowsReceived: number;
  readonly fingerprint: string;
  readonly source: PopulationDoc['source'];
  readonly importedAt: string;
  readonly importedByRole: string;
  readonly teams: PopulationDoc['teams'];
  readonly customerGroups: PopulationDoc['customerGroups'];
  readonly section16a: number;
  readonly referencesDestroyed: PopulationDoc['referencesDestroyed'];
}

/** Counts only: neither pseudonyms nor case references are in the summary. */
function view(doc: PopulationDoc): PopulationView {
  return {
    id: doc._id,
    programmeId: doc.programmeId,
    month: doc.month,
    rowCount: doc.rowCount,
    rowsReceived: doc.rowsReceived,
    fingerprint: doc.fingerprint,
    source: doc.source,
    importedAt: doc.importedAt,
    importedByRole: doc.importedByRole,
    teams: doc.teams,
    customerGroups: doc.customerGroups,
    section16a: doc.section16a,
    referencesDestroyed: doc.referencesDestroyed,
  };
}
