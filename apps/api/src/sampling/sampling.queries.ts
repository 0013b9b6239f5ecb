import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '@pruefpfad/application';
import type { AccessedResource, Action, Principal } from '@pruefpfad/domain';
import type { Envelope, Sealed } from '@pruefpfad/privacy';
import {
  type PopulationDoc,
  POPULATIONS,
  type ProgrammeDoc,
  programmesProjection,
  type SampleDoc,
  type SampleFollowUpDoc,
  SAMPLES,
} from '@pruefpfad/projections';
import type { DocumentStore, Filter } from '@pruefpfad/read-store';
import { AccessLog } from '../access-log/access-log.service.js';
import { ReadModelFreshness } from '../commands/read-model-freshness.js';
import { ActingRights } from '../organisation/acting-rights.js';
import { visibility } from '../security/assert-can-access.js';
import { DOCUMENT_STORE, ENVELOPE } from '../runtime/tokens.js';
import { COMPLETE_POPULATIONS, LATEST_POPULATIONS_FIRST } from './sampling.defaults.js';

/**
 * A sample as the API shows it: follow-up reasons opened for its team's lead and management, else null;
 * the reasons of a back-dated or voided draw (about the procedure, under the month's sampling key) opened for
 * everyone who may read the sample, like a programme's note.
 */
export type SampleView = Omit<
  SampleDoc,
  '_id' | '_position' | 'streamRevision' | 'followUps' | 'backdated' | 'voided'
> & {
  readonly id: string;
  readonly revision: number;
  readonly followUps: readonly (Omit<SampleFollowUpDoc, 'reason'> & { readonly reason: string | null })[];
  readonly backdated: { readonly drawnOn: string; readonly reason: string | null } | null;
  readonly voided: { readonly at: string; readonly byRole: string; readonly reason: string | null } | null;
};

