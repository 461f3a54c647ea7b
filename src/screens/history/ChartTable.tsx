import { CLASS_NAMES, CLASS_SHORT } from '../../classify/classes';
import type { BucketUnit, HistogramBucket } from '../../log/query';
import { bucketText } from './chartScale';
import { totalOf } from './comparison';

/** The chart's numbers as a table, for screen readers (visually hidden). */
export function ChartTable({ buckets, unit }: { buckets: readonly HistogramBucket[]; unit: BucketUnit }) {
  return (
    // The wrapper hides it: a table sizes to its content, whatever width and overflow it is given.
    <div class="visually-hidden">
      <table data-testid="history-chart-table">
        <caption>Events per {unit} by class</caption>
        <thead>
          <tr>
            <th scope="col">{unit === 'day' ? 'Day' : 'Hour'}</th>
            {CLASS_NAMES.map((label) => (
              <th key={label} scope="col">
                {CLASS_SHORT[label]}
              </th>
            ))}
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {buckets.map((bucket) => (
            <tr key={bucket.start}>
              <th scope="row">{bucketText(bucket.start, unit)}</th>
              {CLASS_NAMES.map((label) => (
                <td key={label}>{bucket.counts[label]}</td>
              ))}
              <td>{totalOf(bucket.counts)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
