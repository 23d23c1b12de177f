import Handlebars from 'handlebars';

/**
 * Template helpers. Every value from a spec reaches the Dockerfile through one of these or
 * through a field whose format the spec rules restrict, so no spec string can start an instruction.
 */
export function createHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  // Dockerfile double-quoted strings: JSON escaping covers quotes and backslashes; `$` would start a
  // variable substitution in ENV and LABEL, so it is escaped too.
  const quote = (v: unknown) => JSON.stringify(String(v)).replace(/\$/g, '\\$');
  hb.registerHelper('envValue', quote);
  hb.registerHelper('labelValue', quote);
  // Exec form is a JSON array, which Docker parses as JSON.
  hb.registerHelper('execForm', (items: string[]) => JSON.stringify(items));
  hb.registerHelper('join', (items: string[], sep: string) =>
    items.join(typeof sep === 'string' ? sep : ' '),
  );
  hb.registerHelper('aptSuite', (suite: string) =>
    suite.replace('{{codename}}', '$(. /etc/os-release && echo "$VERSION_CODENAME")'),
  );
  // Named conditions for profile fragments, so templates carry no inline logic.
  // {{#hasHardware "gpu"}}: the profile's declared hardware (profile.yaml `hardware:`), not its name.
  hb.registerHelper(
    'hasHardware',
    function (this: unknown, hardware: unknown, options: Handlebars.HelperOptions) {
      return (options.data.root as { profile: { hardware: string } }).profile.hardware === hardware
        ? options.fn(this)
        : options.inverse(this);
    },
  );
  hb.registerHelper('isExternalBase', function (this: unknown, options: Handlebars.HelperOptions) {
    return (options.data.root as { fromCatalogue: boolean }).fromCatalogue
      ? options.inverse(this)
      : options.fn(this);
  });
  return hb;
}
