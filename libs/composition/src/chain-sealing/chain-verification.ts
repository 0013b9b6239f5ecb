import type { EventStore } from '@pruefpfad/event-store';
import { purgedStreams } from '@pruefpfad/projections';
import { CHAIN_SEALS_STREAM, tenantOf } from './chain-seal.js';
import type { ChainFinding } from './chain-finding.js';
import { loadSealedHeads, type SealedHeadState, type SealSummary } from './sealed-heads.js';

export interface ChainCheckProgress {
  /** `readAll` position reached while listing streams. */
  readonly position: number;
  readonly head: number;
  readonly streams: number;
}

export interface ChainCheckOptions {
  /** Checks this stream only. */
  readonly streamId?: string;
  /** Only streams whose events (or whose seal) name this tenant. */
  readonly tenant?: string;
  /** Continues a bounded check: streams whose first event lies after this position (a previous `next`). */
  readonly after?: number;
  /** Stops listing streams after about this many events and answers `next` (default: the whole store). */
  readonly maxEvents?: number;
  readonly pageSize?: number;
  readonly onProgress?: (progress: ChainCheckProgress) => void;
}

export interface ChainCheckReport {
  readonly clean: boolean;
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  readonly seals: SealSummary;
  readonly findings: readonly ChainFinding[];
  /**
   * Sealed streams that are gone because a retention purge deleted them: named by a purge record
   * (`ReviewPurged`, itself in a chained and sealed stream), so they are accounted for, not findings.
   */
  readonly streamsPurged: number;
  /** Pass as `after` to check the next part; null when the check reached the end of the store. */
  readonly next: number | null;
}

const DEFAULT_PAGE_SIZE = 1000;

const MISSING_REASON = (head: SealedHeadState): string =>
  `Stream fehlt, versiegelt bis Revision ${head.revision} (Siegel ${head.sealNumber}): entfernt oder per ` +
  `Löschfrist gelöscht – der Event-Store-Port unterscheidet beides nicht / stream is missing, sealed up to ` +
  `revision ${head.revision} (seal ${head.sealNumber}): removed, or deleted by retention – the event store ` +
  'port does not tell these apart';

/**
 * Tamper evidence over the whole store or one stream: every stream's HMAC chain (`verifyStream`), and
 * every sealed head must still be there with the chain value it had when sealed. The chain alone shows
 * changed, inserted and removed events; the seals add a cut-off tail and a removed whole stream, up to
 * the newest seal (what was written after it is covered by the chain only).
 *
 * Streams are listed by following `readAll`, so a whole-store check reads every event twice (listing and
 * verifying); `maxEvents` and `after` split it into bounded parts. Answers null for `streamId` when the
 * stream is unknown (no events, never sealed) or belongs to another tenant than `tenant`.
 */
export async function verifyChains(
  eventStore: EventStore,
  options: ChainCheckOptions = {},
): Promise<ChainCheckReport | null> {
  const sealed = await loadSealedHeads(eventStore);
  const purged = await purgedStreams(eventStore);
  if (options.streamId !== undefined)
    return verifyOneStream(eventStore, options.streamId, sealed, purged, options.tenant);

  const after = options.after ?? 0;
  const pageSize = options.pageSize ?? Math.min(DEFAULT_PAGE_SIZE, options.maxEvents ?? DEFAULT_PAGE_SIZE);
  const head = await eventStore.headPosition();
  const streams = new Map<string, Set<string>>();
  let position = after;
  let scanned = 0;
  let reachedEnd = false;
  for (;;) {
    const page = await eventStore.readAll({ after: position, maxCount: pageSize });
    for (const event of page.events) {
      if (event.streamId === CHAIN_SEALS_STREAM) continue;
      let tenants = streams.get(event.streamId);
      if (tenants === undefined) streams.set(event.streamId, (tenants = new Set()));
      const tenant = tenantOf(event);
      if (tenant !== null) tenants.add(tenant);
    }
    scanned += page.events.length;
    position = page.lastPosition;
    options.onProgress?.({ position, head, streams: streams.size });
    if (page.isEnd) {
      reachedEnd = true;
      break;
    }
    if (options.maxEvents !== undefined && scanned >= options.maxEvents) break;
  }

  const findings: ChainFinding[] = after === 0 ? [...sealed.findings] : [];
  let streamsChecked = 0;
  let eventsChecked = 0;
  for (const [streamId, tenants] of streams) {
    const sealedHead = sealed.heads.get(streamId);
    if (!visible(options.tenant, tenants, sealedHead)) continue;
    if (after > 0) {
      // A stream that began in an earlier part was checked there.
      const [first] = await eventStore.readStream(streamId, { maxCount: 1 });
      if (first !== undefined && first.position <= after) continue;
    }
    const tenant = options.tenant ?? [...tenants][0] ?? sealedHead?.tenant ?? null;
    const result = await checkStream(eventStore, streamId, tenant, sealedHead);
    streamsChecked += 1;
    eventsChecked += result.eventsChecked;
    findings.push(...result.findings);
  }
  // Sealed streams without a single event left: listing cannot find them, the seals can.
  let streamsPurged = 0;
  if (after === 0) {
    for (const [streamId, sealedHead] of sealed.heads) {
      if (streams.has(streamId) || !visible(options.tenant, new Set(), sealedHead)) continue;
      const [first] = await eventStore.readStream(streamId, { maxCount: 1 });
      if (first !== undefined) continue; // beyond this part: checked with the part it begins in
      streamsChecked += 1;
      if (purged.has(streamId)) streamsPurged += 1;
      else findings.push(missing(streamId, sealedHead));
    }
  }
  return {
    clean: findings.length === 0,
    streamsChecked,
    eventsChecked,
    seals: sealed.summary,
    findings,
    streamsPurged,
    next: reachedEnd ? null : position,
  };
}

