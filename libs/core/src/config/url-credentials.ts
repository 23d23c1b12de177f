/** The user and password of an index URL (`http://user:secret@host/simple/`), decoded. */
export interface UrlCredentials {
  /** The host name alone (no port): what netrc's `machine` matches (requests' get_netrc_auth). */
  host: string;
  login: string;
  password: string;
}

function parse(url: string): URL | undefined {
  // `user:pw@host` parses as a URL of scheme "user:": only scheme://... is one here.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return undefined;
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * The URL without its user:password part, and the credentials it carried. A URL that does not
 * parse comes back as it was (the config check reports it).
 */
export function splitUrlCredentials(url: string): { url: string; credentials?: UrlCredentials } {
  const parsed = parse(url);
  if (!parsed || (!parsed.username && !parsed.password)) return { url };
  const credentials = {
    host: parsed.hostname,
    login: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), credentials };
}

/** True when the URL carries a user or password (`scheme://user:pw@host`). */
export function hasUrlCredentials(url: string): boolean {
  return splitUrlCredentials(url).credentials !== undefined;
}

/** The URL as messages may show it: `http://user:***@host/simple/`, never the password. */
export function redactUrl(url: string): string {
  const parsed = parse(url);
  if (parsed) {
    if (!parsed.username && !parsed.password) return url;
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  }
  // Not a URL, but it may still hold a secret: hide whatever stands before an @.
  return url.replace(/^([a-z]+:\/\/)?[^/@\s]*@/i, '$1***@');
}

/**
 * One netrc entry (https://www.gnu.org/software/inetutils/manual/html_node/The-_002enetrc-file.html):
 * pip finds an index's credentials there by host name. Tokens are separated by white space, so a
 * login or password holding white space or a quote cannot be written as one.
 */
export function netrcEntry(c: UrlCredentials): string {
  return `machine ${c.host} login ${c.login} password ${c.password}\n`;
}

/** Why these credentials cannot be a netrc entry, or undefined when they can. */
export function netrcProblem(c: UrlCredentials): string | undefined {
  if (!c.login) return 'it has a password but no user name';
  if (/[\s"'\\#]/.test(`${c.login}${c.password}`))
    return 'its user name or password holds white space, a quote, a backslash or #, which a netrc entry cannot carry';
  return undefined;
}
