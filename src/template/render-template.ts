import Mustache from 'mustache';

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
