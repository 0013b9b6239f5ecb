import { Inject, Injectable } from '@nestjs/common';
import { type Deadline, INDICATOR_RATING_LABEL, indicatorRatingDeadline, type IndicatorKind } from '@pruefpfad/domain';
import { INDICATOR_MONTHS, type IndicatorMonthDoc } from '@pruefpfad/projections';
import type { DocumentStore } from '@pruefpfad/read-store';
import { DeadlineSourceProvider, type DeadlineSource } from '../inbox/deadline-source.js';
import { DOCUMENT_STORE } from '../runtime/tokens.js';

const FIGURE_KINDS: readonly (readonly [keyof IndicatorMonthDoc['figures'], IndicatorKind])[] = [
  ['firstConsultation', 'first-consultation'],
  ['counsellingContact', 'counselling-contact'],
  ['graduateManagement', 'graduate-management'],
  ['counsellingCapacity', 'counselling-capacity'],
];

/** The inbox's `indicator-rating` deadlines: imported months with an indicator not yet rated. */
@Injectable()
@DeadlineSourceProvider()
export class IndicatorRatingDeadlines implements DeadlineSource {
  readonly kind = 'indicator-rating';
  readonly label = INDICATOR_RATING_LABEL;
  constructor(@Inject(DOCUMENT_STORE) private readonly documents: DocumentStore) {}

  async collect(tenant: string): Promise<Deadline[]> {
    const months = (await this.documents.find(INDICATOR_MONTHS, { tenant })) as IndicatorMonthDoc[];
    return months.flatMap((doc) => {
      const deadline = indicatorRatingDeadline({
        tenant,
        areaId: doc.areaId,
        teamId: doc.teamId,
        month: doc.month,
        indicators: FIGURE_KINDS.filter(([figure]) => doc.figures[figure] !== null).map(([, kind]) => kind),
        ratedOnCurrentImport: FIGURE_KINDS.map(([, kind]) => kind).filter(
          (kind) => doc.ratings[kind]?.importNumber === doc.importNumber,
        ),
      });
      return deadline === null ? [] : [deadline];
    });
  }
}
