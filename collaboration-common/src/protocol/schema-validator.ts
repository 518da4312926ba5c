import Ajv, { type ValidateFunction } from 'ajv';
import type { RegExpEngine } from 'ajv/dist/types';
import { canonicalJson, type JsonSchema } from './json-schema';

/** Checks one value; returns undefined when it is valid, else what is wrong (e.g. `params/text must be string`). */
export type Validator = (value: unknown) => string | undefined;

export interface SchemaCompilerOptions {
    /** Most compiled schemas kept (default 10 000). */
    readonly maxCachedSchemas?: number;
    /**
     * The engine for `pattern` and `patternProperties` (default: JavaScript's
     * RegExp). The coordination server compiles schemas its peers declare, so
     * it passes a linear-time engine: a backtracking RegExp would let one
     * crafted pattern stall the whole process.
     */
    readonly regExp?: RegExpEngine;
}

/**
 * Compiles JSON schemas (TypeBox's or an extension's own) with ajv, once per
 * distinct schema: every room that declares the same message shares one
 * compiled validator.
 */
export class SchemaCompiler {
    private readonly ajv: Ajv;
    private readonly cache = new Map<string, Validator>();
    private readonly maxCachedSchemas: number;

    constructor(options: SchemaCompilerOptions = {}) {
        this.maxCachedSchemas = options.maxCachedSchemas ?? 10_000;
        this.ajv = new Ajv({
            // Extensions bring their own schemas; unknown keywords must not make them unusable.
            strict: false,
            allErrors: false,
            coerceTypes: false,
            useDefaults: false,
            removeAdditional: false,
            validateFormats: false,
            ...(options.regExp ? { code: { regExp: options.regExp } } : {})
        });
    }

    /** Throws an Error naming the problem when the schema itself is invalid. */
    compile(schema: JsonSchema | boolean, dataName = 'params'): Validator {
        const key = dataName + '\u0000' + canonicalJson(schema);
        const cached = this.cache.get(key);
        if (cached) {
            return cached;
        }
        let validate: ValidateFunction;
        try {
            validate = this.ajv.compile(schema);
        } catch (error) {
            throw new Error(`invalid JSON schema: ${error instanceof Error ? error.message : String(error)}`);
        }
        const validator: Validator = value => validate(value)
            ? undefined
            : this.ajv.errorsText(validate.errors, { dataVar: dataName, separator: '; ' });
        if (this.cache.size >= this.maxCachedSchemas) {
            // A crude bound against schema floods; recompiling later is only slower.
            this.cache.clear();
            this.ajv.removeSchema();
        }
        this.cache.set(key, validator);
        return validator;
    }
}

let sharedCompiler: SchemaCompiler | undefined;
/** One compiler per process (or browser tab) is enough and keeps the cache useful. */
export function sharedSchemaCompiler(): SchemaCompiler {
    return sharedCompiler ??= new SchemaCompiler();
}
