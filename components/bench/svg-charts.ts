// Plain SVG charts, built in the page: no chart library, nothing to load. Each row
// shows the spread of one variant: a bar from min to p95, a line at the median, a dot
// at the mean and a whisker to the max. The article's numbers (means only) are diamonds.
// The reader's earlier measurement of a variant gets a row of its own right below it,
// drawn the same way but dashed and lighter (not by colour alone), on the same axis.
import type { z } from 'zod';
import type { summarySchema } from '../../contracts/bench-protocol.ts';
import { chooseScale, linearScale, type Scale } from './scale.ts';

type Summary = z.infer<typeof summarySchema>;

const SVG = 'http://www.w3.org/2000/svg';
const TOP = 8;
const AXIS = 34;

/**
 * Where things go, in viewBox units. The SVG scales to its box, and its text with it:
 * 680 units drawn 340 px wide make 12-unit text 6 px. A narrow box gets its own layout
 * (labels above the bars, a viewBox about as wide as the box) so text stays >= 9 px
 * on a phone (tests/site/mobile.test.ts).
 */
export interface Layout {
  width: number;
  /** Labels end here (wide) or start at plotLeft on a line of their own (narrow). */
  labelAbove: boolean;
  plotLeft: number;
  plotRight: number;
  row: number;
}

const WIDE: Layout = { width: 680, labelAbove: false, plotLeft: 260, plotRight: 610, row: 30 };
// plotRight + 8 stays under width - 60, so a value beside the longest bar is drawn after it, not over it.
const NARROW: Layout = { width: 360, labelAbove: true, plotLeft: 18, plotRight: 290, row: 46 };
/** Below this box width (px) the wide layout's 12-unit text would be drawn under 9 px. */
export const NARROW_BELOW_PX = 520;

export function layoutFor(boxWidthPx: number): Layout {
  return boxWidthPx > 0 && boxWidthPx < NARROW_BELOW_PX ? NARROW : WIDE;
}

export interface ChartRow {
  /** The variant's name: the row's data-label, and its text unless `text` is given. */
  label: string;
  /** What the row shows as its label, when it says more than the name (n, "earlier"). */
  text?: string;
  kind: 'yours' | 'earlier' | 'article';
  /** The reader's spread (kinds "yours" and "earlier"). */
  stats?: Summary | null;
  /** The article's mean (kind "article"). */
  meanMs?: number;
  /** Tooltip text. */
  title?: string;
}

