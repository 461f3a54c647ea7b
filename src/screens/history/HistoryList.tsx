import { useEffect, useState } from 'preact/hooks';
import type { LogEvent } from '../../log/types';

export interface HistoryListProps {
  events: readonly LogEvent[];
  selected: ReadonlySet<number>;
  onToggle: (id: number) => void;
}

function Thumbnail({ blob }: { blob: Blob }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(blob);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [blob]);
  return url ? <img class="history-thumb" src={url} alt="" width={48} height={48} /> : null;
}

/** One page of events; the page size bounds the DOM, so no virtualisation is needed. */
export function HistoryList({ events, selected, onToggle }: HistoryListProps) {
  if (events.length === 0)
    return (
      <p class="history-empty" data-testid="history-empty">
        No events match the filters.
      </p>
    );
  return (
    <ul class="history-list" data-testid="history-list" role="list">
      {events.map((event) => {
        const when = new Date(event.time).toLocaleString();
        return (
          <li
            key={event.id}
            role="listitem"
            class={`history-item history-item-${event.label}`}
            data-label={event.label}
            data-id={event.id}
            data-model={`${event.modelId} v${event.modelVersion}`}
          >
            <label class="history-item-select">
              <input
                type="checkbox"
                checked={selected.has(event.id)}
                onChange={() => onToggle(event.id)}
                aria-label={`Select event at ${when}`}
              />
            </label>
            {event.thumbnail && <Thumbnail blob={event.thumbnail} />}
            <time class="history-item-time" dateTime={new Date(event.time).toISOString()}>
              {when}
            </time>
            <span class="history-item-label">{event.label}</span>
            <span class="history-item-confidence">{Math.round(event.confidence * 100)} %</span>
            <span class="history-item-duration">{(event.durationMs / 1000).toFixed(1)} s</span>
            {event.camera && <span class="history-item-camera">{event.camera}</span>}
            <span class="history-item-model" title="The classifier that labelled this person">
              {event.modelId} v{event.modelVersion}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
