import type { HistoryQuery } from './useHistoryQuery';

/** Newer / older page buttons around the page number. */
export function HistoryPager({ query }: { query: HistoryQuery }) {
  const { newer, older } = query;
  return (
    <nav class="history-pager" aria-label="Pages">
      <button type="button" data-testid="history-prev" disabled={!newer} onClick={() => newer?.()}>
        Newer
      </button>
      <span class="history-page" data-testid="history-page">
        Page {query.pageNumber}
      </span>
      <button type="button" data-testid="history-next" disabled={!older} onClick={() => older?.()}>
        Older
      </button>
    </nav>
  );
}