export interface ChartTexts {
  /** Accessible name of the chart. */
  label: string;
  axisLog: string;
  axisLinear: string;
  noData: string;
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function frame(rows: number, texts: ChartTexts, layout: Layout): SVGSVGElement {
  const height = TOP + rows * layout.row + AXIS;
  const svg = el('svg', { viewBox: `0 0 ${layout.width} ${height}`, 'data-layout': layout.labelAbove ? 'narrow' : 'wide', role: 'img', 'aria-label': texts.label, class: 'bench-svg' });
  svg.append(el('title', {}, texts.label));
  return svg;
}

function axis(svg: SVGSVGElement, layout: Layout, scale: Scale, rows: number, format: (v: number) => string, caption: string): (v: number) => number {
  const x = (v: number) => layout.plotLeft + scale.position(v) * (layout.plotRight - layout.plotLeft);
  const bottom = TOP + rows * layout.row;
  const group = el('g', { class: 'bench-svg__axis' });
  for (const tick of scale.ticks) {
    group.append(el('line', { x1: x(tick), x2: x(tick), y1: TOP, y2: bottom, class: 'bench-svg__grid' }));
    group.append(el('text', { x: x(tick), y: bottom + 14, 'text-anchor': 'middle' }, format(tick)));
  }
  group.append(el('text', { x: layout.plotRight, y: bottom + 29, 'text-anchor': 'end', class: 'bench-svg__caption' }, caption));
  svg.append(group);
  return x;
}

/** A row's label and the y of its bar's centre. */
function rowLabel(g: SVGGElement, layout: Layout, i: number, label: string): number {
  const top = TOP + i * layout.row;
  if (layout.labelAbove) {
    g.append(el('text', { x: 2, y: top + 13, class: 'bench-svg__label' }, label));
    return top + 30;
  }
  const y = top + layout.row / 2;
  g.append(el('text', { x: layout.plotLeft - 10, y: y + 4, 'text-anchor': 'end', class: 'bench-svg__label' }, label));
  return y;
}

/** One phase, one row per variant (and the article's means where they exist). */
export function spreadChart(rows: readonly ChartRow[], texts: ChartTexts, format: (ms: number) => string, tickFormat: (ms: number) => string = format, layout: Layout = WIDE): SVGSVGElement {
  const svg = frame(rows.length, texts, layout);
  const values = rows.flatMap((r) => (r.kind === 'article' ? [r.meanMs ?? 0] : r.stats ? [r.stats.min, r.stats.max] : []));
  const scale = chooseScale(values);
  const x = axis(svg, layout, scale, rows.length, tickFormat, scale.kind === 'log' ? texts.axisLog : texts.axisLinear);
  rows.forEach((row, i) => {
    const g = el('g', { class: `bench-svg__row bench-svg__row--${row.kind}`, 'data-label': row.label });
    if (row.title) g.append(el('title', {}, row.title));
    const y = rowLabel(g, layout, i, row.text ?? row.label);
    if (row.kind === 'article' && row.meanMs !== undefined) {
      const cx = x(row.meanMs);
      g.append(el('path', { d: `M ${cx} ${y - 7} L ${cx + 7} ${y} L ${cx} ${y + 7} L ${cx - 7} ${y} Z`, class: 'bench-svg__article' }));
      g.append(el('text', { x: cx + 11, y: y + 4, class: 'bench-svg__value' }, format(row.meanMs)));
    } else if (row.stats) {
      const s = row.stats;
      g.append(el('line', { x1: x(s.p95), x2: x(s.max), y1: y, y2: y, class: 'bench-svg__whisker' }));
      g.append(el('line', { x1: x(s.max), x2: x(s.max), y1: y - 5, y2: y + 5, class: 'bench-svg__whisker' }));
      g.append(el('rect', { x: x(s.min), y: y - 8, width: Math.max(2, x(s.p95) - x(s.min)), height: 16, rx: 2, class: 'bench-svg__box' }));
      g.append(el('line', { x1: x(s.median), x2: x(s.median), y1: y - 9, y2: y + 9, class: 'bench-svg__median' }));
      g.append(el('circle', { cx: x(s.mean), cy: y, r: 3.5, class: 'bench-svg__mean' }));
      g.append(el('text', { x: Math.min(x(s.max) + 8, layout.width - 2), y: y + 4, class: 'bench-svg__value', 'text-anchor': x(s.max) + 8 > layout.width - 60 ? 'end' : 'start' }, format(s.median)));
    } else {
      g.append(el('text', { x: layout.plotLeft, y: y + 4, class: 'bench-svg__nodata' }, texts.noData));
    }
    svg.append(g);
  });
  return svg;
}

export interface SizeRow {
  label: string;
  bytes: number;
  kind: 'yours' | 'article';
}

/** Image sizes as bars from zero (sizes compare by ratio, so a linear axis is honest). */
export function sizeChart(rows: readonly SizeRow[], texts: Omit<ChartTexts, 'axisLog'>, format: (bytes: number) => string, layout: Layout = WIDE): SVGSVGElement {
  const svg = frame(rows.length, { ...texts, axisLog: '' }, layout);
  const scale = linearScale(Math.max(1, ...rows.map((r) => r.bytes)));
  const x = axis(svg, layout, scale, rows.length, format, texts.axisLinear);
  rows.forEach((row, i) => {
    const g = el('g', { class: `bench-svg__row bench-svg__row--${row.kind}`, 'data-label': row.label });
    const y = rowLabel(g, layout, i, row.label);
    g.append(el('rect', { x: layout.plotLeft, y: y - 8, width: Math.max(2, x(row.bytes) - layout.plotLeft), height: 16, rx: 2, class: row.kind === 'article' ? 'bench-svg__bar-article' : 'bench-svg__box' }));
    g.append(el('text', { x: x(row.bytes) + 8, y: y + 4, class: 'bench-svg__value' }, format(row.bytes)));
    svg.append(g);
  });
  return svg;
}
