import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { purgeLedgerContract } from './contract/purge-ledger.contract.js';
import { SqlitePurgeLedger } from './sqlite-purge-ledger.js';

describe('SqlitePurgeLedger', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pruefpfad-ledger-'));
  const file = path.join(root, 'keys', 'purge-ledger.sqlite');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  purgeLedgerContract('node:sqlite', () =>
    Promise.resolve({
      ledger: SqlitePurgeLedger.open({ file }),
      reopen: () => Promise.resolve(SqlitePurgeLedger.open({ file })),
    }),
  );

  it('is a private file in a private directory', () => {
    const ledger = SqlitePurgeLedger.open({ file: path.join(root, 'fresh', 'ledger.sqlite') });
    void ledger.close();
    expect(fs.statSync(path.join(root, 'fresh')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(root, 'fresh', 'ledger.sqlite')).mode & 0o777).toBe(0o600);
  });
});
