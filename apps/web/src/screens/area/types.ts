/** What the API answers for the area head's screens (apps/api/src/**: views and DTOs). */

export interface Progress {
  readonly required: number;
  readonly sampled: number;
  readonly completed: number;
  readonly open: number;
  readonly overdue: number;
  readonly remaining: number;
  readonly percent: number | null;
}

export interface MeasureFigures {
  readonly agreed: number;
  readonly completed: number;
  readonly cancelled: number;
  readonly open: number;
  readonly overdue: number;
}

export type ReportStatus = 'submitted' | 'due' | 'overdue' | 'not-owed' | 'pending';

export interface Findings {
  readonly goalDirected: number;
  readonly notGoalDirected: number;
  readonly seriousDefects: number;
  readonly financialLossDefects: number;
  readonly talksHeld: number;
  readonly teamDiscussionsHeld: number;
}

export interface TeamRow extends Findings {
  readonly teamId: string;
  readonly name: string;
  readonly progress: Progress;
  readonly measures: MeasureFigures;
  readonly report: {
    readonly year: number;
    readonly quarter: number;
    readonly status: ReportStatus;
    readonly dueDate: string | null;
  };
}

export interface Totals extends Findings {
  readonly progress: Progress;
  readonly measures: MeasureFigures;
  readonly reports: { readonly submitted: number; readonly due: number; readonly overdue: number };
}

export interface AreaDashboard {
  readonly areaId: string;
  readonly name: string;
  readonly month: string;
  readonly today: string;
  readonly teams: readonly TeamRow[];
  readonly totals: Totals;
}

export interface AreaMeasureCounts {
  readonly areaId: string;
  readonly asOf: string;
  readonly teams: readonly {
    readonly teamId: string;
    readonly name: string;
    readonly open: number;
    readonly overdue: number;
  }[];
  readonly total: { readonly open: number; readonly overdue: number };
}

export interface ProgrammeSettings {
  readonly title: string;
  readonly areaId: string;
  readonly customerProcess: string;
  readonly questionnaireId: string | null;
  readonly minimumCasesPerTeamLead: number;
  readonly drawnBy: 'management' | 'area_head';
  readonly errorRatePolicy: { readonly kind: 'none' } | { readonly kind: 'collect'; readonly tolerancePercent: number };
  readonly reviewDeadlineDaysAfterMonth: number;
  readonly retentionMonths: number;
  readonly reportDueDay: number;
  readonly deputiesReview: boolean;
  readonly excludeDrawnWithinMonths: number;
  readonly coverageRule: string;
  readonly section16aConsent: { readonly date: string; readonly decision: string } | null;
}

export interface ProgrammeView {
  readonly id: string;
  readonly revision: number;
  readonly areaId: string;
  readonly settings: ProgrammeSettings;
  readonly definedAt: string;
  readonly updatedAt: string;
  readonly note: string | null;
  readonly changeLog: readonly {
    readonly revision: number;
    readonly at: string;
    readonly byRole: string;
    readonly reason: string;
    readonly changes: Partial<ProgrammeSettings>;
    readonly staffCouncil: { readonly date: string; readonly outcome: string } | null;
    readonly note: string | null;
  }[];
}

export interface PopulationView {
  readonly id: string;
  readonly programmeId: string;
  readonly month: string;
  readonly rowCount: number;
  readonly rowsReceived: number;
  readonly fingerprint: string;
  readonly source: { readonly format: string; readonly fileName: string | null };
  readonly importedAt: string;
  readonly importedByRole: string;
  readonly teams: readonly { readonly teamId: string; readonly rows: number }[];
  readonly customerGroups: readonly { readonly customerGroup: string; readonly rows: number }[];
  readonly section16a: number;
}

export interface SampleCase {
  readonly reviewId: string;
  readonly token: string;
  readonly customerGroup: string;
  readonly rank: number;
  readonly origin: 'draw' | 'supplementary' | 'replacement';
  readonly replaces: string | null;
  readonly status: 'active' | 'replaced';
  readonly replacedBy: string | null;
}

export interface SampleView {
  readonly id: string;
  readonly revision: number;
  readonly programmeId: string;
  readonly month: string;
  readonly teamId: string;
  readonly areaId: string;
  readonly populationId: string;
  readonly populationFingerprint: string;
  readonly seed: string;
  readonly algorithm: string;
  readonly n: number;
  readonly eligible: number;
  readonly excluded: { readonly recentlyDrawn: number; readonly section16a: number };
  readonly coverage: {
    readonly groups: readonly string[];
    readonly covered: readonly string[];
    readonly deferred: readonly string[];
    readonly rule: string;
  };
  readonly questionnaireVersion: number;
  readonly deadline: string;
  readonly drawnAt: string;
  readonly drawnByRole: string;
  readonly cases: readonly SampleCase[];
  readonly activeCases: number;
  readonly followUps: readonly {
    readonly kind: 'supplementary' | 'replacement';
    readonly at: string;
    readonly byRole: string;
    readonly reason: string | null;
    readonly reviewIds: readonly string[];
  }[];
  readonly backdated: { readonly drawnOn: string; readonly reason: string | null } | null;
  readonly voided: { readonly at: string; readonly byRole: string; readonly reason: string | null } | null;
}

export interface DrawResult {
  readonly samples: readonly { readonly sampleId: string; readonly teamId: string; readonly cases: number }[];
  readonly teamsWithoutCases: readonly string[];
}

export interface Verification {
  readonly sampleId: string;
  readonly matches: boolean;
  readonly algorithm: string;
  readonly seed: string;
  readonly population: {
    readonly populationId: string;
    readonly recordedFingerprint: string;
    readonly recomputedFingerprint: string | null;
    readonly matches: boolean;
  };
  readonly cases: { readonly recorded: number; readonly matches: boolean };
  readonly coverageMatches: boolean;
  readonly eligible: number | null;
  readonly mismatches: readonly string[];
}

export interface QuestionnaireSummary {
  readonly id: string;
  readonly title: string;
  readonly process: string;
  readonly revision: number;
  readonly latestVersion: number;
  readonly versionInForce: number | null;
  readonly versions: readonly { readonly version: number; readonly validFrom: string; readonly publishedAt: string }[];
  readonly regionalAdditions: number;
}

export interface CatalogueEntry {
  readonly catalogue: string;
  readonly title: string;
  readonly process: string;
  readonly source: string;
  readonly description: string;
}

export interface OrganisationView {
  readonly areas: readonly {
    readonly id: string;
    readonly name: string;
    readonly teams: readonly {
      readonly id: string;
      readonly name: string;
      readonly process: string;
      readonly areaId: string;
      readonly teamLead: { readonly name: string; readonly subject: string; readonly since: string } | null;
      readonly deputy: { readonly name: string; readonly subject: string } | null;
    }[];
  }[];
}
