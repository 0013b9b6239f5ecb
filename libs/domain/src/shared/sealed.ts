/**
 * Ciphertext of a personal field (AES-256-GCM envelope, sealed by the application layer before a
 * command reaches the domain). The domain never opens it: it only carries it into events, so the
 * domain stays pure and personal data is encrypted in every event from the start.
 */
export interface Sealed {
  readonly $sealed: 1;
  readonly kid: string;
  readonly iv: string;
  readonly ct: string;
  readonly tag: string;
}
