/**
 * mulberry32: a small, fast generator with a 32-bit state, for what must repeat from a seed (a producer's
 * `--event-time-spread` with `--seed`, a fuzz or fault test that names the seed that reproduces it). The same seed
 * gives the same sequence on every platform. Not for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
