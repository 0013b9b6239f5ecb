import { MasterKeyError } from './errors.js';

/** The refusals of rotation steps that do not fit the store's state, shared by the adapters. */
export const rotationConflict = {
  otherTarget: (target: string, requested: string): MasterKeyError =>
    new MasterKeyError(
      'MASTER_KEY_ROTATION_CONFLICT',
      `Ein Schlüsselwechsel zum Master-Schlüssel ${target} ist im Gange; der angegebene neue Schlüssel (${requested}) ist ein anderer. Den begonnenen Wechsel mit demselben neuen Schlüssel zu Ende führen.`,
      `A rotation to master key ${target} is under way; the new key given (${requested}) is another one. Finish the rotation under way with the same new key.`,
    ),
  sameKey: (id: string): MasterKeyError =>
    new MasterKeyError(
      'MASTER_KEY_ROTATION_CONFLICT',
      `Der neue Master-Schlüssel (${id}) ist schon der aktuelle; für einen Wechsel einen neuen Schlüssel erzeugen.`,
      `The new master key (${id}) already is the current one; generate a fresh key to rotate.`,
    ),
  retiredKey: (id: string): MasterKeyError =>
    new MasterKeyError(
      'MASTER_KEY_ROTATION_CONFLICT',
      `Der neue Master-Schlüssel (${id}) wurde schon einmal ersetzt und darf nicht zurückkehren; einen neuen Schlüssel erzeugen.`,
      `The new master key (${id}) was retired before and must not come back; generate a fresh key.`,
    ),
  onlineUnderWay: (target: string): MasterKeyError =>
    new MasterKeyError(
      'MASTER_KEY_ROTATION_CONFLICT',
      `Ein Online-Schlüsselwechsel zum Master-Schlüssel ${target} ist im Gange: dieser neue Schlüssel liegt schon unter dem alten verpackt im Schlüsselspeicher, ` +
        'ein Offline-Wechsel zu ihm schützt nicht mehr. Den Wechsel ohne --offline abschließen und danach mit --offline zu einem frisch erzeugten Schlüssel wechseln.',
      `An online rotation to master key ${target} is under way: this new key is already stored wrapped under the old one, ` +
        'so an offline rotation to it protects nothing any more. Finish the rotation without --offline, then rotate with --offline to a freshly generated key.',
    ),
  offlineUnderWay: (target: string): MasterKeyError =>
    new MasterKeyError(
      'MASTER_KEY_ROTATION_CONFLICT',
      `Ein Offline-Schlüsselwechsel zum Master-Schlüssel ${target} ist im Gange; ihn mit rotate-master-key --offline fortsetzen.`,
      `An offline rotation to master key ${target} is under way; continue it with rotate-master-key --offline.`,
    ),
  noneUnderWay: (): MasterKeyError =>
    new MasterKeyError(
      'MASTER_KEY_ROTATION_CONFLICT',
      'Es ist kein Schlüsselwechsel im Gange.',
      'No master-key rotation is under way.',
    ),
  notDone: (left: number): MasterKeyError =>
    new MasterKeyError(
      'MASTER_KEY_ROTATION_CONFLICT',
      `Der Schlüsselwechsel ist noch nicht fertig: ${left} Schlüssel sind noch nicht unter dem neuen Master-Schlüssel.`,
      `The rotation is not done yet: ${left} keys are not yet under the new master key.`,
    ),
};
