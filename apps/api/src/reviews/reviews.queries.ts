import { Inject, Injectable } from '@nestjs/common';
import { berlinDate, type Clock, NotFoundError } from '@pruefpfad/application';
import {
  AccessDeniedError,
  type AnswerValue,
  DomainError,
  type Principal,
  requireQuestionsForReview,
  type ReviewQuestionDetail,
  type Sealed,
  visibility,
} from '@pruefpfad/domain';
import {
  CASE_REF_PURPOSE,
  type Envelope,
  isSealed,
  type KeyStore,
  pseudonymise,
  tenantPseudonymKey,
} from '@pruefpfad/privacy';
import {
  type QuestionnaireDoc,
  questionnaireDocId,
  QUESTIONNAIRES,
  type ReviewDoc,
  REVIEWS,
} from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { RetentionRecords } from '../retention/retention-records.js';
import { AccessLog } from '../access-log/access-log.service.js';
import { ActingRights } from '../organisation/acting-rights.js';
import { CLOCK, DOCUMENT_STORE, ENVELOPE, KEY_STORE } from '../runtime/tokens.js';

/** Sealed pseudonyms compared at once in a lookup (each needs its review's key). */
const LOOKUP_BATCH = 64;

export interface CaseLookupItem {
  readonly id: string;
  readonly teamId: string;
  readonly month: string;
  readonly status: ReviewDoc['status'];
  readonly disclosure: Disclosure;
  readonly caseRef: string | null;
}

/** Whether the caller saw personal data (case reference, employee, free text) or it was withheld. */
export type Disclosure = 'full' | 'withheld';

export interface ReviewView {
  readonly id: string;
  readonly revision: number;
  readonly disclosure: Disclosure;
  readonly programmeId: string;
  readonly sampleId: string;
  readonly areaId: string;
  readonly teamId: string;
  readonly month: string;
  readonly deadline: string;
  readonly overdue: boolean;
  readonly status: ReviewDoc['status'];
  readonly origin: ReviewDoc['origin'];
  readonly customerGroup: string;
  readonly casePseudonym: string | null;
  readonly caseRef: string | null;
  readonly questionnaire: { readonly id: string; readonly version: number };
  readonly questions: readonly ReviewQuestionDetail[];
  readonly answers: readonly {
    readonly questionId: string;
    readonly kind: AnswerValue['kind'];
    readonly value: string | null;
  }[];
  readonly lookBack: { readonly months: number; readonly reason: string | null };
  readonly defects: readonly {
    readonly defectId: string;
    readonly questionId: string;
    readonly category: string;
    readonly severity: 'minor' | 'serious';
    readonly legalNorm: string | null;
    readonly financialLoss: boolean;
    /** Marked for the procedure for established financial losses (VfV, 001:242). */
    readonly vfv: boolean;
    readonly description: string | null;
    readonly withdrawn: boolean;
    readonly withdrawalReason: string | null;
    readonly asDeputy: boolean;
  }[];
  readonly outcome: ReviewDoc['outcome'];
  readonly summary: string | null;
  readonly completedAt: string | null;
  readonly completedOn: string | null;
  readonly talks: readonly {
    readonly date: string;
    readonly employee: string | null;
    readonly outcome: string | null;
    readonly asDeputy: boolean;
  }[];
  readonly teamDiscussions: readonly {
    readonly date: string;
    readonly notes: string | null;
    readonly asDeputy: boolean;
  }[];
  readonly corrections: readonly { readonly at: string; readonly reason: string | null; readonly asDeputy: boolean }[];
  readonly deputyWork: boolean;
  readonly withdrawal: {
    readonly reason: string | null;
    readonly replacedBy: string | null;
    readonly at: string;
  } | null;
  readonly openedAt: string;
  readonly updatedAt: string;
}

export interface WorklistItem {
  readonly id: string;
  readonly revision: number;
  readonly month: string;
  readonly status: ReviewDoc['status'];
  readonly deadline: string;
  readonly overdue: boolean;
  readonly customerGroup: string;
  readonly caseRef: string | null;
  readonly outcome: ReviewDoc['outcome'];
  readonly answered: number;
  readonly defects: number;
  readonly seriousDefects: number;
  readonly talkHeld: boolean;
  readonly teamDiscussed: boolean;
  readonly deputyWork: boolean;
}

