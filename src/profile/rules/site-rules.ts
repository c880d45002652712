/**
 * Rules about site integration: the inline trust bundle (each certificate a CA) and
 * where registry credentials go.
 */
import type { Profile } from '../types.js';
import { parseCaBundle } from '../../pki/ca-bundle.js';
import { error, warning, type Finding } from './finding.js';

/** Errors for each certificate of an inline trust.caBundle that does not parse or is no CA. caBundleFile is checked by the CLI once read. */
export function inlineCaBundle(p: Profile): Finding[] {
  if (p.trust.caBundle === undefined || p.trust.caBundleFile !== undefined) return [];
  const bundle = parseCaBundle(p.trust.caBundle);
  return bundle.ok ? [] : bundle.problems.map((problem) => error('invalid-ca-bundle', '/trust/caBundle', problem));
}

/**
 * Warns that registry credentials reach control planes only: worker output never
 * carries a registry password, so workers must pull the images they run without one.
 */
export function registryAuthScope(p: Profile): Finding[] {
  if (p.images.auth.length === 0 || !p.nodes.some((n) => n.role === 'worker')) return [];
  const registries = p.images.auth.map((a) => a.registry).join(', ');
  return [
    warning(
      'registry-auth-control-planes-only',
      '/images/auth',
      `credentials for ${registries} go to the control planes only; workers carry no registry password and must pull their images without one ` +
        '(an images.repository mirror that allows anonymous pulls from the node network, or a golden image with the images baked in)',
    ),
  ];
}
