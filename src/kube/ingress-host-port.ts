/**
 * The change that turns ingress-nginx's bare-metal manifest (a NodePort Service, so
 * port 80 of a node answers nothing) into controllers that answer on 80 and 443 of
 * the workers, like kubespray's default: a strategic merge patch of the upstream
 * Deployment ingress-nginx/ingress-nginx-controller, applied after the manifest.
 */
import type { Profile } from '../profile/types.js';

/**
 * The patch: hostPort 80/443 on the controller container's http/https ports, one
 * replica per worker (the scheduler never puts two pods holding the same hostPort
 * on one node, so they spread; at least one), and a rolling update that stops a
 * node's old pod before starting its replacement (maxSurge 0), since both cannot
 * bind the port. Ports merge by containerPort, so the other ports stay.
 */
export function ingressHostPortPatch(profile: Profile): object {
  const workers = profile.nodes.filter((n) => n.role === 'worker').length;
  return {
    spec: {
      replicas: Math.max(1, workers),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      template: {
        spec: {
          containers: [{
            name: 'controller',
            ports: [
              { containerPort: 80, hostPort: 80, name: 'http', protocol: 'TCP' },
              { containerPort: 443, hostPort: 443, name: 'https', protocol: 'TCP' },
            ],
          }],
        },
      },
    },
  };
}
