// Axis scales for the charts: pure, so they can be tested without a browser.

export interface Scale {
  kind: 'linear' | 'log';
  /** Maps a value to a position between 0 and 1. */
  position(value: number): number;
  ticks: number[];
}

/**
 * A log scale when values span more than a factor of 20 (native fibonacci at 30 ms
 * and the article's wasmedge at 9 s must both stay readable), else linear from 0.
 */
export function chooseScale(values: readonly number[]): Scale {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return linearScale(1);
  const min = Math.min(...positive);
  const max = Math.max(...positive);
  return max / min > 20 ? logScale(min, max) : linearScale(max);
}

export function linearScale(max: number): Scale {
  const step = niceStep(max / 4);
  const top = Math.ceil(max / step) * step || step;
  const ticks: number[] = [];
  for (let t = 0; t <= top + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { kind: 'linear', position: (v) => Math.max(0, v) / top, ticks };
}

export function logScale(min: number, max: number): Scale {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const span = Math.max(1, hi - lo);
  const ticks: number[] = [];
  // Beyond two decades, 2 and 5 would crowd the axis labels into each other.
  const multiples = hi - lo > 2 ? [1] : [1, 2, 5];
  for (let e = lo; e <= hi; e++) for (const m of multiples) {
    const t = m * 10 ** e;
    if (t >= 10 ** lo && t <= 10 ** hi) ticks.push(Number(t.toPrecision(12)));
  }
  return {
    kind: 'log',
    position: (v) => (Math.log10(Math.max(v, 10 ** lo)) - lo) / span,
    ticks,
  };
}

/** 1, 2 or 5 times a power of ten, at least `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const m of [1, 2, 5, 10]) if (m * power >= rough) return m * power;
  return 10 * power;
}
