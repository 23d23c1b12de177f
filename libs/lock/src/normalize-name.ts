/** PEP 503 normalized project name: "Zope.Interface" and "zope_interface" are one package. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
