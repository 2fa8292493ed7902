export { kinesisClient, athenaClient, LOCAL_REGION } from './clients';
export type { ClientTarget } from './clients';
export { readStackOutputs } from './stack-outputs';
