/**
 * Site integration files, the same on every node (so they are part of imageFiles and
 * a golden image bakes them): the proxy environment and its systemd drop-ins for
 * containerd and kubelet plus apt's proxy setting (profile proxy), the extra trusted
 * CAs (trust), and the NTP servers (time.servers).
 */
import type { Profile, ProxySettings } from '../profile/types.js';
import type { PlanFile } from './types.js';
import type { TemplateSet } from '../template/render-template.js';
import { renderNodeFile } from '../template/render-template.js';
import { shellQuote } from '../util/shell-quote.js';
import { parseCaBundle } from '../pki/ca-bundle.js';
import type { PlanTarget } from './paths.js';

/** Where the site files go. */
export const SITE_PATHS = {
  proxyEnv: '/etc/gen-userdata/proxy.env',
  containerdProxyDropIn: '/etc/systemd/system/containerd.service.d/gen-userdata-proxy.conf',
  kubeletProxyDropIn: '/etc/systemd/system/kubelet.service.d/gen-userdata-proxy.conf',
  aptProxy: '/etc/apt/apt.conf.d/90gen-userdata-proxy',
  timesyncd: '/etc/systemd/timesyncd.conf.d/gen-userdata.conf',
  chronySources: '/etc/chrony/sources.d/gen-userdata.sources',
} as const;

function file(path: string, content: string, mode = 0o644): PlanFile {
  return { path, mode, owner: 'root:root', content, secret: false };
}

/**
 * http_proxy, https_proxy and no_proxy, values unquoted. Lowercase only: Go
 * (containerd, kubelet, kubeadm, kubectl) reads either case, curl reads http_proxy
 * only in lowercase, and kubeadm hands whichever it finds to the control-plane pods.
 */
export function proxyVariables(proxy: ProxySettings): Array<{ name: string; value: string }> {
  return [
    ...(proxy.http !== undefined ? [{ name: 'http_proxy', value: proxy.http }] : []),
    ...(proxy.https !== undefined ? [{ name: 'https_proxy', value: proxy.https }] : []),
    { name: 'no_proxy', value: proxy.noProxy.join(',') },
  ];
}

/** The proxy variables as `export NAME=value` lines for the bootstrap and provision.sh, values shell-quoted; [] without a proxy. */
export function proxyExports(profile: Profile): Array<{ name: string; value: string }> {
  return profile.proxy === undefined ? [] : proxyVariables(profile.proxy).map((v) => ({ name: v.name, value: shellQuote(v.value) }));
}

/**
 * proxy.env (0600: a proxy URL may carry a password), the containerd and kubelet
 * drop-ins that read it, and apt's proxy configuration on Debian/Ubuntu. None without a proxy.
 */
export function proxyFiles(profile: Profile, templates: TemplateSet, target: PlanTarget): PlanFile[] {
  const proxy = profile.proxy;
  if (proxy === undefined) return [];
  // systemd's EnvironmentFile reads shell-style quotes: the values mean the same as in the bootstrap.
  const env = renderNodeFile(templates, 'files/proxy-env.conf', { vars: proxyExports(profile) });
  const dropIn = (unit: string) => renderNodeFile(templates, 'files/proxy-dropin.conf', { unit, envFile: SITE_PATHS.proxyEnv });
  return [
    file(SITE_PATHS.proxyEnv, env, 0o600),
    file(SITE_PATHS.containerdProxyDropIn, dropIn('containerd')),
    file(SITE_PATHS.kubeletProxyDropIn, dropIn('kubelet')),
    ...(target === 'cloud-init'
      ? [file(SITE_PATHS.aptProxy, renderNodeFile(templates, 'files/apt-proxy', { http: proxy.http ?? false, https: proxy.https ?? false }))]
      : []),
  ];
}

/** The validated trust bundle's certificates; [] without trust. Throws (a bug) on a bundle the profile checks let through. */
export function trustCertificates(profile: Profile): string[] {
  if (profile.trust.caBundle === undefined) return [];
  const bundle = parseCaBundle(profile.trust.caBundle);
  if (!bundle.ok) throw new Error(`bug: unvalidated trust bundle: ${bundle.problems.join('; ')}`);
  return bundle.certificates;
}

/**
 * Where each site CA goes: Debian's update-ca-certificates takes *.crt under
 * /usr/local/share/ca-certificates; Flatcar's takes *.pem in /etc/ssl/certs.
 */
export function trustCertificatePaths(profile: Profile, target: PlanTarget): string[] {
  return trustCertificates(profile).map((_, i) =>
    target === 'flatcar' ? `/etc/ssl/certs/gen-userdata-site-ca-${i + 1}.pem` : `/usr/local/share/ca-certificates/gen-userdata/site-ca-${i + 1}.crt`,
  );
}

/** One file per site CA (0644), installed into the trust store by the bootstrap's trust step. */
export function trustFiles(profile: Profile, target: PlanTarget): PlanFile[] {
  const paths = trustCertificatePaths(profile, target);
  return trustCertificates(profile).map((pem, i) => file(paths[i]!, pem));
}

/** systemd-timesyncd's drop-in, and on Debian/Ubuntu chrony's sources file (read only when chrony is installed). */
export function timeFiles(profile: Profile, templates: TemplateSet, target: PlanTarget): PlanFile[] {
  const servers = profile.time.servers;
  if (servers.length === 0) return [];
  return [
    file(SITE_PATHS.timesyncd, renderNodeFile(templates, 'files/timesyncd.conf', { servers: servers.join(' ') })),
    ...(target === 'cloud-init' ? [file(SITE_PATHS.chronySources, renderNodeFile(templates, 'files/chrony-sources.conf', { servers }))] : []),
  ];
}

/** Every site file of a node of `target`. */
export function siteFiles(profile: Profile, templates: TemplateSet, target: PlanTarget): PlanFile[] {
  return [...proxyFiles(profile, templates, target), ...trustFiles(profile, target), ...timeFiles(profile, templates, target)];
}
