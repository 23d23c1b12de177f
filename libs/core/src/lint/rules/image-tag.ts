import type { Dockerfile } from 'dockerfile-ast';
import { stagesOf } from '../stages';
import type { LintRule, RuleFinding } from '../types';

/** An untagged or `latest` base image changes under you: the same Dockerfile builds a different image. */
export const imageTag: LintRule = {
  id: 'image-tag',
  description:
    'Every FROM image (ARG defaults resolved) needs a tag other than latest, or a digest.',
  check(df: Dockerfile): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const stage of stagesOf(df)) {
      const image = stage.image;
      if (stage.parent || image.toLowerCase() === 'scratch' || image.includes('@')) continue;
      const last = image.slice(image.lastIndexOf('/') + 1);
      // Still a variable: an ARG without a default, supplied by --build-arg, which we cannot see.
      if (!last || last.includes('$')) continue;
      const colon = last.indexOf(':');
      const tag = colon < 0 ? undefined : last.slice(colon + 1);
      if (tag !== undefined && tag !== 'latest') continue;
      const raw = stage.from.getImage() ?? '';
      const via = raw !== image ? ` (from ${raw})` : '';
      const repo = colon < 0 ? image : image.slice(0, image.length - last.length + colon);
      const wholeArg = /^\$\{?(\w+)\}?$/.exec(raw)?.[1];
      const rawRepo = raw.replace(/:[^/:]*$/, '');
      findings.push({
        line: stage.from.getRange().start.line + 1,
        severity: 'error',
        message: `Base image ${image}${via} ${tag ? 'uses the moving latest tag' : 'has no tag or digest'}`,
        hint: wholeArg
          ? `Give the ARG default a pinned tag, e.g. ARG ${wholeArg}=${repo}:<version>`
          : `Pin a version tag, e.g. FROM ${rawRepo}:<version>, or a digest ${rawRepo}@sha256:<digest>`,
      });
    }
    return findings;
  },
};
