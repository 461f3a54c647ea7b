// "All entrances": counts per entrance and the chart split by entrance, over the history's current filter.
import { useEffect, useState } from 'preact/hooks';
import { CLASS_NAMES, CLASS_SHORT } from '../../classify/classes';
import type { LogDb } from '../../log/db';
import type { BucketUnit, Counts, EntranceBucket } from '../../log/query';
import type { EventFilter } from '../../log/types';
import type { ScopeState } from './useScope';
import { axisLabel, bucketText, labelEvery, labelRoom, niceTicks } from './chartScale';
import { useElementWidth } from './useElementWidth';
import { ChartTicks } from './ChartTicks';

const HEIGHT = 160;
const MARGIN = { top: 10, right: 24, bottom: 24, left: 40 };
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
  return (
    <section class="panel history-entrances" aria-labelledby="history-entrances-title">
      <div class="panel-head">
        <h3 id="history-entrances-title">By entrance</h3>
      </div>
      <div class="table-scroll">
        <table class="history-entrance-counts" data-testid="history-entrance-counts" role="table">
          <thead role="rowgroup">
            <tr role="row">
              <th scope="col" role="columnheader">
                Entrance
              </th>
              {CLASS_NAMES.map((l) => (
                <th key={l} scope="col" role="columnheader">
                  {CLASS_SHORT[l]}
                </th>
              ))}
              <th scope="col" role="columnheader">
                Total
              </th>
            </tr>
          </thead>
          <tbody role="rowgroup">
            {entrances.map((e, i) => {
              const c = counts[e];
              return (
                <tr key={e} data-entrance={e} data-testid="history-entrance-row" role="row">
                  <th scope="row" role="rowheader">
                    <span class="history-swatch" style={{ background: colour(i) }} aria-hidden="true" />
                    <span>{scope.nameOf(e)}</span>
                  </th>
                  {CLASS_NAMES.map((l) => (
                    <td key={l} role="cell">
                      {c?.[l] ?? 0}
                    </td>
                  ))}
                  <td data-testid="history-entrance-total" role="cell">
                    {c ? c.correct + c.incorrect + c.none : 0}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <EntranceChart buckets={buckets} entrances={entrances} unit={unit} nameOf={scope.nameOf} colour={colour} />
    </section>
  );
}

interface EntranceChartProps {
  buckets: readonly EntranceBucket[];
  entrances: readonly string[];
  unit: BucketUnit;
  nameOf: (entrance: string) => string;
  colour: (index: number) => string | undefined;
}

/** Events per hour or day stacked by entrance, drawn at its real width (mounted with its box, so it is measured). */
function EntranceChart({ buckets, entrances, unit, nameOf, colour }: EntranceChartProps) {
  const [boxRef, width] = useElementWidth<HTMLDivElement>();
  const totals = buckets.map((b) => Object.values(b.byEntrance).reduce((a, c) => a + c, 0));
  const ticks = niceTicks(Math.max(0, ...totals));
  const top = ticks.at(-1) ?? 1;
  const plotW = Math.max(0, width - MARGIN.left - MARGIN.right);
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const slot = buckets.length > 0 ? plotW / buckets.length : 0;
  const barW = Math.max(1, Math.min(48, slot * 0.7));
  const every = labelEvery(slot, Math.max(0, ...buckets.map((b) => labelRoom(axisLabel(b.start, unit)))));
  const y = (value: number) => MARGIN.top + plotH - (value / top) * plotH;
  const last = buckets.length - 1;
  return (
    <div class="chart-box" ref={boxRef}>
      {buckets.length > 0 && width > 0 && (
        <svg
          class="history-chart history-entrance-chart"
          data-testid="history-entrance-chart"
          width={width}
          height={HEIGHT}
          role="img"
          aria-label={`Events per ${unit} stacked by entrance, highest ${Math.max(0, ...totals)}; the table above has the totals`}
        >
          <ChartTicks ticks={ticks} y={y} left={MARGIN.left} right={width - MARGIN.right} />
          {buckets.map((bucket, i) => {
            const x = MARGIN.left + i * slot;
            let stackTop = totals[i] ?? 0;
            return (
              <g key={bucket.start}>
                <title>
                  {`${bucketText(bucket.start, unit)}: ${entrances.map((e) => `${nameOf(e)} ${bucket.byEntrance[e] ?? 0}`).join(', ')}`}
                </title>
                {entrances.map((e, j) => {
                  const value = bucket.byEntrance[e] ?? 0;
                  const rectTop = y(stackTop);
                  stackTop -= value;
                  return value > 0 ? (
                    <rect
                      key={e}
                      data-entrance={e}
                      x={x + (slot - barW) / 2}
                      y={rectTop}
                      width={barW}
                      height={y(stackTop) - rectTop}
                      fill={colour(j)}
                    />
                  ) : null;
                })}
                {(last - i) % every === 0 && (
                  <text class="chart-axis" x={x + slot / 2} y={HEIGHT - 6} text-anchor="middle">
                    {axisLabel(bucket.start, unit)}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      )}
    </div>
  );
}
