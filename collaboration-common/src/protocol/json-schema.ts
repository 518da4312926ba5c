/**
 * A JSON schema as plain data. TypeBox schemas (`Type.Object(...)`) are JSON
 * schemas, and so is any hand-written schema an extension declares.
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

/**
 * Serialises a JSON value with object keys sorted, so that two schemas that
 * differ only in key order compare equal (used to detect conflicting
 * declarations of one method).
 */
export function canonicalJson(value: unknown): string {
    return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(sortKeys);
    }
    if (value !== null && typeof value === 'object') {
        const sorted: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) {
            sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
        }
        return sorted;
    }
    return value;
}
