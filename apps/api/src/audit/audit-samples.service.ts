import { Inject, Injectable } from '@nestjs/common';
import { type Principal, visibility } from '@pruefpfad/domain';
import { type SampleCaseDoc, type SampleDoc, SAMPLES } from '@pruefpfad/projections';
import type { DocumentStore, Filter } from '@pruefpfad/read-store';
import { SamplingQueries, type SampleView } from '../sampling/sampling.queries.js';
import { SamplingService, type Verification } from '../sampling/sampling.service.js';
import { DOCUMENT_STORE } from '../runtime/tokens.js';

export interface AuditedSample {
  readonly sampleId: string;
  readonly programmeId: string;
  readonly month: string;
  readonly areaId: string;
  readonly teamId: string;
  readonly populationId: string;
  readonly populationFingerprint: string;
  readonly seed: string;
  readonly algorithm: string;
  readonly n: number;
  readonly eligible: number;
  readonly drawnAt: string;
  readonly drawnByRole: string;
  /** Draw tokens only: the clear references and pseudonyms stay in the reviews. */
  readonly cases: readonly SampleCaseDoc[];
  /** A draw for a month already past, with its recorded reason. */
  readonly backdated: SampleView['backdated'];
  /** A draw voided by mistake before any review started, with its reason (its reviews were withdrawn). */
  readonly voided: SampleView['voided'];
  /** Recomputed now from the population's draw tokens, the seed and the recorded inputs. */
  readonly verification: Verification;
}

export interface AuditedMonth {
  readonly month: string;
  readonly samples: readonly AuditedSample[];
  readonly summary: { readonly samples: number; readonly verified: number; readonly mismatched: number };
}

/**
 * Sample verification for a month still held: every sample of the tenant (the caller's area for area
 * heads) with what produced it and the sampling context's own recomputation (`SamplingService.verify`,
 * libs/domain/src/sampling/verify.ts). A purged population shows as a mismatch, never as verified.
 */
@Injectable()
export class AuditSamplesService {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(SamplingService) private readonly sampling: SamplingService,
    private readonly queries: SamplingQueries,
  ) {}

  async month(principal: Principal, month: string): Promise<AuditedMonth> {
    const docs = (await this.documents.find(
      SAMPLES,
      { ...this.scope(principal), month },
      { sort: { programmeId: 1, teamId: 1, _id: 1 } },
    )) as SampleDoc[];
    const samples: AuditedSample[] = [];
    for (const doc of docs)
      samples.push({
        sampleId: doc._id,
        programmeId: doc.programmeId,
        month: doc.month,
        areaId: doc.areaId,
        teamId: doc.teamId,
        populationId: doc.populationId,
        populationFingerprint: doc.populationFingerprint,
        seed: doc.seed,
        algorithm: doc.algorithm,
        n: doc.n,
        eligible: doc.eligible,
        drawnAt: doc.drawnAt,
        drawnByRole: doc.drawnByRole,
        cases: doc.cases,
        ...(await this.queries.procedureReasons(doc)),
        verification: await this.sampling.verify(doc),
      });
    const verified = samples.filter((sample) => sample.verification.matches).length;
    return { month, samples, summary: { samples: samples.length, verified, mismatched: samples.length - verified } };
  }

  private scope(principal: Principal): Filter {
    const seen = visibility(principal, 'audit.samples.read');
    switch (seen.kind) {
      case 'tenant':
        return { tenant: seen.tenant };
      case 'units':
        return seen.includeParents
          ? { tenant: seen.tenant, $or: [{ teamId: { $in: seen.units } }, { areaId: { $in: seen.units } }] }
          : { tenant: seen.tenant, teamId: { $in: seen.units } };
      case 'technical':
      case 'nothing':
        // No tenant is named like this: the query finds nothing.
        return { tenant: '\u0000none' };
      default: {
        const unreachable: never = seen;
        return unreachable;
      }
    }
  }
}
