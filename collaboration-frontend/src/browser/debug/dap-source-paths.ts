/**
 * DAP names files by `Source.path`: on the host a file path, for guests an
 * `ensemble:` URI string. One walker maps every `source` object and every
 * entry of a `sources` array in a DAP body (stack frames, breakpoints,
 * loaded sources, output events, request arguments) in either direction.
 */

/** Maps a path; undefined means "not shared": the walker then drops the path (or the whole source, if nothing else names it). */
export type SourcePathMap = (path: string) => string | undefined;

/** Depth beyond which a body is not walked any further (DAP bodies are shallow; a peer's input may not be). */
const MAX_DEPTH = 32;

/** A copy of `value` with its sources' paths mapped; `value` itself is not changed. */
export function mapSourcePaths<T>(value: T, map: SourcePathMap): T {
    return walk(value, map, 0) as T;
}

function walk(value: unknown, map: SourcePathMap, depth: number): unknown {
    if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) {
        return value;
    }
    if (Array.isArray(value)) {
        return value.map(item => walk(item, map, depth + 1));
    }
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
        if (key === 'source' && isObject(item)) {
            const source = mapSource(item, map, depth + 1);
            if (source !== undefined) {
                result[key] = source;
            }
        } else if (key === 'sources' && Array.isArray(item)) {
            result[key] = item.map(source => isObject(source) ? mapSource(source, map, depth + 1) : undefined).filter(source => source !== undefined);
        } else {
            result[key] = walk(item, map, depth + 1);
        }
    }
    return result;
}

function mapSource(source: Record<string, unknown>, map: SourcePathMap, depth: number): Record<string, unknown> | undefined {
    const mapped = walk(source, map, depth) as Record<string, unknown>;
    if (typeof source.path !== 'string') {
        return mapped;
    }
    const path = map(source.path);
    if (path !== undefined) {
        return { ...mapped, path };
    }
    delete mapped.path;
    // A source with a reference can still be fetched by content (`source` request); otherwise nothing names it any more.
    return typeof source.sourceReference === 'number' && source.sourceReference > 0 ? mapped : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
