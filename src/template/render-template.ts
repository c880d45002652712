import Mustache from 'mustache';
import { stripTemplateComments } from './strip-comments.js';

/** Template sources keyed by their path relative to the templates directory, e.g. "steps/swap.sh". */
export type TemplateSet = Readonly<Record<string, string>>;

/**
 * Renders one template with mustache, without HTML escaping (the outputs are shell
 * scripts and config files; shell values are pre-quoted by shellQuote).
 * Throws when the template is missing: the template set is part of the program.
 */
export function renderTemplate(templates: TemplateSet, name: string, view: object): string {
  const source = templates[name];
  if (source === undefined) throw new Error(`template not found: ${name}`);
  return Mustache.render(source, view, {}, { escape: (value: string) => value });
}

/**
 * Renders a template that becomes a file on the node (a script, a config file), with
 * its full-line comments replaced by a one-line pointer to the template (see
 * stripTemplateComments): the comments are for developers, the bytes count against
 * user-data limits. Throws when the template is missing.
 */
export function renderNodeFile(templates: TemplateSet, name: string, view: object): string {
  return stripTemplateComments(name, renderTemplate(templates, name, view));
}
