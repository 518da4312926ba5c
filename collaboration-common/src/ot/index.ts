export * from './text-operation';
export * from './text-buffer';
export * from './apply';
export * from './compose';
export * from './transform';
export * from './invert';
export * from './splice';
export * from './text-type';
