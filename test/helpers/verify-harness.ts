// Runs the init node's cluster verifier (the real script, sourcing the real shell
// library) in a temp dir with stand-in kubectl and curl (test/fixtures/verify-stubs)
// on PATH, which answer from a world the test controls.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Profile } from '../../src/profile/types.js';
import { clusterVerifyScript, type VerifyPaths } from '../../src/plan/cluster-verify.js';
import { renderShellLibrary } from '../../src/plan/shell-library.js';
import { trimShellLibrary } from '../../src/plan/trim-shell-library.js';
import { SMOKE_NODE_PORT } from '../../src/kube/smoke-manifests.js';
import { bundledTemplates, ROOT } from './fixtures.js';

const templates = bundledTemplates();

/** lab with ingress-nginx too (hostPort by default), so every smoke check runs. */
export function withIngress(p: Profile, expose: 'hostPort' | 'nodePort' = 'hostPort'): Profile {
  return { ...p, addons: { ...p.addons, ingressNginx: { ...p.addons.ingressNginx, enabled: true, expose } } };
}

const STUBS = join(ROOT, 'test', 'fixtures', 'verify-stubs');

export interface World {
  /** Registered nodes: name, kubelet version, Ready. Default: every lab node Ready on v1.30.0. */
  nodes?: [string, string, boolean][];
  /** rollout objects that never finish, e.g. "daemonset/calico-node". */
  stuck?: string[];
  noMetrics?: boolean;
  hpaCpu?: string;
  /** host:port pairs that answer HTTP 200 (default: every lab node's smoke NodePort). */
  http?: string[];
  /** host:port pairs whose answer is the body (ingress). */
  bodies?: Record<string, string>;
  apiDown?: boolean;
  applyFails?: boolean;
}

export interface Outcome {
  status: number | null;
  stderr: string;
  calls: string[];
  log: string;
  verified: boolean;
  failed?: string;
  report?: any;
  configMaps: any[];
  applied: string[];
}

export const LAB_NODES: [string, string][] = [['control-plane', '192.168.56.101'], ['worker-1', '192.168.56.102'], ['worker-2', '192.168.56.103']];

export function runVerifier(profile: Profile, world: World, env: Record<string, string> = {}, reuse?: string): Outcome & { dir: string } {
  const dir = reuse ?? mkdtempSync(join(tmpdir(), 'gen-userdata-verify-'));
  const stub = join(dir, 'stub');
  const bin = join(dir, 'bin');
  for (const d of [stub, bin, join(stub, 'stuck'), join(stub, 'http'), join(stub, 'body'), join(stub, 'applied')]) mkdirSync(d, { recursive: true });
  for (const tool of ['kubectl', 'curl']) {
    copyFileSync(join(STUBS, tool), join(bin, tool));
    chmodSync(join(bin, tool), 0o755);
  }
  const nodes = world.nodes ?? profile.nodes.map((n) => [n.name, `v${profile.cluster.kubernetesVersion}`, true] as [string, string, boolean]);
  writeFileSync(join(stub, 'nodes'), nodes.map(([n, v, r]) => `${n} ${v} ${r ? 'True' : 'False'}\n`).join(''));
  for (const s of world.stuck ?? []) writeFileSync(join(stub, 'stuck', s.replace(/\//g, '_')), '');
  if (world.noMetrics) writeFileSync(join(stub, 'no-metrics'), '');
  if (world.hpaCpu !== undefined) writeFileSync(join(stub, 'hpa-cpu'), world.hpaCpu);
  for (const hp of world.http ?? profile.nodes.map((n) => `${n.ip}:${SMOKE_NODE_PORT}`)) writeFileSync(join(stub, 'http', hp), '200');
  for (const [hp, body] of Object.entries(world.bodies ?? {})) writeFileSync(join(stub, 'body', hp), `${body}\n`);
  if (world.apiDown) writeFileSync(join(stub, 'api-down'), '');
  if (world.applyFails) writeFileSync(join(stub, 'apply-fails'), '');
  writeFileSync(join(dir, 'nodes'), profile.nodes.map((n) => `${n.name} ${n.role} ${n.ip}\n`).join(''));
  const library = join(dir, 'common.sh');
  const paths: VerifyPaths = {
    library,
    expectedNodes: join(dir, 'nodes'),
    smokeManifest: join(dir, 'smoke.yaml'),
    report: join(dir, 'state', 'cluster-status.json'),
    verified: join(dir, 'state', 'cluster-verified'),
    failed: join(dir, 'state', 'cluster-verify.failed'),
    log: join(dir, 'log', 'verify.log'),
  };
  writeFileSync(paths.smokeManifest, 'kind: Namespace\n');
  const script = join(dir, 'gen-userdata-verify');
  const text = clusterVerifyScript(templates, profile, paths);
  writeFileSync(script, text);
  // The library as the init node gets it: a control plane's, trimmed to what its scripts call.
  writeFileSync(library, trimShellLibrary(renderShellLibrary(templates, { controlPlane: true, kubeVip: false }), [text]));
  chmodSync(script, 0o755);
  writeFileSync(join(stub, 'calls'), '');
  const r = spawnSync(script, [], {
    encoding: 'utf8',
    env: {
      PATH: `${bin}:/usr/bin:/bin`,
      STUB: stub,
      GEN_USERDATA_VERIFY_JOIN_TIMEOUT: '2',
      GEN_USERDATA_VERIFY_ROLLOUT_TIMEOUT: '2',
      ...env,
    },
    timeout: 120_000,
  });
  const applied = readdirSync(join(stub, 'applied')).sort().map((f) => readFileSync(join(stub, 'applied', f), 'utf8'));
  const configMaps = applied.filter((a) => a.includes('"kind":"ConfigMap"')).map((a) => JSON.parse(a));
  return {
    dir,
    status: r.status,
    stderr: r.stderr,
    calls: readFileSync(join(stub, 'calls'), 'utf8').split('\n').filter((l) => l !== ''),
    log: existsSync(paths.log) ? readFileSync(paths.log, 'utf8') : '',
    verified: existsSync(paths.verified),
    ...(existsSync(paths.failed) ? { failed: readFileSync(paths.failed, 'utf8') } : {}),
    ...(existsSync(paths.report) ? { report: JSON.parse(readFileSync(paths.report, 'utf8')) } : {}),
    configMaps,
    applied,
  };
}

export const checkOf = (o: Outcome, name: string): any => o.report?.checks.find((c: any) => c.name === name);

