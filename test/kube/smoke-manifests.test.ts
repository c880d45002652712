// The smoke workloads: every document parses, every apiVersion/kind pair is one the
// profile's Kubernetes serves, every image is pinned by tag (and mirrored with
// images.repository), and the parts follow the enabled add-ons.
import t from 'tap';
import { parseAllDocuments } from 'yaml';
import type { Profile } from '../../src/profile/types.js';
import { SUPPORTED_MINORS } from '../../src/kube/versions.js';
import {
  SMOKE_INGRESS_HOST,
  SMOKE_NAMESPACE,
  SMOKE_NODE_PORT,
  smokeEchoText,
  smokeManifest,
} from '../../src/kube/smoke-manifests.js';
import { profileAt } from '../helpers/fixtures.js';

/**
 * Group versions the API server serves for each kind we use, with the minor that
 * introduced them and the first minor without them (Kubernetes deprecated API
 * migration guide): autoscaling/v2 is GA since 1.23 and v2beta2 went in 1.26;
 * networking.k8s.io/v1 Ingress since 1.19, v1beta1 went in 1.22.
 */
const SERVED: Record<string, { apiVersion: string; since: number; removed?: number }[]> = {
  Namespace: [{ apiVersion: 'v1', since: 0 }],
  Service: [{ apiVersion: 'v1', since: 0 }],
  Deployment: [{ apiVersion: 'apps/v1', since: 9 }],
  Ingress: [{ apiVersion: 'networking.k8s.io/v1', since: 19 }, { apiVersion: 'networking.k8s.io/v1beta1', since: 14, removed: 22 }],
  HorizontalPodAutoscaler: [{ apiVersion: 'autoscaling/v2', since: 23 }, { apiVersion: 'autoscaling/v2beta2', since: 12, removed: 26 }],
};

function served(kind: string, apiVersion: string, minor: number): boolean {
  return (SERVED[kind] ?? []).some((s) => s.apiVersion === apiVersion && minor >= s.since && (s.removed === undefined || minor < s.removed));
}

function docs(profile: Profile): any[] {
  const parsed = parseAllDocuments(smokeManifest(profile));
  for (const d of parsed) if (d.errors.length > 0) throw new Error(String(d.errors[0]));
  return parsed.map((d) => d.toJSON());
}

function images(objects: any[]): string[] {
  return objects.flatMap((o) => (o.spec?.template?.spec?.containers ?? []).map((c: any) => c.image));
}

const lab = profileAt('profiles/lab.yaml');
const everything: Profile = { ...lab, addons: { ...lab.addons, ingressNginx: { ...lab.addons.ingressNginx, enabled: true } } };

t.test('every document is a Kubernetes object the profile\'s version serves', async (t) => {
  for (const minor of SUPPORTED_MINORS) {
    const p: Profile = { ...everything, cluster: { ...everything.cluster, kubernetesVersion: `${minor}.0` } };
    for (const o of docs(p)) {
      t.ok(served(o.kind, o.apiVersion, Number(minor.split('.')[1])), `${minor}: ${o.apiVersion} ${o.kind} is served`);
      t.ok(o.metadata?.name, `${o.kind} has a name`);
      if (o.kind !== 'Namespace') t.equal(o.metadata.namespace, SMOKE_NAMESPACE, `${o.kind}/${o.metadata.name} is in ${SMOKE_NAMESPACE}`);
    }
  }
  t.notOk(served('HorizontalPodAutoscaler', 'autoscaling/v2beta2', 30), 'the table can say no');
});

t.test('the parts follow the add-ons', async (t) => {
  const kinds = (p: Profile): string[] => docs(p).map((o) => `${o.kind}/${o.metadata.name}`);
  t.same(kinds(everything), ['Namespace/gen-userdata-smoke', 'Deployment/nginx', 'Service/nginx', 'Deployment/echo', 'Service/echo', 'Ingress/echo', 'HorizontalPodAutoscaler/nginx']);
  const bare: Profile = { ...lab, addons: { ...lab.addons, metricsServer: { ...lab.addons.metricsServer, enabled: false } } };
  t.same(kinds(bare), ['Namespace/gen-userdata-smoke', 'Deployment/nginx', 'Service/nginx']);
  t.equal(docs(bare)[1].spec.replicas, 2, 'without an HPA nginx has two replicas');
  t.notOk('replicas' in docs(everything)[1].spec, 'with an HPA the replica count is the HPA\'s');
});

t.test('the guide\'s objects, made to work', async (t) => {
  const o = docs(everything);
  const svc = o.find((d) => d.kind === 'Service' && d.metadata.name === 'nginx');
  t.same(svc.spec.type, 'NodePort');
  t.same(svc.spec.ports[0].nodePort, SMOKE_NODE_PORT);
  const echo = o.find((d) => d.kind === 'Deployment' && d.metadata.name === 'echo');
  t.equal(echo.spec.replicas, 2);
  t.same(echo.spec.template.spec.containers[0].args, [`-text=${smokeEchoText(everything)}`, '-listen=:5678']);
  const ing = o.find((d) => d.kind === 'Ingress');
  t.equal(ing.spec.ingressClassName, 'nginx');
  t.equal(ing.spec.rules[0].host, SMOKE_INGRESS_HOST);
  t.same(ing.spec.rules[0].http.paths[0].backend, { service: { name: 'echo', port: { number: 5678 } } });
  const hpa = o.find((d) => d.kind === 'HorizontalPodAutoscaler');
  t.same([hpa.spec.minReplicas, hpa.spec.maxReplicas], [1, 5]);
  t.same(hpa.spec.metrics[0].resource, { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } });
  for (const d of o.filter((x) => x.kind === 'Deployment')) {
    const c = d.spec.template.spec.containers[0];
    t.ok(c.resources.requests.cpu, `${d.metadata.name} requests CPU, so the HPA has a base`);
    t.same(d.spec.selector.matchLabels, { 'app.kubernetes.io/name': d.metadata.name });
    t.equal(d.spec.template.metadata.labels['app.kubernetes.io/name'], d.metadata.name, 'the selector matches the pods');
  }
});

t.test('every image is pinned by tag; images.repository mirrors them', async (t) => {
  const upstream = images(docs(everything));
  t.same(upstream, ['docker.io/library/nginx:1.27.3', 'docker.io/hashicorp/http-echo:1.0.0']);
  for (const i of upstream) t.match(i, /^[^:]+:[0-9][A-Za-z0-9._-]*$/, `${i} has a version tag, not latest`);
  const mirrored = images(docs({ ...everything, images: { ...everything.images, repository: 'registry.example:5000/mirror' } }));
  t.same(mirrored, ['registry.example:5000/mirror/docker.io/library/nginx:1.27.3', 'registry.example:5000/mirror/docker.io/hashicorp/http-echo:1.0.0']);
});

t.test('deterministic', async (t) => {
  t.equal(smokeManifest(everything), smokeManifest(everything));
});
