/** The container engines imagesmith can drive. */
export type EngineName = 'docker' | 'buildah' | 'podman';

/** A BuildKit secret: its id in the Dockerfile, and where its value comes from (exactly one). */
export interface BuildSecret {
  id: string;
  /** Name of an environment variable (in the engine's environment) holding the value. */
  env?: string;
  /** Path of a file holding the value. */
  src?: string;
  /**
   * The value itself, made by imagesmith (a netrc from an index URL's credentials): handed to the
   * engine through its environment (docker) or a 0600 file in the build's private temp dir
   * (buildah, podman), never through argv.
   */
  value?: string;
}

export interface BuildRequest {
  contextDir: string;
  /** Path of the Dockerfile (absolute, or relative to the current directory). */
  dockerfile: string;
  /** What messages call the Dockerfile (the workspace file it was snapshotted from); `dockerfile` by default. */
  source?: string;
  target?: string;
  tags: string[];
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  /**
   * e.g. ['linux/amd64', 'linux/arm64']: one image (a manifest list when several). A platform the
   * builder cannot run is refused by name before anything is built.
   */
  platforms?: string[];
  /** BuildKit secrets: id plus an env var name or file path holding the value. Never passed as build args. */
  secrets?: BuildSecret[];
  /**
   * Registry references whose build cache may be reused: a `mode=max` cache manifest or an image
   * with inline cache (docker/buildx only; buildah and podman reuse local layers).
   */
  cacheFrom?: string[];
  /** Registry reference to export this build's cache to (`mode=max`, every stage); docker/buildx only. */
  cacheTo?: string;
  /**
   * 'engine' (default): the image lands in the local engine under `tags`. 'registry': the builder
   * pushes `tags` straight to the registry and nothing is loaded locally (docker/buildx only).
   */
  output?: 'engine' | 'registry';
  /** Network for RUN steps; 'host' when left out (these machines have no bridge network). */
  network?: 'host' | 'none' | 'default';
  /**
   * Seconds since the epoch for the image's created time and every file in its layers (buildah and
   * podman `--timestamp`), so the same inputs give the same image id. docker 20.10 has no such flag.
   */
  sourceDateEpoch?: number;
  /** Streamed engine output, line by line. */
  onOutput?: (line: string) => void;
}

export interface BuildResult {
  /** Image (config) id, `sha256:<hex>`. */
  imageId: string;
  /** Manifest (or manifest list) digest, when the builder reports one (always for registry output). */
  digest?: string;
}

/** A host path bind-mounted into a container. */
export interface Mount {
  source: string;
  target: string;
  readonly?: boolean;
}

export interface RunRequest {
  image: string;
  command: string[];
  user?: string;
  env?: Record<string, string>;
  /** 'none' when left out; else 'host' or a network's name (created when missing, see container-ports.ts). */
  network?: string;
  entrypoint?: string;
  /** A profile's run flags (`--gpus all`, `--device=/dev/neuron0`): an engine that cannot honour one says so. */
  runFlags?: string[];
  mounts?: Mount[];
  workdir?: string;
  /** Kill the engine call after this long; the result then has timedOut: true. */
  timeoutMs?: number;
  /**
   * The platform of a multi-platform image to run (linux/arm64: under qemu when the host is
   * another); the engine's default (the host's) when left out.
   */
  platform?: string;
  /**
   * The container's name (docker/podman `run --name`, buildah `from --name`), so that one still
   * running after its engine call was stopped (timeoutMs) can be removed by it (removeContainer);
   * the engine picks one when left out.
   */
  name?: string;
  /**
   * With a name: the ended container is left for the caller to remove by name (removeContainer),
   * so its removal is off this call's path (`docker run --rm` waits for it: ~0.2 s a run).
   */
  keep?: boolean;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The call ran past its timeoutMs and was stopped. */
  timedOut?: boolean;
}

/** A long-lived container: `command` keeps it alive, execContainer runs more processes in it. */
export interface ContainerRequest extends RunRequest {
  /** Container name; an existing container of that name is replaced. */
  name: string;
  /**
   * TCP ports to publish on 127.0.0.1 at the same numbers (docker/podman `-p`; give a `network`
   * other than host, which publishes nothing). buildah publishes none.
   */
  ports?: number[];
}

export interface Container {
  name: string;
  request: ContainerRequest;
  /** The command line a person types to get a shell in it. */
  enter: string[];
}

export interface ExecRequest {
  command: string[];
  user?: string;
  timeoutMs?: number;
}

export interface ImageInfo {
  /** Image (config) id, always `sha256:<hex>`. */
  id: string;
  /** Registry manifest digest (`sha256:<hex>`) when the engine knows one. */
  digest?: string;
  sizeBytes: number;
  /** Config.User; '' means root. */
  user: string;
  env: Record<string, string>;
  labels: Record<string, string>;
  repoTags: string[];
  repoDigests: string[];
}

export interface Engine {
  readonly name: EngineName;
  /** The executable this engine runs (absolute path when found). */
  readonly binary: string;
  /** Resolves when the engine can build and run; throws EngineError saying how to install/start it. */
  info(): Promise<void>;
  /** Throws EngineError naming the failing step (with the last lines of output) when the build fails. */
  build(req: BuildRequest): Promise<BuildResult>;
  /**
   * The platforms the builder can build (native and emulated), normalized (linux/arm64); null when
   * the engine cannot tell.
   */
  platforms(): Promise<string[] | null>;
  /**
   * Whether a build lands in this engine's own image store without a load (docker's `docker`
   * driver, buildah, podman); false for a remote or kubernetes BuildKit.
   */
  buildsIntoEngine(): Promise<boolean>;
  /** Runs a throw-away container; a non-zero exit is a result, not an error. */
  run(req: RunRequest): Promise<RunResult>;
  /**
   * Starts a named container (docker/podman: detached, running req.command; buildah: a working
   * container that each execContainer runs in with req's network, mounts and flags).
   */
  startContainer(req: ContainerRequest): Promise<Container>;
  /** Runs one process in a started container; its exit code and output come from the engine. */
  execContainer(c: Container, req: ExecRequest): Promise<RunResult>;
  /** Stops and removes a container by name; false when there was none. */
  removeContainer(name: string): Promise<boolean>;
  /**
   * The container req would start, when one of its name is already running (buildah: its working
   * container exists); null otherwise. Its `enter` is the shell command for req.
   */
  runningContainer(req: ContainerRequest): Promise<Container | null>;
  /** null when the image is not present locally. */
  inspect(ref: string): Promise<ImageInfo | null>;
  tag(source: string, target: string): Promise<void>;
  /** `timeoutMs`: the engine process is stopped past it (a registry that stalls mid-upload). */
  push(ref: string, opts?: { timeoutMs?: number }): Promise<{ digest?: string }>;
  pull(ref: string): Promise<void>;
  /** The password goes to the engine on stdin only: never in argv, never logged. */
  login(registry: string, username: string, password: string): Promise<void>;
  /** Created-by line of each history entry (layer), newest first, like `docker history`. */
  history(ref: string): Promise<string[]>;
  /** Removes the local image (or just this tag of it); nothing to do when absent. */
  remove(ref: string): Promise<void>;
}
