// Preloaded into a benchmarked CLI process: reports its peak RSS on exit.
import { writeFileSync } from 'node:fs';

const target = process.env['GEN_USERDATA_BENCH_RSS_FILE'];
if (target !== undefined) {
  process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
}
