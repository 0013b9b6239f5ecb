import type { Principal } from '../authorization/roles.js';
import type { Sealed } from '../shared/sealed.js';
import { countByKind, type Deadline, deadlineStatus, inboxDeadlines } from './deadline.js';
import {
  drawDeadline,
  drawDueDate,
  legalReportDeadline,
  measureDeadline,
  reportQuarter,
  openReviewDeadline,
  routineRecheckDeadline,
  talkDeadline,
  teamReportDeadline,
} from './deadline-rules.js';
import { renderDigest } from './digest-mail.js';
import { mailRecipients } from './digest.events.js';

const team = { tenant: 't1', teamId: 'team-1', areaId: 'mi' };
const programme = { areaId: 'mi', customerProcess: 'av', reportDueDay: 15, minimumHistory: [{ from: '2026-01-10' }] };

describe('deadline status (Europe/Berlin local dates)', () => {
  it('is due on the due date itself and overdue exactly from the day after', () => {
    expect(deadlineStatus('2026-04-15', '2026-04-14')).toBe('due');
    expect(deadlineStatus('2026-04-15', '2026-04-15')).toBe('due');
    expect(deadlineStatus('2026-04-15', '2026-04-16')).toBe('overdue');
    // across a month and a year end
    expect(deadlineStatus('2026-01-31', '2026-02-01')).toBe('overdue');
    expect(deadlineStatus('2025-12-31', '2025-12-31')).toBe('due');
    expect(deadlineStatus('2025-12-31', '2026-01-01')).toBe('overdue');
  });
});

describe('the monthly draw (000:71: at the start of the month)', () => {
  const facts = { ...team, programmeId: 'p1', inForceFrom: '2026-01-10', drawn: false };

  it('is due on the first day of the month, overdue from the second', () => {
    expect(drawDueDate('2026-03')).toBe('2026-03-01');
    const deadline = drawDeadline(facts, '2026-03')!;
    expect(deadline).toMatchObject({ kind: 'draw', dueDate: '2026-03-01', action: 'sampling.draw' });
    expect(deadlineStatus(deadline.dueDate, '2026-03-01')).toBe('due');
    expect(deadlineStatus(deadline.dueDate, '2026-03-02')).toBe('overdue');
  });

  it('disappears once drawn, and is not owed before the programme is in force', () => {
    expect(drawDeadline({ ...facts, drawn: true }, '2026-03')).toBeNull();
    expect(drawDeadline({ ...facts, inForceFrom: '2026-04-01' }, '2026-03')).toBeNull();
    // in force on the month's last day: owed for that month (due on its first day)
    expect(drawDeadline({ ...facts, inForceFrom: '2026-03-31' }, '2026-03')?.dueDate).toBe('2026-03-01');
  });
});

describe('reviews, talks and measures', () => {
  const review = {
    ...team,
    reviewId: 'r1',
    status: 'open' as const,
    deadline: '2026-03-31',
    completedOn: null,
    talks: 0,
    discussions: 0,
  };

  it('an open review is due on its deadline; a completed or withdrawn one is not', () => {
    expect(openReviewDeadline(review)).toMatchObject({ kind: 'review', dueDate: '2026-03-31', action: 'review.act' });
    expect(openReviewDeadline({ ...review, status: 'completed', completedOn: '2026-03-20' })).toBeNull();
    expect(openReviewDeadline({ ...review, status: 'withdrawn' })).toBeNull();
  });

  it('the talk is due 14 days after completion until a talk or team discussion is held', () => {
    const completed = { ...review, status: 'completed' as const, completedOn: '2026-03-20' };
    const deadline = talkDeadline(completed)!;
    expect(deadline.dueDate).toBe('2026-04-03');
    expect(deadlineStatus(deadline.dueDate, '2026-04-03')).toBe('due');
    expect(deadlineStatus(deadline.dueDate, '2026-04-04')).toBe('overdue');
    expect(talkDeadline({ ...completed, talks: 1 })).toBeNull();
    expect(talkDeadline({ ...completed, discussions: 1 })).toBeNull();
    expect(talkDeadline(review)).toBeNull();
  });

  it('an open measure is due on its due date; closed ones are not', () => {
    const measure = { ...team, measureId: 'm1', status: 'open' as const, dueDate: '2026-05-10' };
    expect(measureDeadline(measure)).toMatchObject({ kind: 'measure', dueDate: '2026-05-10' });
    expect(measureDeadline({ ...measure, status: 'completed' })).toBeNull();
    expect(measureDeadline({ ...measure, status: 'cancelled' })).toBeNull();
  });
});

