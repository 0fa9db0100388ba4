import { lazyRequire } from "./lazy.js";

// Only suggestions need it; --help never does.
const levenshtein = lazyRequire<typeof import("fastest-levenshtein")>("fastest-levenshtein");

/** Candidates close enough to `word` to be what the author meant, nearest first. */
export function nearest(word: string, candidates: readonly string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(word.length / 3));
  return candidates
    .map((c) => ({ c, d: levenshtein().distance(word.toLowerCase(), c.toLowerCase()) }))
    .filter(({ c, d }) => d <= limit || c.includes(word) || word.includes(c))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, max)
    .map(({ c }) => c);
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const [best] = nearest(word, candidates, 1);
  return best ? ` (did you mean '${best}'?)` : "";
}
