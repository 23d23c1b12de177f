export interface EngineExecutorOptions {
  command: 'build' | 'validate';
  image: string;
  stage?: 'production' | 'development';
}
