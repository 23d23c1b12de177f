import { describe, expect, it } from 'vitest';
import type { BuildMetadata } from './build';
import { describeBuild } from './describe-build';

const meta = (result: BuildMetadata['result'], stage: BuildMetadata['stage'] = 'production') => ({
  image: 'base',
  variant: 'base',
  stage,
  reference: '127.0.0.1:5000/ns/base:ch-1a2b',
  tags: [
    '127.0.0.1:5000/ns/base:ch-1a2b',
    '127.0.0.1:5000/ns/base:1.0-r3',
    '127.0.0.1:5000/ns/base:1.0',
  ],
  contentHash: '1a2b',
  result,
});

describe('describeBuild', () => {
  it('says what happened in words, never the recorded code', () => {
    const lines = [
      describeBuild(meta('built'), 41_600),
      describeBuild(meta('present-local')),
      describeBuild(meta('present-registry')),
    ];
    expect(lines).toEqual([
      'base: built 127.0.0.1:5000/ns/base:ch-1a2b (tags 1.0-r3, 1.0) in 42 s',
      'base: already built (found locally: 127.0.0.1:5000/ns/base:ch-1a2b)',
      'base: already built (found in the registry: 127.0.0.1:5000/ns/base:ch-1a2b)',
    ]);
    expect(lines.join('\n')).not.toMatch(/present/);
  });

  it('names the development stage', () => {
    expect(describeBuild(meta('present-local', 'development'))).toMatch(
      /^base \(development stage\): already built \(found locally/,
    );
  });
});
