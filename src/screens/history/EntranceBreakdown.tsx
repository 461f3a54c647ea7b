// "All entrances": counts per entrance and the chart split by entrance, over the history's current filter.
import { useEffect, useState } from 'preact/hooks';
import { CLASS_NAMES, CLASS_SHORT } from '../../classify/classes';
import type { LogDb } from '../../log/db';
import type { BucketUnit, Counts, EntranceBucket } from '../../log/query';
import type { EventFilter } from '../../log/types';
import type { ScopeState } from './useScope';

const WIDTH = 600;
const HEIGHT = 160;
// Colour-blind-safe (Okabe–Ito), distinct from the class colours.
const PALETTE = ['#0072b2', '#e69f00', '#cc79a7', '#56b4e9', '#d55e00', '#009e73', '#f0e442', '#999999'];

export interface EntranceBreakdownProps {
  db: LogDb;
  scope: ScopeState;
  filter: EventFilter;
  unit: BucketUnit;
  revision: number;
}

export function EntranceBreakdown({ db, scope, filter, unit, revision }: EntranceBreakdownProps) {
  const [counts, setCounts] = useState<Record<string, Counts>>({});
  const [buckets, setBuckets] = useState<readonly EntranceBucket[]>([]);
  const entrances = scope.selected ?? scope.entrances;
  const key = `${JSON.stringify(filter)}|${entrances.join('\u0000')}|${unit}|${revision}`;

  useEffect(() => {
    let live = true;
    const load = async () => {
      const base = { ...filter, entrances: undefined };
      const [byEntrance, bounds] = await Promise.all([db.countByEntrance(base, entrances), db.timeBounds(filter)]);
      const range = bounds && { from: filter.from ?? bounds.from, to: filter.to ?? bounds.to };
      const split = range ? await db.entranceHistogram({ ...base, ...range }, unit, entrances) : [];
      if (!live) return;
      setCounts(byEntrance);
      setBuckets(split);
    };
    void load();
    return () => {
      live = false;
    };
  }, [db, key]);

  if (!scope.shown || scope.scope !== 'all') return null;
  const colour = (i: number) => PALETTE[i % PALETTE.length];
  const max = Math.max(1, ...buckets.map((b) => Object.values(b.byEntrance).reduce((a, c) => a + c, 0)));
  const slot = WIDTH / Math.max(1, buckets.length);
  return (
    <section class="history-entrances" aria-label="Per entrance">
      <table class="history-entrance-counts" data-testid="history-entrance-counts">
        <thead>
          <tr>
            <th>Entrance</th>
            {CLASS_NAMES.map((l) => (
              <th key={l}>{CLASS_SHORT[l]}</th>
            ))}
            <th>Total</th>
          </tr>
        </thead>
        <tbody>
          {entrances.map((e, i) => {
            const c = counts[e];
            return (
              <tr key={e} data-entrance={e} data-testid="history-entrance-row">
                <th>
                  <span class="history-swatch" style={{ background: colour(i) }} /> {scope.nameOf(e)}
                </th>
                {CLASS_NAMES.map((l) => (
                  <td key={l}>{c?.[l] ?? 0}</td>
                ))}
                <td data-testid="history-entrance-total">{c ? c.correct + c.incorrect + c.none : 0}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {buckets.length > 0 && (
        <svg
          class="history-chart history-entrance-chart"
          data-testid="history-entrance-chart"
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          role="img"
          aria-label={`Events per ${unit} by entrance, highest ${max}`}
        >
          {buckets.map((bucket, i) => {
            let y = HEIGHT;
            return (
              <g key={bucket.start}>
                <title>{entrances.map((e) => `${scope.nameOf(e)}: ${bucket.byEntrance[e] ?? 0}`).join(', ')}</title>
                {entrances.map((e, j) => {
                  const h = ((bucket.byEntrance[e] ?? 0) / max) * HEIGHT;
                  y -= h;
                  return h > 0 ? (
                    <rect
                      key={e}
                      data-entrance={e}
                      x={i * slot + slot * 0.1}
                      y={y}
                      width={Math.max(1, slot * 0.8)}
                      height={h}
                      fill={colour(j)}
                    />
                  ) : null;
                })}
              </g>
            );
          })}
        </svg>
      )}
    </section>
  );
}