describe('quarterly reports (000:91: the 15th after the quarter; 000:103: the legal department likewise)', () => {
  it('the report waited for is the last ended quarter, switching on the first day of a quarter', () => {
    expect(reportQuarter('2026-03-31')).toEqual({ year: 2025, quarter: 4 });
    expect(reportQuarter('2026-04-01')).toEqual({ year: 2026, quarter: 1 });
    expect(reportQuarter('2026-01-01')).toEqual({ year: 2025, quarter: 4 });
    expect(reportQuarter('2026-12-31')).toEqual({ year: 2026, quarter: 3 });
  });

  it("a team's report for Q1 is due on 15 April and overdue from 16 April", () => {
    const deadline = teamReportDeadline({ ...team, process: null }, [programme], 2026, 1, 15, false)!;
    expect(deadline).toMatchObject({ kind: 'team-report', dueDate: '2026-04-15', action: 'report.submit' });
    expect(deadlineStatus(deadline.dueDate, '2026-04-15')).toBe('due');
    expect(deadlineStatus(deadline.dueDate, '2026-04-16')).toBe('overdue');
    // Q4 falls due in January of the next year
    expect(
      teamReportDeadline(
        { ...team, process: null },
        [{ ...programme, minimumHistory: [{ from: '2025-10-01' }] }],
        2025,
        4,
        15,
        false,
      )?.dueDate,
    ).toBe('2026-01-15');
  });

  it('no report deadline once submitted or when no programme of the team was in force', () => {
    expect(teamReportDeadline({ ...team, process: null }, [programme], 2026, 1, 15, true)).toBeNull();
    expect(teamReportDeadline({ ...team, process: null }, [programme], 2025, 4, 15, false)).toBeNull();
    expect(teamReportDeadline({ ...team, areaId: 'other', process: null }, [programme], 2026, 1, 15, false)).toBeNull();
  });

  it("the legal department's report or nil report is due the 15th after the quarter once a programme is in force", () => {
    expect(legalReportDeadline('t1', [programme], 2026, 1, 15, false)).toMatchObject({
      kind: 'legal-report',
      dueDate: '2026-04-15',
      action: 'report.legal.submit',
      resource: { tenant: 't1' },
    });
    expect(legalReportDeadline('t1', [programme], 2026, 1, 15, true)).toBeNull();
    expect(legalReportDeadline('t1', [programme], 2025, 4, 15, false)).toBeNull();
  });
});

describe('suspended routines (001:107–125: no long uncontrolled period)', () => {
  it('a suspended routine is due on its re-check date; an active one is not', () => {
    const facts = { tenant: 't1', programmeId: 'p1', status: 'suspended' as const, recheckOn: '2026-06-30' };
    expect(routineRecheckDeadline(facts)).toMatchObject({ kind: 'routine-recheck', dueDate: '2026-06-30' });
    expect(routineRecheckDeadline({ ...facts, status: 'active' })).toBeNull();
  });
});

