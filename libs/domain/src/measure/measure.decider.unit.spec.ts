import { fold } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import type { Sealed } from '../shared/sealed.js';
import { actingRoleFor, measureDecider, rolesAllowed, type MeasureCommand } from './measure.decider.js';
import type { MeasureEvent, MeasureKind } from './measure.events.js';

const sealed = (ct: string): Sealed => ({ $sealed: 1, kid: 'measure:m1', iv: 'iv', ct, tag: 'tag' });
const context = (actorRole = 'team_lead', today = '2026-03-10') => ({
  now: `${today}T09:00:00.000Z`,
  today,
  actor: { userId: 'u1', role: actorRole },
  tenant: 'jc-a',
});

const agree = (
  kind: MeasureKind = 'feedback',
  actingRole = 'team_lead',
): Extract<MeasureCommand, { type: 'AgreeMeasure' }> => ({
  type: 'AgreeMeasure',
  measureId: 'm1',
  areaId: 'area-mi',
  teamId: 'team-1',
  reviewId: 'r1',
  kind,
  scope: 'individual',
  owner: sealed('owner'),
  description: sealed('description'),
  dueDate: '2026-04-30',
  actingRole,
});

function run(history: readonly MeasureEvent[], command: MeasureCommand, today?: string): readonly MeasureEvent[] {
  return measureDecider.decide(command, fold(measureDecider, history), context('team_lead', today));
}

function refusal(action: () => unknown): DomainError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a refusal');
}

const AREA_HEAD_KIND = /^(training|qualification)$/;

const agreed = (kind: MeasureKind = 'feedback', role = 'team_lead') => run([], agree(kind, role));

