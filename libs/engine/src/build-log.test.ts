import { describe, expect, it } from 'vitest';
import { BuildLog, describeBuildFailure, formatBuildFailure } from './build-log';

const BUILDKIT = `#1 [internal] load build definition from Dockerfile
#1 sha256:0d1f
#1 transferring dockerfile: 188B 0.0s done
#1 DONE 0.0s

#7 [builder 1/3] FROM 127.0.0.1:5000/library/python:3.11-slim-bookworm
#7 CACHED

#4 [builder 2/3] RUN echo one
#4 0.074 one
#4 DONE 0.1s

#5 [builder 3/3] RUN echo about to fail && ls /nonexistent
#5 sha256:f5fccfe851ca
#5 0.075 about to fail
#5 0.078 ls: cannot access '/nonexistent': No such file or directory
#5 ERROR: executor failed running [/bin/sh -c echo about to fail && ls /nonexistent]: exit code: 2
------
 > [builder 3/3] RUN echo about to fail && ls /nonexistent:
------
executor failed running [/bin/sh -c echo about to fail && ls /nonexistent]: exit code: 2`;

describe('describeBuildFailure', () => {
  it('names the failing BuildKit step and its reason', () => {
    expect(describeBuildFailure(BUILDKIT)).toEqual({
      step: '[builder 3/3] RUN echo about to fail && ls /nonexistent',
      reason:
        'executor failed running [/bin/sh -c echo about to fail && ls /nonexistent]: exit code: 2',
    });
  });

  it('finds the step header even when thousands of lines came after it', () => {
    const noisy = [
      '#9 [2/2] RUN pip install torch',
      ...Array.from({ length: 5000 }, (_, i) => `#9 ${i}.0 Collecting package-${i}`),
      '#9 ERROR: executor failed running [/bin/sh -c pip install torch]: exit code: 1',
    ];
    expect(describeBuildFailure(noisy).step).toBe('[2/2] RUN pip install torch');
  });

  it('uses the summary block and the solve error when there is no #N ERROR line', () => {
    const out = [
      '------',
      ' > [3/4] COPY missing.txt /x:',
      '------',
      'error: failed to solve: failed to compute cache key: "/missing.txt" not found',
    ];
    expect(describeBuildFailure(out)).toMatchObject({
      step: '[3/4] COPY missing.txt /x',
      reason: 'failed to solve: failed to compute cache key: "/missing.txt" not found',
    });
  });

  it('reads buildah/podman output', () => {
    const out = `[1/2] STEP 1/3: FROM 127.0.0.1:5000/library/python:3.11-slim-bookworm AS builder
[1/2] STEP 3/3: RUN echo about to fail && ls /nonexistent
ls: cannot access '/nonexistent': No such file or directory
subprocess exited with status 2
Error: building at STEP "RUN echo about to fail && ls /nonexistent": exit status 2`;
    expect(describeBuildFailure(out)).toEqual({
      step: '[1/2] STEP 3/3: RUN echo about to fail && ls /nonexistent',
      reason: 'exit status 2',
    });
  });

  it('reads classic docker builder output', () => {
    const out = `Step 1/2 : FROM base\nStep 2/2 : RUN false\n ---> Running in 1234\nThe command '/bin/sh -c false' returned a non-zero code: 1`;
    expect(describeBuildFailure(out)).toEqual({
      step: 'Step 2/2 : RUN false',
      reason: "The command '/bin/sh -c false' returned a non-zero code: 1",
    });
  });

  it('hints at buildx and unreachable bases', () => {
    expect(
      describeBuildFailure(
        'ERROR: BuildKit is enabled but the buildx component is missing or broken.',
      ).hint,
    ).toMatch(/IMAGESMITH_DOCKER=\/usr\/bin\/docker/);
    expect(
      describeBuildFailure(
        'error: failed to solve: 127.0.0.1:5000/nope:1: failed to do request: connection refused',
      ).hint,
    ).toMatch(/IMAGESMITH_REGISTRY_MIRROR or mirrors\.registry/);
  });

  it('ignores an absent --cache-from image: not the failure, not a base-image hint', () => {
    const out = `#3 importing cache manifest from 127.0.0.1:5000/ns/base:1.0
#3 ERROR: 127.0.0.1:5000/ns/base:1.0: not found
${BUILDKIT}`;
    expect(describeBuildFailure(out)).toEqual({
      step: '[builder 3/3] RUN echo about to fail && ls /nonexistent',
      reason:
        'executor failed running [/bin/sh -c echo about to fail && ls /nonexistent]: exit code: 2',
    });
  });
});

