import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseDuration } from '../../util/duration.js';
import { certificatesView, clusterStatus, formatStatus, type Overall, type StatusView } from '../../status/cluster-status.js';
import { ApiError, loadKubeClient, readClusterState } from '../kube-api.js';
import { readProfile } from '../read-profile.js';
import { EXIT, fail } from '../report.js';
import { UsageError } from '../load-templates.js';

/** Exit code while the verifier has not decided yet (scripts loop on it). */
export const EXIT_PENDING = 3;

/** Options of `gen-userdata status`. */
export interface StatusOptions {
  profile: string;
  out: string;
  kubeconfig?: string;
  watch: boolean;
  /** Go duration: how long --watch waits for a verdict. */
  timeout: string;
  json: boolean;
  /** Go duration between polls with --watch. Default 10s. */
  interval?: string;
}

const EXIT_FOR: Record<Overall, number> = { verified: EXIT.ok, failed: EXIT.invalid, pending: EXIT_PENDING };

/**
 * Prints the cluster's state: per profile node (and any node the profile does not
 * list), per verifier check, and the earliest certificate expiries (the control
 * planes' kubeadm certificates, the kubeconfig's own). Exit 0 verified, 3 pending, 1 failed or the API
 * server could not be asked, 2 usage. With watch, polls until the state is not
 * pending or the timeout passes, printing each change.
 */
export async function runStatus(opts: StatusOptions): Promise<number> {
  const timeoutSeconds = parseDuration(opts.timeout);
  if (timeoutSeconds === undefined) throw new UsageError(`--timeout ${JSON.stringify(opts.timeout)} is not a duration such as 10m or 90s`);
  const intervalSeconds = parseDuration(opts.interval ?? '10s');
  if (intervalSeconds === undefined || intervalSeconds <= 0) throw new UsageError(`--interval ${JSON.stringify(opts.interval)} is not a positive duration such as 10s`);
  const profile = readProfile(opts.profile);
  if (!profile.ok) return fail(profile.diagnostics);
  const kubeconfig = opts.kubeconfig ?? join(opts.out, profile.value.cluster.name, 'admin.conf');
  if (!existsSync(kubeconfig)) {
    process.stderr.write(`gen-userdata: no kubeconfig at ${kubeconfig} (run gen-userdata for this profile first, or pass --kubeconfig)\n`);
    return EXIT.invalid;
  }
  // The timeout is the wait for the cluster: it starts once the API client is loaded,
  // so a slow load cannot use it up before the first request.
  await loadKubeClient();
  const deadline = Date.now() + timeoutSeconds * 1000;
  const interval = intervalSeconds * 1000;
  let printed = '';
  let lastError = '';
  for (;;) {
    let view: StatusView | undefined;
    try {
      const state = await readClusterState(kubeconfig);
      view = { ...clusterStatus(profile.value, state.nodes, state.report), certificates: certificatesView(state.certificates, state.clientCertificateExpiry, new Date()) };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (!opts.watch || !err.transient || Date.now() >= deadline) {
        process.stderr.write(`gen-userdata: ${err.message}\n`);
        return EXIT.invalid;
      }
      if (err.message !== lastError) process.stderr.write(`gen-userdata: ${err.message}; trying again until the timeout\n`);
      lastError = err.message;
    }
    if (view !== undefined) {
      const text = opts.json ? `${JSON.stringify(view, null, 2)}\n` : formatStatus(view);
      const done = !opts.watch || view.overall !== 'pending' || Date.now() >= deadline;
      // --watch prints each change; --json prints only the final state, one document.
      if (text !== printed && (!opts.json || done)) process.stdout.write(printed === '' || opts.json ? text : `\n${text}`);
      printed = text;
      if (done) return EXIT_FOR[view.overall];
    }
    await sleep(Math.max(0, Math.min(interval, deadline - Date.now())));
  }
}
