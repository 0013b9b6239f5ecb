import fs from 'node:fs';
import path from 'node:path';

/**
 * `docker compose up` on a fresh host: Docker creates each named volume empty and, on first mount, copies
 * the image directory's content, ownership and mode into it. A directory the image does not create is
 * root-owned in the volume, and the app (running as `node`) cannot write its master key there. These tests
 * read the Dockerfile and docker-compose.yml as they are (no container engine needed) and check that every
 * path the app's containers write is created and given to `node`, private, before `USER node`, and that the
 * database services mount their images' own data directories.
 */
const repo = path.resolve(import.meta.dirname, '..');
const dockerfile = fs.readFileSync(path.join(repo, 'Dockerfile'), 'utf8');
const compose = fs.readFileSync(path.join(repo, 'docker-compose.yml'), 'utf8');

/** The services built from this repository's Dockerfile. */
const APP_SERVICES = ['api', 'projector'] as const;
/** The variables naming directories the app writes (libs/application/src/config.ts). */
const WRITTEN_DIRECTORY_VARIABLES = ['PRUEFPFAD_DATA_DIR', 'PRUEFPFAD_KEY_DIR'] as const;
/** The data directories the database images declare (their Dockerfiles' VOLUME lines). */
const IMAGE_DATA_DIRECTORIES: Readonly<Record<string, string>> = {
  kurrentdb: '/var/lib/kurrentdb',
  mongodb: '/data/db',
};

// ---------------------------------------------------------------------------------------------------------
// A YAML reader for the subset docker-compose.yml uses: block mappings and sequences, flow collections kept
// as raw text, quoted scalars, anchors and aliases. Anything else throws, so the check never passes on a
// file it could not read.

type Yaml = string | Yaml[] | { [key: string]: Yaml };
interface Line {
  readonly indent: number;
  readonly text: string;
  readonly number: number;
}

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1] ?? ''))) return line.slice(0, i);
  }
  return line;
}

function parseYaml(source: string): Yaml {
  const lines: Line[] = source
    .split('\n')
    .map((raw, index) => ({ raw: stripComment(raw).trimEnd(), number: index + 1 }))
    .filter(({ raw }) => raw.trim() !== '')
    .map(({ raw, number }) => {
      if (raw.includes('\t')) throw new Error(`line ${number}: tab`);
      return { indent: raw.length - raw.trimStart().length, text: raw.trim(), number };
    });
  const anchors = new Map<string, Yaml>();
  let at = 0;

  function scalar(text: string, number: number): Yaml {
    if (text.startsWith('*')) {
      const value = anchors.get(text.slice(1));
      if (value === undefined) throw new Error(`line ${number}: unknown alias ${text}`);
      return value;
    }
    if (/^'.*'$/.test(text)) return text.slice(1, -1).replaceAll("''", "'");
    if (/^".*"$/.test(text)) return JSON.parse(text) as string;
    if (/^[|>]/.test(text)) throw new Error(`line ${number}: block scalars are not read here`);
    return text;
  }

  /** A value after `key:` or `- `: inline, or the block of deeper lines that follows. */
  function value(inline: string, parentIndent: number, number: number): Yaml {
    let rest = inline.trim();
    let anchor: string | null = null;
    const anchored = /^&([\w-]+)\s*(.*)$/.exec(rest);
    if (anchored) {
      anchor = anchored[1] ?? null;
      rest = anchored[2] ?? '';
    }
    let result: Yaml;
    if (rest !== '') result = scalar(rest, number);
    else {
      const next = lines[at];
      // A sequence may sit at its key's own indentation (compose style allows both).
      if (next && (next.indent > parentIndent || (next.indent === parentIndent && next.text.startsWith('- '))))
        result = block(next.indent);
      else result = '';
    }
    if (anchor) anchors.set(anchor, result);
    return result;
  }

  function block(indent: number): Yaml {
    const first = lines[at];
    if (!first) throw new Error('unexpected end');
    if (first.text.startsWith('- ') || first.text === '-') {
      const items: Yaml[] = [];
      while (lines[at] && lines[at]!.indent === indent && lines[at]!.text.startsWith('-')) {
        const line = lines[at++]!;
        const item = line.text.slice(1).trim();
        if (/^[\w.-]+:(\s|$)/.test(item))
          throw new Error(`line ${line.number}: mappings in sequences are not read here`);
        items.push(value(item, indent, line.number));
      }
      return items;
    }
    const mapping: { [key: string]: Yaml } = {};
    while (lines[at] && lines[at]!.indent === indent) {
      const line = lines[at++]!;
      const match = /^([\w.-]+|'[^']*'|"[^"]*"):(?:\s+(.*))?$/.exec(line.text);
      if (!match) throw new Error(`line ${line.number}: not a mapping entry: ${line.text}`);
      const key = scalar(match[1]!, line.number) as string;
      mapping[key] = value(match[2] ?? '', indent, line.number);
    }
    const stray = lines[at];
    if (stray && stray.indent > indent) throw new Error(`line ${stray.number}: unexpected indentation`);
    return mapping;
  }

  const root = block(0);
  if (at !== lines.length) throw new Error(`line ${lines[at]!.number}: not read`);
  return root;
}

