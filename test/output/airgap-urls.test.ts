// Air-gapped profile: every URL and every image reference in the generated scripts and
// configs (cloud-init user-data, Ignition, provision.sh) must point at the mirrors.
// Images that manifests name by their upstream registry count as mirrored only when a
// generated hosts.toml sends that registry to the mirror, and nowhere else.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { generateClusterFiles } from '../../src/output/generate-cluster.js';
import { generateImage } from '../../src/output/generate-image.js';
import { decodeDataUrl } from '../../src/emit/data-url.js';
import type { Profile } from '../../src/profile/types.js';
import { ROOT, bundledTemplates, fixtureSecrets, profileAt } from '../helpers/fixtures.js';
import { airgapProfile, prebakedVariant } from '../helpers/image-fixtures.js';
import { writeFileText, type WriteFileEntry } from '../helpers/cloud-init-files.js';

const templates = bundledTemplates();
const secrets = fixtureSecrets('lab');
const airgap = airgapProfile();
const MIRROR_HOSTS = ['mirror.airgap.example', 'mirror.airgap.example:5000'];
const MIRROR_REGISTRY = 'mirror.airgap.example:5000';
const UPSTREAM_REGISTRIES = ['docker.io', 'quay.io', 'registry.k8s.io', 'ghcr.io', 'gcr.io', 'k8s.gcr.io', 'registry-1.docker.io'];

/** One generated text with the name of where it came from. */
interface Text {
  where: string;
  path: string;
  content: string;
}

const utf8 = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

/** Every file a node or the image build writes, decoded to text. */
function generatedTexts(profile: Profile): Text[] {
  const out: Text[] = [];
  for (const f of generateClusterFiles({ profile, secrets, templates, formats: ['cloud-init', 'ignition'] })) {
    if (f.path.endsWith('/user-data')) {
      const doc = parseYaml(utf8(f.content)) as { write_files: WriteFileEntry[]; runcmd: string[][] };
      for (const w of doc.write_files) out.push({ where: f.path, path: w.path, content: writeFileText(w) });
      out.push({ where: f.path, path: 'runcmd', content: doc.runcmd.flat().join(' ') });
    } else if (f.path.endsWith('/config.ign')) {
      const ign = JSON.parse(utf8(f.content)) as {
        storage: { files: { path: string; contents: { source: string; compression?: string } }[] };
        systemd: { units: { name: string; contents?: string; dropins?: { contents: string }[] }[] };
      };
      for (const file of ign.storage.files) {
        const { source, compression } = file.contents;
        out.push({ where: f.path, path: file.path, content: source.startsWith('data:') ? decodeDataUrl(source, compression ?? null).toString('utf8') : source });
      }
      for (const u of ign.systemd.units) {
        out.push({ where: f.path, path: u.name, content: [u.contents ?? '', ...(u.dropins ?? []).map((d) => d.contents)].join('\n') });
      }
    }
  }
  for (const f of generateImage(profile, templates)) {
    if (f.path !== 'provision.sh') {
      out.push({ where: 'image', path: f.path, content: utf8(f.content) });
      continue;
    }
    // The files provision.sh writes count as files (under their paths), the rest as the script.
    const unquote = (p: string): string => p.replace(/^'|'$/g, '');
    const script = utf8(f.content)
      .replace(/^ {2}install .* \/dev\/stdin (\S+) <<'(\w+)'\n([\s\S]*?\n)\2$/gm, (_all, path: string, _d: string, body: string) => {
        out.push({ where: 'image', path: unquote(path), content: body });
        return '';
      })
      .replace(/^ {2}base64 -d <<'(\w+)' \| install .* \/dev\/stdin (\S+)\n([\s\S]*?)\n\1$/gm, (_all, _d: string, path: string, body: string) => {
        out.push({ where: 'image', path: unquote(path), content: Buffer.from(body.replace(/\s/g, ''), 'base64').toString('utf8') });
        return '';
      });
    out.push({ where: 'image', path: f.path, content: script });
  }
  return out;
}

