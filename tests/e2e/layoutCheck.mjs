// Layout checks run inside the page (pass `layoutProblems` to page.evaluate): horizontal scroll,
// visible leaf elements (text and controls) overlapping, and labels run into their values. Returns a
// list of readable problems; empty means the layout passed.

/** Runs in the browser: no closures over Node variables. */
export function layoutProblems({ root = 'body', minGap = 2, width = window.innerWidth } = {}) {
  const problems = [];
  const scroller = document.scrollingElement;
  // `width` is the device's: a mobile browser widens its layout viewport (and innerWidth) to fit
  // content that is too wide, zooming out, so innerWidth alone would hide the overflow.
  const widest = Math.max(scroller.scrollWidth, window.innerWidth);
  if (widest > width) {
    // Name the innermost elements that stick out, to say what to fix.
    const out = [...document.body.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > width + 0.5);
    const innermost = out.filter((e) => !out.some((o) => o !== e && e.contains(o))).slice(0, 5);
    const names = innermost.map((e) => `<${e.tagName.toLowerCase()}.${String(e.className).split(' ')[0]}>`);
    problems.push(`horizontal scroll: content is ${widest} px wide on a ${width} px screen (${names.join(', ')})`);
  }

  const isHidden = (element) => {
    for (let e = element; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return true;
      if (s.position === 'absolute' && s.clip !== 'auto') return true; // the visually-hidden pattern
      const r = e.getBoundingClientRect();
      if (s.overflow !== 'visible' && (r.width <= 1 || r.height <= 1)) return true;
    }
    return false;
  };
  // Content that scrolls sideways inside a box (an overflow-x: auto table) hides what is past its edge just
  // as well: on a phone nobody finds the counts a swipe away.
  for (const e of document.querySelector(root).querySelectorAll('*')) {
    const s = getComputedStyle(e);
    if (!['auto', 'scroll', 'hidden'].includes(s.overflowX) || e.clientWidth <= 1 || isHidden(e)) continue;
    if (e.scrollWidth > e.clientWidth + 1)
      problems.push(
        `sideways scroll inside <${e.tagName.toLowerCase()}.${String(e.className).split(' ')[0]}>: ${e.scrollWidth} px of content in ${e.clientWidth} px`,
      );
  }

  const CONTROL = 'input:not([type="hidden"]), select, button, textarea, img';
  const describe = (e) => {
    const text = (e.textContent || e.getAttribute('aria-label') || e.getAttribute('data-testid') || '').trim();
    return `<${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? `.${e.className.split(' ')[0]}` : ''}> "${text.slice(0, 30)}"`;
  };

  /** Leaves: controls (their box) and elements with text of their own (the text's own boxes). */
  const leaves = [];
  for (const e of document.querySelector(root).querySelectorAll('*')) {
    if (isHidden(e)) continue;
    if (e.matches(CONTROL)) {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) leaves.push({ e, rects: [r] });
      continue;
    }
    if (e.closest('button, select, textarea, option')) continue;
    const rects = [];
    if (e instanceof SVGElement) {
      if (e.tagName === 'text' && e.textContent.trim()) rects.push(e.getBoundingClientRect());
    } else {
      for (const node of e.childNodes) {
        if (node.nodeType !== 3 || !node.data.trim()) continue;
        const range = document.createRange();
        range.setStart(node, node.data.search(/\S/));
        range.setEnd(node, node.data.trimEnd().length);
        rects.push(...[...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0));
      }
    }
    if (rects.length) leaves.push({ e, rects });
  }

  for (let i = 0; i < leaves.length; i++) {
    for (let j = i + 1; j < leaves.length; j++) {
      const a = leaves[i];
      const b = leaves[j];
      if (a.e.contains(b.e) || b.e.contains(a.e)) continue;
      for (const ra of a.rects)
        for (const rb of b.rects) {
          const overlapX = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
          const overlapY = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
          if (overlapX > 1 && overlapY > 1) {
            problems.push(
              `overlap: ${describe(a.e)} and ${describe(b.e)} (${overlapX.toFixed(0)}×${overlapY.toFixed(0)} px)`,
            );
          } else if (overlapY > Math.min(ra.height, rb.height) / 2 && overlapX > -minGap) {
            // Side by side on one line with (almost) no space between: they read as one word.
            problems.push(`run together: ${describe(a.e)} and ${describe(b.e)} (gap ${(-overlapX).toFixed(1)} px)`);
          }
        }
    }
  }
  return [...new Set(problems)];
}

/**
 * Runs in the browser: for each label/value pair (`pairs`: [containerSelector, labelSelector,
 * valueSelector, optional]), the label's and the value's boxes must be `minGap` px apart in some
 * direction; a pair not marked optional must be there, as two separate elements.
 */
export function labelValueProblems({ pairs, minGap = 2 }) {
  const problems = [];
  for (const [container, labelSel, valueSel, optional = false] of pairs) {
    for (const box of document.querySelectorAll(container)) {
      const label = box.querySelector(labelSel);
      const value = box.querySelector(valueSel);
      if (optional && !(label && value)) continue;
      if (!label || !value) {
        problems.push(`${container}: no separate ${labelSel} and ${valueSel}`);
        continue;
      }
      const a = label.getBoundingClientRect();
      const b = value.getBoundingClientRect();
      const gap = Math.max(b.left - a.right, a.left - b.right, b.top - a.bottom, a.top - b.bottom);
      if (gap < minGap)
        problems.push(`${container}: "${label.textContent}" touches "${value.textContent}" (gap ${gap.toFixed(1)} px)`);
    }
  }
  return problems;
}
