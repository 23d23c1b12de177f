/** One release in a lifecycle table (see lifecycle.schema.json). */
export interface LifecycleEntry {
  /** Unique in its table: a Python version (3.11) or a release (ubuntu-22.04). */
  id: string;
  /** What ends, as users call it: "Ubuntu 22.04 LTS (jammy)". */
  name: string;
  /** YYYY-MM-DD: the day support ends. */
  end_of_life: string;
  /** Where the date comes from. */
  source: string;
  /** What to move to (profile entries; Python's is worked out from the Python table). */
  move_to?: string;
  /** Which images run on it: their root external base matches `base`, their Python is in `python`. */
  when?: { base?: string; python?: string[] };
}

/** A lifecycle table with the file it was read from (for messages). */
export interface LifecycleTable {
  file: string;
  entries: LifecycleEntry[];
}
