/**
 * The smoke workloads the init node's cluster verifier deploys (verify.smokeTest),
 * after the kubeadm lab guide's second half, made to work:
 * - nginx behind a NodePort Service, which the verifier curls on every node's IP;
 * - the echo API (hashicorp/http-echo, 2 replicas, port 5678) behind a ClusterIP
 *   Service and an Ingress for host echo.local, when ingress-nginx is enabled;
 * - an autoscaling/v2 HPA on nginx (CPU 60 %, 1–5 replicas) when metrics-server is
 *   enabled. The guide's Deployment has no CPU requests, so its HPA never sees a
 *   utilization; ours sets requests.
 * Everything lives in one namespace, so deleting it removes the lot.
 */
import type { Profile } from '../profile/types.js';
import { mirrorPrefix } from '../plan/registry-mirrors.js';
import { toYamlDocuments } from './yaml-documents.js';

/** Namespace of every smoke object; deleted after a successful run unless kept. */
export const SMOKE_NAMESPACE = 'gen-userdata-smoke';
/**
 * Fixed NodePort of the nginx Service, inside the default 30000–32767 range. Fixed so
 * that firewall.mode "ports" can open exactly this port on the control planes (the
 * verifier curls it on every node; workers open the whole NodePort range anyway).
 */
export const SMOKE_NODE_PORT = 31080;
/** Host of the echo Ingress, as in the guide. */
export const SMOKE_INGRESS_HOST = 'echo.local';
/** Port http-echo listens on, as in the guide. */
export const ECHO_PORT = 5678;

/** Upstream images of the smoke workloads, pinned by tag; docs/verification.md lists them for mirroring. */
export const SMOKE_IMAGES = {
  nginx: { registry: 'docker.io', path: 'library/nginx', tag: '1.27.3' },
  echo: { registry: 'docker.io', path: 'hashicorp/http-echo', tag: '1.0.0' },
} as const;

/** The text the echo API answers with; the verifier compares the Ingress response with it. */
export function smokeEchoText(profile: Profile): string {
  return `gen-userdata smoke test of cluster ${profile.cluster.name}`;
}

/** "<registry>/<path>:<tag>", or the same image under images.repository when it is set. */
export function smokeImage(profile: Profile, which: keyof typeof SMOKE_IMAGES): string {
  const image = SMOKE_IMAGES[which];
  const repository = profile.images.repository;
  const prefix = repository === undefined ? image.registry : mirrorPrefix(repository, image.registry);
  return `${prefix}/${image.path}:${image.tag}`;
}

/** Which smoke objects a profile gets. */
export interface SmokeParts {
  /** The echo API, its Service and the echo.local Ingress (ingress-nginx enabled). */
  ingress: boolean;
  /** The HPA on nginx (metrics-server enabled). */
  hpa: boolean;
}

/** The smoke objects this profile gets. */
export function smokeParts(profile: Profile): SmokeParts {
  return { ingress: profile.addons.ingressNginx.enabled, hpa: profile.addons.metricsServer.enabled };
}

function labels(app: string): Record<string, string> {
  return { 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': 'gen-userdata-smoke' };
}

function meta(name: string): { name: string; namespace: string; labels: Record<string, string> } {
  return { name, namespace: SMOKE_NAMESPACE, labels: labels(name) };
}

function deployment(name: string, replicas: number | undefined, container: object): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name),
    spec: {
      // With an HPA the replica count is the HPA's: apply must not reset it.
      ...(replicas === undefined ? {} : { replicas }),
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: { metadata: { labels: labels(name) }, spec: { containers: [container] } },
    },
  };
}

/** Small requests, so the pods fit any lab node and the HPA has a base for its percentage. */
const REQUESTS = { resources: { requests: { cpu: '20m', memory: '32Mi' }, limits: { memory: '64Mi' } } };

/**
 * The smoke workloads as one multi-document YAML stream (namespace first), the file
 * the verifier applies. Deterministic for a profile.
 */
export function smokeManifest(profile: Profile): string {
  const parts = smokeParts(profile);
  const docs: object[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SMOKE_NAMESPACE, labels: { 'app.kubernetes.io/part-of': 'gen-userdata-smoke' } } },
    deployment('nginx', parts.hpa ? undefined : 2, {
      name: 'nginx',
      image: smokeImage(profile, 'nginx'),
      ports: [{ name: 'http', containerPort: 80 }],
      readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
      ...REQUESTS,
    }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('nginx'),
      spec: {
        type: 'NodePort',
        selector: { 'app.kubernetes.io/name': 'nginx' },
        ports: [{ name: 'http', port: 80, targetPort: 'http', nodePort: SMOKE_NODE_PORT }],
      },
    },
  ];
  if (parts.ingress) {
    docs.push(
      deployment('echo', 2, {
        name: 'echo',
        image: smokeImage(profile, 'echo'),
        args: [`-text=${smokeEchoText(profile)}`, `-listen=:${ECHO_PORT}`],
        ports: [{ name: 'http', containerPort: ECHO_PORT }],
        readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 },
        ...REQUESTS,
      }),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta('echo'),
        spec: { selector: { 'app.kubernetes.io/name': 'echo' }, ports: [{ name: 'http', port: ECHO_PORT, targetPort: 'http' }] },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: meta('echo'),
        spec: {
          ingressClassName: 'nginx',
          rules: [{
            host: SMOKE_INGRESS_HOST,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'echo', port: { number: ECHO_PORT } } } }] },
          }],
        },
      },
    );
  }
  if (parts.hpa) {
    docs.push({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta('nginx'),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx' },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
      },
    });
  }
  return toYamlDocuments(docs);
}
