export interface ProfileGeneratorSchema {
  name: string;
  hardware?: string;
  base?: string;
  pythonVersions?: string | number;
  pythonInstall?: 'provided' | 'apt';
  description?: string;
}
