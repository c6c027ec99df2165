/**
 * The most rows a list query returns, on the server and in the replica alike (their answers are
 * compared row for row). A list that comes back this long says so (DataTable `limit`): more records
 * match, and the contact narrows the search or the filters to reach them.
 */
export const LIST_LIMIT = 500;
