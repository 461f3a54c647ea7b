import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * The rendered width of an element, kept up to date: the chart draws at its real pixel size so its
 * labels stay 12 px on a phone instead of being scaled down with a viewBox.
 */
export function useElementWidth<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}
