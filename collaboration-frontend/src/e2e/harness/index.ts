export * from './cleanup';
export * from './paths';
export * from './temp-dirs';
export * from './theia-app';
export * from './theia-page';
export * from './collaboration-session';
export * from './shared-documents';
export * from './terminals';
