// What scenarios 7 and 8 check beyond scenarios 1 and 2: what is new on Debian 13.
import type { Test } from 'tap';
import type { NodeRun } from '../../helpers/vm-node.js';

/** Asserts the Debian 13 specifics of a successful boot `run`. */
export function checkDebian13(t: Test, run: NodeRun): void {
  const status = run.section('cloud-init-status') ?? '';
  // cloud-init 23.4+ reports "degraded done" when a module logged a deprecation or a recoverable error.
  t.match(status, /^extended_status: done$/m, 'cloud-init 25: extended_status done, not degraded (no deprecation at run time)', { status });
  t.match(run.bootstrapLog, /detected OS: debian 13\b/, 'the bootstrap detected Debian 13 from /etc/os-release');
}
