import { describe, expect, it } from 'vitest';
import { commandPaths } from './command-paths';

const paths = (entrypoint: string[], cmd: string[]) =>
  commandPaths(entrypoint, cmd).map(
    (p) => `${p.field}[${p.index}] ${p.path}${p.executable ? ' x' : ''}`,
  );

describe('commandPaths', () => {
  it('names an absolute program (executable) and the script an interpreter runs', () => {
    expect(paths([], ['/app/serve', '--port', '80'])).toEqual(['cmd[0] /app/serve x']);
    expect(paths([], ['python', '-u', '/app/main.py', '/data/in'])).toEqual([
      'cmd[2] /app/main.py',
    ]);
    expect(paths(['/usr/bin/python3', '-X', 'dev'], ['/app/main.py'])).toEqual([
      'entrypoint[0] /usr/bin/python3 x',
      'cmd[0] /app/main.py',
    ]);
    expect(paths(['sh'], ['/app/start.sh'])).toEqual(['cmd[0] /app/start.sh']);
  });

  it('leaves out modules, code, relative paths and programs found on PATH', () => {
    expect(paths([], ['uvicorn', 'app.main:app', '--host', '0.0.0.0'])).toEqual([]);
    expect(paths([], ['python', '-m', 'http.server', '/srv'])).toEqual([]);
    expect(paths([], ['sh', '-c', '/app/start.sh'])).toEqual([]);
    expect(paths([], ['bash', '-ec', 'exec /app/x'])).toEqual([]);
    expect(paths([], ['python', 'main.py'])).toEqual([]);
    expect(paths([], [])).toEqual([]);
  });
});
