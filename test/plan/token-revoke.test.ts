// The init node's bootstrap-token revoker: the real script, run in a temp dir with
// stand-in kubectl and systemctl on PATH. It must delete the token only when every
// profile node is registered or the token's own expiration has passed.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClusterPlans } from '../../src/plan/build-node-plan.js';
import { TOKEN_REVOKE_SERVICE, TOKEN_REVOKE_TIMER, tokenRevokeScript } from '../../src/plan/token-revoke.js';
import { renderShellLibrary } from '../../src/plan/shell-library.js';
import { NODE_PATHS } from '../../src/plan/paths.js';
import { bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';

const templates = bundledTemplates();
const lab = profileAt('profiles/lab.yaml');
const secrets = fixtureSecrets('lab');
const TOKEN_ID = secrets.bootstrapToken.id;
const SECRET = `bootstrap-token-${TOKEN_ID}`;

// kubectl_admin (the library) passes the admin kubeconfig as --kubeconfig.
const KUBECTL = `#!/bin/bash
kubeconfig=none
if [ "$1" = --kubeconfig ]; then kubeconfig=$2; shift 2; fi
echo "kubectl $* KUBECONFIG=$kubeconfig" >>"$STUB/calls"
if [ -f "$STUB/api-down" ]; then echo "The connection to the server was refused" >&2; exit 1; fi
case "$*" in
  "get nodes -o jsonpath="*) cat "$STUB/nodes" ;;
  "get nodes -l node-role.kubernetes.io/control-plane -o jsonpath="*) cat "$STUB/control-planes" ;;
  "-n kube-system get secret ${SECRET} --ignore-not-found -o name") if [ -f "$STUB/secret" ]; then echo "secret/${SECRET}"; fi ;;
  "-n kube-system get secret ${SECRET} -o jsonpath={.data.expiration}") if [ -f "$STUB/expiration" ]; then base64 -w0 <"$STUB/expiration"; fi ;;
  "-n kube-system delete secret ${SECRET} --ignore-not-found") rm -f "$STUB/secret"; echo "secret \\"${SECRET}\\" deleted" ;;
  *) echo "unexpected kubectl call: $*" >&2; exit 99 ;;
esac
`;
const SYSTEMCTL = '#!/bin/bash\necho "systemctl $*" >>"$STUB/calls"\n';

interface World {
  bootstrapDone?: boolean;
  apiDown?: boolean;
  secret?: boolean;
  /** RFC 3339, as kubeadm writes it into the Secret; absent for ttl 0. */
  expiration?: string;
  registered: string[];
  /** Registered nodes with kubeadm's control-plane label; default: the registered control planes. */
  labelled?: string[];
  expected?: string[];
}

const isControlPlaneName = (n: string): boolean => n === 'control-plane' || n.startsWith('cp-');

interface Outcome {
  status: number | null;
  stderr: string;
  calls: string[];
  log: string;
  secretLeft: boolean;
}

function setUp(world: World): { dir: string; script: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-revoke-'));
  const stub = join(dir, 'stub');
  const bin = join(dir, 'bin');
  for (const d of [stub, bin]) spawnSync('mkdir', ['-p', d]);
  writeFileSync(join(bin, 'kubectl'), KUBECTL);
  writeFileSync(join(bin, 'systemctl'), SYSTEMCTL);
  chmodSync(join(bin, 'kubectl'), 0o755);
  chmodSync(join(bin, 'systemctl'), 0o755);
  writeFileSync(join(stub, 'calls'), '');
  writeFileSync(join(stub, 'nodes'), world.registered.map((n) => `${n}\n`).join(''));
  const labelled = world.labelled ?? world.registered.filter(isControlPlaneName);
  writeFileSync(join(stub, 'control-planes'), labelled.map((n) => `${n}\n`).join(''));
  if (world.secret ?? true) writeFileSync(join(stub, 'secret'), '');
  if (world.expiration !== undefined) writeFileSync(join(stub, 'expiration'), world.expiration);
  if (world.apiDown) writeFileSync(join(stub, 'api-down'), '');
  const expected = world.expected ?? ['control-plane', 'worker-1', 'worker-2'];
  writeFileSync(join(dir, 'nodes'), expected.map((n, i) => `${n} ${isControlPlaneName(n) ? 'control-plane' : 'worker'} 192.168.56.${101 + i}\n`).join(''));
  if (world.bootstrapDone ?? true) writeFileSync(join(dir, 'bootstrap.done'), '2026-01-01T00:00:00Z\n');
  writeFileSync(join(dir, 'common.sh'), renderShellLibrary(templates, { controlPlane: true, kubeVip: false }));
  const script = join(dir, 'gen-userdata-token-revoke');
  writeFileSync(
    script,
    tokenRevokeScript(templates, TOKEN_ID, { expectedNodes: join(dir, 'nodes'), log: join(dir, 'log', 'token-revoke.log'), successMarker: join(dir, 'bootstrap.done'), library: join(dir, 'common.sh') }),
  );
  chmodSync(script, 0o755);
  return { dir, script };
}

function run(dir: string, script: string): Outcome {
  const r = spawnSync(script, [], {
    encoding: 'utf8',
    env: { PATH: `${join(dir, 'bin')}:${process.env['PATH'] ?? '/usr/bin:/bin'}`, STUB: join(dir, 'stub') },
  });
  const logFile = join(dir, 'log', 'token-revoke.log');
  return {
    status: r.status,
    stderr: r.stderr,
    calls: readFileSync(join(dir, 'stub', 'calls'), 'utf8').split('\n').filter((l) => l !== ''),
    log: existsSync(logFile) ? readFileSync(logFile, 'utf8') : '',
    secretLeft: existsSync(join(dir, 'stub', 'secret')),
  };
}

function once(world: World): Outcome {
  const { dir, script } = setUp(world);
  return run(dir, script);
}

const deleted = (o: Outcome): boolean => o.calls.some((c) => c.startsWith(`kubectl -n kube-system delete secret ${SECRET}`));
const disabled = (o: Outcome): boolean => o.calls.includes(`systemctl disable --now ${TOKEN_REVOKE_TIMER}`);
const FUTURE = '2999-01-01T00:00:00Z';
const PAST = '2000-01-01T00:00:00Z';

t.test('every profile node registered: deletes the token and disables the timer', async (t) => {
  const o = once({ registered: ['control-plane', 'worker-1', 'worker-2'], expiration: FUTURE });
  t.equal(o.status, 0, o.stderr);
  t.ok(deleted(o), 'token Secret deleted');
  t.notOk(o.secretLeft);
  t.ok(disabled(o), 'timer disabled');
  t.match(o.log, new RegExp(`deleted bootstrap token ${TOKEN_ID}: every node of the profile is registered`));
  t.ok(o.calls.every((c) => !c.startsWith('kubectl') || c.endsWith('KUBECONFIG=/etc/kubernetes/admin.conf')), 'kubectl uses admin.conf');
});

t.test('a node still missing and the ttl not passed: keeps the token', async (t) => {
  const o = once({ registered: ['control-plane', 'worker-1'], expiration: FUTURE });
  t.equal(o.status, 0, o.stderr);
  t.notOk(deleted(o), 'not deleted');
  t.ok(o.secretLeft);
  t.notOk(disabled(o), 'timer keeps running');
  t.match(o.log, /waiting for 1 node\(s\) to register: worker-2/);
});

t.test('a node still missing but the ttl has passed: deletes the token', async (t) => {
  const o = once({ registered: ['control-plane', 'worker-1'], expiration: PAST });
  t.equal(o.status, 0, o.stderr);
  t.ok(deleted(o));
  t.ok(disabled(o));
  t.match(o.log, /its ttl has passed \(expired 2000-01-01T00:00:00Z; not registered: worker-2\)/);
});

t.test('ttl 0 (no expiration in the Secret): only a complete cluster closes the window', async (t) => {
  const waiting = once({ registered: ['control-plane'] });
  t.notOk(deleted(waiting));
  t.match(waiting.log, /waiting for 2 node\(s\) to register: worker-1 worker-2/);
  const done = once({ registered: ['worker-2', 'control-plane', 'worker-1'] });
  t.ok(deleted(done));
});

t.test('names match exactly: worker-1 registered does not count for worker-10', async (t) => {
  const o = once({ registered: ['control-plane', 'worker-1', 'worker-10x'], expected: ['control-plane', 'worker-1', 'worker-10'], expiration: FUTURE });
  t.notOk(deleted(o));
  t.match(o.log, /to register: worker-10$/m);
});

t.test('a control plane counts only once kubeadm labelled it (its join finished)', async (t) => {
  const expected = ['control-plane', 'cp-2', 'worker-1'];
  const joining = once({ expected, registered: ['control-plane', 'cp-2', 'worker-1'], labelled: ['control-plane'], expiration: FUTURE });
  t.notOk(deleted(joining), 'cp-2 registered its Node but its join may still fail: keep the token');
  t.match(joining.log, /waiting for 1 node\(s\) to register: cp-2/);
  const joined = once({ expected, registered: ['control-plane', 'cp-2', 'worker-1'], labelled: ['control-plane', 'cp-2'], expiration: FUTURE });
  t.ok(deleted(joined));
});

t.test('nodes outside the profile do not matter', async (t) => {
  const o = once({ registered: ['control-plane', 'worker-1', 'worker-2', 'stray'], expiration: FUTURE });
  t.ok(deleted(o));
});

t.test('before the bootstrap has finished it does nothing at all', async (t) => {
  const o = once({ bootstrapDone: false, registered: ['control-plane', 'worker-1', 'worker-2'], expiration: PAST });
  t.equal(o.status, 0);
  t.same(o.calls, [], 'no kubectl, no systemctl');
  t.match(o.log, /waiting for the bootstrap to finish/);
});

t.test('API server unreachable: no change, tries again next minute', async (t) => {
  const o = once({ apiDown: true, registered: [], expiration: PAST });
  t.equal(o.status, 0, 'a failed check is not a failed unit');
  t.notOk(deleted(o));
  t.notOk(disabled(o));
  t.match(o.log, /cannot reach the API server/);
});

t.test('the token is already gone (expired, or deleted by hand): just stops the timer', async (t) => {
  const o = once({ secret: false, registered: ['control-plane'] });
  t.equal(o.status, 0);
  t.notOk(deleted(o), 'no delete call');
  t.ok(disabled(o));
  t.match(o.log, /already gone/);
});

t.test('repeated runs while waiting log the same message once', async (t) => {
  const { dir, script } = setUp({ registered: ['control-plane'], expiration: FUTURE });
  run(dir, script);
  run(dir, script);
  const o = run(dir, script);
  t.equal(o.log.split('\n').filter((l) => l.includes('waiting for 2 node(s)')).length, 1);
  writeFileSync(join(dir, 'stub', 'nodes'), 'control-plane\nworker-1\nworker-2\n');
  const done = run(dir, script);
  t.ok(deleted(done));
  t.match(done.log, /waiting for 2 node[\s\S]*deleted bootstrap token/);
});

t.test('the init node carries the script and the units; no other node does', async (t) => {
  for (const target of ['cloud-init', 'flatcar'] as const) {
    for (const plan of buildClusterPlans(lab, secrets, templates, target)) {
      const script = plan.files.find((f) => f.path.endsWith('/gen-userdata-token-revoke'));
      const units = plan.units.map((u) => u.name);
      if (!plan.node.init) {
        t.equal(script, undefined, `${plan.node.name}: no revoker`);
        t.notOk(units.includes(TOKEN_REVOKE_TIMER));
        continue;
      }
      t.equal(script?.mode, 0o755);
      t.match(script?.content, `readonly EXPECTED=${NODE_PATHS.expectedNodes}`);
      t.match(script?.content, `readonly LOG_FILE=${NODE_PATHS.tokenRevokeLog}`);
      t.notMatch(script?.content, secrets.bootstrapToken.secret, 'only the public token id, never the secret half');
      t.ok(plan.units.find((u) => u.name === TOKEN_REVOKE_TIMER)?.enabled, 'timer enabled');
      t.match(plan.units.find((u) => u.name === TOKEN_REVOKE_SERVICE)?.content, `ExecStart=${script?.path}`);
      if (target === 'cloud-init') t.match(plan.bootstrap.steps.find((s) => s.name === 'enable-units')?.body, new RegExp(`systemctl enable --now .*${TOKEN_REVOKE_TIMER}`));
    }
  }
});

t.test('revokeWhenJoined: false leaves it out', async (t) => {
  const p = structuredClone(lab);
  p.cluster.token.revokeWhenJoined = false;
  const init = buildClusterPlans(p, secrets, templates, 'cloud-init')[0]!;
  t.notOk(init.files.some((f) => f.path.endsWith('/gen-userdata-token-revoke')));
  t.notOk(init.units.some((u) => u.name.startsWith('gen-userdata-token-revoke')));
});

t.test('shellcheck-clean as rendered for a node', async (t) => {
  const { script } = setUp({ registered: [] });
  const lint = spawnSync('shellcheck', ['--shell=bash', '--severity=style', '--external-sources', script], { encoding: 'utf8' });
  t.equal(lint.status, 0, lint.stdout);
});
