/**
 * Stylesheets are imported for their side effect (Vite bundles them); TypeScript 6 checks
 * side-effect imports, so it needs to know `*.css` modules exist. Nothing is exported.
 */
declare module '*.css';
