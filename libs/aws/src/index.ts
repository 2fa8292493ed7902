export { kinesisClient, athenaClient } from './clients';
export { classifyAwsError, isRetriable, PERMANENT_ENTRY_ERRORS } from './errors';
export type { AwsErrorKind } from './errors';
export { readStackOutputs } from './stack-outputs';