function mapping(node: Yaml | undefined, where: string): { [key: string]: Yaml } {
  if (node === undefined || typeof node === 'string' || Array.isArray(node))
    throw new Error(`${where} is not a mapping`);
  return node;
}

function sequence(node: Yaml | undefined, where: string): string[] {
  if (!Array.isArray(node) || node.some((item) => typeof item !== 'string'))
    throw new Error(`${where} is not a list of strings`);
  return node as string[];
}

// ---------------------------------------------------------------------------------------------------------
// The Dockerfile's final stage: what its RUN lines before `USER node` create, chown and chmod.

interface PreparedDirectory {
  created: boolean;
  owner: string | null;
  mode: number | null;
}

interface FinalStage {
  readonly user: string | null;
  readonly env: ReadonlyMap<string, string>;
  /** As root, before the first USER line: path → what was done to it. */
  readonly prepared: ReadonlyMap<string, PreparedDirectory>;
  /** Paths given recursively (`chown -R`) to an owner, with that owner. */
  readonly recursiveOwners: ReadonlyMap<string, string>;
}

function instructions(text: string): { keyword: string; args: string }[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const space = line.search(/\s/);
      return { keyword: line.slice(0, space).toUpperCase(), args: line.slice(space + 1).trim() };
    });
}

function finalStage(text: string): FinalStage {
  const all = instructions(text);
  const from = all.map((i) => i.keyword).lastIndexOf('FROM');
  if (from < 0) throw new Error('Dockerfile has no FROM');
  let user: string | null = null;
  const env = new Map<string, string>();
  const prepared = new Map<string, PreparedDirectory>();
  const recursiveOwners = new Map<string, string>();
  const entry = (target: string): PreparedDirectory => {
    const existing = prepared.get(target);
    if (existing) return existing;
    const created: PreparedDirectory = { created: false, owner: null, mode: null };
    prepared.set(target, created);
    return created;
  };
  for (const { keyword, args } of all.slice(from + 1)) {
    if (keyword === 'USER') user = args.split(':')[0] ?? args;
    if (keyword === 'ENV') {
      for (const match of args.matchAll(/([A-Z_][A-Z0-9_]*)=("[^"]*"|\S+)/g))
        env.set(match[1]!, match[2]!.replace(/^"|"$/g, ''));
    }
    // After USER the commands run as that user and cannot give anything away: only root's RUNs count.
    if (keyword !== 'RUN' || user !== null) continue;
    for (const command of args.split(/&&|;|\|\|/)) {
      const words = command.trim().split(/\s+/);
      const [program, ...rest] = words;
      const options = rest.filter((word) => word.startsWith('-'));
      const operands = rest.filter((word) => !word.startsWith('-'));
      if (program === 'mkdir') for (const target of operands) entry(target).created = true;
      if (program === 'chown') {
        const [owner, ...targets] = operands;
        const name = (owner ?? '').split(':')[0]!;
        for (const target of targets) {
          entry(target).owner = name;
          if (options.some((option) => /^-[a-zA-Z]*R/.test(option) || option === '--recursive'))
            recursiveOwners.set(target, name);
        }
      }
      if (program === 'chmod') {
        const [mode, ...targets] = operands;
        if (!/^[0-7]{3,4}$/.test(mode ?? '')) continue;
        for (const target of targets) entry(target).mode = parseInt(mode!, 8);
      }
    }
  }
  return { user, env, prepared, recursiveOwners };
}

function isWithin(child: string, parent: string): boolean {
  const relative = path.posix.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.posix.isAbsolute(relative));
}

/** A named or bind volume entry `source:target[:mode]` → target. */
function volumeTarget(entry: string): { source: string; target: string } {
  const [source, target] = entry.split(':');
  if (!source || !target) throw new Error(`volume entry without a target: ${entry}`);
  return { source, target };
}

// ---------------------------------------------------------------------------------------------------------

/** Everything wrong with the pair of files; empty when `docker compose up` can write where it must. */
function containerFileProblems(dockerfileText: string, composeText: string): string[] {
  const problems: string[] = [];
  const stage = finalStage(dockerfileText);
  const root = mapping(parseYaml(composeText), 'docker-compose.yml');
  const services = mapping(root.services, 'services');
  const declaredVolumes = Object.keys(mapping(root.volumes ?? {}, 'volumes'));

  if (stage.user !== 'node') problems.push(`the final stage runs as ${stage.user ?? 'root'}, not node`);

  const ownerOf = (target: string): string | null => {
    const own = stage.prepared.get(target)?.owner;
    if (own) return own;
    for (const [dir, owner] of stage.recursiveOwners) if (isWithin(target, dir)) return owner;
    return null;
  };
  const createdInImage = (target: string): boolean =>
    [...stage.prepared].some(([dir, done]) => done.created && isWithin(dir, target));

  for (const name of APP_SERVICES) {
    const service = mapping(services[name], `services.${name}`);
    const volumes = sequence(service.volumes ?? [], `services.${name}.volumes`).map(volumeTarget);
    if (volumes.length === 0) problems.push(`${name}: no volume, its data would die with the container`);
    for (const { source, target } of volumes) {
      if (!source.startsWith('/') && !source.startsWith('.') && !declaredVolumes.includes(source))
        problems.push(`${name}: volume ${source} is not declared under volumes:`);
      if (!createdInImage(target)) problems.push(`${name}: ${target} is not created in the image before USER node`);
      const owner = ownerOf(target);
      if (owner !== 'node') problems.push(`${name}: ${target} is owned by ${owner ?? 'root'} in the image, not node`);
      const mode = stage.prepared.get(target)?.mode;
      // The service refuses a key directory others may write to, and tightens the data directory to 0700.
      if (mode !== 0o700)
        problems.push(`${name}: ${target} has mode ${mode?.toString(8) ?? 'unset (0755)'} in the image, not 0700`);
    }
    const environment = mapping(service.environment ?? {}, `services.${name}.environment`);
    for (const variable of WRITTEN_DIRECTORY_VARIABLES) {
      const value = environment[variable] ?? stage.env.get(variable);
      if (typeof value !== 'string' || !value.startsWith('/')) {
        problems.push(`${name}: ${variable} is not an absolute path (the default ./data lies in root-owned /app)`);
        continue;
      }
      if (!volumes.some(({ target }) => isWithin(value, target)))
        problems.push(`${name}: ${variable}=${value} lies on no volume`);
      if (ownerOf(value) !== 'node') problems.push(`${name}: ${variable}=${value} is not owned by node in the image`);
    }
    if (environment.PRUEFPFAD_DATA_DIR === environment.PRUEFPFAD_KEY_DIR && environment.PRUEFPFAD_DATA_DIR)
      problems.push(`${name}: data and keys share one directory`);
  }
  for (const variable of WRITTEN_DIRECTORY_VARIABLES) {
    const value = stage.env.get(variable);
    if (value === undefined)
      problems.push(`the image sets no ${variable} (its default lies under the root-owned /app)`);
    else if (ownerOf(value) !== 'node') problems.push(`the image's ${variable}=${value} is not owned by node`);
  }
  for (const [name, dataDirectory] of Object.entries(IMAGE_DATA_DIRECTORIES)) {
    const service = mapping(services[name], `services.${name}`);
    const targets = sequence(service.volumes ?? [], `services.${name}.volumes`).map((entry) => volumeTarget(entry));
    if (!targets.some(({ target }) => target === dataDirectory))
      problems.push(`${name}: no volume at the image's data directory ${dataDirectory}`);
  }
  return problems;
}

describe('Dockerfile and docker-compose.yml', () => {
  it('create every directory the app containers write, owned by node and 0700, before USER node', () => {
    expect(containerFileProblems(dockerfile, compose)).toEqual([]);
  });

  it('mount the database images at their own data directories and the app at the configured directories', () => {
    const services = mapping(mapping(parseYaml(compose), 'root').services, 'services');
    expect(sequence(mapping(services.kurrentdb, 'kurrentdb').volumes, 'kurrentdb')).toContain(
      'kurrentdb-data:/var/lib/kurrentdb',
    );
    expect(sequence(mapping(services.mongodb, 'mongodb').volumes, 'mongodb')).toContain('mongodb-data:/data/db');
    for (const name of APP_SERVICES) {
      const environment = mapping(mapping(services[name], name).environment, `${name}.environment`);
      expect(environment).toMatchObject({
        PRUEFPFAD_DATA_DIR: '/var/lib/pruefpfad/data',
        PRUEFPFAD_KEY_DIR: '/var/lib/pruefpfad/keys',
      });
    }
  });

  describe('the check itself', () => {
    /** The RUN instruction that prepares the app's directories, with its continuation lines. */
    const PREPARE = /\nRUN mkdir -p \/var\/lib\/pruefpfad(?:[^\n]*\\\n)*[^\n]*\n/;
    const without = (text: string, pattern: RegExp): string => {
      expect(text).toMatch(pattern);
      return text.replace(pattern, '');
    };

    it('finds a Dockerfile that leaves the directories to root (the first-start failure)', () => {
      const plain = dockerfile.replace(PREPARE, '\n');
      expect(plain).not.toContain('chown');
      expect(containerFileProblems(plain, compose)).toEqual(
        expect.arrayContaining([
          'api: /var/lib/pruefpfad/data is not created in the image before USER node',
          'api: /var/lib/pruefpfad/keys is owned by root in the image, not node',
          'projector: /var/lib/pruefpfad/keys is owned by root in the image, not node',
        ]),
      );
    });

    it('finds a chown that comes after USER node, where it cannot run', () => {
      const prepare = PREPARE.exec(dockerfile)?.[0];
      expect(prepare).toContain('chown');
      const late = dockerfile.replace(prepare!, '\n').replace('USER node\n', `USER node${prepare!}`);
      expect(containerFileProblems(late, compose)).toContain(
        'api: /var/lib/pruefpfad/keys is owned by root in the image, not node',
      );
    });

    it('finds directories created but not made private', () => {
      const open = without(dockerfile, /\s*\\\n\s*&& chmod 0700[^\n]*/);
      expect(containerFileProblems(open, compose)).toContain(
        'api: /var/lib/pruefpfad/keys has mode unset (0755) in the image, not 0700',
      );
    });

    it('finds a volume the image does not prepare and a directory on no volume', () => {
      const elsewhere = compose.replace('app-keys:/var/lib/pruefpfad/keys', 'app-keys:/srv/keys');
      expect(containerFileProblems(dockerfile, elsewhere)).toEqual(
        expect.arrayContaining([
          'api: /srv/keys is not created in the image before USER node',
          'api: PRUEFPFAD_KEY_DIR=/var/lib/pruefpfad/keys lies on no volume',
        ]),
      );
    });

    it('finds a database volume beside its image data directory', () => {
      const wrong = compose.replace('kurrentdb-data:/var/lib/kurrentdb', 'kurrentdb-data:/var/lib/eventstore');
      expect(containerFileProblems(dockerfile, wrong)).toEqual([
        "kurrentdb: no volume at the image's data directory /var/lib/kurrentdb",
      ]);
    });

    it('refuses YAML it cannot read instead of passing it', () => {
      expect(() => parseYaml('services:\n  api:\n    command: |\n      node\n')).toThrow(/block scalars/);
    });
  });
});
