import { CLASS_COLOUR, CLASS_NAMES } from '../../classify/classes';
import type { BucketUnit, HistogramBucket } from '../../log/query';

const WIDTH = 600;
const HEIGHT = 160;
const AXIS = 16;

export interface HistoryChartProps {
  buckets: readonly HistogramBucket[];
  unit: BucketUnit;
}

function bucketLabel(start: number, unit: BucketUnit): string {
  const d = new Date(start);
  return unit === 'day' ? d.toLocaleDateString() : d.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

/** Stacked bars of events per bucket by class, as inline SVG. */
export function HistoryChart({ buckets, unit }: HistoryChartProps) {
  if (buckets.length === 0) return <p class="history-chart-empty">No events to chart.</p>;
  const totals = buckets.map((b) => b.counts.correct + b.counts.incorrect + b.counts.none);
  const max = Math.max(1, ...totals);
  const slot = WIDTH / buckets.length;
  const barWidth = Math.max(1, slot * 0.8);
  const plot = HEIGHT - AXIS;
  const first = buckets[0];
  const last = buckets.at(-1);
  return (
    <svg
      class="history-chart"
      data-testid="history-chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="img"
      aria-label={`Events per ${unit} by class, highest ${max}`}
    >
      {buckets.map((bucket, i) => {
        let y = plot;
        return (
          <g key={bucket.start}>
            <title>
              {`${bucketLabel(bucket.start, unit)}: ${bucket.counts.correct} correct, ${bucket.counts.incorrect} incorrect, ${bucket.counts.none} none`}
            </title>
            {CLASS_NAMES.map((label) => {
              const height = (bucket.counts[label] / max) * plot;
              y -= height;
              return height > 0 ? (
                <rect
                  key={label}
                  class={`history-bar history-bar-${label}`}
                  x={i * slot + (slot - barWidth) / 2}
                  y={y}
                  width={barWidth}
                  height={height}
                  fill={CLASS_COLOUR[label]}
                />
              ) : null;
            })}
          </g>
        );
      })}
      {first && (
        <text class="history-chart-axis" x={0} y={HEIGHT - 3} font-size="11">
          {bucketLabel(first.start, unit)}
        </text>
      )}
      {last && buckets.length > 1 && (
        <text class="history-chart-axis" x={WIDTH} y={HEIGHT - 3} font-size="11" text-anchor="end">
          {bucketLabel(last.start, unit)}
        </text>
      )}
    </svg>
  );
}
