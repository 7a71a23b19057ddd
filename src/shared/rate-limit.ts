/** A budget of `limit` events per sliding `windowMs` (HipChat's API and flood limits, hooks, public endpoints). */
export interface RateLimit {
  limit: number;
  windowMs: number;
}
