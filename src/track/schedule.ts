// Which faces go to the classifier next: new faces first. At a door a person is in view for 2–3 s, so a
// face with no label yet must never wait behind re-checks of faces already labelled.

/** What the scheduler needs to know of one track visible in the latest frame. */
export interface ScheduleCandidate {
  id: number;
  firstSeen: number;
  /** When its last classification was requested; null if never. */
  requestedAt: number | null;
  /** Classification results received so far. */
  results: number;
  /** True while its label is not settled: too few results, or a class switch pending. */
  unsettled: boolean;
}

/**
 * Priority: 0 for a face with no result yet, 1 for one whose label is not settled, 2 for a stable label.
 * Within a priority, never-requested first, then the longest since its last request, then the oldest face.
 */
export function priority(c: ScheduleCandidate): number {
  if (c.results === 0) return 0;
  return c.unsettled ? 1 : 2;
}

/**
 * The candidates due for classification (last request at least `minIntervalMs` ago, so an answer still in
 * flight is not asked twice and a lost one is retried), in priority order, at most `max` of them.
 */
export function pickForClassification<T extends ScheduleCandidate>(
  candidates: readonly T[],
  nowMs: number,
  minIntervalMs: number,
  max: number,
): T[] {
  return candidates
    .filter((c) => c.requestedAt === null || nowMs - c.requestedAt >= minIntervalMs)
    .sort(
      (a, b) =>
        priority(a) - priority(b) ||
        (a.requestedAt ?? -Infinity) - (b.requestedAt ?? -Infinity) ||
        a.firstSeen - b.firstSeen,
    )
    .slice(0, Math.max(0, max));
}

/**
 * Faces per batch so that one batch takes about `budgetMs` in the worker: a face that appears while a
 * batch runs waits at most that long before its own batch starts. `msPerFace` is the measured worker time
 * per face (null before the first result: one face, to learn it quickly).
 */
export function batchCap(msPerFace: number | null, budgetMs: number, max: number): number {
  if (msPerFace === null || !Number.isFinite(msPerFace) || msPerFace <= 0) return 1;
  return Math.max(1, Math.min(max, Math.floor(budgetMs / msPerFace)));
}
