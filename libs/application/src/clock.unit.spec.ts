import { uuidV7Ids } from './clock.js';

describe('uuidV7Ids', () => {
  it('gives distinct version-7 UUIDs, ordered by their millisecond timestamp', () => {
    const ids = Array.from({ length: 5000 }, () => uuidV7Ids.next());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const millis = ids.map((id) => id.replaceAll('-', '').slice(0, 12));
    expect([...millis].sort()).toEqual(millis);
  });
});
