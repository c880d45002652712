/**
 * Named points of a run where a test can make the process die as if by SIGKILL
 * (power loss, OOM killer), to prove the output survives a crash at exactly that
 * instant. Set GEN_USERDATA_CRASH_AT=<point> to kill the process there; unset, this
 * does nothing. Only the CLI calls it.
 */
export type CrashPoint = 'secrets-saved' | 'tree-written' | 'between-renames' | 'before-cleanup';

/** Kills the process with SIGKILL when GEN_USERDATA_CRASH_AT names `point`. */
export function crashPoint(point: CrashPoint): void {
  if (process.env['GEN_USERDATA_CRASH_AT'] === point) process.kill(process.pid, 'SIGKILL');
}
