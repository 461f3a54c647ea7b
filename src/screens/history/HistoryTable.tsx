import { useEffect, useState } from 'preact/hooks';
import { CLASS_SHORT } from '../../classify/classes';
import type { LogEvent } from '../../log/types';

export interface HistoryTableProps {
  events: readonly LogEvent[];
  selected: ReadonlySet<number>;
  onToggle: (id: number) => void;
  onSelectPage: (on: boolean) => void;
}

function Thumbnail({ blob }: { blob: Blob }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const objectUrl = URL.createObjectURL(blob);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [blob]);
  return url ? <img class="history-thumb" src={url} alt="Face" width={40} height={40} /> : null;
}

/** A model id that wraps after its underscores on narrow screens (the text itself is unchanged). */
const breakable = (text: string) => text.split('_').map((part, i) => (i === 0 ? part : [<wbr key={i} />, `_${part}`]));

const dateText = (time: number) => new Date(time).toLocaleDateString([], { month: 'short', day: 'numeric' });
const timeText = (time: number) =>
  new Date(time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * One page of events as a table; the page size bounds the DOM, so no virtualisation is needed. Below
 * 640 px each row is laid out as a card (CSS), with the explicit roles keeping the table semantics.
 */
export function HistoryTable({ events, selected, onToggle, onSelectPage }: HistoryTableProps) {
  if (events.length === 0)
    return (
      <p class="history-empty" data-testid="history-empty">
        No events match the filters.
      </p>
    );
  const thumbnails = events.some((e) => e.thumbnail);
  const allSelected = events.every((e) => selected.has(e.id));
  return (
    <table class={`history-table${thumbnails ? ' with-thumbs' : ''}`} data-testid="history-list" role="table">
      <caption class="visually-hidden">Logged events, newest first</caption>
      <thead role="rowgroup">
        <tr role="row">
          <th scope="col" role="columnheader" class="col-select">
            <input
              type="checkbox"
              checked={allSelected}
              aria-label="Select all events on this page"
              onChange={(e) => onSelectPage(e.currentTarget.checked)}
            />
          </th>
          {thumbnails && (
            <th scope="col" role="columnheader" class="col-thumb">
              Photo
            </th>
          )}
          {['Time', 'Class', 'Confidence', 'In view', 'Entrance', 'Model'].map((name) => (
            <th key={name} scope="col" role="columnheader" class={`col-${name.toLowerCase().replace(' ', '-')}`}>
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody role="rowgroup">
        {events.map((event) => {
          const when = new Date(event.time);
          const model = `${event.modelId} v${event.modelVersion}`;
          return (
            <tr
              key={event.id}
              role="row"
              class={selected.has(event.id) ? 'selected' : undefined}
              data-label={event.label}
              data-id={event.id}
              data-model={model}
            >
              <td role="cell" class="col-select">
                <input
                  type="checkbox"
                  checked={selected.has(event.id)}
                  onChange={() => onToggle(event.id)}
                  aria-label={`Select event at ${when.toLocaleString()}`}
                />
              </td>
              {thumbnails && (
                <td role="cell" class="col-thumb">
                  {event.thumbnail && <Thumbnail blob={event.thumbnail} />}
                </td>
              )}
              <td role="cell" class="col-time">
                <time dateTime={when.toISOString()}>
                  <span class="cell-date">{dateText(event.time)}</span> <span>{timeText(event.time)}</span>
                </time>
              </td>
              <td role="cell" class="col-class">
                <span class={`chip chip-${event.label}`}>{CLASS_SHORT[event.label]}</span>
              </td>
              <td role="cell" class="col-confidence num" data-col="Confidence">
                {Math.round(event.confidence * 100)} %
              </td>
              <td role="cell" class="col-in-view num" data-col="In view">
                {(event.durationMs / 1000).toFixed(1)} s
              </td>
              <td role="cell" class="col-entrance">
                {/* Events without an entrance were logged by this device (the sync adds other entrances). */}
                <span>{event.entrance || 'This device'}</span>
                {event.camera && <span class="cell-sub">{event.camera}</span>}
              </td>
              <td role="cell" class="col-model" title="The classifier that labelled this person">
                {breakable(model)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
