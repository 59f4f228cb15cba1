// The 2023 article's averages (50 runs each), as the performance chapter shows them
// (components/bench/article-numbers.ts, which class/ may not import): the class chart
// puts the room's results beside them.
export const ARTICLE_MEANS_MS: Readonly<Record<string, number>> = {
  'container-classic': 573,
  'container-wasmtime': 795,
  'container-wasmedge': 9195,
};
