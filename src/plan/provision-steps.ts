import type { Profile } from '../profile/types.js';
import type { PlanFile, PlanStep } from './types.js';
import type { TemplateSet } from '../template/render-template.js';
import { shellQuote } from '../util/shell-quote.js';
import { imageFiles } from './node-files.js';
import { kernelModulesStep, runtimeSteps, siteSteps, step, sysctlStep, type ImageStepContext } from './bootstrap-steps.js';
import { sandboxImage } from './sandbox-image.js';

/**
 * A quoted-heredoc delimiter that is not a line of `content`: GEN_USERDATA_EOF, or with a
 * numeric suffix when the content happens to contain that line. A quoted delimiter turns
 * off every expansion, so the content is written byte for byte.
 */
export function heredocDelimiter(content: string): string {
  const lines = new Set(content.split('\n'));
  let delimiter = 'GEN_USERDATA_EOF';
  for (let i = 1; lines.has(delimiter); i++) delimiter = `GEN_USERDATA_EOF_${i}`;
  return delimiter;
}

/**
 * Writes files the way cloud-init's write_files would (there is no cloud-init run at
 * image build time), with their mode and owner. Text that ends in a newline goes in a
 * quoted heredoc, readable in the script; anything else (a heredoc always ends in a
 * newline) goes base64-encoded, whose alphabet cannot form the delimiter.
 */
export function writeFilesStep(ctx: ImageStepContext, files: readonly PlanFile[]): PlanStep {
  return step(ctx, 'write-files', 'write-files', {
    count: files.length,
    files: files.map((f) => {
      const [user = 'root', group = 'root'] = f.owner.split(':');
      const plain = f.content.endsWith('\n') && !f.content.includes('\0');
      return {
        path: shellQuote(f.path),
        mode: f.mode.toString(8).padStart(4, '0'),
        user: shellQuote(user),
        group: shellQuote(group),
        delimiter: plain ? heredocDelimiter(f.content) : 'GEN_USERDATA_EOF',
        text: plain ? { content: f.content } : false,
        // 76-column lines, like base64(1).
        base64: plain ? false : { content: (Buffer.from(f.content, 'utf8').toString('base64').match(/.{1,76}/g) ?? ['']).join('\n') },
      };
    }),
  });
}

/** Pre-pulls kubeadm's images for the exact version and image repository, and containerd's sandbox image. */
export function imagesPullStep(ctx: ImageStepContext): PlanStep {
  const repository = ctx.profile.images.repository?.replace(/\/+$/, '');
  return step(ctx, 'images-pull', 'images-pull', {
    kubeVersion: shellQuote(`v${ctx.profile.cluster.kubernetesVersion}`),
    imageRepository: repository ? shellQuote(repository) : '',
    sandboxImage: shellQuote(sandboxImage(ctx.profile)),
  });
}

/**
 * The steps of provision.sh, the node-independent part of first boot baked into a golden
 * image: the files (imageFiles), then the bootstrap's own kernel-module, sysctl,
 * containerd and package steps in install mode, the image pre-pull, and the cleanup that
 * makes the image boot as a new machine (cloud-init state, machine-id, SSH host keys).
 */
export function provisionSteps(profile: Profile, templates: TemplateSet): PlanStep[] {
  const ctx: ImageStepContext = { profile, templates, target: 'cloud-init', stage: 'image' };
  return [
    writeFilesStep(ctx, imageFiles(profile, templates)),
    ...siteSteps(ctx),
    kernelModulesStep(ctx),
    sysctlStep(ctx),
    ...runtimeSteps(ctx),
    imagesPullStep(ctx),
    step(ctx, 'image-cleanup', 'image-cleanup'),
  ];
}
