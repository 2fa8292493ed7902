import baseConfig, { pureLibrary } from '../../eslint.config.mjs';

export default [...baseConfig, ...pureLibrary];
