import type * as Monaco from '@theia/monaco-editor-core';

/**
 * What Monaco's editor widget needs from a browser beyond jsdom: media
 * queries (its theme service), animation frames (its render loop) and a 2D
 * canvas (the overview ruler paints into one; here it paints nothing).
 * With these and an explicit layout size, a real editor lays out its lines,
 * scrolls and reports its visible ranges as in the browser.
 */
function installLayoutShims(): void {
    const win = window as unknown as Record<string, unknown>;
    win.matchMedia ??= (): unknown => ({ matches: false, addEventListener: () => undefined, removeEventListener: () => undefined, addListener: () => undefined, removeListener: () => undefined });
    (globalThis as Record<string, unknown>).matchMedia ??= win.matchMedia;
    win.requestAnimationFrame ??= (callback: (time: number) => void): unknown => setTimeout(() => callback(Date.now()), 16);
    win.cancelAnimationFrame ??= (handle: ReturnType<typeof setTimeout>): void => clearTimeout(handle);
    const canvas = HTMLCanvasElement.prototype as unknown as { getContext: unknown; ensembleShim?: boolean };
    if (!canvas.ensembleShim) {
        // Every drawing call does nothing (measureText measures nothing); properties read as unset.
        const noop = (): { width: number } => ({ width: 0 });
        const paintNothing: unknown = new Proxy({}, {
            get: (_target, property) => typeof property === 'string' && !/PixelRatio$/.test(property) ? noop : undefined,
            set: () => true
        });
        canvas.getContext = () => paintNothing;
        canvas.ensembleShim = true;
    }
}

/** A real code editor of `width` × `height` pixels over `model`, attached to the document. */
export function createEditor(monaco: typeof Monaco, model: Monaco.editor.ITextModel, size = { width: 800, height: 400 }): Monaco.editor.IStandaloneCodeEditor {
    installLayoutShims();
    const container = document.createElement('div');
    document.body.appendChild(container);
    const editor = monaco.editor.create(container, { model, automaticLayout: false, minimap: { enabled: false }, smoothScrolling: false });
    editor.layout(size);
    editor.onDidDispose(() => container.remove());
    return editor;
}
