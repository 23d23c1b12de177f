import { describe, expect, it } from 'vitest';
import { dockerfileSteps, findStep, stepAtLine } from './dockerfile-step';

const DOCKERFILE = `# GENERATED from images/x/image.yaml — DO NOT EDIT.
ARG BASE_IMAGE=python:3.11-slim-bookworm

# --- fragment: python-base/from
FROM \${BASE_IMAGE} AS base
RUN apt-get update \\
    # a comment inside the continuation
    && apt-get install -y tini

# --- fragment: python-base/runtime
FROM base AS runtime
RUN echo about to fail && ls /nope

# --- fragment: python-base/development
FROM runtime AS development
RUN echo about to fail && ls /nope
`;

describe('dockerfileSteps', () => {
  it('joins continuation lines and names the fragment above each instruction', () => {
    expect(dockerfileSteps(DOCKERFILE).slice(0, 3)).toEqual([
      { line: 2, fragment: 'python-base/header', text: 'ARG BASE_IMAGE=python:3.11-slim-bookworm' },
      { line: 5, fragment: 'python-base/from', text: 'FROM ${BASE_IMAGE} AS base' },
      {
        line: 6,
        fragment: 'python-base/from',
        text: 'RUN apt-get update && apt-get install -y tini',
      },
    ]);
  });
});

describe('stepAtLine', () => {
  it("finds the instruction BuildKit's Dockerfile:N names, on any of its lines", () => {
    expect(stepAtLine(DOCKERFILE, 12)).toMatchObject({ fragment: 'python-base/runtime' });
    expect(stepAtLine(DOCKERFILE, 8)).toMatchObject({ line: 6, fragment: 'python-base/from' });
  });
});

describe('findStep', () => {
  it("finds buildah's and BuildKit's step by its text, in the stage BuildKit names", () => {
    expect(
      findStep(DOCKERFILE, '[development 2/2] RUN echo about to fail && ls /nope'),
    ).toMatchObject({ line: 16, fragment: 'python-base/development' });
    expect(findStep(DOCKERFILE, 'STEP 4/6: RUN echo about to fail && ls /nope')?.line).toBe(12);
  });

  it('matches what the engine printed for a build arg it substituted', () => {
    expect(
      findStep(
        DOCKERFILE,
        '[base 1/2] FROM 127.0.0.1:5000/library/python:3.11-slim-bookwrom AS base',
      ),
    ).toMatchObject({ line: 5, fragment: 'python-base/from' });
  });

  it('finds nothing for a step that is not in the Dockerfile', () => {
    expect(findStep(DOCKERFILE, '[runtime 2/2] RUN something else')).toBeUndefined();
  });
});