function visible(tenant: string | undefined, tenants: ReadonlySet<string>, sealedHead: SealedHeadState | undefined) {
  return tenant === undefined || tenants.has(tenant) || sealedHead?.tenant === tenant;
}

function missing(streamId: string, head: SealedHeadState): ChainFinding {
  return {
    streamId,
    tenant: head.tenant,
    kind: 'stream-missing',
    revision: head.revision,
    position: null,
    reason: MISSING_REASON(head),
  };
}

async function verifyOneStream(
  eventStore: EventStore,
  streamId: string,
  sealed: Awaited<ReturnType<typeof loadSealedHeads>>,
  purged: ReadonlySet<string>,
  tenant: string | undefined,
): Promise<ChainCheckReport | null> {
  const sealedHead = sealed.heads.get(streamId);
  const events = await eventStore.readStream(streamId);
  if (events.length === 0 && sealedHead === undefined) return null;
  const tenants = new Set(events.map(tenantOf).filter((value): value is string => value !== null));
  if (!visible(tenant, tenants, sealedHead)) return null;
  const gone = events.length === 0 && sealedHead !== undefined;
  const result = gone
    ? { eventsChecked: 0, findings: purged.has(streamId) ? [] : [missing(streamId, sealedHead)] }
    : await checkStream(eventStore, streamId, tenant ?? [...tenants][0] ?? sealedHead?.tenant ?? null, sealedHead);
  const findings = [...sealed.findings, ...result.findings];
  return {
    clean: findings.length === 0,
    streamsChecked: 1,
    eventsChecked: result.eventsChecked,
    seals: sealed.summary,
    findings,
    streamsPurged: gone && purged.has(streamId) ? 1 : 0,
    next: null,
  };
}

async function checkStream(
  eventStore: EventStore,
  streamId: string,
  tenant: string | null,
  sealedHead: SealedHeadState | undefined,
): Promise<{ eventsChecked: number; findings: ChainFinding[] }> {
  const findings: ChainFinding[] = [];
  const verification = await eventStore.verifyStream(streamId);
  if (!verification.ok && verification.brokenAt) {
    findings.push({
      streamId,
      tenant,
      kind: 'chain-broken',
      revision: verification.brokenAt.revision,
      position: verification.brokenAt.position,
      reason: `HMAC-Kette gebrochen: Ereignis geändert, eingefügt oder entfernt / HMAC chain broken: ${verification.brokenAt.reason}`,
    });
  }
  if (sealedHead !== undefined) {
    const finding = await compareWithSeal(eventStore, streamId, tenant, sealedHead);
    if (finding !== null) findings.push(finding);
  }
  return { eventsChecked: verification.eventsChecked, findings };
}

async function compareWithSeal(
  eventStore: EventStore,
  streamId: string,
  tenant: string | null,
  head: SealedHeadState,
): Promise<ChainFinding | null> {
  const [atSeal] = await eventStore.readStream(streamId, { fromRevision: head.revision, maxCount: 1 });
  const sealNote = `Revision ${head.revision}, Siegel / seal ${head.sealNumber}`;
  if (atSeal?.revision === head.revision) {
    if (atSeal.chain === head.chain) return null;
    return {
      streamId,
      tenant,
      kind: 'sealed-head-changed',
      revision: head.revision,
      position: atSeal.position,
      reason: `Kettenwert weicht vom versiegelten ab (${sealNote}): Verlauf neu geschrieben / chain value differs from the sealed one: history rewritten`,
    };
  }
  const [last] = await eventStore.readStream(streamId, { direction: 'backwards', maxCount: 1 });
  if (last === undefined) return missing(streamId, head);
  if (last.revision < head.revision) {
    return {
      streamId,
      tenant,
      kind: 'truncated',
      revision: head.revision,
      position: null,
      reason:
        `Stream endet bei Revision ${last.revision}, versiegelt war ${sealNote}: Ereignisse am Ende entfernt / ` +
        `stream ends at revision ${last.revision} though revision ${head.revision} was sealed: events removed from its end`,
    };
  }
  return {
    streamId,
    tenant,
    kind: 'sealed-head-changed',
    revision: head.revision,
    position: atSeal?.position ?? null,
    reason: `Versiegelte Revision fehlt (${sealNote}) / the sealed revision is missing`,
  };
}