describe('the failing step', () => {
  it("keeps BuildKit's failing step's own output and the Dockerfile line it names", () => {
    const log = new BuildLog(20);
    const out = [
      ...BUILDKIT.split('\n'),
      'Dockerfile:64',
      '--------------------',
      '  64 | >>> RUN echo about to fail && ls /nonexistent',
      'Dockerfile:12',
    ];
    for (const line of out) log.push(line);
    expect(log.stepOutput()).toEqual([
      'about to fail',
      "ls: cannot access '/nonexistent': No such file or directory",
    ]);
    expect(log.dockerfileLine()).toBe(64);
  });

  it("keeps only the last lines of a long step's output", () => {
    const log = new BuildLog(3);
    log.push('#9 [2/2] RUN pip install torch');
    for (let i = 0; i < 100; i++) log.push(`#9 ${i}.5 Collecting package-${i}`);
    log.push('#9 ERROR: process did not complete successfully: exit code: 1');
    expect(log.stepOutput()).toEqual([
      'Collecting package-97',
      'Collecting package-98',
      'Collecting package-99',
    ]);
  });

  it('keeps the output since the failing step for buildah and classic docker', () => {
    const buildah = new BuildLog();
    for (const line of [
      'STEP 2/3: RUN echo fine',
      'fine',
      'STEP 3/3: RUN echo about to fail && ls /nonexistent',
      'about to fail',
      'Error: building at STEP "RUN echo about to fail && ls /nonexistent": exit status 2',
    ])
      buildah.push(line);
    expect(buildah.stepOutput()).toEqual(['about to fail']);
    expect(buildah.dockerfileLine()).toBeUndefined();
    const classic = new BuildLog();
    for (const line of [
      'Step 2/2 : RUN echo no && false',
      ' ---> Running in 1234',
      'no',
      "The command '/bin/sh -c echo no && false' returned a non-zero code: 1",
    ])
      classic.push(line);
    expect(classic.stepOutput()).toEqual(['no']);
  });

  it('has no step output when no step failed', () => {
    const log = new BuildLog();
    log.push('unable to prepare context: path "nowhere" not found');
    expect(log.stepOutput()).toBeUndefined();
  });
});

describe('formatBuildFailure', () => {
  it("names the step, quotes only that step's own output and says what to do", () => {
    const log = new BuildLog(20);
    for (let i = 0; i < 30; i++) log.push(`#2 0.${i} early noise ${i}`);
    for (const line of BUILDKIT.split('\n')) log.push(line);
    const message = formatBuildFailure('docker', 'images/x/Dockerfile', log, 1);
    expect(message.split('\n')[0]).toBe(
      'docker build of images/x/Dockerfile failed at step [builder 3/3] RUN echo about to fail && ls /nonexistent: executor failed running [/bin/sh -c echo about to fail && ls /nonexistent]: exit code: 2',
    );
    expect(message.split('\n').slice(1, 4)).toEqual([
      'Output of that step (last 2 lines):',
      '  about to fail',
      "  ls: cannot access '/nonexistent': No such file or directory",
    ]);
    expect(message).not.toMatch(/early noise|sha256|#5/);
    expect(message).toMatch(/What to do: fix what that step runs or installs/);
    expect(message).not.toMatch(/in the Dockerfile/);
  });

  it('quotes the last lines of the whole output when no step is known', () => {
    const log = new BuildLog(20);
    for (let i = 0; i < 30; i++) log.push(`line ${i}`);
    const message = formatBuildFailure('docker', 'Dockerfile', log, 1);
    expect(message).toContain('Last 20 lines of output:');
    expect(message).not.toContain('line 9\n');
    expect(message).toContain('  line 29');
  });

  it('leaves the tail out for a caller that shows the output itself', () => {
    const log = new BuildLog(20);
    for (const line of BUILDKIT.split('\n')) log.push(line);
    const message = formatBuildFailure('docker', 'Dockerfile', log, 1, { tail: false });
    expect(message).not.toContain('Last');
    expect(message).not.toContain('about to fail\n');
    expect(message.split('\n')).toHaveLength(2);
  });

  it('says "1 line" for a one-line tail', () => {
    const log = new BuildLog();
    log.push('unable to prepare context: path "nowhere" not found');
    expect(formatBuildFailure('docker', 'Dockerfile', log, 1)).toContain('Last 1 line of output:');
  });

  it('says what to do when no step is known', () => {
    const log = new BuildLog();
    log.push('unable to prepare context: path "nowhere" not found');
    expect(formatBuildFailure('docker', 'Dockerfile', log, 1)).toMatch(
      /failed \(exit code 1\)[\s\S]*What to do:/,
    );
  });
});
