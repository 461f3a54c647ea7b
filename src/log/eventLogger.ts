// Turns the live loop's tracker events into log records, one transaction each, as soon as they are
// final, and reports what the user must know (space freed, a write that failed).
import type { TrackEvent } from '../track/tracker';
import type { LogDb } from './db';
import { logEventFromTrack } from './fromTrack';
import { errorText } from '../errorText';

/** A classifier by id and version, as logged with each event. */
export interface ModelRef {
  id: string;
  version: string;
}

export interface LoggedContext {
  camera: string;
  /** The classifier to log when `labelledBy` names none for an event. */
  modelId: string;
  modelVersion: string;
  /** The classifier that gave a track its latest result (the model can change while the camera runs). */
  labelledBy?: (trackId: number) => ModelRef | null;
  /** performance.now() time origin: tracker times are monotonic ms, the log keeps wall-clock ms. */
  timeOrigin: number;
  thumbnailFor?: (trackId: number) => Promise<Blob | null>;
}

export interface LogOutcome {
  saved: number;
  thumbnailsPurged: number;
  thumbnailsDropped: number;
  errors: string[];
}

export async function logTrackEvents(
  db: LogDb,
  events: readonly TrackEvent[],
  ctx: LoggedContext,
): Promise<LogOutcome> {
  const outcome: LogOutcome = { saved: 0, thumbnailsPurged: 0, thumbnailsDropped: 0, errors: [] };
  for (const event of events) {
    const wallClock = {
      ...event,
      firstSeen: Math.round(ctx.timeOrigin + event.firstSeen),
      lastSeen: Math.round(ctx.timeOrigin + event.lastSeen),
    };
    try {
      // A thumbnail is optional: failing to make one must never cost the event.
      const thumbnail = (await ctx.thumbnailFor?.(event.trackId).catch(() => null)) ?? undefined;
      const model = ctx.labelledBy?.(event.trackId) ?? { id: ctx.modelId, version: ctx.modelVersion };
      const result = await db.add(
        logEventFromTrack(wallClock, {
          camera: ctx.camera,
          modelId: model.id,
          modelVersion: model.version,
          ...(thumbnail ? { thumbnail } : {}),
        }),
      );
      outcome.saved++;
      outcome.thumbnailsPurged += result.thumbnailsPurged;
      if (result.thumbnailDropped) outcome.thumbnailsDropped++;
    } catch (e) {
      outcome.errors.push(errorText(e));
    }
  }
  return outcome;
}

/** What the user must be told about a batch's outcome, or null when all went well. */
export function outcomeNotice(out: LogOutcome): string | null {
  if (out.errors.length) return `${out.errors.length} event(s) could not be saved: ${out.errors[0]}`;
  if (out.thumbnailsPurged || out.thumbnailsDropped) {
    return `Storage is full: ${out.thumbnailsPurged} oldest face thumbnail(s) were deleted to make room${out.thumbnailsDropped ? ', and new events are saved without one' : ''}. No event was lost.`;
  }
  return null;
}
