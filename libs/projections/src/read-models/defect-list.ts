import type { ReviewCorrected } from '@pruefpfad/domain';

/** What every read model's defect entry has: the id it is replaced by, and whether it was withdrawn. */
interface DefectEntry {
  readonly defectId: string;
  readonly withdrawn: boolean;
}

/**
 * The defect list arithmetic the read models that keep defects share (team-figures, trend-reviews, the
 * cross-level case copies), each with its own entry shape: an entry replaced by id moves to the end (the
 * order of last change), a withdrawal keeps the entry marked, a correction applies its changes in order.
 */
export function withDefect<D extends DefectEntry>(defects: readonly D[], defect: D): D[] {
  return [...defects.filter((known) => known.defectId !== defect.defectId), defect];
}

export function withdrawDefect<D extends DefectEntry>(defects: readonly D[], defectId: string): D[] {
  return defects.map((defect) => (defect.defectId === defectId ? { ...defect, withdrawn: true } : defect));
}

export type DefectChange = ReviewCorrected['data']['defects'][number];

/** A correction's defect changes; `make` builds each entry from the change and the entry it replaces. */
export function correctDefects<D extends DefectEntry>(
  defects: readonly D[],
  changes: readonly DefectChange[],
  make: (change: DefectChange, known: D | undefined) => D,
): D[] {
  let result = [...defects];
  for (const change of changes)
    result = withDefect(
      result,
      make(
        change,
        result.find((defect) => defect.defectId === change.defectId),
      ),
    );
  return result;
}
