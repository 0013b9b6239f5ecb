import { MasterKeyError } from './errors.js';
import type { MasterKeyStatus } from './key-store.port.js';
import { masterKeyId, unwrapMasterKey, verifyMasterKeyCheck } from './key-wrap.js';

/**
 * A rotation under way from master key `from` to master key `to`; deleted when the rotation finishes,
 * from then on the old key opens nothing in the store.
 *
 * - `online`: the store keeps each of the two keys wrapped under the other (`handover`), so that a
 *   process holding either one learns the other from the store: a service started before the rotation
 *   keeps decrypting rows already re-wrapped under the new key, and one restarted with the new key still
 *   opens rows not yet re-wrapped. The price: until the finish, whoever holds the OLD key and a copy of
 *   the store (a key backup, MongoDB's oplog, a disk snapshot) can unwrap the new one.
 * - `offline`: no handover is ever stored; only the rotating process holds both keys (in memory), every
 *   other process is stopped, and a store opened without both keys is refused
 *   (`MASTER_KEY_ROTATION_IN_PROGRESS`). For a rotation because the old key may be compromised.
 */
export type MasterKeyRotationRecord =
  | (RotationBase & {
      readonly mode: 'online';
      /** `to` wrapped under `from` (`wrapMasterKey`). */
      readonly toUnderFrom: Uint8Array;
      /** `from` wrapped under `to`. */
      readonly fromUnderTo: Uint8Array;
    })
  | (RotationBase & { readonly mode: 'offline' });

interface RotationBase {
  readonly from: string;
  readonly to: string;
  /** ISO instant the rotation began (an online rotation waits a grace period after it, see `rotateMasterKey`). */
  readonly startedAt: string;
}

export interface RetiredMasterKey {
  readonly id: string;
  readonly retiredAt: string;
}

/** What a key store records about its master key, read fresh from storage. */
export interface MasterKeyState {
  /** The master key the store is under: its check token and every row once no rotation runs. */
  readonly currentId: string;
  readonly rotation: MasterKeyRotationRecord | null;
  /** Master keys replaced by earlier rotations (ids only), for a clear message to whoever starts with one. */
  readonly retired: readonly RetiredMasterKey[];
}

/**
 * The master keys one open key store holds in memory, by id, and what it knows of the store's state.
 * Shared by every adapter so that mixed-key reads, writes during a rotation and the refusal of a retired
 * key behave alike. Keys that no longer wrap anything (the old key once a rotation finished) are zeroed
 * and dropped at the next `learn`.
 */
export class MasterKeyring {
  private readonly keys = new Map<string, Buffer>();
  private current: MasterKeyState;

  /**
   * Accepts the configured key when it is the store's current key or one of the rotation under way;
   * otherwise fails with `MASTER_KEY_ROTATED` (a retired key) or `MASTER_KEY_MISMATCH`. While an offline
   * rotation is recorded it opens only with both of its keys (`other`, the rotating CLI's second key);
   * everyone else gets `MASTER_KEY_ROTATION_IN_PROGRESS`. Then the stored check token must open under a
   * key held (`masterKeyCheckPasses`).
   */
  constructor(
    configured: Uint8Array,
    state: MasterKeyState,
    private readonly storeName: { de: string; en: string },
    check: Uint8Array | undefined,
    other?: Uint8Array,
  ) {
    const id = masterKeyId(configured);
    // During a rotation either key opens the store (a finish interrupted half-way may already show the
    // new key as current while the rotation record is still there).
    const accepted = [state.currentId, state.rotation?.from, state.rotation?.to];
    if (!accepted.includes(id)) throw refusal(id, state, storeName);
    this.keys.set(id, Buffer.from(configured));
    this.current = state;
    const rotation = state.rotation;
    if (rotation?.mode === 'offline' && other !== undefined) {
      const otherId = masterKeyId(other);
      if (otherId === rotation.from || otherId === rotation.to) this.keys.set(otherId, Buffer.from(other));
    }
    this.learn(state);
    if (rotation !== null && !(this.keys.has(rotation.from) && this.keys.has(rotation.to))) {
      this.zero();
      if (rotation.mode === 'offline') throw offlineRotationInProgress(rotation, storeName);
      throw new MasterKeyError(
        'MASTER_KEY_MISMATCH',
        `Der Schlüsselwechsel im ${storeName.de} ist beschädigt: der andere Master-Schlüssel lässt sich mit diesem nicht öffnen.`,
        `The master-key rotation record of ${storeName.en} is damaged: this key does not open the other master key.`,
      );
    }
    if (!masterKeyCheckPasses(check, state, (keyId) => this.keys.get(keyId))) {
      this.zero();
      throw new MasterKeyError(
        'MASTER_KEY_MISMATCH',
        `Der ${storeName.de} wurde mit einem anderen Master-Schlüssel angelegt (seine Prüfmarke öffnet sich nicht); mit diesem lassen sich seine Schlüssel nicht öffnen.`,
        `${capitalise(storeName.en)} was created under another master key (its check does not open); this one cannot open its keys.`,
      );
    }
  }

