// Scenario 3: a worker whose joins never succeed (stand-in,
// join_failures=always), generated from a profile with a short
// cluster.joinTimeout. The bootstrap must give up within that limit, measured
// with the guest's own clock from the bootstrap log's timestamps, and leave a
// failure marker naming kubeadm-join.
import type { Test } from 'tap';
import { parseDuration } from '../../../src/util/duration.js';
import {
  assertCloudInit,
  assertHostPrepared,
  assertMarkers,
  assertProbed,
  assertSteps,
  COMMON_STEPS,
  logTail,
} from '../../helpers/vm-asserts.js';
import { apiEndpoint, kubeadmCalls, type NodeRun, type RawProfile } from '../../helpers/vm-node.js';

/** Slack past the deadline: one kubeadm reset plus the log's one-second resolution. */
const GRACE_S = 30;

/** Kernel parameters for this scenario's boot. */
export function timeoutKernelArgs(profile: RawProfile): string[] {
  return [`gen_userdata_e2e.fake_api=${apiEndpoint(profile)}`, 'gen_userdata_e2e.join_failures=always'];
}

/** The profile's joinTimeout in seconds; throws when it is missing or not a Go duration (our fixture). */
export function joinTimeoutSeconds(profile: RawProfile): number {
  const s = parseDuration(profile.cluster.joinTimeout ?? '');
  if (s === undefined) throw new Error(`profile joinTimeout is not a Go duration: ${profile.cluster.joinTimeout}`);
  return s;
}

/** Asserts everything scenario 3 expects of the worker's boot `run`. */
export async function checkWorkerJoinTimeout(t: Test, run: NodeRun, profile: RawProfile): Promise<void> {
  const limit = joinTimeoutSeconds(profile);
  t.ok(limit > 0 && limit <= 300, 'the profile sets a short joinTimeout', { joinTimeout: profile.cluster.joinTimeout });
  if (!assertProbed(t, run)) return;

  assertMarkers(t, run, 'kubeadm-join');
  assertSteps(t, run, [...COMMON_STEPS, 'kubeadm-join'], 'kubeadm-join');
  assertHostPrepared(t, run, profile);
  assertCloudInit(t, run, false);

  const step = run.steps.find((s) => s.name === 'kubeadm-join');
  const joins = kubeadmCalls(run.calls, 'join');
  const resets = kubeadmCalls(run.calls, 'reset');

  await t.test('it kept retrying, resetting after each failure', async (t) => {
    t.ok(joins.length >= 2, `more than one join attempt (${joins.length})`);
    t.ok(
      joins.every((j) => j.rc !== 0),
      'every join failed (as the stand-in was told)',
    );
    for (let k = 0; k + 1 < joins.length; k++) {
      const between = resets.filter((r) => r.start >= joins[k]!.end && r.end <= joins[k + 1]!.start);
      t.equal(between.length, 1, `one kubeadm reset between join ${k + 1} and join ${k + 2}`);
    }
  });

  await t.test('it gave up within the limit (guest clock)', async (t) => {
    t.ok(step?.startTime !== undefined && step.endTime !== undefined, 'the join step has start and end timestamps in the log', {
      log: logTail(run),
    });
    if (step?.startTime === undefined || step.endTime === undefined) return;
    const elapsed = step.endTime - step.startTime;
    t.ok(elapsed <= limit + GRACE_S, `gave up ${elapsed} s after the step began: not later than ${limit} s + ${GRACE_S} s`);
    // Giving up much earlier would mean the profile's limit was not used (e.g. a default or another unit).
    t.ok(elapsed >= limit - 2, `kept trying for the whole ${limit} s (${elapsed} s)`);
    const deadline = step.startTime + limit;
    const late = joins.filter((j) => j.start > deadline + 1);
    t.same(
      late.map((j) => j.start - step.startTime!),
      [],
      'no join attempt started after the deadline',
    );
  });
}
