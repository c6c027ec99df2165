/** A read query the page asked for is unknown or got bad parameters (the worker answers "bad-request"). */
export class ReplicaQueryError extends Error {
  override name = "ReplicaQueryError";
}