describe('measure decider', () => {
  it('agrees a measure with the day of agreement and the deciding role, once', () => {
    const events = agreed();
    expect(events).toEqual([
      {
        type: 'MeasureAgreed',
        data: {
          measureId: 'm1',
          tenant: 'jc-a',
          areaId: 'area-mi',
          teamId: 'team-1',
          reviewId: 'r1',
          kind: 'feedback',
          scope: 'individual',
          owner: sealed('owner'),
          description: sealed('description'),
          dueDate: '2026-04-30',
          agreedOn: '2026-03-10',
          decidedByRole: 'team_lead',
        },
      },
    ]);
    expect(refusal(() => run(events, agree())).code).toBe('ALREADY_EXISTS');
  });

  it.each([
    ['feedback', 'team_lead'],
    ['individual-development', 'team_lead'],
    ['instruction', 'deputy'],
    ['process-change', 'deputy'],
    ['training', 'area_head'],
    ['qualification', 'area_head'],
  ] as const)('lets %s be agreed by %s', (kind, role) => {
    expect(run([], agree(kind, role))[0]).toMatchObject({ data: { kind, decidedByRole: role } });
  });

  it.each([
    ['training', 'team_lead'],
    ['qualification', 'deputy'],
    ['feedback', 'area_head'],
    ['process-change', 'management'],
    ['instruction', 'employee'],
  ] as const)('refuses %s agreed by %s (422)', (kind, role) => {
    const error = refusal(() => run([], agree(kind, role)));
    expect(error.code).toBe('RULE_VIOLATION');
    expect(error.message).toMatch(AREA_HEAD_KIND.test(kind) ? /Bereichsleitung.*area head/ : /Teamleitung.*team lead/);
  });

  it('accepts a due date of today, refuses one in the past or not a date, with the field', () => {
    expect(run([], { ...agree(), dueDate: '2026-03-10' })).toHaveLength(1);
    expect(refusal(() => run([], { ...agree(), dueDate: '2026-03-09' })).details).toEqual({
      fields: { dueDate: expect.stringContaining('2026-03-10') },
    });
    expect(refusal(() => run([], { ...agree(), dueDate: '2026-02-30' })).details).toEqual({
      fields: { dueDate: expect.any(String) },
    });
    const bad = { ...agree(), kind: 'coaching', scope: 'everyone' } as unknown as MeasureCommand;
    expect(refusal(() => run([], bad)).details).toEqual({
      fields: { kind: expect.any(String), scope: expect.any(String) },
    });
  });

  it('records follow-ups dated between the agreement and today', () => {
    const history = agreed();
    const followUp = (date: string): MeasureCommand => ({
      type: 'FollowUpMeasure',
      measureId: 'm1',
      date,
      note: sealed('note'),
      actingRole: 'team_lead',
    });
    expect(run(history, followUp('2026-03-12'), '2026-03-12')).toEqual([
      { type: 'MeasureFollowedUp', data: { measureId: 'm1', date: '2026-03-12', note: sealed('note') } },
    ]);
    expect(refusal(() => run(history, followUp('2026-03-13'), '2026-03-12')).details).toEqual({
      fields: { date: expect.any(String) },
    });
    expect(refusal(() => run(history, followUp('2026-03-09'), '2026-03-12')).code).toBe('VALIDATION_FAILED');
  });

  it('lets the team lead follow up and complete the area head’s measures, but only the area head cancel them', () => {
    const history = agreed('training', 'area_head');
    const complete: MeasureCommand = { type: 'CompleteMeasure', measureId: 'm1', note: null, actingRole: 'team_lead' };
    expect(run(history, complete)).toEqual([
      { type: 'MeasureCompleted', data: { measureId: 'm1', date: '2026-03-10', note: null } },
    ]);
    const cancel = (actingRole: string): MeasureCommand => ({
      type: 'CancelMeasure',
      measureId: 'm1',
      reason: sealed('reason'),
      actingRole,
    });
    expect(refusal(() => run(history, cancel('team_lead'))).code).toBe('RULE_VIOLATION');
    expect(run(history, cancel('area_head'))[0]!.type).toBe('MeasureCancelled');
    // …while the area head stays out of the team lead's own measures.
    const feedback = agreed('feedback');
    expect(
      refusal(() =>
        run(feedback, {
          type: 'FollowUpMeasure',
          measureId: 'm1',
          date: '2026-03-10',
          note: sealed('n'),
          actingRole: 'area_head',
        }),
      ).code,
    ).toBe('RULE_VIOLATION');
  });

  it('needs a reason to cancel', () => {
    const error = refusal(() =>
      run(agreed(), { type: 'CancelMeasure', measureId: 'm1', reason: null, actingRole: 'team_lead' }),
    );
    expect(error.code).toBe('RULE_VIOLATION');
    expect(error.message).toMatch(/Begründung.*reason/);
  });

  it.each(['completed', 'cancelled'] as const)('refuses every further command once the measure is %s', (how) => {
    const closing: MeasureCommand =
      how === 'completed'
        ? { type: 'CompleteMeasure', measureId: 'm1', note: sealed('done'), actingRole: 'team_lead' }
        : { type: 'CancelMeasure', measureId: 'm1', reason: sealed('obsolete'), actingRole: 'team_lead' };
    const history = [...agreed(), ...run(agreed(), closing)];
    expect(fold(measureDecider, history)).toMatchObject({ status: how });
    const commands: MeasureCommand[] = [
      { type: 'FollowUpMeasure', measureId: 'm1', date: '2026-03-10', note: sealed('n'), actingRole: 'team_lead' },
      { type: 'CompleteMeasure', measureId: 'm1', note: null, actingRole: 'team_lead' },
      { type: 'CancelMeasure', measureId: 'm1', reason: sealed('r'), actingRole: 'team_lead' },
    ];
    for (const command of commands) {
      const error = refusal(() => run(history, command));
      expect(error.code).toBe('RULE_VIOLATION');
      expect(error.details).toEqual({ status: how });
    }
  });

  it('answers not found for commands on a measure that was never agreed', () => {
    const error = refusal(() =>
      run([], { type: 'CompleteMeasure', measureId: 'm9', note: null, actingRole: 'team_lead' }),
    );
    expect(error.code).toBe('NOT_FOUND');
  });
});

describe('acting role of a caller', () => {
  it('acts as deputy during an absence, else in the first role that may perform the operation', () => {
    expect(actingRoleFor(['deputy'], true, 'agree', 'feedback')).toBe('deputy');
    expect(actingRoleFor(['team_lead', 'area_head'], false, 'agree', 'training')).toBe('area_head');
    expect(actingRoleFor(['area_head', 'team_lead'], false, 'agree', 'feedback')).toBe('team_lead');
    expect(actingRoleFor(['area_head'], false, 'agree', 'feedback')).toBe('area_head');
    expect(actingRoleFor(['management'], false, 'agree', 'feedback')).toBe('management');
    expect(actingRoleFor(['deputy', 'employee'], false, 'agree', 'feedback')).toBe('employee');
    expect(actingRoleFor(['deputy'], false, 'complete', 'feedback')).toBe('employee');
  });

  it('keeps training and qualification with the area head', () => {
    expect(rolesAllowed('agree', 'training')).toEqual(['area_head']);
    expect(rolesAllowed('cancel', 'qualification')).toEqual(['area_head']);
    expect(rolesAllowed('follow-up', 'training')).toEqual(['team_lead', 'deputy', 'area_head']);
    expect(rolesAllowed('complete', 'feedback')).toEqual(['team_lead', 'deputy']);
  });
});
