import t from 'tap';
import { spawnSync } from 'node:child_process';
import { MIRRORED_REGISTRIES, mirrorPrefix, registryMirrors } from '../../src/plan/registry-mirrors.js';
import { imageFiles, registryHostsFiles } from '../../src/plan/node-files.js';
import { pauseImage } from '../../src/kube/versions.js';
import { buildClusterConfiguration } from '../../src/kube/cluster-configuration.js';
import { bundledTemplates, profileAt } from '../helpers/fixtures.js';

const templates = bundledTemplates();
const lab = profileAt('profiles/lab.yaml');
const toml = (text: string): Record<string, any> => {
  const r = spawnSync('python3', ['-c', 'import json,sys,tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))'], { input: text, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`not TOML: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, any>;
};

t.test('registry.k8s.io maps to the repository root, other registries to a subpath', async (t) => {
  t.equal(mirrorPrefix('reg.example:5000/mirror', 'registry.k8s.io'), 'reg.example:5000/mirror');
  t.equal(mirrorPrefix('reg.example:5000/mirror/', 'docker.io'), 'reg.example:5000/mirror/docker.io');
  t.same(registryMirrors('reg.example:5000/mirror').map((m) => [m.registry, m.endpoint]), [
    ['docker.io', 'https://reg.example:5000/v2/mirror/docker.io'],
    ['ghcr.io', 'https://reg.example:5000/v2/mirror/ghcr.io'],
    ['quay.io', 'https://reg.example:5000/v2/mirror/quay.io'],
    ['registry.k8s.io', 'https://reg.example:5000/v2/mirror'],
  ]);
  t.same(registryMirrors('reg.example').find((m) => m.registry === 'registry.k8s.io')?.endpoint, 'https://reg.example/v2', 'a bare host is the registry root');
});

t.test('kubeadm, the sandbox image and the registry.k8s.io mirror agree', async (t) => {
  const p = structuredClone(lab);
  p.images.repository = 'reg.example:5000/mirror';
  const k8s = registryMirrors(p.images.repository).find((m) => m.registry === 'registry.k8s.io')!;
  t.equal(buildClusterConfiguration('kubeadm.k8s.io/v1beta3', p, 'rsa-2048')['imageRepository'], k8s.prefix);
  t.equal(pauseImage(p.cluster.kubernetesVersion, p.images.repository), `${k8s.prefix}/pause:3.9`);
});

t.test('hosts.toml: valid TOML, the mirror as the only host and as server', async (t) => {
  t.same(registryHostsFiles(lab, templates), [], 'none without images.repository');
  const p = structuredClone(lab);
  p.images.repository = 'reg.example:5000/mirror';
  const files = registryHostsFiles(p, templates);
  t.same(files.map((f) => f.path), MIRRORED_REGISTRIES.map((r) => `/etc/containerd/certs.d/${r}/hosts.toml`));
  for (const f of files) {
    const doc = toml(f.content);
    const endpoint = registryMirrors(p.images.repository).find((m) => f.path.includes(`/${m.registry}/`))!.endpoint;
    t.equal(doc['server'], endpoint);
    t.equal(doc['override_path'], true);
    t.same(Object.keys(doc['host']), [endpoint], 'a [host] table: containerd ignores a hosts.toml without one');
    t.same(doc['host'][endpoint], { capabilities: ['pull', 'resolve'], override_path: true });
    t.equal(f.mode, 0o644);
  }
  t.ok(imageFiles(p, templates).some((f) => f.path.endsWith('/hosts.toml')), 'they are image files (baked, or written at first boot)');
});

t.test('the containerd config parses as TOML and points at certs.d', async (t) => {
  const config = imageFiles(lab, templates).find((f) => f.path === '/etc/containerd/config.toml')!;
  const doc = toml(config.content);
  const cri = doc['plugins']['io.containerd.grpc.v1.cri'];
  t.equal(cri['registry']['config_path'], '/etc/containerd/certs.d');
  t.equal(cri['containerd']['runtimes']['runc']['options']['SystemdCgroup'], true);
});
