// The page's stylesheets are side-effect imports that Vite bundles; TypeScript 7 checks that every import resolves.
declare module '*.css';
