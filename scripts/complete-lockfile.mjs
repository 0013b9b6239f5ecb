// npm records no lock entry for an optional, platform-specific package that the registry it talks to
// does not serve (the registry reachable here lacks most @unrs/resolver-binding-* builds, which Jest 30
// depends on). `npm install` skips them silently, but `npm ci` then refuses the lock as out of sync.
// This adds the missing entries with their os/cpu constraints, so `npm ci` skips them on other platforms
// without fetching anything and installs them where they match. Run after changing dependencies:
//   node scripts/complete-lockfile.mjs
import fs from 'node:fs';

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const CPUS = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x'];
const OSES = ['android', 'darwin', 'freebsd', 'linux', 'openharmony', 'win32'];

function platformOf(name) {
  const match = /-(android|darwin|freebsd|linux|openharmony|win32)-([a-z0-9]+)(?:-([a-z0-9]+))?$/.exec(name);
  if (!match || !OSES.includes(match[1]) || !CPUS.includes(match[2])) return null;
  const entry = { os: [match[1]], cpu: [match[2]] };
  if (match[1] === 'linux' && match[3]) entry.libc = [match[3].startsWith('musl') ? 'musl' : 'glibc'];
  return entry;
}

let added = 0;
for (const [location, pkg] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const nested = `${location}/node_modules/${name}`;
    if (lock.packages[key] || lock.packages[nested]) continue;
    const platform = platformOf(name);
    if (!platform) throw new Error(`${name}: missing from the lock and not a platform binding; run npm install`);
    lock.packages[key] = { version, ...(pkg.dev ? { dev: true } : {}), optional: true, ...platform };
    added += 1;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform entries added`);
