import type { Principal } from '@pruefpfad/domain';
import { commandContext } from './command-context.js';
import { ATTEMPT_HEADER } from './idempotency.service.js';

const principal: Principal = { tenant: 'jc-a', subject: 'u1', roles: ['team_lead'], units: ['t1'] };

describe('commandContext', () => {
  it("names an idempotent request's attempt as the events' causation", () => {
    expect(commandContext(principal, { [ATTEMPT_HEADER]: 'a-1' }).causationId).toBe('request:a-1');
  });

  it('has no causation for a request without an attempt', () => {
    expect(commandContext(principal, {}).causationId).toBeNull();
  });

  it('keeps a well-formed X-Correlation-Id and replaces a malformed one', () => {
    expect(commandContext(principal, { 'x-correlation-id': 'ui-42' }).correlationId).toBe('ui-42');
    expect(commandContext(principal, { 'x-correlation-id': 'a b' }).correlationId).not.toBe('a b');
  });
});
