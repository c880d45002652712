// The cluster verifier when the API server refuses it: the verdict is still written
// (locally), after the bounded ConfigMap retries. Apart from cluster-verify.test.ts
// because the retries take half a minute per run.
import t from 'tap';
import { profileAt } from '../helpers/fixtures.js';
import { checkOf, runVerifier as run } from '../helpers/verify-harness.js';

const lab = profileAt('profiles/lab.yaml');

t.test('API server down: every check fails, the verdict is failed, the run still ends', async (t) => {
  const o = run(lab, { apiDown: true });
  t.equal(o.status, 1);
  t.notOk(o.verified);
  t.match(o.failed, /^nodes: /m);
  t.match(o.failed, /^report: could not store ConfigMap kube-system\/gen-userdata-status$/m);
  t.equal(o.report.verdict, 'failed', 'the local report is still written');
});

t.test('the smoke workloads cannot be applied: every smoke check fails with the reason', async (t) => {
  const o = run(lab, { hpaCpu: '1', applyFails: true });
  t.equal(o.status, 1);
  for (const name of ['smoke-nodeport', 'smoke-hpa']) {
    t.same([checkOf(o, name).status, checkOf(o, name).message], ['failed', 'kubectl apply of the smoke workloads failed: error: apply refused']);
  }
  t.equal(checkOf(o, 'nodes').status, 'ok');
});
