import { Inject, Injectable } from '@nestjs/common';
import { catalogueDefect, catalogueQuestions } from './catalogue-values.js';
import { berlinDate, type Clock, NotFoundError } from '@pruefpfad/application';
import { crossLevelReviewEndsOn, crossLevelReviewStatus, type Principal } from '@pruefpfad/domain';
import { type KeyStore, pseudonymise, tenantPseudonymKey } from '@pruefpfad/privacy';
import {
  type CaseCopyDoc,
  CROSS_LEVEL_CASE_COPIES,
  CROSS_LEVEL_REVIEWS,
  type CrossLevelReviewDoc,
  TREND_CONTEXT,
  type TrendProgrammeDoc,
  trendProgrammeId,
} from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { CLOCK, DOCUMENT_STORE, KEY_STORE } from '../runtime/tokens.js';
import { CrossLevelScope } from './cross-level-scope.js';

/**
 * Purpose of the per-approval case pseudonym. HMAC under the Jobcenter's own pseudonym key (which never
 * leaves it) over approval id and review id: the same case gets unrelated pseudonyms in two approvals, so
 * copies of two reviews cannot be linked across approvals, and neither the review id nor the Jobcenter's
 * own case pseudonym (`casePseudonym`, joinable with its sample lists) ever reaches the other levels. The
 * Jobcenter can recompute it to find the case when a finding needs following up.
 */
const CASE_PURPOSE = 'cross-level-case';

/**
 * Cross-level reviews on pseudonymised copies (003:94). An approval must exist before any copy is shown;
 * each answer names it. Copies: completed reviews of the approval's Jobcenters (those with a recorded
 * region), sample months and customer process (the programme's), optionally one questionnaire, showing
 * closed answers, defects without description, outcome and counts only (`CaseCopyDoc`).
 */
