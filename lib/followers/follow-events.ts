/**
 * SQL: a stored follow or unfollow event that says where its follower stood at that moment, whether it
 * changed the row (applied) or found it already so (noop). Stale events and messages say nothing.
 * Used by the push path and by the sync, which must agree on it.
 */
export const DECIDING_FOLLOW_EVENT =
  "event IN ('subscribe', 'unsubscribe') AND outcome IN ('applied', 'noop')";
