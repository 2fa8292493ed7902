/**
 * The workgroup's saved queries come from libs/pipeline, where the READMEs' examples and the local lake's tests
 * take them too: the same Athena SQL runs on AWS and, unchanged, on the local lake.
 */
export { namedQueries } from '@lakehouse/pipeline';
export type { NamedQuery as NamedQuerySpec } from '@lakehouse/pipeline';