@Injectable()
export class CrossLevelReviewsService {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(KEY_STORE) private readonly keyStore: KeyStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly scope: CrossLevelScope,
  ) {}

  private today(): string {
    return berlinDate(this.clock.now());
  }

  /** The Jobcenters of an approval that the caller reaches. */
  private async tenantsInReach(principal: Principal, approval: CrossLevelReviewDoc): Promise<string[]> {
    const recorded =
      approval.scope.kind === 'region'
        ? await this.scope.tenants({ level: 'region', region: approval.scope.region })
        : (await Promise.all(approval.scope.tenants.map((tenant) => this.scope.regionOf(tenant)))).filter(
            (doc) => doc !== null,
          );
    return recorded.filter((doc) => this.scope.reachesRegion(principal, doc.region)).map((doc) => doc.tenant);
  }

  private view(approval: CrossLevelReviewDoc, tenants: readonly string[]) {
    return {
      id: approval.id,
      kind: approval.kind,
      scope: approval.scope,
      customerProcess: approval.customerProcess,
      questionnaireId: approval.questionnaireId,
      fromMonth: approval.fromMonth,
      toMonth: approval.toMonth,
      basis: approval.basis,
      approvedByRole: approval.approvedByRole,
      approvedOn: approval.approvedOn,
      closedOn: approval.closedOn,
      closeBasis: approval.closeBasis,
      showsCopiesUntil: crossLevelReviewEndsOn(approval.toMonth),
      status: crossLevelReviewStatus(approval, this.today()),
      tenantsInReach: tenants,
    };
  }

  /** An approval the caller takes part in: central always, regional when a Jobcenter of its region is in it. */
  private async approval(principal: Principal, id: string) {
    const approval = (await this.documents.get(CROSS_LEVEL_REVIEWS, id)) as CrossLevelReviewDoc | null;
    if (approval === null) throw new NotFoundError(`cross-level review ${id}`);
    const tenants = await this.tenantsInReach(principal, approval);
    const participates =
      principal.roles.includes('central') ||
      (approval.scope.kind === 'region' && this.scope.reachesRegion(principal, approval.scope.region)) ||
      tenants.length > 0;
    if (!participates) throw new NotFoundError(`cross-level review ${id}`);
    return { approval, tenants };
  }

  async list(principal: Principal) {
    const approvals = (await this.documents.find(
      CROSS_LEVEL_REVIEWS,
      {},
      { sort: { _id: 1 } },
    )) as CrossLevelReviewDoc[];
    const visible = [];
    for (const approval of approvals) {
      try {
        const { tenants } = await this.approval(principal, approval.id);
        visible.push(this.view(approval, tenants));
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    return { reviews: visible };
  }

  async get(principal: Principal, id: string) {
    const { approval, tenants } = await this.approval(principal, id);
    return this.view(approval, tenants);
  }

  /** The copies in scope with their per-approval pseudonyms (none once the approval closed or expired). */
  private async copies(approval: CrossLevelReviewDoc, tenants: readonly string[]) {
    if (crossLevelReviewStatus(approval, this.today()) !== 'open') return [];
    const copies = [];
    for (const tenant of tenants) {
      const filter: Record<string, unknown> = {
        tenant,
        status: 'completed',
        month: { $gte: approval.fromMonth, $lte: approval.toMonth },
      };
      if (approval.questionnaireId !== null) filter['questionnaireId'] = approval.questionnaireId;
      const docs = (await this.documents.find(CROSS_LEVEL_CASE_COPIES, filter, {
        sort: { month: 1, _id: 1 },
      })) as CaseCopyDoc[];
      if (docs.length === 0) continue;
      const processes = new Map<string, string | null>();
      for (const programmeId of new Set(docs.map((doc) => doc.programmeId))) {
        const programme = (await this.documents.get(
          TREND_CONTEXT,
          trendProgrammeId(tenant, programmeId),
        )) as TrendProgrammeDoc | null;
        processes.set(programmeId, programme?.customerProcess ?? null);
      }
      const key = await tenantPseudonymKey(this.keyStore, tenant);
      for (const doc of docs) {
        if (processes.get(doc.programmeId) !== approval.customerProcess) continue;
        copies.push({ caseId: pseudonymise(key, `${approval.id}:${doc.reviewId}`, CASE_PURPOSE), doc });
      }
    }
    return copies;
  }

  /**
   * A copy as a participant sees it. A defect's category and legal norm appear only as the catalogue names
   * them for its question; typed free text (which may name someone) becomes `OTHER_CATEGORY` or null.
   */
  private async caseView(
    approval: CrossLevelReviewDoc,
    caseId: string,
    doc: CaseCopyDoc,
    catalogues: Map<string, Promise<ReadonlyMap<string, { category: string; legalNorm: string | null }>>>,
  ) {
    const key = `${doc.tenant}|${doc.questionnaireId}|${doc.questionnaireVersion}`;
    let catalogue = catalogues.get(key);
    if (catalogue === undefined) {
      catalogue = catalogueQuestions(this.documents, doc.tenant, doc.questionnaireId, doc.questionnaireVersion);
      catalogues.set(key, catalogue);
    }
    const questions = await catalogue;
    return {
      caseId,
      tenant: doc.tenant,
      month: doc.month,
      customerProcess: approval.customerProcess,
      questionnaireId: doc.questionnaireId,
      questionnaireVersion: doc.questionnaireVersion,
      outcome: doc.outcome,
      answers: Object.keys(doc.answers)
        .sort()
        .map((questionId) => ({ questionId, answer: doc.answers[questionId]! })),
      defects: doc.defects
        .filter((defect) => !defect.withdrawn)
        .map((defect) =>
          catalogueDefect(
            {
              questionId: defect.questionId,
              category: defect.category,
              severity: defect.severity,
              legalNorm: defect.legalNorm,
              financialLoss: defect.financialLoss,
            },
            questions,
          ),
        ),
      talks: doc.talks,
      teamDiscussions: doc.teamDiscussions,
      measuresAgreed: doc.measuresAgreed,
    };
  }

  private basisOf(approval: CrossLevelReviewDoc) {
    return { id: approval.id, kind: approval.kind, basis: approval.basis, approvedOn: approval.approvedOn };
  }

  async cases(principal: Principal, id: string) {
    const { approval, tenants } = await this.approval(principal, id);
    const copies = await this.copies(approval, tenants);
    const catalogues = new Map<string, Promise<ReadonlyMap<string, { category: string; legalNorm: string | null }>>>();
    return {
      approval: this.basisOf(approval),
      status: crossLevelReviewStatus(approval, this.today()),
      cases: await Promise.all(copies.map(({ caseId, doc }) => this.caseView(approval, caseId, doc, catalogues))),
    };
  }

  async case(principal: Principal, id: string, caseId: string) {
    const { approval, tenants } = await this.approval(principal, id);
    const found = (await this.copies(approval, tenants)).find((copy) => copy.caseId === caseId);
    if (found === undefined) throw new NotFoundError(`case ${caseId}`);
    return {
      approval: this.basisOf(approval),
      case: await this.caseView(approval, found.caseId, found.doc, new Map()),
    };
  }
}
