import { describe, expect, it } from 'vitest';
import { commandLine } from './executor';
import { taskOrder } from './task-order';

describe('taskOrder', () => {
  it('puts every task after the batch tasks it depends on, keeping Nx order for ties', () => {
    const graph = {
      tasks: { 'b:validate': {}, 'b:build': {}, 'a:build': {}, 'a:validate': {} },
      dependencies: {
        'b:validate': ['b:build'],
        'b:build': ['a:build', 'a:lint'],
        'a:build': [],
        'a:validate': ['a:build'],
      },
    };
    expect(taskOrder(graph)).toEqual(['a:build', 'b:build', 'b:validate', 'a:validate']);
  });

  it('ignores dependencies outside the batch (Nx ran them first)', () => {
    expect(
      taskOrder({ tasks: { 'x:build': {} }, dependencies: { 'x:build': ['x:lint'] } }),
    ).toEqual(['x:build']);
  });
});

describe('commandLine', () => {
  it('runs the CLI command for the image, with the stage and command-line extras', () => {
    expect(
      commandLine({ command: 'build', image: 'a', stage: 'development' }, ['--verbose']),
    ).toEqual(['build', 'a', '--stage', 'development', '--verbose']);
    expect(
      commandLine({ command: 'validate', image: 'a', stage: 'production' }, undefined),
    ).toEqual(['validate', 'a']);
  });
});
