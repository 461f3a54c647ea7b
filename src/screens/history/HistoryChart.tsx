import { useState } from 'preact/hooks';
import { CLASS_COLOUR, CLASS_NAMES, CLASS_SHORT } from '../../classify/classes';
import type { BucketUnit, HistogramBucket } from '../../log/query';
import { ChartTable } from './ChartTable';
import { axisLabel, bucketText, labelEvery, labelRoom, niceTicks } from './chartScale';
import { totalOf } from './comparison';
import { useElementWidth } from './useElementWidth';
import { ChartTicks } from './ChartTicks';

export interface HistoryChartProps {
  buckets: readonly HistogramBucket[];
  unit: BucketUnit;
}

const HEIGHT = 200;
const MARGIN = { top: 10, right: 24, bottom: 24, left: 40 };

function describe(bucket: HistogramBucket, unit: BucketUnit): string {
  const parts = CLASS_NAMES.map((label) => `${bucket.counts[label]} ${CLASS_SHORT[label].toLowerCase()}`);
  return `${bucketText(bucket.start, unit)}: ${totalOf(bucket.counts)} events (${parts.join(', ')})`;
}

/**
 * Events per hour or day stacked by class, as SVG drawn at its real width. Hovering, tapping or
 * focusing a bar (one tab stop; arrow keys move between bars) shows its numbers below the chart; a
 * visually hidden table carries the same numbers for screen readers.
 */
export function HistoryChart({ buckets, unit }: HistoryChartProps) {
  const [boxRef, width] = useElementWidth<HTMLDivElement>();
  const [active, setActive] = useState<number | null>(null);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const last = buckets.length - 1;
  const tabStop = Math.min(focusIndex ?? last, last);

  const plotW = Math.max(0, width - MARGIN.left - MARGIN.right);
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const ticks = niceTicks(Math.max(0, ...buckets.map((b) => totalOf(b.counts))));
  const top = ticks.at(-1) ?? 1;
  const slot = buckets.length > 0 ? plotW / buckets.length : 0;
  const barW = Math.max(1, Math.min(48, slot * 0.7));
  const every = labelEvery(slot, Math.max(0, ...buckets.map((b) => labelRoom(axisLabel(b.start, unit)))));
  const y = (value: number) => MARGIN.top + plotH - (value / top) * plotH;

  const moveFocus = (event: KeyboardEvent, index: number) => {
    const keys: Record<string, number> = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: last };
    const target = keys[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const next = Math.max(0, Math.min(last, target));
    const svg = (event.currentTarget as SVGElement).ownerSVGElement;
    svg?.querySelector<SVGElement>(`[data-index="${next}"]`)?.focus();
  };

  const shown = active !== null ? buckets[active] : undefined;
  return (
    <section class="panel history-chart-panel" aria-labelledby="history-chart-title">
      <div class="panel-head">
        <h3 id="history-chart-title">Events per {unit}</h3>
        <ul class="chart-legend" aria-label="Legend">
          {CLASS_NAMES.map((label) => (
            <li key={label}>
              <span class={`swatch swatch-${label}`} aria-hidden="true" />
              <span>{CLASS_SHORT[label]}</span>
            </li>
          ))}
        </ul>
      </div>
      <div class="chart-box" ref={boxRef}>
        {buckets.length === 0 ? (
          <p class="chart-empty">No events in this period.</p>
        ) : (
          width > 0 && (
            <svg
              class="history-chart"
              data-testid="history-chart"
              width={width}
              height={HEIGHT}
              role="group"
              aria-label={`Events per ${unit} by class; the table below has the same numbers`}
              onPointerLeave={(e) => {
                // Back to the focused bar, if any (keyboard and tap users keep their readout).
                const focused = (e.currentTarget as SVGSVGElement).querySelector<SVGElement>('.chart-hit:focus');
                setActive(focused ? Number(focused.dataset.index) : null);
              }}
            >
              <ChartTicks ticks={ticks} y={y} left={MARGIN.left} right={width - MARGIN.right} />
              {buckets.map((bucket, i) => {
                const x = MARGIN.left + i * slot;
                let stackTop = bucket.counts.correct + bucket.counts.incorrect + bucket.counts.none;
                const labelled = (last - i) % every === 0;
                return (
                  <g key={bucket.start} class={i === active ? 'chart-bucket active' : 'chart-bucket'}>
                    {i === active && <rect class="chart-highlight" x={x} y={MARGIN.top} width={slot} height={plotH} />}
                    {[...CLASS_NAMES].reverse().map((label) => {
                      const value = bucket.counts[label];
                      const rectTop = y(stackTop);
                      stackTop -= value;
                      return value > 0 ? (
                        <rect
                          key={label}
                          class={`history-bar history-bar-${label}`}
                          x={x + (slot - barW) / 2}
                          y={rectTop}
                          width={barW}
                          height={y(stackTop) - rectTop}
                          fill={CLASS_COLOUR[label]}
                        />
                      ) : null;
                    })}
                    {labelled && (
                      <text class="chart-axis" x={x + slot / 2} y={HEIGHT - 6} text-anchor="middle">
                        {axisLabel(bucket.start, unit)}
                      </text>
                    )}
                    <rect
                      class="chart-hit"
                      data-index={i}
                      data-testid="history-chart-bar"
                      x={x}
                      y={MARGIN.top}
                      width={slot}
                      height={plotH}
                      tabIndex={i === tabStop ? 0 : -1}
                      role="img"
                      aria-label={describe(bucket, unit)}
                      onPointerEnter={() => setActive(i)}
                      onPointerDown={() => setActive(i)}
                      onFocus={() => {
                        setActive(i);
                        setFocusIndex(i);
                      }}
                      onBlur={() => setActive(null)}
                      onKeyDown={(e) => moveFocus(e, i)}
                    />
                  </g>
                );
              })}
              <line class="chart-baseline" x1={MARGIN.left} x2={width - MARGIN.right} y1={y(0)} y2={y(0)} />
            </svg>
          )
        )}
      </div>
      {buckets.length > 0 && (
        <p class="chart-readout" data-testid="history-chart-value">
          {shown ? describe(shown, unit) : 'Hover over, tap or focus a bar to see its numbers.'}
        </p>
      )}
      <ChartTable buckets={buckets} unit={unit} />
    </section>
  );
}
