import { CLASS_NAMES, CLASS_SHORT } from '../../classify/classes';
import { complianceRate, type Counts } from '../../log/query';
import { formatPercent } from './format';

/** Counts per class, the total and the compliance rate of the filtered events. */
export function HistorySummary({ counts }: { counts: Counts }) {
  const total = counts.correct + counts.incorrect + counts.none;
  return (
    <dl class="history-counts" data-testid="history-counts">
      {CLASS_NAMES.map((label) => (
        <div key={label} class={`history-count history-count-${label}`} data-label={label}>
          <dt>{CLASS_SHORT[label]}</dt>
          <dd data-testid={`history-count-${label}`}>{counts[label]}</dd>
        </div>
      ))}
      <div class="history-count history-count-total">
        <dt>Total</dt>
        <dd data-testid="history-count-total">{total}</dd>
      </div>
      <div class="history-compliance">
        <dt>Compliance (correct / all)</dt>
        <dd data-testid="history-compliance">{formatPercent(complianceRate(counts))}</dd>
      </div>
    </dl>
  );
}
