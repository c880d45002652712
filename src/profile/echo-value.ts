import { PROFILE_LIMITS } from './limits.js';

/** Text cut to a short prefix with its full length when long, so a 5 MB value never ends up whole on stderr. */
export function cutText(text: string): string {
  const max = PROFILE_LIMITS.maxEchoLength;
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/** A value as a diagnostic quotes it: strings JSON-quoted, anything else as JSON; cut when long. */
export function echoValue(value: unknown): string {
  const max = PROFILE_LIMITS.maxEchoLength;
  if (typeof value !== 'string') return cutText(JSON.stringify(value) ?? String(value));
  return value.length <= max ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, max))}… (${value.length} characters)`;
}
