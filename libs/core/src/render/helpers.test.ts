import { describe, expect, it } from 'vitest';
import { createHandlebars } from './helpers';

const hb = createHandlebars();
const render = (source: string, hardware: string) =>
  hb.compile(source, { noEscape: true })({ profile: { hardware } });

describe('hasHardware', () => {
  const source = '{{#hasHardware "gpu"}}gpu{{else}}other{{/hasHardware}}';

  it('renders its block when the profile declares that hardware', () => {
    expect(render(source, 'gpu')).toBe('gpu');
  });

  it('renders the else block for any other hardware', () => {
    expect(render(source, 'cpu')).toBe('other');
    expect(render(source, 'inf1')).toBe('other');
  });
});
