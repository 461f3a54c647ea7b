import type { ComponentChildren } from 'preact';

/**
 * The one bar of filters above the history: a row of labelled groups that wraps on narrow screens.
 * A new filter (e.g. the entrance) is one more `<FilterGroup>` child.
 */
export function FilterBar({ children, label }: { children: ComponentChildren; label?: string }) {
  return (
    <div
      class="filter-bar"
      role="search"
      aria-label={label ?? 'Filter events'}
      data-testid={label ? undefined : 'history-filters'}
    >
      {children}
    </div>
  );
}

/** A labelled set of controls in the filter bar. */
export function FilterGroup({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <fieldset class="filter-group">
      <legend class="filter-legend">{label}</legend>
      <div class="filter-options">{children}</div>
    </fieldset>
  );
}
