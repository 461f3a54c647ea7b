import { CLASS_NAMES, CLASS_SHORT } from '../../classify/classes';
import { complianceRate, type Counts } from '../../log/query';
import { comparePeriods, formatDelta, formatPoints, totalOf } from './comparison';
import { formatPercent } from './format';

export interface HistorySummaryProps {
  counts: Counts;
  /** Counts of the period of the same length just before; null when there is none (all events). */
  previous: Counts | null;
  /** How the previous period reads ("the 7 days before"); null when there is none. */
  previousText: string | null;
}

/** Cards in the class colours: counts per class, total and compliance, each with its change. */
export function HistorySummary({ counts, previous, previousText }: HistorySummaryProps) {
  const comparison = comparePeriods(counts, previous);
  const note = !previousText
    ? 'Pick a period to compare it with the one before.'
    : comparison
      ? `Changes are against ${previousText}.`
      : `No earlier data to compare with: ${previousText} has no events.`;
  const delta = (text: string | null) =>
    comparison && text !== null ? (
      <dd class="summary-delta">
        {text}
        <span class="visually-hidden"> compared with {previousText}</span>
      </dd>
    ) : null;
  const points = comparison?.compliancePoints;
  const cards = [
    ...CLASS_NAMES.map((label) => ({
      key: label,
      name: CLASS_SHORT[label],
      value: String(counts[label]),
      change: comparison ? formatDelta(comparison.delta[label]) : null,
    })),
    {
      key: 'total',
      name: 'Total',
      value: String(totalOf(counts)),
      change: comparison && formatDelta(comparison.delta.total),
    },
  ];
  return (
    <section class="history-summary" aria-label="Summary">
      <dl class="summary-cards" data-testid="history-counts">
        {cards.map((card) => (
          <div key={card.key} class={`summary-card summary-${card.key}`} data-label={card.key}>
            <dt class="summary-name">{card.name}</dt>
            <dd class="summary-value" data-testid={`history-count-${card.key}`}>
              {card.value}
            </dd>
            {delta(card.change)}
          </div>
        ))}
        <div class="summary-card summary-compliance">
          <dt class="summary-name">Compliance</dt>
          <dd class="summary-value" data-testid="history-compliance">
            {formatPercent(complianceRate(counts))}
          </dd>
          {delta(points == null ? null : formatPoints(points))}
          <dd class="summary-hint">correct of all</dd>
        </div>
      </dl>
      <p class="summary-note" data-testid="history-comparison">
        {note}
      </p>
    </section>
  );
}
