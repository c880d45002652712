// The init node's kubelet serving-certificate approver, run for real with a stand-in
// kubectl serving CSRs made by openssl: it approves a node's request for its own
// name and profile IP, and nothing else.
import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { renderShellLibrary } from '../../src/plan/shell-library.js';
import { shellLibraryPath } from '../../src/plan/paths.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const plan = buildClusterPlans(profileAt('profiles/lab.yaml'), fixtureSecrets('lab'), bundledTemplates(), 'cloud-init')[0]!;
const script = plan.files.find((f) => f.path.endsWith('/gen-userdata-approve-csrs'))!.content;
const nodes = plan.files.find((f) => f.path === NODE_PATHS.expectedNodes)!.content;

interface Csr {
  name: string;
  user: string;
  cn: string;
  san: string;
  signer?: string;
  state?: string;
}

function csrPem(dir: string, c: Csr): string {
  const key = join(dir, `${c.name}.key`);
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', key]);
  return execFileSync('openssl', ['req', '-new', '-key', key, '-subj', `/O=system:nodes/CN=${c.cn}`, '-addext', `subjectAltName=${c.san}`], { encoding: 'utf8' });
}

function approve(csrs: Csr[]): { approved: string[]; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-csr-'));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'csr'));
  const list = csrs.map((c) => `${c.name} ${c.signer ?? 'kubernetes.io/kubelet-serving'} ${c.user} ${c.state ?? ''}`).join('\n');
  writeFileSync(join(dir, 'list'), `${list}\n`);
  for (const c of csrs) writeFileSync(join(dir, 'csr', c.name), Buffer.from(csrPem(dir, c)).toString('base64'));
  writeFileSync(join(dir, 'nodes'), nodes);
  writeFileSync(
    join(dir, 'bin', 'kubectl'),
    // kubectl_admin (the library) passes the admin kubeconfig first.
    `#!/bin/bash\n[ "$1 $2" = "--kubeconfig /etc/kubernetes/admin.conf" ] || { echo "not the admin kubeconfig: $*" >&2; exit 98; }\nshift 2\ncase "$*" in\n  "get csr -o jsonpath="*) cat ${dir}/list ;;\n  "get csr "*" -o jsonpath={.spec.request}") cat "${dir}/csr/$3" ;;\n  "certificate approve "*) echo "$3" >>${dir}/approved ;;\n  *) echo "unexpected: $*" >&2; exit 99 ;;\nesac\n`,
  );
  chmodSync(join(dir, 'bin', 'kubectl'), 0o755);
  const file = join(dir, 'approve');
  writeFileSync(join(dir, 'common.sh'), renderShellLibrary(bundledTemplates(), { controlPlane: true, kubeVip: false }));
  writeFileSync(file, script.replace(`expected=${NODE_PATHS.expectedNodes}`, `expected=${join(dir, 'nodes')}`).replace(`. ${shellLibraryPath('cloud-init')}`, `. ${join(dir, 'common.sh')}`));
  const r = spawnSync('bash', [file], { encoding: 'utf8', env: { PATH: `${join(dir, 'bin')}:${process.env['PATH']}` } });
  let approved: string[] = [];
  try {
    approved = readFileSync(join(dir, 'approved'), 'utf8').trim().split('\n');
  } catch {
    // none approved
  }
  t.equal(r.status, 0, r.stderr);
  return { approved, stderr: r.stderr };
}

t.test("approves a profile node's request for its own name and IP", async (t) => {
  const r = approve([{ name: 'csr-ok', user: 'system:node:worker-1', cn: 'system:node:worker-1', san: 'DNS:worker-1,IP:192.168.56.102' }]);
  t.same(r.approved, ['csr-ok']);
});

t.test('refuses other names and addresses, other nodes, other signers and decided CSRs', async (t) => {
  const r = approve([
    { name: 'csr-other-ip', user: 'system:node:worker-1', cn: 'system:node:worker-1', san: 'DNS:worker-1,IP:192.168.56.101' },
    { name: 'csr-other-name', user: 'system:node:worker-1', cn: 'system:node:worker-1', san: 'DNS:control-plane,IP:192.168.56.102' },
    { name: 'csr-cn-mismatch', user: 'system:node:worker-1', cn: 'system:node:worker-2', san: 'DNS:worker-1' },
    { name: 'csr-unknown-node', user: 'system:node:intruder', cn: 'system:node:intruder', san: 'DNS:intruder' },
    { name: 'csr-client', user: 'system:node:worker-1', cn: 'system:node:worker-1', san: 'DNS:worker-1', signer: 'kubernetes.io/kube-apiserver-client-kubelet' },
    { name: 'csr-approved', user: 'system:node:worker-2', cn: 'system:node:worker-2', san: 'DNS:worker-2', state: 'Approved' },
    { name: 'csr-good', user: 'system:node:worker-2', cn: 'system:node:worker-2', san: 'DNS:worker-2,IP:192.168.56.103' },
  ]);
  t.same(r.approved, ['csr-good']);
  t.match(r.stderr, 'not approving csr-other-ip');
  t.match(r.stderr, 'not approving csr-other-name');
  t.match(r.stderr, 'not approving csr-cn-mismatch');
});
