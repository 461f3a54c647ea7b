/** The y axis of a history chart: a gridline and a label at each tick, from `left` to `right` (px). */
export function ChartTicks({
  ticks,
  y,
  left,
  right,
}: {
  ticks: readonly number[];
  y: (value: number) => number;
  left: number;
  right: number;
}) {
  return (
    <>
      {ticks.map((tick) => (
        <g key={tick} class="chart-tick">
          <line x1={left} x2={right} y1={y(tick)} y2={y(tick)} />
          <text class="chart-axis" x={left - 6} y={y(tick)} dy="0.32em" text-anchor="end">
            {tick}
          </text>
        </g>
      ))}
    </>
  );
}
