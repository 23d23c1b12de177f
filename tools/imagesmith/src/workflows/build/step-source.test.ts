import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateVariant, resolveVariants } from '@imagesmith/core';
import { REPO_ROOT, workspaceOf } from '../../../../../libs/core/test-support/fixtures';
import { dockerfileSteps, findStep } from './dockerfile-step';
import { stepSource } from './step-source';

const SPEC = `description: step sources
profile: cpu
python: "3.11"
system_packages: [curl, no-such-pkg]
python_packages: { six: "1.16.0" }
commands:
  - "true"
  - echo about to fail && ls /nope
stages:
  production:
    commands: [echo prod]
    system_packages: [jq]
  development:
    commands: [echo dev]
`;
const ws = workspaceOf({ x: SPEC, y: `${SPEC}base: "python:3.11-slim-bookwrom"\n` });
const LOCKED = { main: 'six==1.16.0 --hash=sha256:00\n', dev: '', mainCount: 1, devCount: 0 };
const PROFILE = readFileSync(join(REPO_ROOT, 'profiles/cpu/profile.yaml'), 'utf8');

/** The variant's generated Dockerfile and the source of its step `text` (or the first `where`). */
function sourceOf(image: string, text: string | RegExp, output: string[] = []) {
  const [v] = resolveVariants(ws, image);
  const dockerfile = generateVariant(v!, {
    specText: ws.specs.get(image)!.text,
    templates: ws.templates,
    requirements: LOCKED,
  })[0]!.content;
  const step =
    typeof text === 'string'
      ? findStep(dockerfile, text)
      : dockerfileSteps(dockerfile).find((st) => text.test(st.text));
  if (!step) throw new Error(`no step ${text} in\n${dockerfile}`);
  return stepSource(step, v!, { spec: ws.specs.get(image)!.text, profile: PROFILE }, output);
}

describe('stepSource', () => {
  it("names a spec command's index and line", () => {
    expect(sourceOf('x', 'RUN echo about to fail && ls /nope')).toEqual({
      file: 'images/x/image.yaml',
      field: 'commands[1]',
      line: 8,
    });
    expect(sourceOf('x', 'RUN echo prod')).toMatchObject({
      field: 'stages.production.commands[0]',
      line: 11,
    });
    expect(sourceOf('x', '[development 2/3] RUN echo dev')).toMatchObject({
      field: 'stages.development.commands[0]',
      line: 14,
    });
  });

  it('names the base: the spec field when the spec sets it, else the profile default', () => {
    expect(sourceOf('y', 'FROM ${BASE_IMAGE} AS base')).toMatchObject({
      file: 'images/y/image.yaml',
      field: 'base',
      line: 15,
    });
    expect(sourceOf('x', 'FROM ${BASE_IMAGE} AS base')).toMatchObject({
      file: 'profiles/cpu/profile.yaml',
      field: 'bases.3.11',
    });
  });

  it('names the package apt could not find, and the python packages for a pip install', () => {
    const apt = /apt-get install .*no-such-pkg/;
    expect(sourceOf('x', apt, ['E: Unable to locate package no-such-pkg'])).toMatchObject({
      field: 'system_packages[1]',
      line: 4,
    });
    expect(sourceOf('x', apt, ['E: Unable to locate package ca-certificates'])).toMatchObject({
      file: 'profiles/cpu/profile.yaml',
      field: 'system_packages[0]',
    });
    expect(sourceOf('x', apt)).toMatchObject({
      file: 'images/x/image.yaml',
      field: 'system_packages',
    });
    expect(sourceOf('x', /apt-get install .*jq/)).toMatchObject({
      field: 'stages.production.system_packages',
    });
    expect(sourceOf('x', /pip install .*requirements\.txt/)).toMatchObject({
      field: 'python_packages',
      line: 5,
    });
  });

  it('names the template of a step no field renders, to be regenerated after an edit', () => {
    expect(sourceOf('x', 'RUN PYTHONHASHSEED=0 python3 -m venv /opt/venv')).toEqual({
      file: 'templates/python-base/builder.hbs',
      template: true,
    });
  });
});