const urlsIn = (s: string): string[] => [...s.matchAll(/https?:\/\/[^\s'"<>\\)\]]+/g)].map((m) => m[0]);
const hostOf = (url: string): string => new URL(url).host;
const imageRefsIn = (manifest: string): string[] => [...manifest.matchAll(/^\s*(?:-\s*)?image:\s*["']?([^\s"']+)/gm)].map((m) => m[1]!);
/** The registry an image reference pulls from, as containerd resolves it. */
function registryOf(ref: string): string {
  const first = ref.split('/')[0]!;
  return ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

/** Build-host files: Packer downloads the base image there, from a URL the user passes with -var. */
const BUILD_HOST_FILES = ['README.md', 'node.pkr.hcl'];

function nodeTexts(profile: Profile): Text[] {
  return generatedTexts(profile).filter((x) => !(x.where === 'image' && BUILD_HOST_FILES.includes(x.path)));
}

/** Loopback (a control plane's own etcd, https://127.0.0.1:2379) downloads nothing. */
const isLoopback = (url: string): boolean => /^127\./.test(new URL(url).hostname);
/** A URL whose host is a shell expansion ("http://${IP[$1]}:…"): a node address the script fills in, not a download. */
const isNodeUrl = (url: string): boolean => /^https?:\/\/\$/.test(url);

function offMirrorUrls(texts: Text[], allowedHosts: string[]): string[] {
  return texts.flatMap((x) =>
    urlsIn(x.content)
      .filter((u) => !isNodeUrl(u) && !allowedHosts.includes(hostOf(u)) && !isLoopback(u))
      .map((u) => `${x.where} ${x.path}: ${u}`),
  );
}

/** hosts.toml per upstream registry, parsed by Python's TOML parser. */
function hostsTomls(texts: Text[]): Map<string, { server: string; host: Record<string, unknown> }> {
  const dir = mkdtempSync(join(tmpdir(), 'gen-userdata-hosts-'));
  const out = new Map<string, { server: string; host: Record<string, unknown> }>();
  for (const x of texts) {
    const m = /^\/etc\/containerd\/certs\.d\/([^/]+)\/hosts\.toml$/.exec(x.path);
    if (!m) continue;
    const file = join(dir, `${m[1]}.toml`);
    writeFileSync(file, x.content);
    const r = spawnSync('python3', ['-c', 'import json,sys,tomllib; print(json.dumps(tomllib.load(open(sys.argv[1], "rb"))))', file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${x.path} is not TOML: ${r.stderr}`);
    out.set(m[1]!, JSON.parse(r.stdout) as { server: string; host: Record<string, unknown> });
  }
  return out;
}

t.test('air-gapped: every URL in scripts and configs is a mirror URL', async (t) => {
  const texts = nodeTexts(airgap);
  t.ok(texts.length > 40, `scanned ${texts.length} generated files`);
  const urls = texts.flatMap((x) => urlsIn(x.content));
  t.ok(urls.length > 10, `found ${urls.length} URLs to check`);
  t.same(offMirrorUrls(texts, MIRROR_HOSTS), []);
  // The same holds for golden-image nodes and their image build.
  t.same(offMirrorUrls(nodeTexts(prebakedVariant(airgap)), MIRROR_HOSTS), []);
});

t.test('the scan can fail: the lab profile downloads from upstream', async (t) => {
  const hosts = new Set(offMirrorUrls(nodeTexts(profileAt('profiles/lab.yaml')), MIRROR_HOSTS).map((l) => hostOf(l.slice(l.indexOf('http')))));
  for (const h of ['pkgs.k8s.io', 'raw.githubusercontent.com', 'github.com', 'extensions.flatcar.org']) t.ok(hosts.has(h), `flags ${h}`);
});

t.test('build-host files only name the base cloud image, which -var overrides', async (t) => {
  const buildHost = generatedTexts(airgap).filter((x) => x.where === 'image' && BUILD_HOST_FILES.includes(x.path));
  const hosts = new Set(buildHost.flatMap((x) => urlsIn(x.content)).map(hostOf));
  t.same([...hosts].sort(), ['cloud-images.ubuntu.com', 'cloud.debian.org']);
  t.match(buildHost.find((x) => x.path === 'node.pkr.hcl')!.content, /variable "image_url"/);
});

t.test('air-gapped: every image a node pulls comes from the mirror', async (t) => {
  const texts = nodeTexts(airgap);
  const hosts = hostsTomls(texts);
  t.same([...hosts.keys()].sort(), ['docker.io', 'ghcr.io', 'quay.io', 'registry.k8s.io']);
  const mirroredRegistries: string[] = [];
  for (const [registry, toml] of hosts) {
    const endpoints = [toml.server, ...Object.keys(toml.host)];
    const expected = registry === 'registry.k8s.io' ? 'https://mirror.airgap.example:5000/v2/k8s' : `https://mirror.airgap.example:5000/v2/k8s/${registry}`;
    t.same(endpoints, [expected, expected], `${registry}: the mirror is the only host, also as server (no upstream fallback)`);
    if (endpoints.every((e) => hostOf(e) === MIRROR_REGISTRY)) mirroredRegistries.push(registry);
  }

  const manifests = texts.filter((x) => x.path.startsWith('/etc/gen-userdata/manifests/'));
  // The verifier's smoke workloads name their images under the mirror itself.
  const smokeRefs = [...new Set(texts.filter((x) => x.path === '/etc/gen-userdata/smoke-workloads.yaml').flatMap((x) => imageRefsIn(x.content)))];
  t.same(smokeRefs, ['mirror.airgap.example:5000/k8s/docker.io/library/nginx:1.27.3', 'mirror.airgap.example:5000/k8s/docker.io/hashicorp/http-echo:1.0.0'], 'smoke images: <repository>/<registry>/<path>, as the mirror lays them out');
  t.same([...new Set(manifests.map((x) => x.path))].sort(), [
    '/etc/gen-userdata/manifests/addon-ingressNginx.yaml', '/etc/gen-userdata/manifests/addon-metricsServer.yaml', '/etc/gen-userdata/manifests/cni-calico.yaml',
  ]);
  const refs = [...new Set(manifests.flatMap((x) => imageRefsIn(x.content)))];
  t.ok(refs.length >= 6, `image references in the embedded manifests: ${refs.join(', ')}`);
  for (const ref of refs) {
    const registry = registryOf(ref);
    t.ok(registry === MIRROR_REGISTRY || mirroredRegistries.includes(registry), `${ref} resolves through ${registry}, which goes to the mirror`);
  }

  const config = texts.filter((x) => x.path === '/etc/kubernetes/gen-userdata/kubeadm-config.yaml').map((x) => x.content).join('\n');
  t.match(config, /^imageRepository: mirror\.airgap\.example:5000\/k8s$/m, 'kubeadm pulls its images from the mirror');
  const containerd = texts.filter((x) => x.path === '/etc/containerd/config.toml').map((x) => x.content);
  t.ok(containerd.length > 0);
  for (const c of containerd) t.match(c, 'sandbox_image = "mirror.airgap.example:5000/k8s/pause:3.10"');
  const provision = texts.find((x) => x.path === 'provision.sh')!.content;
  t.match(provision, '--image-repository mirror.airgap.example:5000/k8s');
  t.match(provision, 'local image=mirror.airgap.example:5000/k8s/pause:3.10\n');

  // Anywhere else, an upstream registry name may only appear as a hosts.toml path, or
  // as a path segment under the mirror (the layout mirrorPrefix describes).
  const upstream = new RegExp(`(?<![\\w.-])(${UPSTREAM_REGISTRIES.map((r) => r.replace(/\./g, '\\.')).join('|')})(?![\\w.-])`, 'g');
  for (const x of texts.filter((y) => !y.path.startsWith('/etc/gen-userdata/manifests/') && !y.path.endsWith('/hosts.toml'))) {
    const stray = [...x.content.matchAll(upstream)]
      .filter((m) => !x.content.slice(Math.max(0, m.index - 30), m.index).endsWith('/etc/containerd/certs.d/'))
      .filter((m) => !x.content.slice(Math.max(0, m.index - 40), m.index).endsWith(`${MIRROR_REGISTRY}/k8s/`))
      .map((m) => m[0]);
    t.same(stray, [], `${x.where} ${x.path}: no upstream registry`);
  }
});

t.test('air-gapped: the apt key comes from keyFile, is embedded and dearmored (gpg)', async (t) => {
  const fixtureKey = readFileSync(join(ROOT, 'test', 'fixtures', 'airgap', 'kubernetes-apt-key.asc'), 'utf8');
  const texts = nodeTexts(airgap);
  const keys = texts.filter((x) => x.path === '/etc/gen-userdata/kubernetes-apt-key.asc');
  t.ok(keys.length >= 3, 'every cloud-init node and provision.sh get the key');
  for (const k of keys) t.equal(k.content, fixtureKey, `${k.where}: the keyFile content, byte for byte`);
  const installers = texts.filter((y) => (y.path.endsWith('gen-userdata-bootstrap') || y.path === 'provision.sh') && y.content.includes('apt-mark hold'));
  t.same(installers.map((x) => x.where).sort(), ['image', 'nodes/cp-1/user-data', 'nodes/worker-1/user-data'], 'Flatcar nodes install no packages');
  for (const x of installers) {
    t.match(x.content, 'gpg --dearmor --yes -o "$keyring" </etc/gen-userdata/kubernetes-apt-key.asc', `${x.where}: dearmors the embedded key`);
    t.notMatch(x.content, /curl -|Release\.key/, `${x.where}: fetches no key and no manifest`);
    t.match(x.content, "printf 'deb [signed-by=%s] %s /\\n' \"$keyring\" https://mirror.airgap.example/pkgs.k8s.io/core:/stable:/v1.31/deb/ >");
  }
  const home = mkdtempSync(join(tmpdir(), 'gen-userdata-gpg-'));
  const keyring = join(home, 'kubernetes-apt-keyring.gpg');
  const dearmor = spawnSync('gpg', ['--homedir', home, '--dearmor', '--yes', '-o', keyring], { input: keys[0]!.content, encoding: 'utf8' });
  t.equal(dearmor.status, 0, dearmor.stderr);
  const show = spawnSync('gpg', ['--homedir', home, '--show-keys', keyring], { encoding: 'utf8' });
  t.equal(show.status, 0, show.stderr);
  t.match(show.stdout, 'gen-userdata air-gap test mirror');
});
