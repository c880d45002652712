// Golden Ignition configs for the lab control plane and one worker (target flatcar,
// fixed secrets). Re-record with GEN_USERDATA_RECORD=1; the run then fails on purpose.
import t from 'tap';
import { join } from 'node:path';
import { emitIgnition } from '../../src/emit/ignition/emit-ignition.js';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { compareGolden } from '../helpers/golden.js';
import { bundledTemplates, fixtureSecrets, profileAt, ROOT } from '../helpers/fixtures.js';

t.test('lab control plane and worker-1 match their golden config.ign byte for byte', async (t) => {
  const profile = profileAt('profiles/lab.yaml');
  const plans = buildClusterPlans(profile, fixtureSecrets('lab'), bundledTemplates(), 'flatcar');
  const files = new Map<string, Uint8Array>();
  for (const name of ['control-plane', 'worker-1']) {
    const plan = plans.find((p) => p.node.name === name);
    if (!plan) throw new Error(`lab profile has no node ${name}`);
    const json = emitIgnition(plan, { kubernetesVersion: profile.cluster.kubernetesVersion, flatcar: profile.flatcar });
    files.set(`${name}.ign`, Buffer.from(json, 'utf8'));
  }
  compareGolden(t, join(ROOT, 'test', 'golden', 'ignition'), files);
});
