/**
 * Whether a process with this pid exists on this machine (signal 0 probes without
 * sending anything; EPERM means it exists but belongs to another user).
 */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
