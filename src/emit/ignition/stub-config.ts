/**
 * A stub Ignition config that only points at the node's real config on an HTTP(S)
 * server, for platforms whose config slot is too small for a whole one: VirtualBox's
 * guest property /Ignition/Config holds at most 1,024 bytes (VirtualBox raised its
 * guest-property value limit from 128 bytes to 1 KB; coreos/ignition#2226). Ignition
 * fetches the real config, checks its sha512 and replaces the stub with it.
 */
import { createHash } from 'node:crypto';
import type { IgnitionConfig, IgnitionSpecVersion } from './types.js';

/** The largest value VirtualBox accepts for a guest property, in bytes. */
export const VIRTUALBOX_GUEST_PROPERTY_MAX = 1024;

/** Where a node's full config is served: `<base>/<node>/config.ign` (base with or without a final "/"). */
export function stubTargetUrl(base: string, node: string): string {
  return `${base.replace(/\/+$/, '')}/${node}/config.ign`;
}

/**
 * The stub config's JSON text (compact, final newline): spec `version`, and
 * ignition.config.replace with `url` and the sha512 of `fullConfig`, so the
 * downloaded config is exactly the one generated here. Never fails.
 */
export function emitStubConfig(fullConfig: string, url: string, version: IgnitionSpecVersion): string {
  const hash = createHash('sha512').update(fullConfig, 'utf8').digest('hex');
  const config: Pick<IgnitionConfig, 'ignition'> = {
    ignition: { version, config: { replace: { source: url, verification: { hash: `sha512-${hash}` } } } },
  };
  return `${JSON.stringify(config)}\n`;
}
