import { is, rows, same, type ChapterTable } from './table';

export const UUID: ChapterTable = {
  chapter: 'UUID',
  rows: [
    same('uuid', [
      is('typeof(uuid())', 'uuid'),
      is("regexp_like(CAST(uuid() AS varchar), '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$')", 'true'),
      rows('SELECT count(DISTINCT u) FROM (SELECT uuid() AS u FROM UNNEST(sequence(1, 100)) AS t(i))', [['100']]),
      is("CAST('12151fd2-7586-11e9-8f9e-2a86e4085a59' AS uuid)", '12151fd2-7586-11e9-8f9e-2a86e4085a59'),
    ]),
  ],
};
