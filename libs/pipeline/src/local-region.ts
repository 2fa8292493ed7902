/** The region local endpoints are signed with (they ignore it), and the one local error records name. */
export const LOCAL_REGION = 'us-east-1';
