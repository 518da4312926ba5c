export * from './ot';
export * from './protocol';
export * from './session';
