import { unsupportedNodeMessage } from './require-node.js';

describe('Node version guard', () => {
  it('accepts Node 24 and later', () => {
    expect(unsupportedNodeMessage('24.0.0')).toBeNull();
    expect(unsupportedNodeMessage('24.21.0')).toBeNull();
    expect(unsupportedNodeMessage('26.1.0')).toBeNull();
  });

  it('refuses older versions with a German and English hint to use the npm scripts', () => {
    const message = unsupportedNodeMessage('20.20.2');
    expect(message).toContain('Prüfpfad braucht Node.js 24');
    expect(message).toContain('needs Node.js 24');
    expect(message).toContain('20.20.2');
    expect(message).toContain('npm ci');
  });

  it('refuses a version it cannot read', () => {
    expect(unsupportedNodeMessage('unknown')).not.toBeNull();
  });
});
