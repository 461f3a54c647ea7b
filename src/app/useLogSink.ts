// Builds the live loop's event sink from the log: each final event is written with the camera, the id and
// version of the classifier that labelled it and, when thumbnails are on, a JPEG of the face. The sink object stays
// the same for the page's life and reads the latest log, settings and model state when it is used.
import { useMemo, useRef } from 'preact/hooks';
import { logTrackEvents, outcomeNotice } from '../log/eventLogger';
import { cropToJpeg } from '../log/thumbnail';
import type { EventSink } from '../pipeline/liveLoop';
import type { ModelsState } from '../pipeline/models';
import type { LogState } from './useLog';
import { syncController } from '../sync/controller';

export function useLogSink(log: LogState, models: ModelsState | null, onNotice: (text: string) => void): EventSink {
  const latest = useRef({ log, models, onNotice });
  latest.current = { log, models, onNotice };
  return useMemo<EventSink>(
    () => ({
      get wantsCrops() {
        return latest.current.log.db !== null && latest.current.log.settings.thumbnails;
      },
      record(events, { camera, crops, cropSize, labelledBy }) {
        const { log: current, models: state } = latest.current;
        const db = current.db;
        if (!db) return;
        void logTrackEvents(db, events, {
          camera,
          modelId: state?.modelId ?? 'unknown',
          modelVersion: state?.modelVersion ?? '',
          labelledBy: (id) => labelledBy.get(id) ?? null,
          timeOrigin: performance.timeOrigin,
          thumbnailFor: async (id) => {
            const crop = crops.get(id);
            return crop ? cropToJpeg(crop, cropSize) : null;
          },
        }).then((out) => {
          if (out.saved > 0) syncController.kick();
          const notice = outcomeNotice(out);
          if (notice) latest.current.onNotice(notice);
        });
      },
    }),
    [],
  );
}
