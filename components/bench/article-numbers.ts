// The numbers the 2023 article published (50 runs each, measureAvgTime.sh). Only
// averages of the total execution time survive: its startup/run/shutdown split was
// broken by the script's subshell (docs/bench.md), so the chart shows totals only.

export interface ArticleTotal {
  /** The variant of today's harness it compares with. */
  variant: 'container-classic' | 'container-wasmtime' | 'container-wasmedge';
  /** Average execution time in milliseconds. */
  meanMs: number;
  runs: number;
}

export const ARTICLE_TOTALS: readonly ArticleTotal[] = [
  { variant: 'container-classic', meanMs: 573, runs: 50 },
  { variant: 'container-wasmtime', meanMs: 795, runs: 50 },
  { variant: 'container-wasmedge', meanMs: 9195, runs: 50 },
];

/** The article's Wasm image of the Rust hello program. */
export const ARTICLE_IMAGE = { image: 'demo/rust_hello', bytes: 2.52e6 } as const;

export const LIU_2025_DOI = 'https://doi.org/10.1145/3712197';
