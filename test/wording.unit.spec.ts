import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const PLACES = ['apps', 'libs', 'test', 'catalogues', 'scripts', 'README.md'];
const TEXT = /\.(ts|tsx|js|mjs|json|md|yml|yaml|html|css)$/;

function files(place: string): string[] {
  const full = path.join(ROOT, place);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [full];
  return fs
    .readdirSync(full, { withFileTypes: true })
    .filter((entry) => entry.name !== 'node_modules' && entry.name !== 'dist')
    .flatMap((entry) =>
      entry.isDirectory()
        ? files(path.join(place, entry.name))
        : TEXT.test(entry.name)
          ? [path.join(full, entry.name)]
          : [],
    );
}

/**
 * Words the product has given up, in every text it ships or documents: a supplementary draw is an
 * "Ergänzungsstichprobe" (issue 9, item 8), never a "Nachziehung".
 */
describe('wording', () => {
  it('calls a supplementary draw an Ergänzungsstichprobe everywhere', () => {
    const retired = /nach(?:zieh|gezogen)/i;
    const hits = PLACES.flatMap(files)
      .filter((file) => file !== import.meta.filename)
      .flatMap((file) =>
        fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, index) =>
            retired.test(line) ? [`${path.relative(ROOT, file)}:${index + 1}: ${line.trim()}`] : [],
          ),
      );
    expect(hits).toEqual([]);
  });
});
