/** Something that runs in the background for the life of the process (outbox worker, re-checks…). */
export interface BackgroundTask {
  name: string;
  start(): Promise<void> | void;
  /** Stops taking new work and lets current work end (bounded by the caller). */
  stop(): Promise<void>;
}
