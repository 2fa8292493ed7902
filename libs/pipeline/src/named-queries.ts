/** One saved query of the Athena workgroup, and an example of the READMEs. */
export interface NamedQuery {
  /** Also the construct id: lower case and hyphens. */
  name: string;
  description: string;
  sql: string;
}

/**
 * The everyday questions: saved in the workgroup by the AWS stack, shown in the READMEs, and run on the local lake
 * unchanged by its tests (the same Athena SQL in both places). Queries over many rows filter on the partition
 * columns, so partition projection reads only the folders they need.
 */
export function namedQueries(database: string, table: string): NamedQuery[] {
  const from = `"${database}"."${table}"`;
  const thisMonth = 'year = year(current_date) AND month = month(current_date)';
  return [
    {
      name: 'row-count',
      description: 'How many events the lake holds',
      sql: `SELECT count(*) AS row_count FROM ${from}`,
    },
    {
      name: 'count-by-status',
      description: 'Events per status',
      sql: `SELECT status, count(*) AS events FROM ${from} GROUP BY status ORDER BY events DESC`,
    },
    {
      name: 'latest-events',
      description: "The 100 newest events in this month's folders (by event time or arrival, as the lake is partitioned)",
      sql: `SELECT * FROM ${from} WHERE ${thisMonth} ORDER BY event_date DESC LIMIT 100`,
    },
    {
      name: 'events-per-hour',
      description: "Events per hour folder this month (each event's hour, or its arrival hour, as the lake is partitioned)",
      sql: `SELECT year, month, day, hour, count(*) AS events FROM ${from} WHERE ${thisMonth} GROUP BY year, month, day, hour ORDER BY year, month, day, hour`,
    },
  ];
}
