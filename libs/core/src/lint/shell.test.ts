import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { runCommands, splitCommands } from './shell';

const firstRun = (text: string) => {
  const df = DockerfileParser.parse(text);
  const run = df.getInstructions().find((i) => i.getKeyword() === 'RUN')!;
  return { df, run, lines: text.split('\n') };
};

describe('splitCommands', () => {
  it('splits on &&, ||, ;, | and newlines', () => {
    expect(splitCommands('a 1 && b || c; d | e\nf')).toEqual([
      ['a', '1'],
      ['b'],
      ['c'],
      ['d'],
      ['e'],
      ['f'],
    ]);
  });

  it('keeps quoted text as one word, without the quotes', () => {
    expect(splitCommands(`pip install "numpy==1.2; python_version<'3.12'" 'a && b'`)).toEqual([
      ['pip', 'install', "numpy==1.2; python_version<'3.12'", 'a && b'],
    ]);
  });

  it('does not split on the & of a 2>&1 redirect', () => {
    expect(splitCommands('make 2>&1 && true')).toEqual([['make', '2>&1'], ['true']]);
  });

  it('drops shell comments', () => {
    expect(splitCommands('# pip install x\necho hi')).toEqual([['echo', 'hi']]);
  });
});

describe('runCommands', () => {
  it('joins continuation lines and skips comment lines inside them', () => {
    const { df, run, lines } = firstRun(
      'FROM a:1\nRUN apt-get update \\\n  # why\n  && rm -rf /x\n',
    );
    expect(runCommands(run, df.getEscapeCharacter(), lines)).toEqual([
      ['apt-get', 'update'],
      ['rm', '-rf', '/x'],
    ]);
  });

  it('splits heredoc bodies by line', () => {
    const { df, run, lines } = firstRun('FROM a:1\nRUN <<EOT\npip install x\necho y\nEOT\n');
    expect(runCommands(run, df.getEscapeCharacter(), lines)).toEqual([
      ['<<EOT'],
      ['pip', 'install', 'x'],
      ['echo', 'y'],
      ['EOT'],
    ]);
  });

  it('reads exec form, including sh -c', () => {
    const { df, run, lines } = firstRun('FROM a:1\nRUN ["sh", "-c", "pip install x && true"]\n');
    expect(runCommands(run, df.getEscapeCharacter(), lines)).toEqual([
      ['pip', 'install', 'x'],
      ['true'],
    ]);
  });
});