  get state(): MasterKeyState {
    return this.current;
  }

  /** The ids of the master keys held (for status output and tests; never the keys). */
  heldIds(): string[] {
    return [...this.keys.keys()];
  }

  /**
   * Holds `key` as the target of an offline rotation this process just began (it is stored nowhere);
   * call it after `learn` took in the state with that rotation, which keeps it while the rotation runs.
   */
  holdOfflineTarget(key: Uint8Array): void {
    const rotation = this.current.rotation;
    const id = masterKeyId(key);
    if (rotation?.mode !== 'offline' || rotation.to !== id) {
      throw new Error('MasterKeyring: no offline rotation to this key is recorded');
    }
    if (!this.keys.has(id)) this.keys.set(id, Buffer.from(key));
  }

  /** Takes in a fresher state: learns the other key of a rotation, drops keys that wrap nothing any more. */
  learn(state: MasterKeyState): void {
    this.current = state;
    const rotation = state.rotation;
    if (rotation?.mode === 'online') {
      this.learnFrom(rotation.from, rotation.to, rotation.toUnderFrom);
      this.learnFrom(rotation.to, rotation.from, rotation.fromUnderTo);
    }
    const live = new Set([state.currentId, rotation?.from, rotation?.to]);
    for (const [id, key] of this.keys) {
      if (!live.has(id)) {
        key.fill(0);
        this.keys.delete(id);
      }
    }
  }

  /** The key for rows wrapped under `id`, or undefined when this process does not hold it. */
  keyFor(id: string): Buffer | undefined {
    return this.keys.get(id);
  }

  /** Like `keyFor`, but explains a missing key to the operator. */
  requireKey(id: string): Buffer {
    const key = this.keys.get(id);
    if (key !== undefined) return key;
    const rotation = this.current.rotation;
    // A process still running while an offline rotation was begun elsewhere: it must stop, not guess.
    if (rotation?.mode === 'offline') throw offlineRotationInProgress(rotation, this.storeName);
    throw unknownMasterKey(id, this.storeName);
  }

  /** New keys go under the rotation's target while one runs, else under the current key. */
  writeKey(): { id: string; key: Buffer } {
    const id = this.current.rotation?.to ?? this.current.currentId;
    return { id, key: this.requireKey(id) };
  }

  zero(): void {
    for (const key of this.keys.values()) key.fill(0);
    this.keys.clear();
  }

  private learnFrom(holderId: string, wantedId: string, handover: Uint8Array): void {
    const holder = this.keys.get(holderId);
    if (holder === undefined || this.keys.has(wantedId)) return;
    const key = unwrapMasterKey(holder, wantedId, handover);
    if (key !== null) this.keys.set(wantedId, key);
  }
}

/**
 * The open-time check of the stored check token (`createMasterKeyCheck`). Without a rotation it must open
 * under the current key. While a rotation is recorded it may be under either of its keys: a finish that
 * is not one transaction (MongoDB: ordered writes, check first) can stop after the check was replaced
 * while the id and the record still say the rotation runs, and that state must open with either key as
 * promised. The keys themselves were already confirmed by their ids (an HMAC of the key) and, online, by
 * the handover each opens; a missing check (a store being created) passes.
 */
export function masterKeyCheckPasses(
  check: Uint8Array | undefined,
  state: MasterKeyState,
  keyFor: (id: string) => Uint8Array | undefined,
): boolean {
  if (check === undefined) return true;
  const candidates = state.rotation === null ? [state.currentId] : [state.rotation.from, state.rotation.to];
  return candidates.some((id) => {
    const key = keyFor(id);
    return key !== undefined && verifyMasterKeyCheck(key, check);
  });
}

