export * from './ot';
