export interface InitGeneratorSchema {
  repository?: string;
  skipFormat?: boolean;
}