export interface WorklistView {
  readonly teamId: string;
  readonly month: string;
  readonly today: string;
  readonly disclosure: Disclosure;
  readonly counts: {
    readonly total: number;
    readonly open: number;
    readonly completed: number;
    readonly overdue: number;
  };
  readonly items: readonly WorklistItem[];
}

/**
 * Reads reviews from the `reviews` projection (never from events). Team access goes through ActingRights
 * (another tenant's or team's review is 404); personal data is opened only for the team's lead, the
 * deputy while deputising and management (000:93); area heads get the review without customer data.
 */
@Injectable()
export class ReviewsQueries {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(ENVELOPE) private readonly envelope: Envelope,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly acting: ActingRights,
    private readonly accessLog: AccessLog,
    @Inject(KEY_STORE) private readonly keyStore: KeyStore,
    private readonly retention: RetentionRecords,
  ) {}

  /**
   * The reviews of one case the caller may read, found through the blind index: the keyed pseudonym of the
   * customer number (tenant key, the normalisation of the import) compared with each candidate review's
   * `casePseudonym`, which is sealed under that review's own key (so a purged review's stays unlinkable, in
   * backups too). Candidates are the reviews of the caller's scope; comparing decrypts no clear value.
   * The lookup is recorded in the access log (no number in it) when it shows a case reference.
   */
  async lookup(principal: Principal, caseRef: string): Promise<CaseLookupItem[]> {
    const wanted = pseudonymise(await tenantPseudonymKey(this.keyStore, principal.tenant), caseRef, CASE_REF_PURPOSE);
    const seen = visibility(principal, 'review.read');
    if (seen.kind === 'nothing' || seen.kind === 'technical') return [];
    const scope =
      seen.kind === 'units'
        ? seen.includeParents
          ? { $or: [{ teamId: { $in: seen.units } }, { areaId: { $in: seen.units } }] }
          : { teamId: { $in: seen.units } }
        : {};
    const candidates = (await this.documents.find(
      REVIEWS,
      { tenant: principal.tenant, ...scope },
      { sort: { month: 1, _id: 1 } },
    )) as ReviewDoc[];
    const docs: ReviewDoc[] = [];
    for (let start = 0; start < candidates.length; start += LOOKUP_BATCH) {
      const batch = candidates.slice(start, start + LOOKUP_BATCH);
      // A review whose key was destroyed (or a document of an older shape) simply does not match.
      const pseudonyms = await Promise.all(
        batch.map((doc) =>
          isSealed(doc.casePseudonym) ? this.envelope.openOrNull(doc.casePseudonym) : Promise.resolve(null),
        ),
      );
      batch.forEach((doc, index) => {
        if (pseudonyms[index] === wanted) docs.push(doc);
      });
    }
    const items: CaseLookupItem[] = [];
    for (const doc of docs) {
      try {
        await this.acting.assertMayRead(principal, 'review.read', doc.tenant, doc.teamId);
      } catch (error) {
        // Another team's review, out of the caller's reach: not listed (as a 404 would not).
        if (error instanceof AccessDeniedError || error instanceof DomainError || error instanceof NotFoundError)
          continue;
        throw error;
      }
      const disclosure = await this.disclosure(principal, doc.tenant, doc.teamId);
      items.push({
        id: doc._id,
        teamId: doc.teamId,
        month: doc.month,
        status: doc.status,
        disclosure,
        caseRef: disclosure === 'full' ? ((await this.envelope.openOrNull(doc.caseRef)) as string | null) : null,
      });
    }
    // Like every read: recorded when it returns decrypted data (a miss or a withheld answer opens nothing).
    const opened = items.filter((item) => item.disclosure === 'full');
    if (opened.length > 0)
      this.accessLog.note({
        purpose: 'case-lookup',
        resources: opened.map((item) => ({ kind: 'review', id: item.id, reviewId: item.id })),
        fields: ['caseRef'],
      });
    return items;
  }

  today(): string {
    return berlinDate(this.clock.now());
  }

  /** The review of the caller's tenant, or 410 with its purge record once retention destroyed it, or 404. */
  async find(principal: Principal, reviewId: string): Promise<ReviewDoc> {
    const doc = (await this.documents.get(REVIEWS, reviewId)) as ReviewDoc | null;
    if (!doc || doc.tenant !== principal.tenant) {
      await this.retention.assertNotPurged(principal.tenant, reviewId);
      throw new NotFoundError(`review ${reviewId}`);
    }
    return doc;
  }

  /** The review's questions: its pinned questionnaire version plus the regional additions of its month. */
  async questions(doc: ReviewDoc): Promise<readonly ReviewQuestionDetail[]> {
    const questionnaire = (await this.documents.get(
      QUESTIONNAIRES,
      questionnaireDocId(doc.tenant, doc.questionnaireId),
    )) as QuestionnaireDoc | null;
    return requireQuestionsForReview(questionnaire, doc.questionnaireId, doc.questionnaireVersion, doc.month);
  }

  async detail(principal: Principal, reviewId: string): Promise<ReviewView> {
    const doc = await this.find(principal, reviewId);
    await this.acting.assertMayRead(principal, 'review.read', doc.tenant, doc.teamId);
    const disclosure = await this.disclosure(principal, doc.tenant, doc.teamId);
    // Names of the fields opened, for the access log (recorded before the response is sent).
    const opened = new Set<string>();
    const open = async (sealed: Sealed | null, field: string): Promise<string | null> => {
      if (sealed === null || disclosure !== 'full') return null;
      opened.add(field);
      return (await this.envelope.openOrNull(sealed)) as string | null;
    };
    const today = this.today();
    const view: ReviewView = {
      id: doc._id,
      revision: doc.streamRevision,
      disclosure,
      programmeId: doc.programmeId,
      sampleId: doc.sampleId,
      areaId: doc.areaId,
      teamId: doc.teamId,
      month: doc.month,
      deadline: doc.deadline,
      overdue: isOverdue(doc, today),
      status: doc.status,
      origin: doc.origin,
      customerGroup: doc.customerGroup,
      casePseudonym: isSealed(doc.casePseudonym) ? await open(doc.casePseudonym, 'casePseudonym') : null,
      caseRef: await open(doc.caseRef, 'caseRef'),
      questionnaire: { id: doc.questionnaireId, version: doc.questionnaireVersion },
      questions: await this.questions(doc).catch(() => []),
      answers: await Promise.all(
        Object.entries(doc.answers).map(async ([questionId, answer]) => ({
          questionId,
          kind: answer.kind,
          value: answer.kind === 'sealed' ? await open(answer.value, 'answers.value') : answer.value,
        })),
      ),
      lookBack: { months: doc.lookBackMonths, reason: await open(doc.lookBackReason, 'lookBack.reason') },
      defects: await Promise.all(
        doc.defects.map(async (defect) => ({
          defectId: defect.defectId,
          questionId: defect.questionId,
          category: defect.category,
          severity: defect.severity,
          legalNorm: defect.legalNorm,
          financialLoss: defect.financialLoss,
          vfv: defect.financialLoss && !defect.withdrawn,
          description: await open(defect.description, 'defects.description'),
          withdrawn: defect.withdrawn,
          withdrawalReason: await open(defect.withdrawalReason, 'defects.withdrawalReason'),
          asDeputy: defect.asDeputy,
        })),
      ),
      outcome: doc.outcome,
      summary: await open(doc.summary, 'summary'),
      completedAt: doc.completedAt,
      completedOn: doc.completedOn,
      talks: await Promise.all(
        doc.talks.map(async (talk) => ({
          date: talk.date,
          employee: await open(talk.employee, 'talks.employee'),
          outcome: await open(talk.outcome, 'talks.outcome'),
          asDeputy: talk.asDeputy,
        })),
      ),
      teamDiscussions: await Promise.all(
        doc.teamDiscussions.map(async (discussion) => ({
          date: discussion.date,
          notes: await open(discussion.notes, 'teamDiscussions.notes'),
          asDeputy: discussion.asDeputy,
        })),
      ),
      corrections: await Promise.all(
        doc.corrections.map(async (correction) => ({
          at: correction.at,
          reason: await open(correction.reason, 'corrections.reason'),
          asDeputy: correction.asDeputy,
        })),
      ),
      deputyWork: doc.deputyWork,
      withdrawal:
        doc.withdrawal === null
          ? null
          : {
              reason: await open(doc.withdrawal.reason, 'withdrawal.reason'),
              replacedBy: doc.withdrawal.replacedBy,
              at: doc.withdrawal.at,
            },
      openedAt: doc.openedAt,
      updatedAt: doc.updatedAt,
    };
    if (opened.size > 0)
      this.accessLog.note({
        purpose: 'review-detail',
        resources: [{ kind: 'review', id: doc._id, reviewId: doc._id }],
        fields: [...opened],
      });
    return view;
  }

  /**
   * The team's worklist: the month's reviews (withdrawn ones left out) and every review of an earlier
   * month still open; `overdue` is computed now from the deadline (Europe/Berlin).
   */
  async worklist(principal: Principal, teamId: string, month: string | undefined): Promise<WorklistView> {
    await this.acting.assertMayRead(principal, 'worklist.read', principal.tenant, teamId);
    const today = this.today();
    const shownMonth = month ?? today.slice(0, 7);
    const disclosure = await this.disclosure(principal, principal.tenant, teamId);
    const docs = (await this.documents.find(
      REVIEWS,
      {
        tenant: principal.tenant,
        teamId,
        $or: [
          { month: shownMonth, status: { $ne: 'withdrawn' } },
          { month: { $lt: shownMonth }, status: 'open' },
        ],
      },
      { sort: { deadline: 1, month: 1, _id: 1 } },
    )) as ReviewDoc[];
    if (disclosure === 'full' && docs.length > 0)
      this.accessLog.note({
        purpose: 'worklist',
        resources: docs.map((doc) => ({ kind: 'review', id: doc._id, reviewId: doc._id })),
        fields: ['caseRef'],
      });
    const items = await Promise.all(
      docs.map(async (doc): Promise<WorklistItem> => ({
        id: doc._id,
        revision: doc.streamRevision,
        month: doc.month,
        status: doc.status,
        deadline: doc.deadline,
        overdue: isOverdue(doc, today),
        customerGroup: doc.customerGroup,
        caseRef: disclosure === 'full' ? ((await this.envelope.openOrNull(doc.caseRef)) as string | null) : null,
        outcome: doc.outcome,
        answered: Object.keys(doc.answers).length,
        defects: doc.defects.filter((defect) => !defect.withdrawn).length,
        seriousDefects: doc.defects.filter((defect) => !defect.withdrawn && defect.severity === 'serious').length,
        talkHeld: doc.talks.length > 0,
        teamDiscussed: doc.teamDiscussions.length > 0,
        deputyWork: doc.deputyWork,
      })),
    );
    return {
      teamId,
      month: shownMonth,
      today,
      disclosure,
      counts: {
        total: items.length,
        open: items.filter((item) => item.status === 'open').length,
        completed: items.filter((item) => item.status === 'completed').length,
        overdue: items.filter((item) => item.overdue).length,
      },
      items,
    };
  }

  /**
   * Stored checklists are for the team lead, the deputy while deputising and management (000:93); area
   * heads see the team's reviews without customer data (domain roles table).
   */
  private async disclosure(principal: Principal, tenant: string, teamId: string): Promise<Disclosure> {
    if (principal.tenant !== tenant) return 'withheld';
    if (principal.roles.includes('management')) return 'full';
    if (principal.roles.includes('team_lead') && principal.units.includes(teamId)) return 'full';
    if (principal.roles.includes('deputy') && principal.units.includes(teamId)) {
      try {
        const acting = await this.acting.assertMayAct(principal, 'review.read', tenant, teamId);
        return acting.asDeputy ? 'full' : 'withheld';
      } catch (error) {
        if (error instanceof DomainError) return 'withheld';
        throw error;
      }
    }
    return 'withheld';
  }
}

function isOverdue(doc: ReviewDoc, today: string): boolean {
  return doc.status === 'open' && doc.deadline < today;
}
