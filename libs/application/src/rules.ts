import type { ProgrammeSettings } from '@pruefpfad/domain';

/**
 * Defaults for the numbers of the domain brief. They are configuration, not code: a programme states
 * its own values, and these only fill what a programme leaves out (sources cited as seed file:line).
 */
export interface RuleDefaults {
  readonly programme: Omit<ProgrammeSettings, 'title' | 'areaId' | 'customerProcess' | 'questionnaireId'>;
}

export const DEFAULT_RULES: RuleDefaults = {
  programme: {
    minimumCasesPerTeamLead: 10, // 003:45 "mindestens 10"
    drawnBy: 'area_head', // 002:88 (federal process); Heinsberg: management, 000:71
    errorRatePolicy: { kind: 'none' }, // 003:58 (2021 method)
    reviewDeadlineDaysAfterMonth: 0, // our default: last day of the sample month
    retentionMonths: 12, // 000:92
    reportDueDay: 15, // 000:91
    deputiesReview: true, // 002:92
    excludeDrawnWithinMonths: 6, // our default (issue: cases drawn in the last N months are skipped)
    coverageRule: 'least-recently-covered', // 003:64–68: every customer group stays covered
    section16aConsent: null, // 003:53: excluded unless the Trägerversammlung consented
  },
};
