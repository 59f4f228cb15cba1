// Plain SVG charts, built in the page: no chart library, nothing to load. Each row
// shows the spread of one variant: a bar from min to p95, a line at the median, a dot
// at the mean and a whisker to the max. The article's numbers (means only) are diamonds.
import type { z } from 'zod';
import type { summarySchema } from '../../contracts/bench-protocol.ts';
import { chooseScale, linearScale, type Scale } from './scale.ts';

type Summary = z.infer<typeof summarySchema>;

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 680;
const LABEL_WIDTH = 250;
const PLOT_LEFT = LABEL_WIDTH + 10;
const PLOT_RIGHT = WIDTH - 70;
const ROW = 30;
const TOP = 8;
const AXIS = 34;

export interface ChartRow {
  label: string;
  kind: 'yours' | 'article';
  /** The reader's spread (kind "yours"). */
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

function frame(rows: number, texts: ChartTexts): SVGSVGElement {
  const height = TOP + rows * ROW + AXIS;
  const svg = el('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': texts.label, class: 'bench-svg' });
  svg.append(el('title', {}, texts.label));
  return svg;
}

function axis(svg: SVGSVGElement, scale: Scale, rows: number, format: (v: number) => string, caption: string): (v: number) => number {
  const x = (v: number) => PLOT_LEFT + scale.position(v) * (PLOT_RIGHT - PLOT_LEFT);
  const bottom = TOP + rows * ROW;
  const group = el('g', { class: 'bench-svg__axis' });
  for (const tick of scale.ticks) {
    group.append(el('line', { x1: x(tick), x2: x(tick), y1: TOP, y2: bottom, class: 'bench-svg__grid' }));
    group.append(el('text', { x: x(tick), y: bottom + 14, 'text-anchor': 'middle' }, format(tick)));
  }
  group.append(el('text', { x: PLOT_RIGHT, y: bottom + 29, 'text-anchor': 'end', class: 'bench-svg__caption' }, caption));
  svg.append(group);
  return x;
}

/** One phase, one row per variant (and the article's means where they exist). */
export function spreadChart(rows: readonly ChartRow[], texts: ChartTexts, format: (ms: number) => string, tickFormat: (ms: number) => string = format): SVGSVGElement {
  const svg = frame(rows.length, texts);
  const values = rows.flatMap((r) => (r.kind === 'article' ? [r.meanMs ?? 0] : r.stats ? [r.stats.min, r.stats.max] : []));
  const scale = chooseScale(values);
  const x = axis(svg, scale, rows.length, tickFormat, scale.kind === 'log' ? texts.axisLog : texts.axisLinear);
  rows.forEach((row, i) => {
    const y = TOP + i * ROW + ROW / 2;
    const g = el('g', { class: `bench-svg__row bench-svg__row--${row.kind}`, 'data-label': row.label });
    if (row.title) g.append(el('title', {}, row.title));
    g.append(el('text', { x: LABEL_WIDTH, y: y + 4, 'text-anchor': 'end', class: 'bench-svg__label' }, row.label));
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
      g.append(el('text', { x: Math.min(x(s.max) + 8, WIDTH - 2), y: y + 4, class: 'bench-svg__value', 'text-anchor': x(s.max) + 8 > WIDTH - 60 ? 'end' : 'start' }, format(s.median)));
    } else {
      g.append(el('text', { x: PLOT_LEFT, y: y + 4, class: 'bench-svg__nodata' }, texts.noData));
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
export function sizeChart(rows: readonly SizeRow[], texts: Omit<ChartTexts, 'axisLog'>, format: (bytes: number) => string): SVGSVGElement {
  const svg = frame(rows.length, { ...texts, axisLog: '' });
  const scale = linearScale(Math.max(1, ...rows.map((r) => r.bytes)));
  const x = axis(svg, scale, rows.length, format, texts.axisLinear);
  rows.forEach((row, i) => {
    const y = TOP + i * ROW + ROW / 2;
    const g = el('g', { class: `bench-svg__row bench-svg__row--${row.kind}`, 'data-label': row.label });
    g.append(el('text', { x: LABEL_WIDTH, y: y + 4, 'text-anchor': 'end', class: 'bench-svg__label' }, row.label));
    g.append(el('rect', { x: PLOT_LEFT, y: y - 8, width: Math.max(2, x(row.bytes) - PLOT_LEFT), height: 16, rx: 2, class: row.kind === 'article' ? 'bench-svg__bar-article' : 'bench-svg__box' }));
    g.append(el('text', { x: x(row.bytes) + 8, y: y + 4, class: 'bench-svg__value' }, format(row.bytes)));
    svg.append(g);
  });
  return svg;
}
