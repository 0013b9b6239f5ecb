import { Inject, Injectable } from '@nestjs/common';
import type { Deadline, KindLabel } from '@pruefpfad/domain';
import { type RiskDoc, RISKS } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { DeadlineSourceProvider, type DeadlineSource } from '../inbox/deadline-source.js';
import { DOCUMENT_STORE } from '../runtime/tokens.js';

const openRisks = async (documents: DocumentStore, tenant: string): Promise<RiskDoc[]> =>
  (await documents.find(RISKS, { tenant, status: 'open' })) as RiskDoc[];

const resourceOf = (risk: RiskDoc) => ({ tenant: risk.tenant, ...(risk.areaId === null ? {} : { unit: risk.areaId }) });

/**
 * The inbox's `risk-reassessment` deadlines: every open, assessed risk is due for its quarterly
 * reassessment on `reassessBy`; whoever may (re)assess it (management, the area's head) sees it.
 */
@Injectable()
@DeadlineSourceProvider()
export class RiskReassessmentDeadlines implements DeadlineSource {
  readonly kind = 'risk-reassessment';
  readonly label: KindLabel = { de: 'Neubewertung von Risiken', en: 'risk reassessments' };
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  async collect(tenant: string): Promise<Deadline[]> {
    return (await openRisks(this.documents, tenant)).flatMap((risk) =>
      risk.assessment === null
        ? []
        : [
            {
              kind: this.kind,
              ref: risk._id,
              dueDate: risk.assessment.reassessBy,
              action: 'risk.maintain',
              resource: resourceOf(risk),
              path: `/api/v1/risks/${risk._id}`,
            },
          ],
    );
  }
}

/** The inbox's `risk-recheck` deadlines: an accepted open risk is re-checked by management on `recheckOn`. */
@Injectable()
@DeadlineSourceProvider()
export class RiskRecheckDeadlines implements DeadlineSource {
  readonly kind = 'risk-recheck';
  readonly label: KindLabel = { de: 'Überprüfung hingenommener Risiken', en: 're-checks of accepted risks' };
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  async collect(tenant: string): Promise<Deadline[]> {
    return (await openRisks(this.documents, tenant)).flatMap((risk) =>
      risk.treatment?.strategy === 'accept' && risk.treatment.recheckOn !== null
        ? [
            {
              kind: this.kind,
              ref: risk._id,
              dueDate: risk.treatment.recheckOn,
              action: 'risk.decide',
              resource: resourceOf(risk),
              path: `/api/v1/risks/${risk._id}`,
            },
          ]
        : [],
    );
  }
}
