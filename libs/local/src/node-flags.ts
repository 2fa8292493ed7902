/**
 * V8 flags for processes that may parse SQL: the parser is 23 MB of WebAssembly, which V8 should compile with its
 * baseline compiler only, validating each function when it first runs. The lake also sets them itself when it loads
 * the parser, but the V8 of Node 24 and later ignores them set at run time (a query needing the parser then took
 * 1.1 s and 900 MB instead of 0.35 s and 180 MB), so a process that runs the lake's commands starts with them. The
 * `lakehouse` command restarts itself with them (apps/cli/src/node-runtime.mjs, kept equal by a test).
 */
export const NODE_FLAGS: readonly string[] = ['--liftoff-only', '--wasm-lazy-validation'];
