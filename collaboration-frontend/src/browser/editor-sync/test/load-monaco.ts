import '../../test/enable-jsdom';
import { register } from 'node:module';
import type * as Monaco from '@theia/monaco-editor-core';

/**
 * Real Monaco in a jsdom spec. `@theia/monaco-editor-core` ships ES modules
 * that import CSS, which Node cannot load: a loader hook turns `.css` into
 * an empty module, and the module is loaded with a real dynamic import()
 * (TypeScript would turn `import()` into `require`, which takes another,
 * hook-less path). Monaco's editor API (models, ranges, EOL handling) then
 * behaves as in the browser; editor widgets are not created.
 */
const CSS_HOOK = 'export async function load(url, context, next) {'
    + ' return url.endsWith(".css") ? { format: "module", source: "", shortCircuit: true } : next(url, context); }';

let loading: Promise<typeof Monaco> | undefined;

export function loadMonaco(): Promise<typeof Monaco> {
    if (!loading) {
        const globals = globalThis as { CSS?: { escape(value: string): string } };
        globals.CSS ??= { escape: value => String(value).replace(/[^\w-]/g, c => `\\${c}`) };
        register(`data:text/javascript,${encodeURIComponent(CSS_HOOK)}`);
        const dynamicImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<typeof Monaco>;
        loading = dynamicImport('@theia/monaco-editor-core/esm/vs/editor/editor.api.js');
    }
    return loading;
}
