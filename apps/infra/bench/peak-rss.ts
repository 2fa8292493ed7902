// Preloaded into each measured child process: writes its peak resident set (KiB) where the benchmark asked.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.LAKEHOUSE_BENCH_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
