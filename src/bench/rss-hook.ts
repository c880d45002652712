// Preloaded into a benchmarked CLI process: reports its peak RSS and CPU time on exit.
import { writeFileSync } from 'node:fs';

const target = process.env['GEN_USERDATA_BENCH_RSS_FILE'];
if (target !== undefined) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    // maxRSS in KiB; CPU times in microseconds.
    writeFileSync(target, JSON.stringify({ maxRSS: u.maxRSS, userUs: u.userCPUTime, systemUs: u.systemCPUTime }));
  });
}
