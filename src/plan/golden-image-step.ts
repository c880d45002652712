import { createHash } from 'node:crypto';
import type { PlanStep } from './types.js';
import { renderTemplate } from '../template/render-template.js';
import { shellQuote } from '../util/shell-quote.js';
import { imageFiles } from './node-files.js';
import { NODE_PATHS } from './paths.js';
import type { ImageStepContext } from './bootstrap-steps.js';

/**
 * The first step of a prebaked node's own work: checks that the image is a golden image
 * from `gen-userdata image` (provision.sh left its success marker) and that every file
 * it baked is exactly what this profile would write (sha256 of imageFiles). A node whose
 * image was baked for another version, kube-proxy mode or mirror stops here, with this
 * step named in the failure marker, instead of misbehaving later.
 */
export function goldenImageStep(ctx: ImageStepContext): PlanStep {
  const files = imageFiles(ctx.profile, ctx.templates);
  const checksums = files.map((f) => shellQuote(`${createHash('sha256').update(f.content, 'utf8').digest('hex')}  ${f.path}`));
  const body = renderTemplate(ctx.templates, 'steps/golden-image.sh', {
    provisionDone: shellQuote(NODE_PATHS.provisionDone),
    checksums: checksums.join(' \\\n    '),
    count: files.length,
  });
  return { name: 'golden-image', body: body.replace(/\n+$/, '') };
}
