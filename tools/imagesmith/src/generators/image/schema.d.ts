export interface ImageGeneratorSchema {
  name: string;
  profile?: string;
  base?: string;
  python?: string | number;
  description?: string;
  packages?: string[];
  ports?: string | number;
  cuda?: string | number;
}
