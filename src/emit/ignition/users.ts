/**
 * passwd.users for Flatcar: the built-in `core` account gets every login key of
 * the profile's users (so the operator can always get in the usual Flatcar way),
 * and each plan user is created with its own keys and shell.
 */
import type { PlanUser } from '../../plan/types.js';
import type { IgnitionUser } from './types.js';

/** Flatcar's default admin account; it already exists in the image and is in the sudo group. */
export const FLATCAR_CORE_USER = 'core';
/**
 * Supplementary group for passwordless sudo. Flatcar's "Adding users" guide puts
 * administrators in `sudo` (its sudoers grants %sudo NOPASSWD; `wheel` asks for a
 * password, and our users have none).
 */
export const FLATCAR_SUDO_GROUP = 'sudo';

/**
 * Returns the passwd.users list: `core` first with the union of all users' keys
 * (first-seen order, duplicates dropped), then every plan user in plan order.
 * A plan user named `core` is folded into the first entry (Ignition rejects
 * duplicate names). Never fails.
 */
export function ignitionUsers(users: readonly PlanUser[]): IgnitionUser[] {
  const allKeys = [...new Set(users.flatMap((u) => u.sshAuthorizedKeys))];
  const planCore = users.find((u) => u.name === FLATCAR_CORE_USER);
  const core: IgnitionUser = { name: FLATCAR_CORE_USER };
  if (allKeys.length > 0) core.sshAuthorizedKeys = allKeys;
  if (planCore?.shell) core.shell = planCore.shell;
  const out: IgnitionUser[] = [core];
  for (const u of users) {
    if (u.name === FLATCAR_CORE_USER) continue;
    const user: IgnitionUser = { name: u.name };
    const keys = [...new Set(u.sshAuthorizedKeys)];
    if (keys.length > 0) user.sshAuthorizedKeys = keys;
    if (u.sudo) user.groups = [FLATCAR_SUDO_GROUP];
    if (u.shell) user.shell = u.shell;
    out.push(user);
  }
  return out;
}