function offlineRotationInProgress(
  rotation: MasterKeyRotationRecord,
  name: { de: string; en: string },
): MasterKeyError {
  return new MasterKeyError(
    'MASTER_KEY_ROTATION_IN_PROGRESS',
    `Im ${name.de} läuft ein Offline-Schlüsselwechsel (begonnen ${rotation.startedAt}, Master-Schlüssel ${rotation.from} → ${rotation.to}); ` +
      'bis er abgeschlossen ist, startet kein Dienst. Den Wechsel fortsetzen: `npm run cli -- rotate-master-key --offline` ' +
      '(alter Schlüssel als PRUEFPFAD_MASTER_KEY bzw. master.key, neuer als PRUEFPFAD_MASTER_KEY_NEXT bzw. master.key.next).',
    `An offline master-key rotation is under way in ${name.en} (begun ${rotation.startedAt}, master key ${rotation.from} → ${rotation.to}); ` +
      'no service starts until it is finished. Continue it: `npm run cli -- rotate-master-key --offline` ' +
      '(old key as PRUEFPFAD_MASTER_KEY or master.key, new key as PRUEFPFAD_MASTER_KEY_NEXT or master.key.next).',
  );
}

function refusal(id: string, state: MasterKeyState, name: { de: string; en: string }): MasterKeyError {
  const retired = state.retired.find((entry) => entry.id === id);
  if (retired !== undefined) {
    return new MasterKeyError(
      'MASTER_KEY_ROTATED',
      `Dieser Master-Schlüssel (Kennung ${id}) wurde am ${retired.retiredAt} durch einen Schlüsselwechsel ersetzt und öffnet den ${name.de} nicht mehr. ` +
        `Mit dem neuen Master-Schlüssel (Kennung ${state.currentId}) starten: PRUEFPFAD_MASTER_KEY bzw. master.key ersetzen.`,
      `This master key (id ${id}) was replaced by a rotation on ${retired.retiredAt} and no longer opens ${name.en}. ` +
        `Start with the new master key (id ${state.currentId}): replace PRUEFPFAD_MASTER_KEY or master.key.`,
    );
  }
  return new MasterKeyError(
    'MASTER_KEY_MISMATCH',
    `Der ${name.de} wurde mit einem anderen Master-Schlüssel angelegt (Kennung ${state.currentId}, dieser: ${id}); mit diesem lassen sich seine Schlüssel nicht öffnen.`,
    `${capitalise(name.en)} was created under another master key (id ${state.currentId}, this one: ${id}); this one cannot open its keys.`,
  );
}

function unknownMasterKey(id: string, name: { de: string; en: string }): MasterKeyError {
  return new MasterKeyError(
    'MASTER_KEY_ROTATED',
    `Ein Schlüssel im ${name.de} ist unter dem Master-Schlüssel ${id} verpackt, den dieser Prozess nicht kennt (Schlüsselwechsel verpasst?). ` +
      'Den Dienst mit dem aktuellen Master-Schlüssel neu starten.',
    `A key in ${name.en} is wrapped under master key ${id}, which this process does not hold (missed a rotation?). ` +
      'Restart the service with the current master key.',
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The rotation record as JSON text (the embedded store keeps it in one meta row). */
export function encodeRotationRecord(record: MasterKeyRotationRecord): string {
  const base = { mode: record.mode, from: record.from, to: record.to, startedAt: record.startedAt };
  if (record.mode === 'offline') return JSON.stringify(base);
  return JSON.stringify({
    ...base,
    toUnderFrom: Buffer.from(record.toUnderFrom).toString('base64'),
    fromUnderTo: Buffer.from(record.fromUnderTo).toString('base64'),
  });
}

/** Records written before offline rotations existed carry no mode: they are online ones. */
export function decodeRotationRecord(text: string): MasterKeyRotationRecord {
  const raw = JSON.parse(text) as Record<string, string>;
  const base = { from: String(raw['from']), to: String(raw['to']), startedAt: String(raw['startedAt']) };
  if (raw['mode'] === 'offline') return { ...base, mode: 'offline' };
  return {
    ...base,
    mode: 'online',
    toUnderFrom: Buffer.from(String(raw['toUnderFrom']), 'base64'),
    fromUnderTo: Buffer.from(String(raw['fromUnderTo']), 'base64'),
  };
}

/**
 * What `masterKeyStatus` answers, from the keyring's state and the stored keys counted per master-key id
 * (`null`: keys written before ids were recorded, wrapped under the current key).
 */
export function masterKeyStatusOf(
  state: MasterKeyState,
  counts: readonly { readonly id: string | null; readonly n: number }[],
): MasterKeyStatus {
  const keysByMasterKey: Record<string, number> = {};
  for (const { id, n } of counts) {
    const key = id ?? state.currentId;
    keysByMasterKey[key] = (keysByMasterKey[key] ?? 0) + Number(n);
  }
  const rotation = state.rotation;
  return {
    currentMasterKeyId: state.currentId,
    rotation:
      rotation === null
        ? null
        : { from: rotation.from, to: rotation.to, startedAt: rotation.startedAt, mode: rotation.mode },
    keysByMasterKey,
  };
}
