/** The shape of images/<name>/image.yaml after schema validation (see image.schema.json). */
export interface StageSpec {
  system_packages?: string[];
  python_packages?: Record<string, string>;
  commands?: string[];
  env?: Record<string, string | number | boolean>;
}

export interface CommandCheck {
  name: string;
  run: string;
  exit_code?: number;
  output?: string;
  requires?: 'gpu' | 'neuron';
}

export interface TestContract {
  commands?: CommandCheck[];
  files?: { exist?: string[]; absent?: string[] };
  env?: Record<string, string>;
  imports?: Record<string, string>;
  non_root?: boolean;
  max_size_mb?: number;
}

export interface ImageSpec {
  description: string;
  profile: string;
  profile_options?: Record<string, string>;
  base?: string;
  python: string | string[];
  system_packages?: string[];
  python_packages?: Record<string, string>;
  commands?: string[];
  env?: Record<string, string | number | boolean>;
  labels?: Record<string, string>;
  user?: { name?: string; uid?: number; gid?: number };
  workdir?: string;
  entrypoint?: string[];
  /** tini as PID 1 (ENTRYPOINT ["/usr/bin/tini", "--"]); false opts out. Default: the parent's, else true. */
  init?: boolean;
  cmd?: string[];
  ports?: number[];
  /** Files from the image folder copied into the image (root's, read-only for the runtime user). */
  files?: CopiedFile[];
  stages?: { development?: StageSpec; production?: StageSpec };
  platforms?: string[];
  /** Build tools for the builder stage only (pip building sdists; a catalogue child gets a builder FROM its parent); never in the runtime image. */
  build_packages?: string[];
  version?: string;
  revision?: number;
  tests?: TestContract;
  deprecated?: Deprecation;
  /** Why the image may stay on a Python/OS/CUDA/SDK release past its end of life (one line). */
  allow_eol?: string;
}

/** spec `files:` entry: src inside images/<name>/, dest an absolute path in the image. */
export interface CopiedFile {
  src: string;
  dest: string;
}

/** spec `deprecated:`. use_instead is a catalogue image name or an external image reference. */
export interface Deprecation {
  since: string;
  use_instead: string;
  reason?: string;
}

/** A spec as read from disk, with where it came from (for error messages). */
export interface LoadedSpec {
  name: string;
  /** Workspace-relative folder, e.g. images/gpu-train. */
  dir: string;
  /** Workspace-relative path of image.yaml. */
  file: string;
  spec: ImageSpec;
  /** Raw text, used for content hashing and error positions. */
  text: string;
}
