import { MasterKeyError } from './errors.js';
import { masterKeyId, unwrapMasterKey } from './key-wrap.js';

/**
 * A rotation under way from master key `from` to master key `to`. While it exists the store keeps each
 * of the two keys wrapped under the other (`handover`), so that a process holding either one learns the
 * other from the store: a service started before the rotation keeps decrypting rows already re-wrapped
 * under the new key, and one restarted with the new key still opens rows not yet re-wrapped. The record
 * is deleted when the rotation finishes; from then on the old key opens nothing in the store.
 */
export interface MasterKeyRotationRecord {
  readonly from: string;
  readonly to: string;
  /** `to` wrapped under `from` (`wrapMasterKey`). */
  readonly toUnderFrom: Uint8Array;
  /** `from` wrapped under `to`. */
  readonly fromUnderTo: Uint8Array;
  /** ISO instant the rotation began (the rotation waits a grace period after it, see `rotateMasterKey`). */
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
   * Accepts the configured key when it is the store's current key or the target of the rotation under
   * way; otherwise fails with `MASTER_KEY_ROTATED` (a retired key) or `MASTER_KEY_MISMATCH`.
   */
  constructor(
    configured: Uint8Array,
    state: MasterKeyState,
    private readonly storeName: { de: string; en: string },
  ) {
    const id = masterKeyId(configured);
    // During a rotation either key opens the store (a finish interrupted half-way may already show the
    // new key as current while the handover record is still there).
    const accepted = [state.currentId, state.rotation?.from, state.rotation?.to];
    if (!accepted.includes(id)) throw refusal(id, state, storeName);
    this.keys.set(id, Buffer.from(configured));
    this.current = state;
    this.learn(state);
    if (state.rotation !== null && !(this.keys.has(state.rotation.from) && this.keys.has(state.rotation.to))) {
      this.zero();
      throw new MasterKeyError(
        'MASTER_KEY_MISMATCH',
        `Der Schlüsselwechsel im ${storeName.de} ist beschädigt: der andere Master-Schlüssel lässt sich mit diesem nicht öffnen.`,
        `The master-key rotation record of ${storeName.en} is damaged: this key does not open the other master key.`,
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

  /** Takes in a fresher state: learns the other key of a rotation, drops keys that wrap nothing any more. */
  learn(state: MasterKeyState): void {
    this.current = state;
    const rotation = state.rotation;
    if (rotation !== null) {
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
    if (key === undefined) throw unknownMasterKey(id, this.storeName);
    return key;
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
  return JSON.stringify({
    from: record.from,
    to: record.to,
    toUnderFrom: Buffer.from(record.toUnderFrom).toString('base64'),
    fromUnderTo: Buffer.from(record.fromUnderTo).toString('base64'),
    startedAt: record.startedAt,
  });
}

export function decodeRotationRecord(text: string): MasterKeyRotationRecord {
  const raw = JSON.parse(text) as Record<string, string>;
  return {
    from: String(raw['from']),
    to: String(raw['to']),
    toUnderFrom: Buffer.from(String(raw['toUnderFrom']), 'base64'),
    fromUnderTo: Buffer.from(String(raw['fromUnderTo']), 'base64'),
    startedAt: String(raw['startedAt']),
  };
}