/** Reads samples and population summaries from their projections; pseudonyms only, no clear data. */
@Injectable()
export class SamplingQueries {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    private readonly freshness: ReadModelFreshness,
    private readonly actingRights: ActingRights,
    @Inject(ENVELOPE) private readonly envelope: Envelope,
    private readonly accessLog: AccessLog,
  ) {}

  /**
   * The sample for the API. Follow-up reasons are sealed (a replacement's under the replaced review's key,
   * a supplementary draw's under the population's): `open` shows them to the team's lead and management
   * (the readers of the team's reviews) and records that in the access log; lists never open them.
   */
  async present(principal: Principal, doc: SampleDoc, open: boolean): Promise<SampleView> {
    const {
      _id,
      _position: _ignored,
      streamRevision,
      followUps,
      backdated: _backdated,
      voided: _voided,
      ...rest
    } = doc;
    const mayOpen =
      open &&
      principal.tenant === doc.tenant &&
      (principal.roles.includes('management') ||
        (principal.roles.includes('team_lead') && principal.units.includes(doc.teamId)));
    const resources: AccessedResource[] = [];
    const shown = await Promise.all(
      followUps.map(async (followUp) => {
        if (!mayOpen) return { ...followUp, reason: null };
        resources.push(
          followUp.kind === 'replacement'
            ? { kind: 'review', id: followUp.reviewIds[0] ?? doc._id, reviewId: followUp.reviewIds[0] ?? null }
            : { kind: 'programme', id: doc.programmeId, reviewId: null },
        );
        const reason = await this.envelope.openOrNull(followUp.reason);
        return { ...followUp, reason: typeof reason === 'string' ? reason : null };
      }),
    );
    if (resources.length > 0)
      this.accessLog.note({ purpose: 'sampling-record', resources, fields: ['followUps.reason'] });
    return {
      id: _id,
      revision: streamRevision,
      ...rest,
      followUps: shown,
      ...(await this.procedureReasons(doc)),
    };
  }

  /**
   * The reasons of a back-dated draw and of a void: free text about the procedure, sealed under the
   * month's sampling key, shown to everyone who may read the sample (auditors included); each read that
   * shows one is in the access log, since free text may still name someone.
   */
  async procedureReasons(doc: SampleDoc): Promise<Pick<SampleView, 'backdated' | 'voided'>> {
    const open = async (sealed: Sealed, field: string): Promise<string | null> => {
      this.accessLog.note({
        purpose: 'sampling-record',
        resources: [{ kind: 'programme', id: doc.programmeId, reviewId: null }],
        fields: [field],
      });
      const value = await this.envelope.openOrNull(sealed);
      return typeof value === 'string' ? value : null;
    };
    return {
      backdated: !doc.backdated
        ? null
        : { drawnOn: doc.backdated.drawnOn, reason: await open(doc.backdated.reason, 'backdated.reason') },
      voided: !doc.voided
        ? null
        : { at: doc.voided.at, byRole: doc.voided.byRole, reason: await open(doc.voided.reason, 'voided.reason') },
    };
  }

  /** Waits until the read models reflect every event stored so far: decisions read them fresh. */
  awaitReadModels(names: readonly string[]): Promise<void> {
    return this.freshness.awaitCurrent(names);
  }

  /** The programme of the caller's tenant, or 404. */
  async programme(principal: Principal, programmeId: string): Promise<ProgrammeDoc> {
    const doc = (await this.documents.get(programmesProjection.name, programmeId)) as ProgrammeDoc | null;
    if (!doc || doc.tenant !== principal.tenant) throw new NotFoundError(`programme ${programmeId}`);
    return doc;
  }

  /** A sample of the programme that the caller may reach for `action` (its team), or 404. */
  async sample(principal: Principal, action: Action, programmeId: string, sampleId: string): Promise<SampleDoc> {
    const doc = (await this.documents.get(SAMPLES, sampleId)) as SampleDoc | null;
    if (!doc || doc.tenant !== principal.tenant || doc.programmeId !== programmeId)
      throw new NotFoundError(`sample ${sampleId}`);
    await this.actingRights.assertMayRead(principal, action, doc.tenant, doc.teamId);
    return doc;
  }

  async samples(
    principal: Principal,
    programme: ProgrammeDoc,
    query: { readonly month?: string; readonly teamId?: string },
  ): Promise<SampleDoc[]> {
    const filter: Filter = {
      ...this.scope(principal, 'sampling.read'),
      programmeId: programme._id,
      ...(query.month === undefined ? {} : { month: query.month }),
      ...(query.teamId === undefined ? {} : { teamId: query.teamId }),
    };
    return (await this.documents.find(SAMPLES, filter, { sort: { month: -1, teamId: 1 } })) as SampleDoc[];
  }

  async populations(principal: Principal, programme: ProgrammeDoc): Promise<PopulationDoc[]> {
    // Populations belong to the programme's area: unit-scoped callers see them when the area is theirs.
    if (!this.reaches(principal, 'sampling.population.read', programme)) return [];
    return (await this.documents.find(
      POPULATIONS,
      { tenant: principal.tenant, programmeId: programme._id, ...COMPLETE_POPULATIONS },
      { sort: LATEST_POPULATIONS_FIRST },
    )) as PopulationDoc[];
  }

  async population(principal: Principal, programme: ProgrammeDoc, populationId: string): Promise<PopulationDoc> {
    const doc = (await this.documents.get(POPULATIONS, populationId)) as PopulationDoc | null;
    if (
      !doc ||
      doc.complete === false ||
      doc.tenant !== principal.tenant ||
      doc.programmeId !== programme._id ||
      !this.reaches(principal, 'sampling.population.read', programme)
    )
      throw new NotFoundError(`population ${populationId}`);
    return doc;
  }

  private reaches(principal: Principal, action: Action, programme: ProgrammeDoc): boolean {
    const seen = visibility(principal, action);
    return seen.kind === 'tenant' || (seen.kind === 'units' && seen.units.includes(programme.areaId));
  }

  /** The documents a list may show: the tenant, or the caller's teams (and, for area scope, areas). */
  private scope(principal: Principal, action: Action): Filter {
    const seen = visibility(principal, action);
    switch (seen.kind) {
      case 'tenant':
        return { tenant: seen.tenant };
      case 'units':
        return seen.includeParents
          ? { tenant: seen.tenant, $or: [{ teamId: { $in: seen.units } }, { areaId: { $in: seen.units } }] }
          : { tenant: seen.tenant, teamId: { $in: seen.units } };
      case 'technical':
      case 'nothing':
        return { tenant: seen.kind === 'nothing' ? '\u0000none' : '\u0000technical' };
      default: {
        const unreachable: never = seen;
        return unreachable;
      }
    }
  }
}