describe('the inbox rule: only what the principal is responsible for', () => {
  const principal = (roles: Principal['roles'], units: string[], tenant = 't1'): Principal => ({
    subject: 's',
    tenant,
    roles,
    units,
  });
  const deadlines: Deadline[] = [
    openReviewDeadline({
      ...team,
      reviewId: 'r1',
      status: 'open',
      deadline: '2026-03-31',
      completedOn: null,
      talks: 0,
      discussions: 0,
    })!,
    openReviewDeadline({
      tenant: 't1',
      teamId: 'team-2',
      areaId: 'mi',
      reviewId: 'r2',
      status: 'open',
      deadline: '2026-03-31',
      completedOn: null,
      talks: 0,
      discussions: 0,
    })!,
    drawDeadline({ ...team, programmeId: 'p1', inForceFrom: '2026-01-01', drawn: false }, '2026-04')!,
    legalReportDeadline('t1', [programme], 2026, 1, 15, false)!,
    routineRecheckDeadline({ tenant: 't1', programmeId: 'p1', status: 'suspended', recheckOn: '2026-04-02' })!,
  ];

  it("a team lead sees the own team's review, never another team's", () => {
    const shown = inboxDeadlines(deadlines, principal(['team_lead'], ['team-1']), '2026-04-01', 14);
    expect(shown.map((d) => `${d.kind}:${d.ref}:${d.status}`)).toEqual(['review:r1:overdue']);
  });

  it("the area head sees the area's draw; management the draw and the routine; legal its report", () => {
    expect(inboxDeadlines(deadlines, principal(['area_head'], ['mi']), '2026-04-01', 14).map((d) => d.kind)).toEqual([
      'draw',
    ]);
    expect(inboxDeadlines(deadlines, principal(['management'], []), '2026-04-01', 14).map((d) => d.kind)).toEqual([
      'draw',
      'routine-recheck',
    ]);
    expect(inboxDeadlines(deadlines, principal(['legal'], []), '2026-04-01', 14).map((d) => d.kind)).toEqual([
      'legal-report',
    ]);
  });

  it('another tenant sees nothing; an employee, auditor or operator has no deadlines', () => {
    expect(inboxDeadlines(deadlines, principal(['management'], [], 't2'), '2026-04-01', 14)).toEqual([]);
    for (const role of ['employee', 'auditor', 'operator', 'regional'] as const)
      expect(inboxDeadlines(deadlines, principal([role], ['team-1', 'mi']), '2026-04-01', 14)).toEqual([]);
  });

  it('shows what is due within the horizon, the last day included', () => {
    const legal = principal(['legal'], []);
    expect(inboxDeadlines(deadlines, legal, '2026-04-01', 13)).toEqual([]);
    expect(inboxDeadlines(deadlines, legal, '2026-04-01', 14)).toHaveLength(1);
  });

  it('counts per kind for the digest', () => {
    const shown = inboxDeadlines(deadlines, principal(['management', 'team_lead'], ['team-1']), '2026-04-02', 14);
    expect(countByKind(shown)).toEqual([
      { kind: 'draw', due: 0, overdue: 1 },
      { kind: 'review', due: 0, overdue: 1 },
      { kind: 'routine-recheck', due: 1, overdue: 0 },
    ]);
  });
});

describe('the digest e-mail', () => {
  it('carries counts and the link, nothing else', () => {
    const mail = renderDigest(
      [
        { kind: 'review', due: 2, overdue: 1 },
        { kind: 'risk-recheck', due: 1, overdue: 0 },
      ],
      'https://pruefpfad.example/posteingang',
      '2026-04-02',
    );
    expect(mail.subject).toBe('Prüfpfad: 1 überfällig, 3 fällig / 1 overdue, 3 due (2026-04-02)');
    expect(mail.text).toContain('- Prüfungen / reviews: 1 überfällig / overdue, 2 fällig / due');
    // an unknown kind (a source without a label here) shows its stable name
    expect(mail.text).toContain('- risk-recheck / risk-recheck: 0 überfällig / overdue, 1 fällig / due');
    expect(mail.text).toContain('https://pruefpfad.example/posteingang');
  });
});

describe('the address book', () => {
  const sealed = (value: string) => ({ v: 1, kid: 'k', iv: value, ct: value, tag: value }) as unknown as Sealed;

  it('merges a login and the organisation file, the file winning the address; a removal from the file ends digests', () => {
    const recipients = mailRecipients([
      {
        type: 'MailAddressRecorded',
        data: { subject: 'u1', source: 'login', roles: ['management'], units: [], address: sealed('a') },
      },
      {
        type: 'MailAddressRecorded',
        data: { subject: 'u1', source: 'organisation', roles: ['team_lead'], units: ['team-1'], address: sealed('b') },
      },
      {
        type: 'MailAddressRecorded',
        data: { subject: 'u2', source: 'organisation', roles: ['team_lead'], units: ['team-2'], address: sealed('c') },
      },
      {
        type: 'MailAddressRecorded',
        data: { subject: 'u2', source: 'organisation', roles: ['team_lead'], units: ['team-2'], address: null },
      },
    ]);
    expect(recipients).toEqual([
      { subject: 'u1', roles: ['management', 'team_lead'], units: ['team-1'], address: sealed('b') },
    ]);
  });
});
